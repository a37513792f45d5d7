"""Progress reporting for long engine work, decoupled from any display.

The engine calls a plain callback with `ProgressEvent`s; the CLI turns them into
Rich progress bars and the web console can push them to a browser. Keeping the
engine ignorant of both is why this is a callback and not a Rich object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    """The stages of a run that report progress, in the order they happen."""

    RECOVER = "recover"
    PULL = "pull"
    VALIDATE = "validate"
    POST = "post"


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """`done` of `total` units of `phase` are finished (`total` None while unknown)."""

    phase: Phase
    done: int
    total: int | None = None
    detail: str = ""


ProgressCallback = Callable[[ProgressEvent], None]


def ignore_progress(event: ProgressEvent) -> None:
    """The default callback: callers that show nothing need not pass one."""
