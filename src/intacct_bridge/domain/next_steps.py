"""The step a review reason asks the user to take, named once so each place offers its own way to take it.

Advice must fit the place the user stands in (issue 14): a reason is stored and shown in the
console, the REST API and the CLI alike, so it says what is wrong and what to do in words
("pull the entities from Sage Intacct again"), never a command. Each wording below is the one
phrase the domain's reasons use for that step; `step_of` finds it again in a stored message, and
each place adds its own way of taking it: the console a link to the page that does it
(`web/templates/console/_review.html`), the CLI the command (`commands/_support.py`).
"""

from __future__ import annotations

from enum import StrEnum


class NextStep(StrEnum):
    PULL = "pull"                  # read the entities and reference data (terms, journals) from Intacct again
    VENDORS = "vendors"            # create the vendor in Intacct through the bridge's vendor records
    SETTINGS = "settings"          # change the workspace's sync settings (default entity, posting level)
    O2C_SETTINGS = "o2c_settings"  # change the order-to-cash settings
    DIMENSIONS = "dimensions"      # set up a user-defined dimension in the workspace's settings


# The words each step is said with in a reason; a reason names at most one step.
PULL_AGAIN = "pull the entities and reference data from Sage Intacct again"
ADD_VENDOR = "add the vendor to the vendor records and sync them to Sage Intacct"
SET_DEFAULT_ENTITY = "pull the entities from Sage Intacct and choose the default entity in the sync settings"
CHANGE_O2C_SETTING = "change the order-to-cash setting the reason names"
SET_UP_DIMENSION = "set it up as a user-defined dimension in the sync settings"

WORDING = {
    NextStep.PULL: PULL_AGAIN,
    NextStep.VENDORS: ADD_VENDOR,
    NextStep.SETTINGS: SET_DEFAULT_ENTITY,
    NextStep.O2C_SETTINGS: CHANGE_O2C_SETTING,
    NextStep.DIMENSIONS: SET_UP_DIMENSION,
}


# Reasons recorded before the wording above named a CLI command in the text; a flag keeps its words until the
# record is checked again (the next run or dry run), so they are read in today's words meanwhile.
_EARLIER_WORDS = (
    ("or pull the entities again (`intacct-bridge entities pull`)", f"or {PULL_AGAIN}"),
    ("or pull the reference data (`intacct-bridge entities pull`) if it was just added",
     f"or, if it was just added, {PULL_AGAIN}"),
    ("add it with `intacct-bridge settings dimension`", SET_UP_DIMENSION),
    ("pull the entities and set one (`intacct-bridge entities pull`)", SET_DEFAULT_ENTITY),
    ("create it (intacct-bridge vendors import) or correct", f"{ADD_VENDOR}, or correct"),
)


def in_current_words(message: str) -> str:
    """A recorded reason as it is worded today (an earlier reason's CLI command replaced by the step in words)."""
    for earlier, now in _EARLIER_WORDS:
        message = message.replace(earlier, now)
    return message


def step_of(message: str) -> NextStep | None:
    """The step a reason's (or fix's) words ask for, wherever they stand in a sentence; None when none."""
    said = message.lower()
    for step, words in WORDING.items():
        if words.lower() in said:
            return step
    return None


def step_key(message: str | None) -> str:
    """`step_of` as the text a page or a JSON reason carries: the step's value, "" when none."""
    step = step_of(message or "")
    return step.value if step else ""
