"""Post N sample actions as summaries and as detail entries; compare the time and the cost.

    python bench/summaries.py [--actions 3000]

Two workspaces on one in-process emulator, the same sample year (60 days): one posts donations and memberships
as summaries (one entry per day), the other posts every action alone. Prints, for each, `*_seconds` (the sync,
wall clock), `*_entries` (GLBATCHes written) and `*_api_transactions` (counted by the emulator).
"""

from __future__ import annotations

import argparse
import time

from emulated_workspace import emulated


COMPANY = "helping-hands"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=3000)
    args = parser.parse_args()
    with emulated() as setting:
        emu, store, operator = setting.emu, setting.store, setting.operator
        from intacct_bridge.api import Bridge
        from intacct_bridge.sync.sample import generate
        from intacct_bridge.sync.sample_load import load_sample

        for name, summarized in (("summary", ["donation", "membership"]), ("detail", [])):
            ws = setting.workspace(f"Bench {name}")
            bridge = Bridge(store, ws, operator)
            bridge.sync()   # pulls the accounts and dimensions
            bridge.set_summary_posting(summarized)
            load_sample(store, ws, generate(9, actions=args.actions, invalid=0, excluded=0))
            emu.admin.reset_usage()
            before = len(emu.admin.ledger(COMPANY, "GLBATCH"))
            started = time.perf_counter()
            report = bridge.sync()
            seconds = time.perf_counter() - started
            assert report.status.value == "succeeded", report.message
            print(f"{name}_seconds: {seconds:.2f}")
            print(f"{name}_entries: {len(emu.admin.ledger(COMPANY, 'GLBATCH')) - before}")
            print(f"{name}_api_transactions: {emu.admin.usage()[COMPANY]['api_transactions']}")


if __name__ == "__main__":
    main()
