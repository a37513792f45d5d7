"""Configuration of one emulator instance.

The same dataclass is filled from the command line, from `start_emulator(**config)`
in tests, and changed at run time through `POST /_emulator/config`. It is frozen:
a change builds a new instance (`with_changes`), so a request in flight keeps
reading one consistent configuration.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from intacct_emulator.backend.seeds import demo

IDEMPOTENCY_MODES = ("reject", "replay")

#: The names and values ARCHITECTURE.md §1.4 fixes for the demo seed, taken from the
#: seed itself so the two cannot drift. The env lines printed at start use the
#: product's variable names.
DEMO_CREDENTIALS = {
    "INTACCT_SENDER_ID": demo.SENDER_ID,
    "INTACCT_SENDER_PASSWORD": demo.SENDER_PASSWORD,
    "INTACCT_COMPANY_ID": demo.COMPANY_ID,
    "INTACCT_USER_ID": demo.USER_ID,
    "INTACCT_USER_PASSWORD": demo.USER_PASSWORD,
}

#: The REST wire's demo OAuth client, printed at start as the product's variables.
DEMO_REST_CREDENTIALS = {"INTACCT_CLIENT_ID": demo.CLIENT_ID, "INTACCT_CLIENT_SECRET": demo.CLIENT_SECRET}

GATEWAY_PATH = "/ia/xml/xmlgw.phtml"
REST_BASE_PATH = "/ia/api/v1"

#: Choices where the REST reference says UNVERIFIED or "not found" (ARCHITECTURE.md §1.7 lists the defaults).
REST_ERROR_FORMS = ("nested", "top")  # ia::error under ia::result (the OpenAPI 400 example) or at the top level
REST_UNKNOWN_FIELDS = ("reject", "ignore")  # a payload field the emulator does not know: 400 REST-1043, or dropped
REST_ENTITY_HEADER_TYPOS = ("ignore", "reject")  # a near-miss entity header: ignored as Sage does, or a 400
REST_DOCUMENT_IDS = ("docid", "key")  # the `id` a sales document answers: its DOCID (`Sales Invoice-SI-00001`) or key
REST_CREDIT_DETAILS = ("arAdjustment", "inlineTxn")  # the paymentDetails reference naming a credit memo applied

#: Settings `POST /_emulator/config` may change while the server runs.
RUNTIME_FIELDS = (
    "latency_ms",
    "per_function_ms",
    "concurrency",
    "max_functions",
    "max_body_bytes",
    "session_minutes",
    "result_set_minutes",
    "idempotency_mode",
    "rest_token_seconds",
    "rest_refresh_token_seconds",
    "rest_error_form",
    "rest_unknown_fields",
    "rest_bad_entity_status",
    "rest_entity_header_typos",
    "rest_duplicate_status",
    "rest_in_flight_status",
    "rest_replay_hours",
    "rest_key_days",
    "rest_page_size",
    "rest_retry_after",
    "rest_document_id",
    "rest_credit_detail",
    "rest_gl_setup_path",
)


def default_db_path() -> str:
    """A SQLite file in the user's data directory, so emulator state outlives a restart."""
    return str(Path(platformdirs.user_data_dir("intacct-bridge")) / "emulator.sqlite3")


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything that shapes one emulator's behaviour (see the issue's command line)."""

    host: str = "127.0.0.1"
    port: int = 8765
    db: str = dataclasses.field(default_factory=default_db_path)
    seed: str | None = "demo"
    latency_ms: float = 0  # response time per request, the emulator's own processing included
    per_function_ms: float = 0
    concurrency: int = 2
    max_functions: int = 100
    max_body_bytes: int = 5_000_000
    session_minutes: float = 30
    result_set_minutes: float = 15
    idempotency_mode: str = "reject"
    faults: str = ""
    fault_seed: int | None = None
    # -- REST wire (intacct_emulator.rest); each default is the reading of the reference noted beside it
    rest_token_seconds: int = 43_200  # access-token lifetime: the 3P fixture's 12 h (sources disagree)
    rest_refresh_token_seconds: int = 15_552_000  # refresh-token lifetime: 180 days (zeotap's "6 months")
    rest_error_form: str = "nested"  # SPEC error-response nests ia::error under ia::result
    rest_unknown_fields: str = "reject"  # SPEC 400 REST-1043 "/x is not a valid field"
    rest_bad_entity_status: int = 403  # an entity the user cannot reach: 403 (not found in the reference)
    rest_entity_header_typos: str = "ignore"  # a misspelled entity header is ignored (CPW field notes)
    rest_duplicate_status: int = 409  # duplicate id of a master record: 409 ("same ... unique key")
    rest_in_flight_status: int = 409  # the same Idempotency-Key while the first is still running
    rest_replay_hours: float = 48  # an identical retry replays the cached answer this long
    rest_key_days: float = 60  # the key is remembered this long; reuse after the replay window is a 409
    rest_page_size: int = 100  # query page size when `size` is left out (every SPEC example shows 100)
    rest_retry_after: bool = True  # a 429 also carries plain Retry-After (3P clients read it first)
    rest_document_id: str = "docid"  # order-entry documents: `id` = DOCID, the key the XML create answers (ours)
    rest_credit_detail: str = "arAdjustment"  # a credit applied by a payment detail (SPEC-EX lists both; ours)
    rest_gl_setup_path: str = "general-ledger/setup"  # GL preferences (booksClosedThrough): not in the reference

    def __post_init__(self) -> None:
        problems = []
        if self.idempotency_mode not in IDEMPOTENCY_MODES:
            problems.append(f"idempotency_mode must be one of {IDEMPOTENCY_MODES}, not {self.idempotency_mode!r}")
        for name in ("latency_ms", "per_function_ms"):
            if getattr(self, name) < 0:
                problems.append(f"{name} must be >= 0")
        for name in ("concurrency", "max_functions", "max_body_bytes"):
            if int(getattr(self, name)) < 1:
                problems.append(f"{name} must be >= 1")
        for name in ("session_minutes", "result_set_minutes"):
            if getattr(self, name) <= 0:
                problems.append(f"{name} must be > 0")
        for name, allowed in (("rest_error_form", REST_ERROR_FORMS), ("rest_unknown_fields", REST_UNKNOWN_FIELDS),
                              ("rest_entity_header_typos", REST_ENTITY_HEADER_TYPOS),
                              ("rest_document_id", REST_DOCUMENT_IDS), ("rest_credit_detail", REST_CREDIT_DETAILS)):
            if getattr(self, name) not in allowed:
                problems.append(f"{name} must be one of {allowed}, not {getattr(self, name)!r}")
        for name, allowed in (("rest_bad_entity_status", (400, 403, 404)), ("rest_duplicate_status", (400, 409, 422)),
                              ("rest_in_flight_status", (409, 423, 429))):
            if int(getattr(self, name)) not in allowed:
                problems.append(f"{name} must be one of {allowed}")
        for name in ("rest_token_seconds", "rest_refresh_token_seconds", "rest_replay_hours", "rest_key_days"):
            if getattr(self, name) <= 0:
                problems.append(f"{name} must be > 0")
        if not 1 <= int(self.rest_page_size) <= 4000:
            problems.append("rest_page_size must be within 1..4000")
        if not 0 <= int(self.port) <= 65535:
            problems.append("port must be within 0..65535")
        if problems:
            raise ValueError("; ".join(problems))

    def with_changes(self, **changes: object) -> EmulatorConfig:
        """A copy with `changes` applied and validated; unknown names raise ValueError."""
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(unknown)}")
        return dataclasses.replace(self, **changes)

    def runtime_view(self) -> dict[str, object]:
        """The settings an operator may read and change at run time, JSON-ready."""
        view: dict[str, object] = {name: getattr(self, name) for name in RUNTIME_FIELDS}
        view.update(faults=self.faults, fault_seed=self.fault_seed)
        return view
