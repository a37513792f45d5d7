"""Turning stored records into the gateway's record elements, and field lists into catalogue names."""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape

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


class _Layout:
    """The markup of a field list, worked out once: dotted names nest (DISPLAYCONTACT.EMAIL1).

    ``items`` is a flat list of (markup before the value, field, name); ``tail`` closes what is open.
    """

    def __init__(self, fields: tuple[Field | None, ...], names: tuple[str, ...]) -> None:
        tree: dict[str, object] = {}
        for field, name in zip(fields, names):
            parts = name.split(".")
            node = tree
            for part in parts[:-1]:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = node[part] = {}
                node = child
            node[parts[-1]] = (field, name)
        self.items: list[tuple[str, Field | None, str]] = []
        pending: list[str] = []
        self._flatten(tree, pending)
        self.tail = "".join(pending)

    def _flatten(self, node: dict[str, object], pending: list[str]) -> None:
        for tag, child in node.items():
            pending.append(f"<{tag}>")
            if isinstance(child, dict):
                self._flatten(child, pending)
            else:
                field, name = child
                self.items.append(("".join(pending), field, name))
                pending.clear()
            pending.append(f"</{tag}>")

    def render(self, record: Record) -> str:
        out: list[str] = []
        for before, field, name in self.items:
            out.append(before)
            value = record.get(name)
            if value is not None and value != "":
                text = to_wire(field, value)
                out.append(escape(text) if ("&" in text or "<" in text or ">" in text) else text)
        out.append(self.tail)
        return "".join(out)


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@lru_cache(maxsize=1024)
def _layout(fields: tuple[Field | None, ...], names: tuple[str, ...]) -> _Layout:
    return _Layout(fields, names)


def _record_markup(tag: str, odef: ObjectDef, record: Record, layout: _Layout, with_lines: bool) -> str:
    lines = ""
    if with_lines and odef.lines is not None:
        line_fields = tuple(odef.lines.fields)
        line_layout = _layout(line_fields, tuple(f.name for f in line_fields))
        element = odef.lines.element
        rendered = "".join(f"<{element}>{line_layout.render(line)}</{element}>"
                           for line in record.get(odef.lines.container, []))
        lines = f"<{odef.lines.container}>{rendered}</{odef.lines.container}>"
    return f"<{tag}>{layout.render(record)}{lines}</{tag}>"


def record_elements(
    tag: str, odef: ObjectDef, records: list[Record], names: list[str], *, with_lines: bool = False
) -> list[etree._Element]:
    """Records as ``<tag>`` elements with the named fields in order (empty where unset) and, if asked, lines.

    The markup is rendered as text from a cached layout and parsed once: far cheaper than
    building thousands of elements one by one.
    """
    layout = _layout(tuple(odef.field(n) for n in names), tuple(names))
    body = "".join(_record_markup(tag, odef, record, layout, with_lines) for record in records)
    return list(etree.fromstring(f"<r>{body}</r>", _PARSER))


def field_rows(tag: str, fields: list[Field | None], names: list[str], records: list[Record]) -> list[etree._Element]:
    """Records as ``<tag>`` elements of the given (possibly related) fields, in order."""
    layout = _layout(tuple(fields), tuple(names))
    body = "".join(f"<{tag}>{layout.render(record)}</{tag}>" for record in records)
    return list(etree.fromstring(f"<r>{body}</r>", _PARSER))


def data_element(**attrs: object) -> etree._Element:
    return etree.Element("data", {k: str(v) for k, v in attrs.items()})
