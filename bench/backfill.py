"""Backfill: a first sync from a look-back date through two years of history, and how fast it goes.

    python bench/backfill.py [--actions 5000] [--days 730] [--look-back-days 730]

The history is `sync.sample_history.history` (valid actions recorded evenly over `--days` days); the
workspace's `start_date` is `--look-back-days` ago; the emulator (in-process, zero added latency, its
books opened for the whole history) takes every entry. The first sync is timed from its start to its
end, pull of accounts and dimensions included, the way `intacct-bridge sync` runs it after
`settings set --start-date`. Prints `backfill_records` (entries posted), `backfill_seconds`,
`backfill_records_per_second`, `backfill_requests` and `backfill_api_transactions` (counted by the
emulator), and `backfill_duplicates` (0 expected: references held more than once).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from emulated_workspace import emulated


COMPANY = "helping-hands"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--look-back-days", type=int, default=730)
    args = parser.parse_args()
    with emulated() as setting:
        emu, store, operator = setting.emu, setting.store, setting.operator
        from intacct_bridge.api import Bridge
        from intacct_bridge.domain.vocabulary import RunStatus
        from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
        from intacct_bridge.sync.sample_history import history
        from intacct_bridge.sync.sample_load import load_sample

        workspace_id = setting.workspace("Bench")
        bridge = Bridge(store, workspace_id, operator)
        bridge.pull()                                  # the campaigns the history is tagged with
        now = datetime.now(UTC)
        load_sample(store, workspace_id, history(5, args.actions, days=args.days, now=now))
        start = (now - timedelta(days=args.look_back_days)).date()
        with store.write_session() as session:
            update_settings(session, workspace_id, SettingsChange(start_date=start))
        emu.admin.set_closed_through(COMPANY, None, (now - timedelta(days=args.days + 365)).date())
        emu.admin.reset_usage()
        started = time.perf_counter()
        report = bridge.sync()
        seconds = time.perf_counter() - started
        usage = emu.admin.usage()[COMPANY]
        references = Counter(e["REFERENCENO"] for e in emu.admin.ledger(COMPANY, "GLBATCH"))
    if report.status is not RunStatus.SUCCEEDED:
        raise SystemExit(f"the backfill did not succeed: {report.status.value} {report.message}")
    print(f"backfill_records: {report.tally.posted}")
    print(f"backfill_seconds: {seconds:.2f}")
    print(f"backfill_records_per_second: {report.tally.posted / seconds:.0f}")
    print(f"backfill_requests: {usage['requests']}")
    print(f"backfill_api_transactions: {usage['api_transactions']}")
    print(f"backfill_duplicates: {sum(1 for n in references.values() if n > 1)}")


if __name__ == "__main__":
    main()
