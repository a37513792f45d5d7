"""The demo's multi-entity chapter (issue 10): the emulator's `helping-hands-group` company, whose entities
E100, E200 and E300 own their locations, departments and projects.

Values are pulled per entity, the workspace posts at the entity level, one action naming a location of
another entity is refused before anything is sent, the person moves it to the right entity, and a change
back to the top level affects only what comes after. Kept short: a handful of actions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.commands.sync import print_report
from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import Dimension, DimensionMode, RunStatus
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Action, Posting
from intacct_bridge.sync.sample import SampleAction, SampleConstituent, SampleData, SampleFix, cr, dr, entity
from intacct_bridge.sync.sample_load import apply_fix, create_connected_workspace, fix_command, load_actions, load_sample

GROUP = "helping-hands-group"
MODES = {Dimension.LOCATION: DimensionMode.REQUIRE, Dimension.DEPARTMENT: DimensionMode.AVAILABLE,
         Dimension.PROJECT: DimensionMode.AVAILABLE, Dimension.CLASS: DimensionMode.EXCLUDE,
         Dimension.CUSTOM: DimensionMode.EXCLUDE}
WRONG = "G-0003"   # names entity E100 but the location of E200
MOVE = SampleFix(add=(entity("E200"),), remove=(entity("E100"),))


def _action(number: int, location: str, *extra, amount: str = "250.00") -> SampleAction:
    happened = datetime.now(UTC) - timedelta(days=3)
    tags = (cr(Dimension.ACCOUNT, "4000"), dr(Dimension.ACCOUNT, "1100"), cr(Dimension.LOCATION, location),
            dr(Dimension.LOCATION, location), *extra)
    return SampleAction(f"G-{number:04d}", "G-C1", "donation", Decimal(amount), happened,
                        happened + timedelta(minutes=5), f"Donation of {amount} to the regional office",
                        f"https://crm.example.org/actions/G-{number:04d}", tags)


def multi_entity_story(main: Bridge, credentials: dict[str, str], emu, console: Console) -> bool:
    """Run the chapter in the demo's store, with its operator settings; True when every step came out right."""
    store = main.store
    group = {**credentials, "INTACCT_COMPANY_ID": GROUP}
    workspace_id = create_connected_workspace(store, "Helping Hands Group (demo)", group,
                                              SecretBox.from_settings(main.operator), modes=MODES,
                                              allowed=main.operator.endpoint_policy())
    bridge = Bridge(store, workspace_id, main.operator)

    console.print(Rule("13. A multi-entity company: values pulled per entity"))
    bridge.pull()
    pulled = bridge.pull_reference()
    console.print(f"Company [bold]{GROUP}[/]: pulled {pulled.describe()}.")
    table = Table("entity", "name", "values it owns", title="Values per entity (the rest are top level, shared)")
    for summary in bridge.entities():
        owned = ", ".join(f"{count} {name.lower()}" for name, count in sorted(summary.owned.items())) or "none"
        table.add_row(summary.entity_id, summary.name or "", owned)
    console.print(table)

    console.print(Rule("14. Post at the entity level; a location of another entity is refused"))
    load_sample(store, workspace_id, SampleData([SampleConstituent("G-C1", "Regional Donor", "donor@example.org")], []))
    load_actions(store, workspace_id, [
        _action(1, "100-HQ"),                                       # no entity named: the default, E100
        _action(2, "200-HQ", entity("E200"), cr(Dimension.PROJECT, "P-E200"), dr(Dimension.PROJECT, "P-E200")),
        _action(3, "200-HQ", entity("E100")),                       # E200's location, posted at E100: refused
    ])
    warning = bridge.set_posting_level("entity", "E100")
    console.print(f"  $ intacct-bridge entities level entity --default-entity E100\n  [yellow]warning:[/] {warning}",
                  highlight=False)
    halted = bridge.sync()
    print_report(halted)
    refused = list(dict.fromkeys(r["message"] for e in bridge.review_queue() if e.external_id == WRONG
                                 for r in e.reasons))  # the CR and the DR line say the same
    for message in refused:
        console.print(f"  [red]{WRONG}[/]: {message}", highlight=False)
    apply_fix(store, workspace_id, WRONG, MOVE)
    console.print(f"  $ {fix_command(WRONG, MOVE)}", highlight=False)
    posted = bridge.sync()
    print_report(posted)

    console.print(Rule("15. Back to the top level: only what comes after moves"))
    load_actions(store, workspace_id, [_action(4, "300-HQ", amount="75.00")])
    warning = bridge.set_posting_level("top")
    console.print(f"  $ intacct-bridge entities level top\n  [yellow]warning:[/] {warning}", highlight=False)
    after = bridge.sync()
    print_report(after)
    where = _where_posted(store, workspace_id)
    table = Table("action", "level", "entity", "in Intacct at", title="Where each action was posted")
    ok = True
    for external_id, level, entity_id, reference in where:
        ledger = {e["REFERENCENO"] for e in emu.admin.ledger(GROUP, "GLBATCH", entity_id=entity_id)
                  if entity_id or not e.get("MEGAENTITYID")}
        found = reference in ledger
        ok &= found
        table.add_row(external_id, level or "", entity_id or "top level",
                      (entity_id or "top level") if found else "[red]missing[/]")
    console.print(table)
    expected = {"G-0001": "E100", "G-0002": "E200", "G-0003": "E200", "G-0004": None}
    ok &= {w[0]: w[2] for w in where} == expected
    ok &= bool(refused) and all("belongs to entity E200" in m for m in refused)
    ok &= halted.status is RunStatus.HALTED and posted.status is RunStatus.SUCCEEDED
    ok &= after.status is RunStatus.SUCCEEDED
    console.print(f"Multi-entity — {'[green]as expected[/]' if ok else '[red]NOT as expected[/]'}.")
    return ok


def _where_posted(store: Store, workspace_id: int) -> list[tuple[str, str | None, str | None, str]]:
    with store.session() as session:
        rows = session.execute(
            select(Action.external_id, Posting.posting_level, Posting.entity_id, Posting.reference_no)
            .join(Posting, Posting.action_id == Action.id)
            .where(Action.workspace_id == workspace_id, Posting.state == "posted")
            .order_by(Action.external_id))
        return [tuple(row) for row in rows]
