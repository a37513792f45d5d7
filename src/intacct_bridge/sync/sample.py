"""Sample data for the demo: a small nonprofit's constituents and actions, tagged as its staff would.

Deterministic for a seed. Values refer to the emulator's demo company
(`helping-hands`): accounts 4000/4010/4300/4400 credited, 1100 Undeposited
Funds debited, locations 100–400, department DEV, funds F01–F07. A handful of
actions are deliberately wrong in the ways seed 000's gate catches (missing
debit account, two credit accounts, an inactive location, a half-tagged
department, no location at all), each with the fix a person would make.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from intacct_bridge.domain.values import CENT
from intacct_bridge.domain.vocabulary import Dimension, Side

SAMPLE_URL = "https://crm.helping-hands.example/actions/{external_id}"

FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Elena", "Farah", "George", "Hana", "Ibrahim", "Jade", "Kwame", "Lena",
         "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomás", "Uma", "Victor", "Wen", "Yusuf"]
LAST = ["Alvarez", "Brennan", "Chen", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ito", "Johansson",
        "Kowalski", "Lindqvist", "Müller", "Nakamura", "O'Brien", "Petrov", "Rossi", "Singh", "Tanaka", "Walsh"]
ORGANIZATIONS = ["Riverside Community Foundation", "Maple Street Grocers", "Lakeside Rotary Club",
                 "Springfield Credit Union", "Northside Dental Group"]
APPEALS = ("Spring Gala 2025", "Year-End Appeal", "Giving Tuesday")

# A campaign an action carries: (dimension, side, Intacct value id) for Intacct ones.
Tag = tuple[Dimension, Side | None, str]   # side None: an entity (`[Sage Intacct] Entities` has no sides)


@dataclass(frozen=True)
class SampleConstituent:
    external_id: str
    name: str
    email: str


@dataclass(frozen=True)
class SampleFix:
    """What a person does to a flagged action: campaigns to add and to remove."""

    add: tuple[Tag, ...] = ()
    remove: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class SampleAction:
    external_id: str
    constituent_id: str
    type: str
    amount: Decimal
    happened_at: datetime
    created_at: datetime
    summary: str
    url: str
    tags: tuple[Tag, ...]
    appeal: str | None = None          # an organization campaign, irrelevant to Intacct
    excluded: bool = False             # tagged "[System] Auto-Generated: Exclude from Sage Intacct"
    fix: SampleFix | None = None       # set on the deliberately invalid ones


@dataclass
class SampleData:
    constituents: list[SampleConstituent] = field(default_factory=list)
    actions: list[SampleAction] = field(default_factory=list)


def cr(dimension: Dimension, value: str) -> Tag:
    return (dimension, Side.CR, value)


def dr(dimension: Dimension, value: str) -> Tag:
    return (dimension, Side.DR, value)


def entity(entity_id: str) -> Tag:
    """The `[Sage Intacct] Entities` campaign naming the entity an action posts at (entity level)."""
    return (Dimension.ENTITY, None, entity_id)


def constituents(rng: random.Random, count: int) -> list[SampleConstituent]:
    people: list[SampleConstituent] = []
    for number in range(1, count + 1):
        if number % 8 == 0:
            name = ORGANIZATIONS[(number // 8 - 1) % len(ORGANIZATIONS)]
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = name.lower().replace(" ", ".").replace("'", "") + "@example.org"
        people.append(SampleConstituent(f"C-{number:04d}", name, email))
    return people


def _kind(rng: random.Random) -> tuple[str, Decimal, str]:
    """(type, amount, credited account) in the proportions of a small nonprofit's year."""
    roll = rng.random()
    if roll < 0.6:
        amount = Decimal(rng.choice((25, 50, 100, 250, 500, 1000, 2500))) + Decimal(rng.choice((0, 0, 0, 50))) / 100
        return "donation", amount.quantize(CENT), "4010" if amount >= 1000 else "4000"
    if roll < 0.8:
        return "membership", Decimal(rng.choice(("50.00", "90.00"))), "4300"
    return "ticket", (Decimal("150.00") * rng.randint(1, 4)).quantize(CENT), "4400"


def _tags(rng: random.Random, kind: str, account: str) -> tuple[Tag, ...]:
    location = rng.choice(("100", "200", "300", "400"))
    tags: list[Tag] = [
        cr(Dimension.ACCOUNT, account), dr(Dimension.ACCOUNT, "1100"),
        cr(Dimension.LOCATION, location), dr(Dimension.LOCATION, location),
    ]
    if kind == "donation":
        fund = rng.choice(("F01", "F01", "F01", "F02", "F05", "F06", "F07"))
        tags += [cr(Dimension.DEPARTMENT, "DEV"), dr(Dimension.DEPARTMENT, "DEV"),
                 cr(Dimension.CUSTOM, fund), dr(Dimension.CUSTOM, fund)]
    return tuple(tags)


def _break(index: int, tags: tuple[Tag, ...]) -> tuple[tuple[Tag, ...], SampleFix]:
    """Break an action's tags in one of five ways the gate catches; return them with the fix."""
    kind = index % 5
    location = next(t[2] for t in tags if t[0] is Dimension.LOCATION)
    without = {dim: tuple(t for t in tags if t[0] is not dim) for dim in (Dimension.LOCATION, Dimension.DEPARTMENT)}
    if kind == 0:  # no debit account
        return tuple(t for t in tags if t != dr(Dimension.ACCOUNT, "1100")), SampleFix(add=(dr(Dimension.ACCOUNT, "1100"),))
    if kind == 1:  # two credit accounts
        return tags + (cr(Dimension.ACCOUNT, "4800"),), SampleFix(remove=(cr(Dimension.ACCOUNT, "4800"),))
    if kind == 2:  # the inactive Mobile Outreach Van location
        van = (cr(Dimension.LOCATION, "500"), dr(Dimension.LOCATION, "500"))
        return without[Dimension.LOCATION] + van, SampleFix(
            add=(cr(Dimension.LOCATION, "100"), dr(Dimension.LOCATION, "100")), remove=van)
    if kind == 3:  # a credit department without its debit (Available: both or none)
        return without[Dimension.DEPARTMENT] + (cr(Dimension.DEPARTMENT, "PRG"),), SampleFix(
            add=(dr(Dimension.DEPARTMENT, "PRG"),))
    # no location at all (Require)
    return without[Dimension.LOCATION], SampleFix(add=(cr(Dimension.LOCATION, location), dr(Dimension.LOCATION, location)))


def generate(seed: int = 7, *, actions: int = 300, people: int = 36, invalid: int = 6,
             excluded: int = 4, now: datetime | None = None, prefix: str = "A-") -> SampleData:
    """A reproducible year-in-miniature: `actions` events over the last 60 days.

    `prefix` starts the actions' external ids, so several batches can go into one workspace.
    """
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    data = SampleData(constituents=constituents(rng, people))
    broken = set(rng.sample(range(actions), invalid))
    skipped = set(rng.sample(sorted(set(range(actions)) - broken), excluded))
    for number, action in enumerate(_actions(rng, data.constituents, actions, now, prefix)):
        if number in broken:
            kind_index = len([b for b in broken if b < number])
            tags, fix = _break(kind_index, action.tags)
            action = replace(action, tags=tags, fix=fix)
        elif number in skipped:
            action = replace(action, excluded=True, summary=action.summary + " (ticketing partner)")
        data.actions.append(action)
    return data


def _actions(rng: random.Random, people: list[SampleConstituent], count: int, now: datetime,
             prefix: str) -> Iterator[SampleAction]:
    for number in range(1, count + 1):
        person = rng.choice(people)
        kind, amount, account = _kind(rng)
        tags = _tags(rng, kind, account)
        if kind == "ticket" and rng.random() < 0.05:
            amount = -amount  # a refunded ticket: the sides swap
        happened = now - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 1439))
        label = f"{kind.title()} of {amount} on {happened.date().isoformat()} by {person.name}"
        external_id = f"{prefix}{number:05d}"
        yield SampleAction(
            external_id=external_id,
            constituent_id=person.external_id,
            type=kind,
            amount=amount,
            happened_at=happened,
            created_at=happened + timedelta(minutes=rng.randint(1, 180)),
            summary=label,
            url=SAMPLE_URL.format(external_id=external_id),
            tags=tags,
            appeal=rng.choice(APPEALS) if rng.random() < 0.3 else None,
        )
