"""The backend's functions over real HTTP, as a client calls them (raw XML through the wire layer)."""

from __future__ import annotations

import datetime as dt

GROUP_COMPANY = "helping-hands-group"
YEAR = dt.date.today().year
ENTRY = (f"<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>06/30/{YEAR}</BATCH_DATE><BATCH_TITLE>Accrual June"
         "</BATCH_TITLE><REFERENCENO>HTTP-1</REFERENCENO><STATE>Posted</STATE><ENTRIES>"
         "<GLENTRY><ACCOUNTNO>6100</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>1500.00</TRX_AMOUNT>"
         "<LOCATION>100</LOCATION><DEPARTMENT>ADM</DEPARTMENT><CLASSID>C200</CLASSID><GLDIMFUND>F01</GLDIMFUND>"
         "</GLENTRY><GLENTRY><ACCOUNTNO>2100</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>1500.00</TRX_AMOUNT>"
         "</GLENTRY></ENTRIES></GLBATCH></create>")


def ok(answer, index: int = 0):
    result = answer.result(index)
    assert result.findtext("status") == "success", answer.http.text
    return result


def test_journal_entry_round_trip(wire) -> None:
    result = ok(wire.call([("je-1", ENTRY)]))
    assert result.findtext("function") == "create" and result.findtext("controlid") == "je-1"
    recordno = result.findtext("data/glbatch/RECORDNO")
    found = ok(wire.call([("q", "<query><select><field>RECORDNO</field></select><object>GLBATCH</object><filter>"
                                "<equalto><field>REFERENCENO</field><value>HTTP-1</value></equalto></filter></query>")]))
    assert found.findtext("data/GLBATCH/RECORDNO") == recordno
    ledger = wire.admin.ledger("helping-hands", "GLBATCH")
    assert [(e["ACCOUNTNO"], e["TRX_AMOUNT"]) for e in ledger[0]["ENTRIES"]] == [("6100", "1500.00"), ("2100", "1500.00")]
    bad = wire.call([("je-2", ENTRY.replace("<DEPARTMENT>ADM</DEPARTMENT>", ""))]).result()
    assert bad.findtext("status") == "failure"
    assert bad.findtext("errormessage/error/errorno") == "BL01001973"
    assert bad.findtext("errormessage/error/description") == "Account 6100 on line 1 requires a Department"


def test_read_by_query_pages_over_http(wire) -> None:
    first = ok(wire.call([("r", "<readByQuery><object>GLACCOUNT</object><query>STATUS = 'T'</query>"
                                "<fields>ACCOUNTNO</fields><pagesize>20</pagesize></readByQuery>")])).find("data")
    seen = [e.text for e in first.iter("ACCOUNTNO")]
    while first.get("numremaining") != "0":
        first = ok(wire.call([("m", f"<readMore><resultId>{first.get('resultId')}</resultId></readMore>")])).find("data")
        seen += [e.text for e in first.iter("ACCOUNTNO")]
    assert len(seen) == len(set(seen)) == 65


def test_limited_user_is_refused_department(wire) -> None:
    auth = wire.login(user="ws_limited")
    answer = wire.call([("d", "<readByQuery><object>DEPARTMENT</object><query></query></readByQuery>"),
                        ("l", "<readByQuery><object>LOCATION</object><query></query></readByQuery>")], auth=auth)
    assert answer.result(0).findtext("errormessage/error/errorno") == "BL03000018"
    assert answer.result(0).findtext("errormessage/error/description") == (
        "You do not have permission for API operation readByQuery on objects of type DEPARTMENT.")
    assert ok(answer, 1).find("data").get("count") == "5"


def test_sales_invoice_and_stock_over_http(wire) -> None:
    invoice = ("<create_sotransaction><transactiontype>Sales Invoice</transactiontype><datecreated>"
               f"<year>{YEAR}</year><month>7</month><day>1</day></datecreated><customerid>CUST-0003</customerid>"
               "<documentno>WEB-1</documentno><sotransitems><sotransitem><itemid>MUG</itemid><quantity>4</quantity>"
               "<warehouseid>WH-NORTH</warehouseid></sotransitem></sotransitems></create_sotransaction>")
    answer = wire.call([("so", invoice), ("st", "<get_icitemtotals><itemid>MUG</itemid>"
                                                 "<warehouseid>WH-NORTH</warehouseid></get_icitemtotals>")])
    assert ok(answer, 0).findtext("key") == "Sales Invoice-WEB-1"
    assert ok(answer, 1).findtext("data/icitemtotals/itemtotal/onhand") == "6"


def test_metadata_over_http(wire) -> None:
    answer = wire.call([("l", "<lookup><object>GLBATCH</object></lookup>"), ("i", "<inspect><object>*</object></inspect>"),
                        ("d", "<getDimensions/>")])
    assert "REFERENCENO" in [f.text for f in ok(answer, 0).iterfind("data/Type/Fields/Field/ID")]
    assert ok(answer, 1).find("data").get("listtype") == "All"
    assert "FUND" in [d.text for d in ok(answer, 2).iterfind("data/dimensions/dimension/objectName")]


def test_entity_session_stamps_its_entity(wire) -> None:
    session = wire.open_session("E200", company=GROUP_COMPANY)
    ok(wire.call([("c", "<create><CLASS><CLASSID>WEST-1</CLASSID><NAME>West</NAME></CLASS></create>")],
                 auth=wire.session(session)))
    assert [r["CLASSID"] for r in wire.admin.ledger(GROUP_COMPANY, "CLASS", "E200")] == ["C200", "WEST-1"]


def test_receivables_flow_over_http(wire) -> None:
    invoice = ("<create_invoice><customerid>CUST-0005</customerid><datecreated>"
               f"<year>{YEAR}</year><month>2</month><day>1</day></datecreated><termname>N30</termname><invoiceitems><lineitem>"
               "<glaccountno>4300</glaccountno><amount>250.00</amount></lineitem></invoiceitems></create_invoice>")
    key = ok(wire.call([("inv", invoice)])).findtext("key")
    payment = ("<create><ARPYMT><PAYMENTMETHOD>EFT</PAYMENTMETHOD><CUSTOMERID>CUST-0005</CUSTOMERID>"
               f"<RECEIPTDATE>03/01/{YEAR}</RECEIPTDATE><UNDEPOSITEDACCOUNTNO>1100</UNDEPOSITEDACCOUNTNO>"
               f"<ARPYMTDETAILS><ARPYMTDETAIL><RECORDKEY>{key}</RECORDKEY><TRX_PAYMENTAMOUNT>100.00"
               "</TRX_PAYMENTAMOUNT></ARPYMTDETAIL></ARPYMTDETAILS></ARPYMT></create>")
    legacy = ("<create_arpayment><customerid>CUST-0005</customerid><paymentamount>150.00</paymentamount>"
              f"<undepfundsacct>1100</undepfundsacct><datereceived><year>{YEAR}</year><month>3</month><day>2</day>"
              f"</datereceived><paymentmethod>Cash</paymentmethod><arpaymentitem><invoicekey>{key}</invoicekey>"
              "<amount>150.00</amount></arpaymentitem></create_arpayment>")
    answer = wire.call([("p1", payment), ("p2", legacy),
                        ("r", f"<read><object>ARINVOICE</object><keys>{key}</keys>"
                              "<fields>STATE,TOTALPAID,TOTALDUE</fields></read>")])
    ok(answer, 0), ok(answer, 1)
    assert [c.text for c in ok(answer, 2).find("data/ARINVOICE")] == ["Paid", "250.00", "0.00"]
    assert [p["UNDEPOSITEDACCOUNTNO"] for p in wire.admin.ledger("helping-hands", "ARPYMT")] == ["1100", "1100"]


def test_master_data_update_and_deletes_over_http(wire) -> None:
    created = ok(wire.call([("c", "<create><VENDOR><VENDORID>V-900</VENDORID><NAME>Paper Co</NAME></VENDOR></create>")]))
    recordno = created.findtext("data/vendor/RECORDNO")
    answer = wire.call([
        ("u", "<update><VENDOR><VENDORID>V-900</VENDORID><NAME>Paper Company</NAME></VENDOR></update>"),
        ("n", "<readByName><object>VENDOR</object><keys>V-900</keys><fields>NAME</fields></readByName>"),
        ("d", f"<delete><object>VENDOR</object><keys>{recordno}</keys></delete>"),
        ("x", '<delete_customer customerid="CUST-0006"/>'),
        ("r", f"<read><object>VENDOR</object><keys>{recordno}</keys></read>"),
    ])
    assert ok(answer, 0).findtext("data/vendor/VENDORID") == "V-900"
    assert ok(answer, 1).findtext("data/VENDOR/NAME") == "Paper Company"
    assert ok(answer, 2).find("data") is None and ok(answer, 3) is not None
    assert ok(answer, 4).find("data").get("count") == "0"


def test_legacy_journal_entry_and_its_lines_over_http(wire) -> None:
    legacy = (f"<create_gltransaction><journalid>GJ</journalid><datecreated><year>{YEAR}</year><month>4</month>"
              "<day>30</day></datecreated><description>April accrual</description><gltransactionentries>"
              "<glentry><trtype>debit</trtype><amount>80.00</amount><glaccountno>6200</glaccountno></glentry>"
              "<glentry><trtype>credit</trtype><amount>80.00</amount><glaccountno>2100</glaccountno></glentry>"
              "</gltransactionentries></create_gltransaction>")
    key = ok(wire.call([("g", legacy)])).findtext("key")
    lines = ok(wire.call([("l", f"<readByQuery><object>GLENTRY</object><query>BATCHNO = '{key}'</query>"
                                "<fields>LINE_NO,ACCOUNTNO,TR_TYPE,TRX_AMOUNT</fields></readByQuery>")])).find("data")
    assert [[c.text for c in line] for line in lines] == [["1", "6200", "1", "80.00"], ["2", "2100", "-1", "80.00"]]
    ok(wire.call([("d", f'<delete_gltransaction key="{key}"/>')]))
    assert not [r for r in wire.admin.ledger("helping-hands", "GLBATCH") if r["RECORDNO"] == key]
