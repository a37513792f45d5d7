"""Reading generic create/update object elements into stored-form field values.

Nested elements flatten to dotted names (``DISPLAYCONTACT/EMAIL1`` ->
``DISPLAYCONTACT.EMAIL1``); owned lines (``ENTRIES/GLENTRY``) become a list of
dicts. Unknown fields and values that do not fit their type are business errors
that name the field (and the line).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..backend.catalogue import Field, ObjectDef
from ..backend.values import ValueError_, to_storage
from .base import business_error


@dataclass
class ObjectInput:
    fields: dict[str, str]
    lines: list[dict[str, str]] | None  # None when the element carried no lines container


def _leaves(node: etree._Element, prefix: str = ""):
    for child in node:
        if not isinstance(child.tag, str):
            continue
        name = f"{prefix}{child.tag}"
        if len(child) and not (child.text or "").strip():
            yield from _leaves(child, name + ".")
        else:
            yield name, (child.text or "")


def _convert(field: Field | None, name: str, raw: str, where: str) -> str:
    if field is None:
        raise business_error(f"Unknown field {name}{where}", f"{name} is not a field of this object.",
                             "Remove the field or use lookup to list the object's fields.")
    try:
        return to_storage(field, raw)
    except ValueError_ as exc:
        raise business_error(f"{exc}{where}") from None


def read_line(odef: ObjectDef, node: etree._Element, number: int) -> dict[str, str]:
    assert odef.lines is not None
    line: dict[str, str] = {}
    for name, raw in _leaves(node):
        field = odef.lines.field(name)
        if field is not None and field.readonly:
            continue
        line[field.name if field else name] = _convert(field, name, raw, f" on line {number}")
    return line


def read_object(odef: ObjectDef, node: etree._Element) -> ObjectInput:
    """The writable fields and lines of one object element; read-only fields are ignored."""
    fields: dict[str, str] = {}
    lines: list[dict[str, str]] | None = None
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if odef.lines is not None and child.tag == odef.lines.container:
            items = [c for c in child if isinstance(c.tag, str) and c.tag.upper() == odef.lines.element.upper()]
            lines = [read_line(odef, item, n) for n, item in enumerate(items, start=1)]
            continue
        if len(child) and not (child.text or "").strip():
            pairs = list(_leaves(child, child.tag + "."))
        else:
            pairs = [(child.tag, child.text or "")]
        for name, raw in pairs:
            field = odef.field(name)
            if field is not None and field.readonly and field.name != "RECORDNO":
                continue
            fields[field.name if field else name] = _convert(field, name, raw, f" on {odef.name}")
    return ObjectInput(fields, lines)
