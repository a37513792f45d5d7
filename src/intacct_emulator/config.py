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

GATEWAY_PATH = "/ia/xml/xmlgw.phtml"

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
    latency_ms: float = 0
    per_function_ms: float = 0
    concurrency: int = 2
    max_functions: int = 100
    max_body_bytes: int = 5_000_000
    session_minutes: float = 30
    result_set_minutes: float = 15
    idempotency_mode: str = "reject"
    faults: str = ""
    fault_seed: int | None = None

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
