"""The setting most benchmarks start from: an in-process emulator (demo seed), a throwaway operator
configuration pointing at it, and a SQLite store in a scratch directory. Imported by the benchmarks, never run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from intacct_emulator.harness import start_emulator


@dataclass
class Emulated:
    emu: Any          # intacct_emulator.harness.RunningEmulator
    store: Any        # intacct_bridge.store.database.Store
    operator: Any     # intacct_bridge.settings.OperatorSettings

    def workspace(self, name: str) -> int:
        """A workspace connected to the emulator's demo company (its user's password stored encrypted)."""
        from intacct_bridge.crypto import SecretBox
        from intacct_bridge.sync.sample_load import create_connected_workspace

        return create_connected_workspace(self.store, name, self.emu.credentials,
                                          SecretBox.from_settings(self.operator))


@contextmanager
def emulated() -> Iterator[Emulated]:
    """The emulator and the store live as long as the block; the environment points this process at them."""
    with tempfile.TemporaryDirectory() as scratch, start_emulator(seed="demo", db=str(Path(scratch) / "emu.db")) as emu:
        os.environ.update(emu.credentials)
        os.environ["INTACCT_BRIDGE_SECRET_KEY"] = Fernet.generate_key().decode()
        os.environ["INTACCT_BRIDGE_DATA_DIR"] = str(Path(scratch) / "data")
        from intacct_bridge.settings import OperatorSettings
        from intacct_bridge.store.database import open_store

        store = open_store(f"sqlite:///{Path(scratch) / 'bridge.db'}")
        try:
            yield Emulated(emu, store, OperatorSettings())
        finally:
            store.dispose()
