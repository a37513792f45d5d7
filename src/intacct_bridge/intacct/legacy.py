"""Legacy (object-specific) function builders: create_invoice, create_sotransaction, create_aradjustment,
create_apadjustment, create_arpayment, get_icitemtotals, get_companyprefs.

Legacy functions take lower-case fields in the fixed order of the schema and
dates as <year>/<month>/<day>; the builders sort known fields into that order
(so a dict in any order works) and accept line items as a plain list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping, Sequence

from lxml import etree

from .functions import Function, new_controlid
from .xml import fill


def _ordered(fields: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    """Known fields in schema order (legacy functions validate order), unknown ones after them."""
    rank = {name: i for i, name in enumerate(order)}
    return dict(sorted(fields.items(), key=lambda kv: rank.get(kv[0], len(order))))


@dataclass(frozen=True)
class Legacy(Function):
    """Any object-specific function: lower-case fields in schema order, dates as year/month/day."""

    function_name: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    attributes: Mapping[str, str] = field(default_factory=dict)
    write: bool = True
    required: ClassVar[tuple[str, ...]] = ()
    order: ClassVar[tuple[str, ...]] = ()
    item_list: ClassVar[tuple[str, str, tuple[str, ...]] | None] = None  # (container, item tag, item order)

    def __post_init__(self) -> None:
        missing = [f for f in self.required if self.fields.get(f) in (None, "", [], {})]
        if missing:
            raise ValueError(f"{self.function_name} needs {', '.join(missing)}")

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.function_name

    @property
    def is_write(self) -> bool:  # type: ignore[override]
        return self.write

    def to_element(self) -> etree._Element:
        element = etree.Element(self.function_name, {k: str(v) for k, v in self.attributes.items()})
        fields = _ordered(self.fields, self.order) if self.order else dict(self.fields)
        if self.item_list:
            container, tag, item_order = self.item_list
            items = fields.get(container)
            if isinstance(items, Sequence) and not isinstance(items, str):  # a plain list of lines
                fields[container] = {tag: [_ordered(i, item_order) for i in items]}
        fill(element, fields, style="legacy")
        return element


def _legacy(function_name: str, required: tuple[str, ...], order: tuple[str, ...], items=None, write=True):
    """Make a named legacy builder: `CreateInvoice({...}, controlid=...)`."""

    def __init__(self, fields: Mapping[str, Any], *, controlid: str | None = None, attributes=None) -> None:
        Legacy.__init__(self, function_name, fields, attributes or {}, write, controlid=controlid or new_controlid())

    cls = type(function_name.title().replace("_", ""), (Legacy,), {
        "__init__": __init__, "required": required, "order": order, "item_list": items,
        "__doc__": f"Legacy `{function_name}`; lines may be given as a plain list.",
    })
    return cls


CreateInvoice = _legacy(
    "create_invoice",
    ("customerid", "datecreated", "invoiceitems"),
    ("customerid", "datecreated", "dateposted", "datedue", "termname", "batchkey", "action", "invoiceno",
     "ponumber", "description", "externalid", "billto", "shipto", "basecurr", "currency", "exchratedate",
     "exchratetype", "exchrate", "nogl", "supdocid", "customfields", "invoiceitems"),
    ("invoiceitems", "lineitem",
     ("glaccountno", "accountlabel", "offsetglaccountno", "amount", "allocationid", "memo", "locationid",
      "departmentid", "key", "totalpaid", "totaldue", "customfields", "revrectemplate", "defrevaccount",
      "revrecstartdate", "revrecenddate", "projectid", "customerid", "vendorid", "employeeid", "itemid",
      "classid", "contractid", "warehouseid", "taxentries")),
)
CreateSoTransaction = _legacy(
    "create_sotransaction",
    ("transactiontype", "datecreated", "sotransitems"),
    ("transactiontype", "datecreated", "dateposted", "createdfrom", "customerid", "documentno", "origdocdate",
     "referenceno", "termname", "datedue", "message", "shippingmethod", "shipto", "billto", "supdocid",
     "externalid", "basecurr", "currency", "exchratedate", "exchratetype", "exchrate", "vsoepricelist",
     "customfields", "state", "projectid", "sotransitems", "subtotals"),
    ("sotransitems", "sotransitem",
     ("bundlenumber", "itemid", "itemdesc", "taxable", "warehouseid", "quantity", "unit", "discountpercent",
      "price", "sourcelinekey", "locationid", "departmentid", "memo", "itemdetails", "customfields",
      "revrectemplate", "revrecstartdate", "revrecenddate", "projectid", "customerid", "vendorid",
      "employeeid", "classid", "contractid", "taskno", "billingtemplate")),
)
CreateArAdjustment = _legacy(
    "create_aradjustment",
    ("customerid", "datecreated", "aradjustmentitems"),
    ("customerid", "datecreated", "dateposted", "batchkey", "adjustmentno", "action", "invoiceno", "description",
     "externalid", "basecurr", "currency", "exchratedate", "exchratetype", "exchrate", "nogl", "customfields",
     "aradjustmentitems"),
    ("aradjustmentitems", "lineitem",
     ("glaccountno", "accountlabel", "offsetglaccountno", "amount", "memo", "locationid", "departmentid", "key",
      "totalpaid", "totaldue", "customfields", "projectid", "customerid", "vendorid", "employeeid", "itemid",
      "classid", "contractid", "warehouseid")),
)
CreateApAdjustment = _legacy(
    "create_apadjustment",
    ("vendorid", "datecreated", "apadjustmentitems"),
    ("vendorid", "datecreated", "dateposted", "batchkey", "adjustmentno", "action", "billno", "description",
     "externalid", "basecurr", "currency", "exchratedate", "exchratetype", "exchrate", "nogl", "customfields",
     "apadjustmentitems"),
    ("apadjustmentitems", "lineitem",
     ("glaccountno", "accountlabel", "offsetglaccountno", "amount", "memo", "locationid", "departmentid", "key",
      "totalpaid", "totaldue", "customfields", "projectid", "customerid", "vendorid", "employeeid", "itemid",
      "classid", "contractid", "warehouseid")),
)
CreateArPayment = _legacy(
    "create_arpayment",
    ("customerid", "paymentamount", "datereceived", "paymentmethod"),
    ("customerid", "paymentamount", "translatedamount", "batchkey", "bankaccountid", "undepfundsacct", "refid",
     "overpaylocid", "overpaydeptid", "datereceived", "paymentmethod", "basecurr", "currency", "exchratedate",
     "exchratetype", "exchrate", "cctype", "authcode", "arpaymentitem", "onlinecardpayment", "onlineachpayment"),
)
_GetIcItemTotals = _legacy("get_icitemtotals", (), ("itemid", "warehouseid"), write=False)


def GetIcItemTotals(itemid: str | None = None, warehouseid: str | None = None, *, controlid: str | None = None) -> Legacy:
    """Stock on hand / on order / on hold, optionally for one item or warehouse."""
    fields = {k: v for k, v in (("itemid", itemid), ("warehouseid", warehouseid)) if v is not None}
    return _GetIcItemTotals(fields, controlid=controlid)


_GetCompanyPrefs = _legacy("get_companyprefs", (), (), write=False)


def GetCompanyPrefs(application: str, *, controlid: str | None = None) -> Legacy:
    """A subscription's company preferences (`GL`, `GEN`, `ME`...), one `companypref` row each."""
    return _GetCompanyPrefs({}, controlid=controlid, attributes={"application": application})
