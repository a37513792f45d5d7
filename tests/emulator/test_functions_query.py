"""The query function: any child order, every filter operator, orderby, options, paging, aggregates."""

from __future__ import annotations

import pytest

from backend_helpers import Caller, seeded_backend, texts


@pytest.fixture(scope="module")
def call() -> Caller:
    return Caller(seeded_backend())


def accounts(call: Caller, filter_xml: str = "", *, extra: str = "", fields: str = "ACCOUNTNO") -> list[str]:
    select = "".join(f"<field>{f}</field>" for f in fields.split(","))
    filt = f"<filter>{filter_xml}</filter>" if filter_xml else ""
    data = call.data(f"<query><select>{select}</select><object>GLACCOUNT</object>{filt}{extra}"
                     "<pagesize>2000</pagesize></query>")
    return texts(data, "GLACCOUNT/ACCOUNTNO")


def cond(op: str, field: str, *values: str) -> str:
    return f"<{op}><field>{field}</field>" + "".join(f"<value>{v}</value>" for v in values) + f"</{op}>"


@pytest.mark.parametrize(("filter_xml", "expected"), [
    (cond("equalto", "ACCOUNTNO", "1000"), ["1000"]),
    (cond("lessthan", "ACCOUNTNO", "1020"), ["1000", "1010"]),
    (cond("lessthanorequalto", "ACCOUNTNO", "1020"), ["1000", "1010", "1020"]),
    (cond("greaterthan", "ACCOUNTNO", "7200"), ["7300"]),
    (cond("greaterthanorequalto", "ACCOUNTNO", "7200"), ["7200", "7300"]),
    (cond("between", "ACCOUNTNO", "6700", "6800"), ["6700", "6710", "6800"]),
    (cond("in", "ACCOUNTNO", "1000", "4000", "9999"), ["1000", "4000"]),
    (cond("like", "TITLE", "Cash%"), ["1000", "1010", "1020"]),
    (cond("isnotnull", "REQUIREDEPT"), ["6100"]),
    ("<and>" + cond("equalto", "STATUS", "inactive") + cond("notequalto", "ACCOUNTNO", "1900") + "</and>", ["4950"]),
    ("<or>" + cond("equalto", "ACCOUNTNO", "1000") + "<and>" + cond("like", "ACCOUNTNO", "2%")
     + cond("notlike", "TITLE", "%Payable%") + cond("notin", "ACCOUNTNO", "2100", "2200") + "</and></or>",
     ["1000", "2400", "2500", "2700"]),
])
def test_filter_operators(call: Caller, filter_xml: str, expected: list[str]) -> None:
    assert accounts(call, filter_xml) == expected


def test_isnull(call: Caller) -> None:
    assert "6100" not in accounts(call, cond("isnull", "REQUIREDEPT"))
    assert len(accounts(call, cond("isnull", "REQUIREDEPT"))) == len(accounts(call)) - 1


def test_children_in_any_order_and_data_attributes(call: Caller) -> None:
    outcome = call("<query><pagesize>5</pagesize><offset>10</offset><filter>" + cond("like", "ACCOUNTNO", "%")
                   + "</filter><object>GLACCOUNT</object><select><field>ACCOUNTNO</field><field>TITLE</field>"
                   "</select><orderby><order><field>ACCOUNTNO</field><descending/></order></orderby></query>")
    data = outcome.children[0]
    total = len(accounts(call))
    assert outcome.billable == 1
    assert dict(data.attrib) == {"listtype": "GLACCOUNT", "totalcount": str(total), "offset": "10", "count": "5",
                                 "numremaining": str(total - 15)}
    numbers = texts(data, "GLACCOUNT/ACCOUNTNO")
    assert numbers == sorted(accounts(call), reverse=True)[10:15]
    assert [c.tag for c in data[0]] == ["ACCOUNTNO", "TITLE"]


def test_offset_paging_reaches_every_record_once(call: Caller) -> None:
    seen, offset = [], 0
    while True:
        data = call.data(f"<query><select><field>ACCOUNTNO</field></select><object>GLACCOUNT</object>"
                         f"<pagesize>9</pagesize><offset>{offset}</offset></query>")
        seen += texts(data, "GLACCOUNT/ACCOUNTNO")
        if data.get("numremaining") == "0":
            break
        offset += 9
    assert seen == accounts(call)


def test_case_insensitive_option(call: Caller) -> None:
    assert accounts(call, cond("equalto", "TITLE", "travel")) == []
    ci = "<options><caseinsensitive>true</caseinsensitive></options>"
    assert accounts(call, cond("equalto", "TITLE", "travel"), extra=ci) == ["6500"]
    assert accounts(call, cond("like", "TITLE", "cash -%"), extra=ci) == ["1000", "1010", "1020"]


def test_orderby_sorts_by_type(call: Caller) -> None:
    data = call.data("<query><select><field>ITEMID</field><field>BASEPRICE</field></select><object>ITEM</object>"
                     "<orderby><order><field>BASEPRICE</field><ascending/></order></orderby></query>")
    prices = texts(data, "ITEM/BASEPRICE")
    assert prices == sorted(prices, key=float) and prices[0] == "12.50"


@pytest.mark.parametrize(("xml", "needle"), [
    ("<query><select><field>*</field></select><object>GLACCOUNT</object></query>", "*"),
    ("<query><select><field>NOPE</field></select><object>GLACCOUNT</object></query>", "NOPE"),
    ("<query><select><field>ACCOUNTNO</field></select><object>GLACCOUNT</object><pagesize>2001</pagesize></query>",
     "2001"),
    ("<query><select><field>ACCOUNTNO</field></select><object>GLACCOUNT</object><filter><equalto><field>NOPE"
     "</field><value>1</value></equalto></filter></query>", "NOPE"),
    ("<query><select><field>ACCOUNTNO</field></select><object>GLACCOUNT</object><filter><bogus><field>TITLE"
     "</field><value>1</value></bogus></filter></query>", "bogus"),
    ("<query><select><field>ACCOUNTNO</field></select><object>NOTANOBJECT</object></query>", "NOTANOBJECT"),
])
def test_bad_queries_fail_naming_the_problem(call: Caller, xml: str, needle: str) -> None:
    error = call.fail(xml).errors[0]
    assert needle in f"{error.description} {error.description2}"


def test_aggregates_group_by_plain_fields(call: Caller) -> None:
    data = call.data("<query><select><field>ACCOUNTTYPE</field><count>RECORDNO</count></select>"
                     "<object>GLACCOUNT</object><orderby><order><field>ACCOUNTTYPE</field></order></orderby></query>")
    counts = {r.findtext("ACCOUNTTYPE"): int(r.findtext("COUNT.RECORDNO")) for r in data}
    assert set(counts) == {"balancesheet", "incomestatement"} and sum(counts.values()) == len(accounts(call))
    data = call.data("<query><select><sum>BASEPRICE</sum><min>BASEPRICE</min><max>BASEPRICE</max>"
                     "<avg>BASEPRICE</avg></select><object>ITEM</object><filter>" + cond("in", "ITEMID", "MUG", "TOTE")
                     + "</filter></query>")
    row = data[0]
    assert (row.findtext("SUM.BASEPRICE"), row.findtext("MIN.BASEPRICE"), row.findtext("MAX.BASEPRICE"),
            row.findtext("AVG.BASEPRICE")) == ("27.50", "12.50", "15.00", "13.75")


def test_udd_values_query_like_clients_do(call: Caller) -> None:
    data = call.data("<query><object>FUND</object><select><field>id</field><field>name</field></select>"
                     "<pagesize>2000</pagesize></query>")
    assert data.get("totalcount") == "10" and data[0].findtext("id") == "F01"


def test_related_object_paths_in_select_filter_and_orderby(call: Caller) -> None:
    call("<create><CLASS><CLASSID>KID1</CLASSID><NAME>Kid one</NAME><PARENTID>C100</PARENTID></CLASS>"
         "<CLASS><CLASSID>KID2</CLASSID><NAME>Kid two</NAME><PARENTID>C400</PARENTID></CLASS></create>")
    data = call.data("<query><select><field>CLASSID</field><field>PARENT.NAME</field></select><object>CLASS</object>"
                     "<filter>" + cond("like", "PARENT.NAME", "%Services") + "</filter>"
                     "<orderby><order><field>PARENT.NAME</field><descending/></order></orderby></query>")
    assert [(r.findtext("CLASSID"), r.findtext("PARENT/NAME")) for r in data] == [
        ("KID1", "Youth Services"), ("KID2", "Senior Services")]
    lookup = call.data("<lookup><object>CLASS</object></lookup>")
    assert ("PARENT", "CLASS", "PARENTID") in [
        (r.findtext("OBJECTPATH"), r.findtext("OBJECTNAME"), r.findtext("RELATEDBY"))
        for r in lookup.iterfind("Type/Relationships/Relationship")]
    error = call.fail("<query><select><field>PARENT.NOPE</field></select><object>CLASS</object></query>").errors[0]
    assert "PARENT.NOPE" in error.description


def test_date_and_timestamp_filters(call: Caller) -> None:
    from backend_helpers import NOW, glbatch_xml, line

    today = NOW.strftime("%m/%d/%Y")
    total = len(accounts(call))
    assert len(accounts(call, cond("greaterthanorequalto", "WHENMODIFIED", "01/01/2000"))) == total
    assert accounts(call, cond("greaterthan", "WHENMODIFIED", "12/31/2999")) == []
    call(glbatch_xml([line("1000", "1", "1.00"), line("2100", "-1", "1.00")], date=f"02/15/{NOW.year}",
                     reference="DATE-1"))
    call(glbatch_xml([line("1000", "1", "1.00"), line("2100", "-1", "1.00")], date=f"03/15/{NOW.year}",
                     reference="DATE-2"))
    data = call.data("<query><select><field>REFERENCENO</field><field>BATCH_DATE</field><field>WHENCREATED</field>"
                     "</select><object>GLBATCH</object><filter>" + cond("between", "BATCH_DATE", f"02/01/{NOW.year}",
                                                                         f"02/28/{NOW.year}")
                     + "</filter></query>")
    assert [(r.findtext("REFERENCENO"), r.findtext("BATCH_DATE")) for r in data] == [("DATE-1", f"02/15/{NOW.year}")]
    assert data[0].findtext("WHENCREATED").startswith(today)
    legacy = call.data(f"<readByQuery><object>GLBATCH</object><query>BATCH_DATE &gt; '03/01/{NOW.year}' AND "
                       f"WHENCREATED &gt;= '{today} 00:00:00'</query><fields>REFERENCENO</fields></readByQuery>")
    assert texts(legacy, "glbatch/REFERENCENO") == ["DATE-2"]
