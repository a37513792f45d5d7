"""What mapping rules and skip-export rules cost a run's checks: 10,000 actions through `JournalEntries.check`'s
pure steps (skip rules, then rules and defaults, then validation) with none, then with 5 and with 20 rules of
each kind (two conditions each).

Prints `no_rules_us_per_action`, `rules5_us_per_action`, `rules20_us_per_action` (median of 5 rounds,
microseconds per action). Pure: no store, no emulator.

    .venv/bin/python bench/mapping_rules.py [--actions 10000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

from intacct_bridge.domain import ActionView, CampaignTag, SyncSettings, apply_defaults, catalogue_of, validate_action
from intacct_bridge.domain.campaign_rules import CampaignRule
from intacct_bridge.domain.conditions import Join, condition
from intacct_bridge.domain.skip_rules import SkipRule, skip_reason
from intacct_bridge.domain.vocabulary import Dimension, Side


def _tag(side: Side, value: str) -> CampaignTag:
    return CampaignTag(None, f"{side.value} {value}", "[Sage Intacct] Accounts", Dimension.ACCOUNT, side, value)


def _actions(n: int) -> list[ActionView]:
    when = datetime(2026, 6, 1, tzinfo=timezone.utc)
    return [ActionView(i, f"t-{i}", ("ticket", "donation", "refund")[i % 3], Decimal(i % 5000) + Decimal("0.25"),
                       when, summary=f"Action {i}", constituent_name=f"Person {i % 97}",
                       campaigns=(_tag(Side.DR, "1000"),)) for i in range(1, n + 1)]


def _check(views: list[ActionView], settings: SyncSettings) -> float:
    catalogue = catalogue_of([_tag(Side.CR, str(4000 + n)) for n in range(30)] + [_tag(Side.DR, "1000")], settings)
    zone = settings.zone()
    began = time.perf_counter()
    for view in views:
        if settings.skip_rules and skip_reason(view, settings.skip_rules, zone):
            continue
        mapped = apply_defaults(view, settings, catalogue)
        validate_action(mapped.action, settings)
    return (time.perf_counter() - began) / len(views) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=10_000)
    views = _actions(parser.parse_args().actions)
    plain = SyncSettings()
    print(f"no_rules_us_per_action: {statistics.median(_check(views, plain) for _ in range(5)):.1f}")
    for count in (5, 20):
        rules = tuple(CampaignRule(n, (condition("amount", "gt", str(1000 + n * 100)),
                                       condition("type", "equals", "ticket")), Dimension.ACCOUNT, Side.CR,
                                   str(4000 + n)) for n in range(count))
        skips = tuple(SkipRule(n, f"skip {n}", (condition("external_id", "starts_with", f"test-{n}-"),
                                                condition("constituent", "equals", f"nobody {n}")), Join.ANY)
                      for n in range(count))
        ruled = replace(plain, campaign_rules=rules, skip_rules=skips)
        print(f"rules{count}_us_per_action: {statistics.median(_check(views, ruled) for _ in range(5)):.1f}")


if __name__ == "__main__":
    main()
