"""`intacct-bridge demo` tells the whole story and exits 0 with the ledger reconciled."""

from __future__ import annotations

import subprocess
import sys


def test_demo_runs_the_whole_story_and_reconciles(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COLUMNS": "200"}
    result = subprocess.run([sys.executable, "-m", "intacct_bridge", "demo", "--actions", "120"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for step in ("1. An Intacct company", "2. Test the connection", "3. Pull accounts", "4. Import",
                 "5. Sync: the gate halts", "Actions that need review", "6. Fix the flagged actions",
                 "7. Sync again", "8. Reconcile"):
        assert step in out
    assert "halted" in out and "succeeded" in out and "— reconciled." in out and "MISMATCH" not in out
