"""Multi-entity rules (seeds 001, 002, 004): which entity a record posts at, and values it may not use there.

Pure: the owners of pulled values come in as a mapping. At the entity level every record posts in
one entity's session; a location, department or other value created at another entity is invisible
there and Intacct would refuse the whole record, so it is refused before anything is sent, with a
reason naming both entities. At the top level nothing is checked: a top-level entry may use any
entity's values (that is how inter-entity entries are made).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from intacct_bridge.domain.model import ActionView, Reason
from intacct_bridge.domain.next_steps import PULL_AGAIN
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.validation import dimension_label, tags_by_dimension
from intacct_bridge.domain.vocabulary import ENTITY_SPEC, Dimension, PostingLevel

# (Intacct object, value id) -> the entity the value was created at; top-level values are absent.
Owners = Mapping[tuple[str, str], str]


@dataclass(frozen=True)
class UsedValue:
    """One value a record puts on a line: which field it is in (for the reason), its object and id."""

    field: str      # e.g. "location.CR", "lines[2].location"
    label: str      # e.g. "location"
    object_name: str
    value_id: str


def action_entity(action: ActionView, settings: SyncSettings) -> tuple[str | None, list[Reason]]:
    """The entity an action posts at: its one `[Sage Intacct] Entities` campaign, else the workspace default.

    At the top level there is none (and an entity campaign is simply not used).
    """
    if settings.posting_level is PostingLevel.TOP:
        return None, []
    named = [tag for tag in action.campaigns if tag.dimension is Dimension.ENTITY and tag.value_id]
    if len(named) > 1:
        names = ", ".join(sorted(t.name for t in named))
        return None, [Reason("entity", f"{len(named)} entity campaigns ({names}): keep exactly one from "
                                       f"{ENTITY_SPEC.category_name}")]
    if named and not named[0].active:
        return None, [Reason("entity", f"entity campaign {named[0].name!r} is inactive in Sage Intacct: use an "
                                       f"active entity from {ENTITY_SPEC.category_name}")]
    entity = settings.entity_for(named[0].value_id if named else None)
    if entity is None:
        return None, [Reason("entity", f"no entity: add one campaign from {ENTITY_SPEC.category_name} or set "
                                       "the workspace's default entity")]
    return entity, []


def known_entity_reasons(entity: str | None, known: frozenset[str] | None, field: str = "entity") -> list[Reason]:
    """An entity the company does not have (when the entities were pulled)."""
    if entity is None or known is None or entity in known:
        return []
    listed = ", ".join(sorted(known)) or "none pulled"
    return [Reason(field, f"entity {entity} is not an entity of this Intacct company ({listed}): use one of them, "
                          f"or {PULL_AGAIN}")]


def ownership_reasons(entity: str | None, used: Iterable[UsedValue], owners: Owners) -> list[Reason]:
    """Values created at another entity than `entity`, each refused with both entities named."""
    if entity is None:
        return []
    reasons = []
    for value in used:
        owner = owners.get((value.object_name, value.value_id))
        if owner is not None and owner != entity:
            reasons.append(Reason(value.field, (
                f"{value.label} {value.value_id} belongs to entity {owner}, but this record posts at entity "
                f"{entity}: use a {value.label} of {entity} or of the top level, or post the record at {owner}")))
    return reasons


def action_values(action: ActionView, settings: SyncSettings) -> list[UsedValue]:
    """The dimension values (not accounts) an action's counted campaigns put on its lines."""
    used = []
    for dimension, sides in tags_by_dimension(action, settings).items():
        if dimension is Dimension.ACCOUNT:
            continue
        object_name = settings.intacct_object(dimension)
        if object_name is None:
            continue
        for side, tags in sides.items():
            used += [UsedValue(f"{dimension.value}.{side.value}", dimension_label(dimension, settings), object_name,
                               tag.value_id) for tag in tags if tag.value_id]
    return used


# The fields of an order-to-cash record (header and lines) that name a dimension value.
RECORD_VALUE_FIELDS = (("location", Dimension.LOCATION), ("department", Dimension.DEPARTMENT),
                       ("class_id", Dimension.CLASS), ("custom_value", Dimension.CUSTOM))


def record_values(view: object, settings: SyncSettings) -> list[UsedValue]:
    """The dimension values an invoice, payment or credit memo (header, then each line) puts on its lines."""
    used: list[UsedValue] = []

    def collect(holder: object, prefix: str) -> None:
        for attr, dimension in RECORD_VALUE_FIELDS:
            value = getattr(holder, attr, None)
            object_name = settings.intacct_object(dimension)
            if value and object_name:
                used.append(UsedValue(f"{prefix}{attr}", dimension_label(dimension, settings), object_name, value))

    collect(view, "")
    for number, line in enumerate(getattr(view, "lines", ()) or (), start=1):
        collect(line, f"lines[{number}].")
    return used


@dataclass(frozen=True)
class ReferenceGate:
    """The rules a record's references must meet, as pulled from Intacct (read once per run or page)."""

    settings: SyncSettings
    owners: Owners
    entities: frozenset[str] | None
    ar_terms: frozenset[str] | None = None   # active AR terms; None before the first pull

    def record_reasons(self, view: object, *, ar_terms: bool = True) -> list[Reason]:
        """An invoice, payment or credit memo: a known term; at the entity level a known entity, and none of
        its values another entity's. A bill's terms are AP terms, checked by its own kind (`ar_terms=False`)."""
        reasons = unknown_term_reasons(getattr(view, "terms", None), self.ar_terms) if ar_terms else []
        entity = self.settings.entity_for(getattr(view, "entity", None))
        if entity is None:
            return reasons
        return [*reasons, *known_entity_reasons(entity, self.entities),
                *ownership_reasons(entity, record_values(view, self.settings), self.owners)]


def unknown_term_reasons(term: str | None, known: frozenset[str] | None) -> list[Reason]:
    """An AR term Intacct does not have (active), when the terms were pulled."""
    if not term or known is None or term in known:
        return []
    listed = ", ".join(sorted(known)) or "none active"
    return [Reason("terms", f"terms {term!r} is not an active AR term in Intacct ({listed}): use one of them in "
                            "your system and import the record again, or, if it was just added, "
                            f"{PULL_AGAIN}")]
