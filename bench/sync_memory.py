"""Memory stays flat: peak resident memory of a sync of 10,000 actions and of 200,000.

    python bench/sync_memory.py [--large 200000]

Each sync runs in a fresh process against an emulator in another process, so
the figure is the engine's alone. Candidates are streamed in chunks and at
most two chunks are in hand (one on the wire, one being built), so both
figures should be close.
"""

from __future__ import annotations

import argparse

from sync_throughput import bench


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=200_000)
    args = parser.parse_args()
    small = bench(args.small)
    print(f"peak_memory_mb_10k: {small['peak_rss_kb'] / 1024:.1f}", flush=True)
    large = bench(args.large)
    print(f"peak_memory_mb_200k: {large['peak_rss_kb'] / 1024:.1f}")
    print(f"actions_per_second_200k: {large['posted'] / large['seconds']:.0f}")


if __name__ == "__main__":
    main()
