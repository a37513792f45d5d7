"""Legacy ``get_companyprefs``: a subscription's company preferences, as ``companypref`` rows.

The function and its row shape are documented (developer.intacct.com, Company console: "List
Subscription Preferences"); which preferences the GL answers with is not. The emulator answers
``application="GL"`` with the books' closed-through date, the one a poster needs to move an entry out
of a closed period: ``BOOKSCLOSEDTHROUGH`` (preference name UNVERIFIED upstream), as MM/DD/YYYY, empty
when nothing is closed. In an entity session it is the entity's own date when it has one, else the
company's: the same rule the GLBATCH closed-period check applies.
"""

from __future__ import annotations

from lxml import etree

from .base import CallContext, FunctionOutcome, FunctionFailure, ErrorInfo, sub
from .xmlout import data_element

APPLICATIONS = ("GEN", "ME", "GL", "CM", "AP", "AR", "EE", "PO", "SO", "INV", "PA", "CS")
CLOSED_THROUGH_PREFERENCE = "BOOKSCLOSEDTHROUGH"


def _gl_preferences(ctx: CallContext) -> list[tuple[str, str]]:
    through = ctx.backend.closed_through(ctx.conn, ctx.company_id, ctx.entity_id)
    return [(CLOSED_THROUGH_PREFERENCE, through.strftime("%m/%d/%Y") if through else "")]


def get_companyprefs(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """The preferences of the named application (only GL carries any here); an unknown one fails."""
    application = (fn.get("application") or "").strip().upper()
    if application not in APPLICATIONS:
        raise FunctionFailure(ErrorInfo("BL01001973", f"Invalid application '{application}'",
                                        correction=f"Use one of {', '.join(APPLICATIONS)}."))
    rows = _gl_preferences(ctx) if application == "GL" else []
    data = data_element(listtype="companypref", count=len(rows))
    for name, value in rows:
        node = sub(data, "companypref")
        sub(node, "application", application)
        sub(node, "preference", name)
        sub(node, "prefvalue", value)
    return FunctionOutcome([data], billable=0)
