"""AP over real HTTP: bills (generic create APBILL), AP terms, AP adjustments applied to bills, errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from test_wire_o2c import ERROR_PARTS, O2C, ymd

TODAY = datetime.now(UTC).date()


def bill(*lines: str, vendor: str = "V-100", number: str = "B-1", term: str = "", due: date | None = None,
         on: date | None = None) -> str:
    on = on or TODAY
    items = "".join(lines) or line("6010", "120.00") + line("5100", "30.00", extra="<LOCATIONID>100</LOCATIONID>")
    when_due = "" if term or due is None else f"<WHENDUE>{due.strftime('%m/%d/%Y')}</WHENDUE>"
    term_xml = f"<TERMNAME>{term}</TERMNAME>" if term else ""
    return (f"<create><APBILL><RECORDID>{number}</RECORDID><VENDORID>{vendor}</VENDORID>"
            f"<WHENCREATED>{on.strftime('%m/%d/%Y')}</WHENCREATED>{when_due}{term_xml}<DOCNUMBER>PO-7</DOCNUMBER>"
            f"<DESCRIPTION>Supplies</DESCRIPTION><APBILLITEMS>{items}</APBILLITEMS></APBILL></create>")


def line(account: str, amount: str, extra: str = "") -> str:
    account_xml = f"<ACCOUNTNO>{account}</ACCOUNTNO>" if account else ""
    return f"<APBILLITEM>{account_xml}<TRX_AMOUNT>{amount}</TRX_AMOUNT><ENTRYDESCRIPTION>m</ENTRYDESCRIPTION>{extra}</APBILLITEM>"


def ap_adjustment(amount: str, bill_no: str = "", vendor: str = "V-100", external: str = "ref-1") -> str:
    return (f"<create_apadjustment><vendorid>{vendor}</vendorid>{ymd('datecreated', TODAY)}"
            + (f"<billno>{bill_no}</billno>" if bill_no else "")
            + f"<description>Returned</description><externalid>{external}</externalid><apadjustmentitems><lineitem>"
            f"<glaccountno>5100</glaccountno><amount>{amount}</amount><memo>credit</memo>"
            "<departmentid>PRG</departmentid></lineitem></apadjustmentitems></create_apadjustment>")


def vendor_due(o2c: O2C, vendor: str = "V-100") -> str:
    return o2c.query("VENDOR", ["TOTALDUE"], f"<equalto><field>VENDORID</field><value>{vendor}</value></equalto>")[0][
        "TOTALDUE"]


def the_bill(o2c: O2C, key: str) -> dict[str, str]:
    return o2c.query("APBILL", ["RECORDNO", "RECORDID", "VENDORID", "VENDORNAME", "STATE", "TOTALENTERED",
                                "TOTALDUE", "TOTALPAID", "WHENDUE", "TERMNAME"],
                     f"<equalto><field>RECORDNO</field><value>{key}</value></equalto>")[0]


def test_a_bill_is_posted_with_its_lines_and_raises_the_vendors_due(o2c: O2C) -> None:
    key = o2c.ok(bill(due=TODAY + timedelta(days=20)))
    row = the_bill(o2c, key)
    assert (row["RECORDID"], row["VENDORNAME"], row["STATE"], row["TOTALENTERED"], row["TOTALDUE"]) == (
        "B-1", "Office Depot", "Posted", "150.00", "150.00")
    assert vendor_due(o2c) == "150.00"
    read = o2c.call(f"<read><object>APBILL</object><keys>{key}</keys><fields>*</fields></read>")
    items = read.findall("data/APBILL/APBILLITEMS/APBILLITEM")
    assert [i.findtext("ACCOUNTNO") for i in items] == ["6010", "5100"]
    assert [i.findtext("TRX_AMOUNT") for i in items] == ["120.00", "30.00"]
    assert items[1].findtext("LOCATIONID") == "100"


def test_a_term_gives_the_due_date_and_an_unknown_or_inactive_term_is_refused(o2c: O2C) -> None:
    key = o2c.ok(bill(term="Net 30"))
    assert the_bill(o2c, key)["WHENDUE"] == (TODAY + timedelta(days=30)).strftime("%m/%d/%Y")
    terms = [t["NAME"] for t in o2c.query("APTERM", ["NAME", "STATUS"])]
    assert "Net 30" in terms and "Net 10 EOM" in terms
    for term in ("Net 45", "Net 90 (retired)"):
        errors = o2c.fail(bill(number="B-2", term=term))
        assert [c.tag for c in errors[0]] == ERROR_PARTS
        assert f"Invalid AP term '{term}'" in errors[0].findtext("description")
        assert "WHENDUE" in errors[0].findtext("correction")
    assert "due date or an AP term" in o2c.fail(bill(number="B-3"))[0].findtext("description")


def test_a_missing_vendor_a_duplicate_number_and_a_closed_period_are_refused(o2c: O2C) -> None:
    errors = o2c.fail(bill(vendor="V-999", due=TODAY))
    assert errors[0].findtext("description") == "Invalid Vendor 'V-999' specified."
    o2c.ok(bill(due=TODAY))
    duplicate = o2c.fail(bill(due=TODAY))
    assert duplicate[0].findtext("errorno") == "BL34000061"
    o2c.ok(bill(vendor="V-200", due=TODAY))  # the same number at another vendor is another bill
    closed = o2c.fail(bill(number="B-9", due=TODAY, on=date(TODAY.year - 1, 6, 30)))
    assert "closed period" in closed[0].findtext("description")
    assert len(o2c.query("APBILL", ["RECORDNO"])) == 2 and vendor_due(o2c) == "150.00"


def test_an_item_line_posts_to_the_items_expense_account(o2c: O2C) -> None:
    key = o2c.ok(bill(line("", "40.00", "<ITEMID>MUG</ITEMID>"), due=TODAY))
    read = o2c.call(f"<read><object>APBILL</object><keys>{key}</keys><fields>*</fields></read>")
    assert read.findtext("data/APBILL/APBILLITEMS/APBILLITEM/ACCOUNTNO") == "5100"
    assert "Invalid Item" in o2c.fail(bill(line("", "5.00", "<ITEMID>NOPE</ITEMID>"), number="B-2",
                                           due=TODAY))[0].findtext("description")


def test_a_credit_memo_naming_the_bill_lowers_its_due_and_the_vendors(o2c: O2C) -> None:
    bill_key = o2c.ok(bill(due=TODAY))
    key = o2c.ok(ap_adjustment("-50.00", bill_no="B-1"))
    row = the_bill(o2c, bill_key)
    assert (row["STATE"], row["TOTALPAID"], row["TOTALDUE"]) == ("Partially Paid", "50.00", "100.00")
    assert vendor_due(o2c) == "100.00"
    found = o2c.query("APADJUSTMENT", ["RECORDNO", "RECORDID", "DOCNUMBER", "EXTERNALID", "TOTALENTERED", "STATE"],
                      "<equalto><field>EXTERNALID</field><value>ref-1</value></equalto>")
    assert found[0]["RECORDNO"] == key and found[0]["DOCNUMBER"] == "B-1" and found[0]["TOTALENTERED"] == "-50.00"
    assert found[0]["RECORDID"] == "APADJ-00001"
    assert "exceeds its amount due" in o2c.fail(ap_adjustment("-500.00", bill_no="B-1"))[0].findtext("description")
    assert "Invalid bill number" in o2c.fail(ap_adjustment("-5.00", bill_no="B-1", vendor="V-200"))[0].findtext(
        "description")


@pytest.fixture
def o2c(wire) -> O2C:
    return O2C(wire)
