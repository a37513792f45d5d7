"""Advice fits the place (issue 14): the review reasons the console links to a page for are, in the CLI,
followed by the command that takes the step (`entities pull`, `settings dimension`, `vendors import`)."""

from __future__ import annotations

from types import SimpleNamespace

from intacct_bridge.domain.entities import known_entity_reasons
from intacct_bridge.domain.line_dimensions import line_dimension_reasons
from intacct_bridge.domain.payables_rules import vendor_reasons
from intacct_bridge.store.models import Action, ReviewFlag
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import load_sample

from sync_cli_fixtures import cli  # noqa: F401  (fixture)


def test_the_cli_names_the_command_for_each_step(cli):
    ws = cli.workspace("Helping Hands")
    assert cli("pull").exit_code == 0
    load_sample(cli.store, ws, generate(2, actions=2, invalid=0, excluded=0))
    entity = known_entity_reasons("E999", frozenset({"E100"}))
    dimension = line_dimension_reasons(SimpleNamespace(lines=[SimpleNamespace(dimensions={"PROGRAM": "P1"})]), ())
    with cli.store.write_session() as session:
        first, second = sorted(a.id for a in session.query(Action).filter_by(workspace_id=ws))[:2]
        for action_id, reasons in ((first, entity), (second, dimension)):
            session.add(ReviewFlag(workspace_id=ws, record_kind="journal_entry", record_id=action_id,
                                   action_id=action_id, kind="invalid", error_class="validation",
                                   reasons=[r.as_dict() for r in reasons]))
        session.add(ReviewFlag(workspace_id=ws, record_kind="bill", record_id=5, kind="invalid",
                               error_class="validation", reasons=[r.as_dict() for r in vendor_reasons("V-9", ())]))

    review = cli("review", "list")
    assert review.exit_code == 0, review.output
    assert "Pull from Intacct: intacct-bridge entities pull" in review.output
    assert "User-defined dimension: intacct-bridge settings dimension" in review.output
    shown = cli("actions", "show", str(first))
    assert "do: Pull from Intacct: intacct-bridge entities pull" in " ".join(shown.output.split())
    errors = " ".join(cli("errors", "list").output.split())
    assert "intacct-bridge vendors import FILE" in errors and "intacct-bridge entities pull" in errors
