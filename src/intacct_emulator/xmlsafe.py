"""The one way the emulator turns request bytes into an XML tree.

Hardened as ARCHITECTURE.md requires: no entity expansion, no DTD loading, no
network, no huge trees, and any document carrying a DOCTYPE is refused outright
(that is where billion-laughs and XXE payloads live). Failures raise
`XmlRejected` with a short, client-safe reason — never parser internals that
could echo file contents.
"""

from __future__ import annotations

from lxml import etree


class XmlRejected(ValueError):
    """The body is not an XML document the gateway accepts; `str(exc)` is safe to send back."""


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_document(body: bytes) -> etree._Element:
    """Parse `body` into its root element, or raise `XmlRejected`."""
    if not body.strip():
        raise XmlRejected("empty request body")
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise XmlRejected(f"malformed XML{f' at line {line}' if line else ''}") from None
    except ValueError:
        raise XmlRejected("malformed XML") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XmlRejected("DOCTYPE declarations are not allowed")
    return root
