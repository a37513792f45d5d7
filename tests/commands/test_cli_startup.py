"""The command line starts light: `--help` and argument errors never load the store, the web stack or XML."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlalchemy", "fastapi", "alembic", "lxml", "httpx", "argon2", "pydantic", "cryptography", "dramatiq")


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
