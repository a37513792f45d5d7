"""Declarative description of the emulated objects: fields, types, ids, lines, relationships.

Every handler (reads, writes, lookup/inspect) works from these definitions, so
adding an object is a matter of declaring it in one of the ``objects_*`` modules.
Stored values are normalised by type: dates ISO ``YYYY-MM-DD``, timestamps ISO
``YYYY-MM-DDTHH:MM:SS``, decimals exact strings, booleans ``true``/``false``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

TEXT, INTEGER, DECIMAL, DATE, TIMESTAMP, BOOLEAN, ENUM = (
    "text", "integer", "decimal", "date", "timestamp", "boolean", "enum",
)


@dataclass(frozen=True, eq=False)  # identity equality: fields are catalogue singletons and hash fast
class Field:
    """One field of an object. ``ref`` names the object whose id this field holds."""

    name: str
    type: str = TEXT
    values: tuple[str, ...] = ()  # valid values of an enum
    aliases: tuple[tuple[str, str], ...] = ()  # alternative spellings of enum values (STATUS 'T' = active)
    required: bool = False
    readonly: bool = False
    label: str = ""
    ref: str | None = None
    default: str = ""  # stored when a create leaves the field out (STATUS -> active)
    relation: str | None = None  # the path name of the relationship when it is not the field name less ID/NO

    @property
    def display_label(self) -> str:
        """The label, or one made from the name: CLASSID -> 'Class ID', ACCOUNTNO -> 'Account number'."""
        if self.label:
            return self.label
        words = self.name.replace("_", " ").replace(".", " ").split()
        last = words[-1].upper() if words else ""
        for suffix, spelled in (("ID", "ID"), ("NO", "number"), ("KEY", "key")):
            if last.endswith(suffix) and len(last) > len(suffix) + 2:
                words[-1:] = [last[: -len(suffix)].title(), spelled]
                return " ".join(w if w in ("ID", "number", "key") else w.title() for w in words)
        return " ".join(w.title() for w in words)


@dataclass(frozen=True)
class Lines:
    """Owned line items kept inside the header record (GLBATCH ENTRIES/GLENTRY, ...)."""

    container: str  # element holding the lines in generic functions: ENTRIES
    element: str  # one line's element: GLENTRY
    fields: tuple[Field, ...]
    _by_name: dict[str, Field] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_name.update({f.name.upper(): f for f in self.fields})

    def field(self, name: str) -> Field | None:
        return self._by_name.get(name.upper())


@dataclass(frozen=True)
class ObjectDef:
    """An object of the gateway and how the emulator stores and writes it."""

    name: str
    label: str
    fields: tuple[Field, ...]
    id_field: str | None = None  # readByName key, update/delete key, duplicate check
    name_field: str | None = None
    ref_field: str | None = None  # an indexed natural key that is not unique (GLBATCH REFERENCENO)
    lines: Lines | None = None
    writable: bool = False  # generic create/update/delete
    udd: bool = False  # a user-defined dimension object
    dimension_label: str | None = None  # getDimensions termLabel when the object is a dimension
    entity_scoped: bool = True  # records carry MEGAENTITYID
    listed: bool = True  # shown by inspect '*' and lookup (False: internal bookkeeping objects)
    _by_name: dict[str, Field] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_name.update({f.name.upper(): f for f in self.fields})

    def field(self, name: str) -> Field | None:
        """The field named ``name`` (case-insensitive), or None."""
        return self._by_name.get(name.upper())

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def with_defaults(self, record: dict) -> dict:
        """``record`` plus the default of every field it leaves out or empty."""
        defaults = {f.name: f.default for f in self.fields if f.default and not record.get(f.name)}
        return {**record, **defaults}

    @cached_property
    def relationships(self) -> tuple[Field, ...]:
        """The fields that name another record (read on every write: worked out once)."""
        return tuple(f for f in self.fields if f.ref)


# -- small builders so that object modules read like tables -----------------------------------

def text(name: str, **kw) -> Field:
    return Field(name, TEXT, **kw)


def integer(name: str, **kw) -> Field:
    return Field(name, INTEGER, **kw)


def decimal(name: str, **kw) -> Field:
    return Field(name, DECIMAL, **kw)


def date(name: str, **kw) -> Field:
    return Field(name, DATE, **kw)


def timestamp(name: str, **kw) -> Field:
    return Field(name, TIMESTAMP, **kw)


def boolean(name: str, **kw) -> Field:
    return Field(name, BOOLEAN, **kw)


def enum(name: str, values: tuple[str, ...], **kw) -> Field:
    return Field(name, ENUM, values=values, **kw)


def texts(*names: str) -> tuple[Field, ...]:
    return tuple(Field(n) for n in names)


def status() -> Field:
    return enum("STATUS", ("active", "inactive"), aliases=(("T", "active"), ("F", "inactive")), default="active")


def recordno() -> Field:
    return integer("RECORDNO", readonly=True, label="Record number")


def audit() -> tuple[Field, ...]:
    """WHENCREATED/WHENMODIFIED/CREATEDBY/MODIFIEDBY, stamped by the emulator."""
    return (
        timestamp("WHENCREATED", readonly=True),
        timestamp("WHENMODIFIED", readonly=True),
        text("CREATEDBY", readonly=True),
        text("MODIFIEDBY", readonly=True),
    )


def megaentity() -> tuple[Field, ...]:
    """The 'Created at' entity of a record, stamped from the session."""
    return (
        integer("MEGAENTITYKEY", readonly=True),
        text("MEGAENTITYID", readonly=True),
        text("MEGAENTITYNAME", readonly=True),
    )


def contact(prefix: str) -> tuple[Field, ...]:
    """A contact block (DISPLAYCONTACT, CONTACTINFO, ...) as dotted fields."""
    parts = (
        "CONTACTNAME", "PREFIX", "FIRSTNAME", "INITIAL", "LASTNAME", "COMPANYNAME", "PRINTAS",
        "PHONE1", "PHONE2", "CELLPHONE", "PAGER", "FAX", "EMAIL1", "EMAIL2", "URL1", "URL2",
        "MAILADDRESS.ADDRESS1", "MAILADDRESS.ADDRESS2", "MAILADDRESS.CITY", "MAILADDRESS.STATE",
        "MAILADDRESS.ZIP", "MAILADDRESS.COUNTRY", "MAILADDRESS.COUNTRYCODE",
    )
    return tuple(Field(f"{prefix}.{p}") for p in parts)
