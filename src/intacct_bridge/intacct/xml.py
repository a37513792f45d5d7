"""Hardened XML parsing and the value <-> element conversions the gateway expects.

Writing: Decimal, date, datetime, bool, int and str become element text in the
gateway's formats (generic functions: MM/DD/YYYY; legacy functions: <year>,
<month>, <day> children).  Floats are refused: money never passes through one.
Reading: an element becomes a str, a dict of its children, or a list when a
child tag repeats.  lxml escapes text, so `&` and `<` in values are safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from lxml import etree

DateStyle = Literal["generic", "legacy"]

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=True
)


class MalformedXml(ValueError):
    """The bytes are not a well-formed, DOCTYPE-free XML document."""


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML: no entities, no DTD, no network, and any DOCTYPE is refused."""
    if not data or not data.strip():
        raise MalformedXml("empty document")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise MalformedXml(str(exc)) from exc
    if root.getroottree().docinfo.doctype:
        raise MalformedXml("documents with a DOCTYPE are refused")
    return root


def format_scalar(value: Any) -> str:
    """Text for one value in generic-function format."""
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, float):
        raise TypeError("floats are refused; pass a Decimal for amounts")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite amount: {value}")
        return format(value, "f")
    if isinstance(value, datetime):
        return value.strftime("%m/%d/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, (int, str)):
        return str(value)
    raise TypeError(f"cannot write a {type(value).__name__} to Intacct")


def append_value(parent: etree._Element, tag: str, value: Any, style: DateStyle = "generic") -> None:
    """Append `<tag>` for `value` to `parent`; a list repeats the tag, None writes nothing."""
    if value is None:
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            append_value(parent, tag, item, style)
        return
    fill(etree.SubElement(parent, tag), value, style)


def fill(element: etree._Element, value: Any, style: DateStyle = "generic") -> None:
    """Write `value` into `element` (children for a mapping, text otherwise).

    Plain str and dict are tested by exact type first: they are nearly every value of a
    request, and a test against the `Mapping` ABC costs more than writing the element.
    """
    kind = type(value)
    if kind is str:
        element.text = value
    elif kind is dict or isinstance(value, Mapping):
        for key, item in value.items():
            if type(item) is str and type(key) is str:
                etree.SubElement(element, key).text = item  # the common leaf, without two more calls
            else:
                append_value(element, str(key), item, style)
    elif style == "legacy" and isinstance(value, date) and not isinstance(value, datetime):
        for part, number in (("year", value.year), ("month", value.month), ("day", value.day)):
            etree.SubElement(element, part).text = str(number)
    else:
        element.text = format_scalar(value)


def element_to_value(element: etree._Element) -> Any:
    """An element's content: its text (str, "" when empty) or a dict of its attributes and children."""
    children = [c for c in element if isinstance(c.tag, str)]
    if not children:
        if element.attrib and not (element.text or "").strip():
            return dict(element.attrib)  # e.g. <Type Name="CUSTOMER"/>
        return element.text or ""
    out: dict[str, Any] = dict(element.attrib)
    for child in children:
        value = element_to_value(child)
        if child.tag in out:
            existing = out[child.tag]
            if isinstance(existing, list):
                existing.append(value)
            else:
                out[child.tag] = [existing, value]
        else:
            out[child.tag] = value
    return out


def record_from(element: etree._Element) -> dict[str, Any]:
    """A record element as a dict; a bare `<Type typename="X">Label</Type>` gives {"typename": "X", "Type": "Label"}."""
    value = element_to_value(element)
    if isinstance(value, dict):
        return value
    return {**element.attrib, element.tag: value} if value else dict(element.attrib)


def text_of(parent: etree._Element | None, tag: str) -> str | None:
    """Text of a direct child, case-insensitively (fixtures use both cases); None when absent."""
    if parent is None:
        return None
    wanted = tag.lower()
    for child in parent:
        if isinstance(child.tag, str) and child.tag.lower() == wanted:
            return (child.text or "").strip()
    return None


def child(parent: etree._Element | None, tag: str) -> etree._Element | None:
    """A direct child by tag, case-insensitively."""
    if parent is None:
        return None
    wanted = tag.lower()
    return next((c for c in parent if isinstance(c.tag, str) and c.tag.lower() == wanted), None)


def to_bytes(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8")
