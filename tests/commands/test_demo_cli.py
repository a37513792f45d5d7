"""`intacct-bridge demo` tells the whole story and exits 0 with the ledger reconciled."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.slow
def test_demo_runs_the_whole_story_and_reconciles(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COLUMNS": "200"}
    result = subprocess.run([sys.executable, "-m", "intacct_bridge", "demo", "--actions", "120"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for step in ("1. An Intacct company", "2. Test the connection", "3. Pull accounts", "4. Import",
                 "5. Sync: the journal-entry gate halts", "need review", "6. Fix the flagged actions",
                 "7. Sync again", "8. Reconcile", "9. The shop", "invoice shop-o-bad", "10. The shop corrects",
                 "11. Someone changes an entry", "Drift found, as expected", "12. A donation edited after posting",
                 "-rev1", "-v2", "only the two entries changed in Intacct differ — as"):
        assert step in out
    assert "halted" in out and "succeeded" in out and "— reconciled." in out and "MISMATCH" not in out
    assert out.count("AR balances — reconciled.") == 2
    for step in ("13. A multi-entity company: values pulled per entity", "Helping Hands West",
                 "14. Post at the entity level", "G-0003: location 200-HQ belongs to entity E200, but this record "
                 "posts at entity E100", '--add "Entities: E200"', "15. Back to the top level",
                 "from entity to top: 1 record(s) not posted yet will be posted at the top level",
                 "Multi-entity — as expected."):
        assert step in out
    for step in ("16. Master data out", "the update sends only DISPLAYCONTACT.EMAIL1, DISPLAYCONTACT.PHONE1",
                 "17. AP: bills, a vendor credit", "bill-3 terms: AP term 'Net 99' not found in Intacct",
                 "V-100 150.00, V-FUEL 95.50", "Master data and AP — as expected.",
                 "18. A donation dated in a closed period", "period closed) ",
                 "Closed period — moved to the next open day, as expected."):
        assert step in out
    chapter = out[out.index("19. Donations posted as a daily summary"):]
    for step in ("Dry run (nothing saved, nothing sent) — the summary entry it would post:",
                 "Summary entry that would be posted: ib-", "It would hold: T-SUM-01",
                 "donations, debits", "It holds: T-SUM-01", "T-SUM-02 changed at the source",
                 "-rev", "changed at the source | share", "deleted at the source | share",
                 "Summary of 1 actions on", "No drift: Intacct holds what was posted.",
                 "Summary posting — one entry for the day, each change reversed by its own share, reconciled with "
                 "no drift, as expected."):
        assert step in chapter, step
    for matched in ("CUST-0003", "CUST-0004", "CUST-0002"):      # customers already in Intacct, matched by name
        assert matched in out
    assert "C-shop-c4" in out                                     # a customer the sync created


@pytest.mark.slow
def test_demo_serve_leaves_the_console_running_on_the_demo_workspace(tmp_path):
    import re
    import signal

    import httpx

    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COLUMNS": "200"}
    child = subprocess.Popen([sys.executable, "-m", "intacct_bridge", "demo", "--actions", "60", "--serve"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        for line in child.stdout:
            found = re.search(r"Console running at (http://127\.0\.0\.1:\d+/\S*)", line)
            if found:
                url = found.group(1)
                break
        assert url, "the console never announced itself"
        login = child.stdout.readline()
        assert "Sign in as admin with password" in login
        response = httpx.get(url, follow_redirects=True, timeout=10)
        assert response.status_code == 200
    finally:
        child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
