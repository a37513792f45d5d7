"""`start_emulator(**config)`: a real emulator on a free 127.0.0.1 port, for tests and benchmarks.

Uvicorn runs in a background thread; the context manager returns once the
server answers, and stops it cleanly (and closes the backend) on exit.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from intacct_emulator.config import DEMO_REST_CREDENTIALS, GATEWAY_PATH, REST_BASE_PATH, EmulatorConfig
from intacct_emulator.dispatch import FunctionSet
from intacct_emulator.server import bound_port, credentials, uvicorn_config


class AdminClient:
    """Thin httpx wrapper over the `/_emulator/*` endpoints."""

    def __init__(self, base_url: str) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=30.0)

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise ValueError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()

    def config(self) -> dict[str, Any]:
        return self._json("GET", "/_emulator/config")

    def set_config(self, **settings: Any) -> dict[str, Any]:
        return self._json("POST", "/_emulator/config", json=settings)

    def set_faults(self, spec: str, seed: int | None = None) -> dict[str, Any]:
        return self._json("POST", "/_emulator/faults", json={"spec": spec, "seed": seed})

    def usage(self) -> dict[str, dict[str, int]]:
        return self._json("GET", "/_emulator/usage")

    def reset_usage(self) -> None:
        self._json("POST", "/_emulator/usage/reset")

    def ledger(self, company_id: str, object_name: str, entity_id: str | None = None) -> list[dict[str, Any]]:
        params = {"company": company_id, "object": object_name}
        if entity_id:
            params["entity"] = entity_id
        return self._json("GET", "/_emulator/ledger", params=params)

    def references(self, company_id: str, object_name: str = "GLBATCH", field: str = "REFERENCENO",
                   prefix: str = "") -> Counter[str]:
        """How many records of `object_name` carry each `field` value starting with `prefix`: a count above 1
        is a record written twice."""
        return Counter(str(record.get(field)) for record in self.ledger(company_id, object_name)
                       if str(record.get(field) or "").startswith(prefix))

    def expire_sessions(self) -> int:
        return self._json("POST", "/_emulator/sessions/expire")["expired"]

    def set_closed_through(self, company_id: str, entity_id: str | None, through: Any) -> dict[str, Any]:
        date_text = through.isoformat() if hasattr(through, "isoformat") else through
        return self._json("POST", "/_emulator/closed-through",
                          json={"company": company_id, "entity": entity_id, "date": date_text})

    def update_record(self, company_id: str, object_name: str, recordno: Any, fields: dict[str, Any] | None = None,
                      lines: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Change a record as a person in Intacct would: `fields` merged, `lines` = [{"line": n, "fields": {...}}]."""
        return self._json("POST", "/_emulator/records/update", json={
            "company": company_id, "object": object_name, "recordno": str(recordno), "fields": fields or {},
            "lines": lines or []})

    def delete_record(self, company_id: str, object_name: str, recordno: Any) -> dict[str, Any]:
        return self._json("POST", "/_emulator/records/delete",
                          json={"company": company_id, "object": object_name, "recordno": str(recordno)})

    def bulk_create(self, company_id: str, object_name: str, records: list[dict[str, Any]],
                    entity_id: str | None = None) -> list[str]:
        """Create records (stored form) in one transaction through the gateway's rules; their RECORDNOs."""
        return self._json("POST", "/_emulator/records/bulk", json={
            "company": company_id, "object": object_name, "records": records, "entity": entity_id})["recordnos"]

    def close(self) -> None:
        self._http.close()


@dataclasses.dataclass
class RunningEmulator:
    config: EmulatorConfig
    port: int
    admin: AdminClient
    state: Any  # the app's EmulatorState, for in-process inspection

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + GATEWAY_PATH

    @property
    def rest_base_url(self) -> str:
        """The REST wire's base URL (`.../ia/api/v1`), as `INTACCT_REST_BASE_URL` prints it."""
        return self.base_url + REST_BASE_PATH

    @property
    def client_id(self) -> str:
        """The demo seed's OAuth client (authorized for the demo companies and user)."""
        return DEMO_REST_CREDENTIALS["INTACCT_CLIENT_ID"]

    @property
    def client_secret(self) -> str:
        return DEMO_REST_CREDENTIALS["INTACCT_CLIENT_SECRET"]

    @property
    def credentials(self) -> dict[str, str]:
        return credentials(self.config, self.port)


@contextmanager
def start_emulator(
    startup_timeout: float = 30.0, log_level: str = "warning", functions: FunctionSet | None = None, **settings: Any
) -> Iterator[RunningEmulator]:
    """Run an emulator configured by `settings` (EmulatorConfig fields) until the block exits.

    `functions` swaps in other handlers (wire-layer tests use probe handlers).
    """
    settings.setdefault("db", ":memory:")
    config = EmulatorConfig(**{**settings, "host": "127.0.0.1", "port": 0})
    server = uvicorn.Server(uvicorn_config(config, log_level=log_level, functions=functions))
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  # not the main thread
    thread = threading.Thread(target=server.run, name="intacct-emulator", daemon=True)
    thread.start()
    state = server.config.app.state.emulator
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the emulator did not start")
            time.sleep(0.01)
        port = bound_port(server)
        admin = AdminClient(f"http://127.0.0.1:{port}")
        try:
            admin.config()  # answers: ready
            yield RunningEmulator(dataclasses.replace(config, port=port), port, admin, state)
        finally:
            admin.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        close = getattr(state.backend, "close", None)
        if close is not None:
            close()
