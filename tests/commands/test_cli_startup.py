"""The command line starts light: `--help` and argument errors never load the store, the web stack or XML."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "fastapi", "alembic", "lxml", "httpx", "argon2")

# Known defect (issue 14): the command modules added with master data, AP, entities, reconcile, workers and the
# demo's later chapters still import the store, the client or the workers at load time. Strict: this fails
# (turns red) the day they are all lazy, so the mark is removed then.
pytestmark = pytest.mark.xfail(strict=True, reason="command modules added after the lazy-import change still "
                                                   "load the store and the client at import")


def test_importing_the_cli_loads_no_heavy_module():
    probe = ("import sys, intacct_bridge.cli; "
             f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "", f"importing intacct_bridge.cli loaded {loaded}: import them inside the command functions"


def test_help_of_every_group_loads_no_heavy_module():
    probe = ("import sys\n"
             "from typer.main import get_command\n"
             "from intacct_bridge.cli import app\n"
             "get_command(app)  # builds every command and group, as `--help` does\n"
             f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""
