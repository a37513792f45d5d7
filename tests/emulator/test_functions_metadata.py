"""lookup, inspect and getDimensions answer from the object catalogue and bill nothing."""

from __future__ import annotations

import pytest

from backend_helpers import Caller, seeded_backend


@pytest.fixture(scope="module")
def call() -> Caller:
    return Caller(seeded_backend())


def test_lookup_lists_fields_types_valid_values_and_relationships(call: Caller) -> None:
    outcome = call("<lookup><object>GLACCOUNT</object></lookup>")
    data = outcome.children[0]
    assert outcome.billable == 0 and data.get("listtype") == "All"
    fields = {f.findtext("ID"): f for f in data.iterfind("Type/Fields/Field")}
    assert data.find("Type").get("Name") == "GLACCOUNT"
    assert fields["RECORDNO"].findtext("DATATYPE") == "INTEGER" and fields["RECORDNO"].findtext("READONLY") == "true"
    assert [v.text for v in fields["NORMALBALANCE"].iterfind("VALIDVALUES/VALIDVALUE")] == ["debit", "credit"]
    assert fields["WHENCREATED"].findtext("DATATYPE") == "TIMESTAMP"
    assert fields["ACCOUNTNO"].findtext("REQUIRED") == "true"
    relations = [(r.findtext("OBJECTNAME"), r.findtext("RELATEDBY")) for r in data.iterfind("Type/Relationships/Relationship")]
    assert ("GLACCOUNT", "CLOSINGACCOUNTNO") in relations


def test_inspect_detail_levels_and_star(call: Caller) -> None:
    short = call.data("<inspect><object>CLASS</object></inspect>")
    assert [f.text for f in short.iterfind("Type/Fields/Field")][:3] == ["RECORDNO", "CLASSID", "NAME"]
    detail = call.data('<inspect detail="1"><object>CUSTOMER</object></inspect>')
    field = detail.find("Type/Fields/Field")
    assert [c.tag for c in field] == ["Name", "GroupName", "dataName", "externalDataName", "isRequired",
                                      "isReadOnly", "maxLength", "DisplayLabel", "Description", "id"]
    assert (field.findtext("Name"), field.findtext("dataName"), field.findtext("externalDataName")) == (
        "RECORDNO", "Pt_FieldInt", "integer")
    everything = call.data("<inspect><object>*</object></inspect>")
    names = {t.get("typename") for t in everything.iterfind("Type")}
    assert {"GLACCOUNT", "GLBATCH", "FUND", "CUSTOMER", "SODOCUMENT"} <= names and "ICITEMTOTAL" not in names
    assert everything.get("count") == str(len(names))


def test_get_dimensions_includes_the_fund_and_program_udds(call: Caller) -> None:
    outcome = call("<getDimensions/>")
    dims = {d.findtext("objectName"): d for d in outcome.children[0].iterfind("dimensions/dimension")}
    assert outcome.billable == 0
    assert {"LOCATION", "DEPARTMENT", "CLASS", "PROJECT", "CUSTOMER", "VENDOR", "EMPLOYEE", "ITEM", "WAREHOUSE",
            "FUND", "PROGRAM"} == set(dims)
    assert dims["PROGRAM"].findtext("userDefinedDimension") == "true"
    assert dims["FUND"].findtext("termLabel") == "Fund" and dims["FUND"].findtext("userDefinedDimension") == "true"
    assert dims["CLASS"].findtext("userDefinedDimension") == "false"


def test_unknown_object(call: Caller) -> None:
    assert call.fail("<lookup><object>NOPE</object></lookup>").errors[0].description == "Object definition NOPE not found"
