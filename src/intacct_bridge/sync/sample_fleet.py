"""Many workspaces on a few Intacct companies, each with sample actions waiting: a deployment at scale.

The scale-out tests and `bench/scale_out.py` build one: `companies` company ids (the emulator's
`fleet` seed has them) shared round-robin by `workspaces` workspaces, each pulled and loaded with
`actions` valid actions, ready for queued runs.
"""

from __future__ import annotations

from intacct_bridge.crypto import SecretBox
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store
from intacct_bridge.sync.context import client_factory
from intacct_bridge.sync.engine import SyncEngine
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import create_connected_workspace, load_sample


def prepare_fleet(store: Store, operator: OperatorSettings, intacct: dict[str, str], companies: list[str],
                  workspaces: int, actions: int) -> dict[int, str]:
    """Create the workspaces; returns each one's id and its company."""
    box = SecretBox.from_settings(operator)
    made: dict[int, str] = {}
    for number in range(workspaces):
        company = companies[number % len(companies)]
        workspace_id = create_connected_workspace(store, f"Fleet {number + 1}",
                                                  {**intacct, "INTACCT_COMPANY_ID": company}, box)
        SyncEngine(store, workspace_id, client_factory(store, workspace_id, operator)).pull_only()
        load_sample(store, workspace_id, generate(number, actions=actions, invalid=0, excluded=0,
                                                  prefix=f"F{number:03d}-"))
        made[workspace_id] = company
    return made
