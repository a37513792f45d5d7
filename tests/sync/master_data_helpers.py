"""Vendors and items for the master-data tests, and the check of Intacct's VENDOR and ITEM records against them.

`generate_master(seed, records)` makes about `records` vendors and non-stock items as the Python API
imports them; `revise(records, seed)` changes some fields of some of them (what a second import sends).
`assert_master_match` reads the emulator's ledger and checks that each one exists exactly once, at
the top level, holding the values the local records say.
"""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from intacct_bridge.domain.master_data import ITEM, VENDOR, MasterSpec, intacct_values, read_path, same_value
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Item, Vendor
from intacct_emulator.harness import RunningEmulator

CITIES = ("Lyon", "Porto", "Leeds", "Graz")


def vendor_row(n: int, rng: random.Random) -> dict[str, Any]:
    return {"external_id": f"sup-{n}", "vendor_id": f"V{n:05d}", "name": f"Supplier {n}",
            "email": f"ap{n}@supplier.example", "phone": f"+33 1 {rng.randint(1000, 9999)}",
            "city": rng.choice(CITIES), "terms": rng.choice(["", "N30"]) or None}


def item_row(n: int, rng: random.Random) -> dict[str, Any]:
    return {"external_id": f"sku-{n}", "item_id": f"NS-{n:05d}", "name": f"Service {n}",
            "item_type": rng.choice(["Non-Inventory", "Non-Inventory (Sales only)"]),
            "base_price": str(Decimal(rng.randint(100, 99999)) / 100), "taxable": rng.choice([True, False])}


def generate_master(seed: int, records: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(vendors, items): about half each."""
    rng = random.Random(seed)
    vendors = [vendor_row(n, rng) for n in range(records // 2)]
    items = [item_row(n, rng) for n in range(records - records // 2)]
    return vendors, items


def revise(rows: list[dict[str, Any]], seed: int, share: float = 0.4) -> list[dict[str, Any]]:
    """The same rows with some fields of about `share` of them changed (ids never)."""
    rng = random.Random(seed)
    revised = []
    for row in rows:
        row = dict(row)
        if rng.random() < share:
            if "vendor_id" in row:
                row["email"] = f"billing-{rng.randint(1, 999)}@{row['external_id']}.example"
                row["city"] = None if rng.random() < 0.3 else rng.choice(CITIES) + " Nord"
            else:
                row["base_price"] = str(Decimal(rng.randint(100, 99999)) / 100)
                row["name"] = row["name"] + " (new)"
        revised.append(row)
    return revised


def _source(spec: MasterSpec, row: Any) -> dict[str, Any]:
    return {f.name: getattr(row, f.name) for f in spec.fields}


def assert_master_match(emu: RunningEmulator, store: Store, workspace_id: int, company: str, *,
                        vendors: int, items: int) -> None:
    """Every local vendor and item is posted, exists once in Intacct at the top level, with its current values."""
    for spec, model, expected in ((VENDOR, Vendor, vendors), (ITEM, Item, items)):
        held = emu.admin.ledger(company, spec.object_name)
        counts = Counter(r[spec.id_field] for r in held)
        by_id = {r[spec.id_field]: r for r in held}
        with store.session() as session:
            rows = list(session.scalars(select(model).where(model.workspace_id == workspace_id)))
            assert len(rows) == expected
            for row in rows:
                intacct_id = getattr(row, spec.source_id)
                assert row.status == ActionStatus.POSTED.value, (row.external_id, row.status, row.last_error)
                assert row.fingerprint == row.posted_fingerprint, row.external_id
                assert counts[intacct_id] == 1, (intacct_id, counts[intacct_id])
                record = by_id[intacct_id]
                assert not record.get("MEGAENTITYID"), "master data is written at the top level"
                for path, value in intacct_values(spec, _source(spec, row)).items():
                    assert same_value(read_path(record, path), value), (intacct_id, path, read_path(record, path), value)
