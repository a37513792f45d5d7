"""lookup, inspect and getDimensions: what the objects are, from the catalogue (billed 0; our assumption)."""

from __future__ import annotations

from lxml import etree

from ..backend.catalogue import BOOLEAN, DATE, DECIMAL, ENUM, INTEGER, TIMESTAMP, Field, ObjectDef
from ..backend.objects import OBJECTS, get_object
from ..backend.relations import relationship_paths
from .base import CallContext, FunctionOutcome, child_text, require_object, sub
from .xmlout import data_element

_LOOKUP_TYPES = {TIMESTAMP: "TIMESTAMP", DATE: "DATE", DECIMAL: "DECIMAL", INTEGER: "INTEGER", BOOLEAN: "BOOLEAN",
                 ENUM: "ENUM"}
# inspect's platform data names (Pt_Field*) and external names, as in the SDK's inspect fixture
_INSPECT_TYPES = {INTEGER: ("Pt_FieldInt", "integer"), DECIMAL: ("Pt_FieldDecimal", "decimal"),
                  DATE: ("Pt_FieldDate", "date"), TIMESTAMP: ("Pt_FieldDateTime", "datetime"),
                  BOOLEAN: ("Pt_FieldBoolean", "boolean"), ENUM: ("Pt_FieldPickList", "string")}
STANDARD_DIMENSIONS = ("LOCATION", "DEPARTMENT", "CLASS", "PROJECT", "CUSTOMER", "VENDOR", "EMPLOYEE", "ITEM", "WAREHOUSE")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _lookup_field(parent: etree._Element, field: Field) -> None:
    node = sub(parent, "Field")
    sub(node, "ID", field.name)
    sub(node, "LABEL", field.display_label)
    sub(node, "DESCRIPTION", field.display_label)
    sub(node, "REQUIRED", _flag(field.required))
    sub(node, "READONLY", _flag(field.readonly))
    sub(node, "DATATYPE", _LOOKUP_TYPES.get(field.type, "TEXT"))
    sub(node, "ISCUSTOM", "false")
    if field.values:
        valid = sub(node, "VALIDVALUES")
        for value in field.values:
            sub(valid, "VALIDVALUE", value)


def _relationships(parent: etree._Element, odef: ObjectDef) -> None:
    node = sub(parent, "Relationships")
    for path, field in relationship_paths(odef).items():
        target = get_object(field.ref or "")
        rel = sub(node, "Relationship")
        sub(rel, "OBJECTPATH", path)
        sub(rel, "OBJECTNAME", field.ref)
        sub(rel, "LABEL", target.label if target else field.ref)
        sub(rel, "RELATIONSHIPTYPE", "MANY2ONE")
        sub(rel, "RELATEDBY", field.name)


def lookup(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """The object's fields with types, valid values of enums, and its relationships."""
    odef = require_object(child_text(fn, "object"))
    data = data_element(listtype="All", count=1)
    node = sub(data, "Type")
    node.set("Name", odef.name)
    node.set("DocumentType", child_text(fn, "docparid") or "")
    fields = sub(node, "Fields")
    for field in odef.fields:
        _lookup_field(fields, field)
    _relationships(node, odef)
    return FunctionOutcome([data], billable=0)


def _inspect_field(parent: etree._Element, odef: ObjectDef, field: Field, index: int) -> None:
    node = sub(parent, "Field")
    data_name, external = _INSPECT_TYPES.get(field.type, ("Pt_FieldString", "string"))
    sub(node, "Name", field.name)
    sub(node, "GroupName", odef.label)
    sub(node, "dataName", data_name)
    sub(node, "externalDataName", external)
    sub(node, "isRequired", _flag(field.required))
    sub(node, "isReadOnly", _flag(field.readonly))
    sub(node, "maxLength", "" if field.type != "text" else "100")
    sub(node, "DisplayLabel", field.display_label)
    sub(node, "Description", field.display_label)
    sub(node, "id", str(index))


def inspect(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """``*`` lists the objects; an object lists its field names (detail 0) or field descriptions (detail 1)."""
    name = child_text(fn, "object") or ""
    if name == "*":
        listed = [o for o in OBJECTS.values() if o.listed]
        data = data_element(listtype="All", count=len(listed))
        for odef in listed:
            sub(data, "Type", odef.label).set("typename", odef.name)
        return FunctionOutcome([data], billable=0)
    odef = require_object(name)
    detail = fn.get("detail", "0") == "1"
    data = data_element(listtype="All", count=1)
    node = sub(data, "Type")
    node.set("Name", odef.name)
    if detail:
        attributes = sub(node, "Attributes")
        sub(attributes, "SingularName", odef.label)
        sub(attributes, "PluralName", odef.label + ("es" if odef.label.endswith("s") else "s"))
        sub(attributes, "Description", odef.label)
    fields = sub(node, "Fields")
    for index, field in enumerate(odef.fields, start=1):
        if detail:
            _inspect_field(fields, odef, field, index)
        else:
            sub(fields, "Field", field.name)
    return FunctionOutcome([data], billable=0)


def get_dimensions(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """The standard dimensions and the user-defined ones (FUND) enabled in the GL."""
    data = etree.Element("data")
    dims = sub(data, "dimensions")
    udds = [o.name for o in OBJECTS.values() if o.udd]
    for name in (*STANDARD_DIMENSIONS, *udds):
        odef = OBJECTS[name]
        node = sub(dims, "dimension")
        sub(node, "objectName", odef.name)
        sub(node, "objectLabel", odef.label)
        sub(node, "termLabel", odef.dimension_label or odef.label)
        sub(node, "userDefinedDimension", _flag(odef.udd))
        sub(node, "enabledInGL", "true")
    return FunctionOutcome([data], billable=0)
