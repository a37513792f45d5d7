"""Turning stored records into the gateway's record elements, and field lists into catalogue names."""

from __future__ import annotations

from lxml import etree

from ..backend.catalogue import Field, ObjectDef
from ..backend.records import Record
from ..backend.values import to_wire
from .base import ErrorInfo, FunctionFailure

QUERY_FAILED = "Query Failed"


def parse_field_list(odef: ObjectDef, text: str | None) -> list[str]:
    """Catalogue names of a comma-separated field list; ``*`` or nothing means every field."""
    if text is None or text.strip() in ("", "*"):
        return odef.field_names
    names: list[str] = []
    for raw in text.split(","):
        name = raw.strip()
        if not name:
            continue
        field = odef.field(name)
        if field is None:
            raise FunctionFailure(ErrorInfo(QUERY_FAILED, f"Invalid field {name} for object {odef.name}",
                                            f"The field {name} is not a field of {odef.name}.",
                                            "Use lookup to list the fields of the object."))
        if field.name not in names:
            names.append(field.name)
    return names


def _put(node: etree._Element, groups: dict[str, etree._Element], name: str, value: str) -> None:
    """Append ``name`` (dotted names nest: DISPLAYCONTACT.EMAIL1) with ``value`` under ``node``."""
    parts = name.split(".")
    parent = node
    for depth in range(1, len(parts)):
        key = ".".join(parts[:depth])
        if key not in groups:
            groups[key] = etree.SubElement(parent, parts[depth - 1])
        parent = groups[key]
    etree.SubElement(parent, parts[-1]).text = value


def fill(node: etree._Element, fields: list[Field | None], names: list[str], record: Record) -> etree._Element:
    groups: dict[str, etree._Element] = {}
    for field, name in zip(fields, names):
        _put(node, groups, name, to_wire(field, record.get(name)))
    return node


def record_element(
    tag: str, odef: ObjectDef, record: Record, names: list[str], *, with_lines: bool = False
) -> etree._Element:
    """One record as ``<tag>`` with the named fields in order (empty where unset) and, if asked, its lines."""
    node = fill(etree.Element(tag), [odef.field(n) for n in names], names, record)
    if with_lines and odef.lines is not None:
        container = etree.SubElement(node, odef.lines.container)
        line_names = [f.name for f in odef.lines.fields]
        for line in record.get(odef.lines.container, []):
            fill(etree.SubElement(container, odef.lines.element), list(odef.lines.fields), line_names, line)
    return node


def data_element(**attrs: object) -> etree._Element:
    return etree.Element("data", {k: str(v) for k, v in attrs.items()})
