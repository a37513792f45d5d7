"""The REST wire's object endpoints over real HTTP, on the same ledger as the XML gateway."""

from __future__ import annotations

from datetime import date

import pytest


def _je(reference: str = "R-1", debit: str = "200", credit: str = "200", location: str = "100") -> dict:
    return {"glJournal": {"id": "GJ"}, "postingDate": date.today().isoformat(), "description": "REST entry",
            "referenceNumber": reference, "lines": [
                {"txnType": "debit", "txnAmount": debit, "glAccount": {"id": "1000"},
                 "dimensions": {"location": {"id": location}}, "documentId": "D-1"},
                {"txnType": "credit", "txnAmount": credit, "glAccount": {"id": "4000"},
                 "dimensions": {"location": {"id": location}}, "description": "second line"}]}


def _xml_query(wire, obj: str, fields: list[str], field: str, value: str) -> list[dict[str, str]]:
    select = "".join(f"<field>{f}</field>" for f in fields)
    answer = wire.call([("q", f"<query><select>{select}</select><object>{obj}</object><filter><equalto>"
                              f"<field>{field}</field><value>{value}</value></equalto></filter></query>")])
    result = answer.result()
    assert result.findtext("status") == "success", answer.http.text
    return [{c.tag: (c.text or "") for c in row} for row in result.find("data")]


def test_journal_entry_created_over_rest_is_read_over_xml(rest, wire):
    answer = rest.call("POST", "/objects/general-ledger/journal-entry", _je("REST-JE-1"))
    assert answer.status_code == 201
    created = answer.json()
    assert created["ia::meta"] == {"totalCount": 1, "totalSuccess": 1, "totalError": 0}
    key = created["ia::result"]["key"]
    assert created["ia::result"] == {"key": key, "id": key, "href": f"/objects/general-ledger/journal-entry/{key}"}
    rows = _xml_query(wire, "GLBATCH", ["RECORDNO", "REFERENCENO", "JOURNAL", "STATE", "BATCH_TITLE"], "RECORDNO", key)
    assert rows == [{"RECORDNO": key, "REFERENCENO": "REST-JE-1", "JOURNAL": "GJ", "STATE": "Posted",
                     "BATCH_TITLE": "REST entry"}]
    lines = _xml_query(wire, "GLENTRY", ["ACCOUNTNO", "TR_TYPE", "TRX_AMOUNT", "LOCATION", "DOCUMENT"], "BATCHNO", key)
    assert {(r["ACCOUNTNO"], r["TR_TYPE"], r["TRX_AMOUNT"]) for r in lines} == {("1000", "1", "200.00"),
                                                                              ("4000", "-1", "200.00")}
    entry = rest.ok("GET", f"/objects/general-ledger/journal-entry/{key}")
    assert entry["state"] == "posted" and entry["glJournal"]["id"] == "GJ"
    assert [line["txnType"] for line in entry["lines"]] == ["debit", "credit"]
    assert entry["lines"][0]["dimensions"]["location"]["id"] == "100"


def test_customer_created_over_xml_is_read_over_rest_and_the_reverse(rest, wire):
    answer = wire.call([("c", "<create><CUSTOMER><CUSTOMERID>XML-C1</CUSTOMERID><NAME>From XML</NAME></CUSTOMER>"
                              "</create>")])
    assert answer.result().findtext("status") == "success", answer.http.text
    rows = rest.query("accounts-receivable/customer", ["key", "id", "name", "status"],
                      [{"$eq": {"id": "XML-C1"}}])
    assert rows == [{"key": rows[0]["key"], "id": "XML-C1", "name": "From XML", "status": "active"}]

    created = rest.ok("POST", "/objects/accounts-receivable/customer", {"id": "REST-C1", "name": "From REST"})
    assert created["id"] == "REST-C1"
    assert _xml_query(wire, "CUSTOMER", ["CUSTOMERID", "NAME", "STATUS"], "CUSTOMERID", "REST-C1") == [
        {"CUSTOMERID": "REST-C1", "NAME": "From REST", "STATUS": "active"}]


def test_patch_updates_and_delete_answers_204(rest, wire):
    key = rest.ok("POST", "/objects/company-config/department", {"id": "D-REST", "name": "Before"})["key"]
    patched = rest.call("PATCH", f"/objects/company-config/department/{key}", {"name": "After"})
    assert patched.status_code == 200 and patched.json()["ia::result"]["key"] == key
    assert _xml_query(wire, "DEPARTMENT", ["TITLE"], "DEPARTMENTID", "D-REST") == [{"TITLE": "After"}]
    deleted = rest.call("DELETE", f"/objects/company-config/department/{key}")
    assert deleted.status_code == 204 and deleted.content == b""
    missing = rest.call("GET", f"/objects/company-config/department/{key}")
    assert missing.status_code == 404
    assert missing.json()["ia::result"]["ia::error"]["code"] == "notFound"


def test_status_codes_for_refusals(rest):
    duplicate = rest.call("POST", "/objects/accounts-receivable/customer", {"id": "CUST-0001", "name": "Twin"})
    assert duplicate.status_code == 409
    unbalanced = rest.call("POST", "/objects/general-ledger/journal-entry", _je(credit="150"))
    assert unbalanced.status_code == 422
    error = unbalanced.json()["ia::result"]["ia::error"]
    assert error["code"] == "operationFailed" and error["details"][0]["code"] == "BL01001973"
    unknown = rest.call("POST", "/objects/accounts-receivable/customer", {"id": "X", "name": "Y", "newDate": "1"})
    assert unknown.status_code == 400
    assert unknown.json()["ia::result"]["ia::error"]["target"] == "/newDate"
    empty = rest.call("POST", "/objects/accounts-receivable/customer")
    assert empty.status_code == 400
    assert empty.json()["ia::result"]["ia::error"]["errorId"] == "REST-1028"
    bill = rest.call("GET", "/objects/accounts-payable/bill/1")
    assert bill.status_code == 404 and ("APBILL" in bill.text or bill.json()["ia::result"]["ia::error"]["code"] == "notFound")


def test_top_level_error_form_is_a_knob(rest, emulator):
    emulator.admin.set_config(rest_error_form="top")
    answer = rest.call("GET", "/objects/company-config/department/999999")
    assert answer.status_code == 404 and answer.json()["ia::error"]["code"] == "notFound"


def test_invoice_payment_and_credit_over_rest_move_the_same_balances_xml_reads(rest, wire):
    today = date.today().isoformat()
    invoice = rest.ok("POST", "/objects/accounts-receivable/invoice", {
        "invoiceNumber": "REST-INV-1", "customer": {"id": "CUST-0001"}, "invoiceDate": today, "dueDate": today,
        "lines": [{"txnAmount": "100.40", "glAccount": {"id": "4000"}, "memo": "first"},
                  {"txnAmount": "20", "glAccount": {"id": "4000"}}]})
    rows = _xml_query(wire, "ARINVOICE", ["RECORDID", "TOTALENTERED", "TOTALDUE", "STATE"], "RECORDNO", invoice["key"])
    assert rows == [{"RECORDID": "REST-INV-1", "TOTALENTERED": "120.40", "TOTALDUE": "120.40", "STATE": "Posted"}]
    payment = rest.call("POST", "/objects/accounts-receivable/payment", {
        "undepositedGLAccount": {"id": "1000"}, "paymentMethod": "cash", "customer": {"id": "CUST-0001"},
        "documentNumber": "CHK-9", "paymentSummary": {"receiptDate": today},
        "paymentDetails": [{"arInvoice": {"key": invoice["key"]}, "txnCurrency": {"paymentAmount": "20.40"}}]})
    assert payment.status_code == 201, payment.text
    credit = rest.call("POST", "/objects/accounts-receivable/adjustment", {
        "customer": {"id": "CUST-0001"}, "createdDate": today, "description": "credit", "documentNumber": "REST-INV-1",
        "lines": [{"txnCurrency": {"amount": "-30"}, "glAccount": {"id": "4000"}}]})
    assert credit.status_code == 201, credit.text
    assert _xml_query(wire, "ARINVOICE", ["TOTALPAID", "TOTALDUE", "STATE"], "RECORDNO", invoice["key"]) == [
        {"TOTALPAID": "50.40", "TOTALDUE": "70.00", "STATE": "Partially Paid"}]
    read = rest.ok("GET", f"/objects/accounts-receivable/invoice/{invoice['key']}")
    assert read["totalTxnAmountDue"] == "70.00" and read["customer"]["id"] == "CUST-0001"
    assert [line["txnAmount"] for line in read["lines"]] == ["100.40", "20.00"]


@pytest.mark.parametrize("path", ["/objects/inventory-control/item-warehouse-inventory",
                                  "/objects/company-config/entity"])
def test_read_only_objects_refuse_writes(rest, path):
    answer = rest.call("POST", path, {"id": "X"})
    assert answer.status_code == 405
    assert answer.json()["ia::result"]["ia::error"]["code"] == "methodNotAllowed"
    assert rest.call("DELETE", path + "/1").status_code == 405


def test_ap_bill_over_rest_once_the_backend_has_apbill(rest, wire):
    from intacct_emulator.rest import objects

    if "accounts-payable/bill" not in objects.OBJECTS:
        pytest.skip("the backend has no APBILL object yet: accounts-payable/bill is listed in rest.objects.MISSING")
    today = date.today().isoformat()
    bill = rest.call("POST", "/objects/accounts-payable/bill", {
        "billNumber": "REST-B-1", "vendor": {"id": "V-100"}, "createdDate": today, "dueDate": today,
        "lines": [{"glAccount": {"id": "5000"}, "txnAmount": "40.10", "memo": "paper"}]})
    assert bill.status_code == 201, bill.text
    key = bill.json()["ia::result"]["key"]
    assert _xml_query(wire, "APBILL", ["RECORDID", "VENDORID", "TOTALENTERED"], "RECORDNO", key) == [
        {"RECORDID": "REST-B-1", "VENDORID": "V-100", "TOTALENTERED": "40.10"}]
    assert rest.ok("GET", f"/objects/accounts-payable/bill/{key}")["lines"][0]["txnAmount"] == "40.10"


def test_malformed_payloads_are_400(rest):
    broken = rest.http.post(rest.base + "/objects/accounts-receivable/customer", content=b"{not json",
                            headers={"Authorization": f"Bearer {rest.token}", "Content-Type": "application/json"})
    assert broken.status_code == 400 and "not valid JSON" in broken.text
    xml = rest.http.post(rest.base + "/objects/accounts-receivable/customer", content=b"<customer/>",
                         headers={"Authorization": f"Bearer {rest.token}", "Content-Type": "application/xml"})
    assert xml.status_code == 400 and xml.json()["ia::result"]["ia::error"]["code"] == "GW-0014"
    unauthenticated = rest.http.post(rest.base + "/objects/accounts-receivable/customer", content=b"{not json")
    assert unauthenticated.status_code == 401  # the caller is checked before the payload


def _sales_invoice(reference: str, quantity: str = "4") -> dict:
    return {"customer": {"id": "CUST-0002"}, "transactionDate": date.today().isoformat(), "referenceNumber": reference,
            "externalId": f"ext-{reference}", "lines": [{"item": {"id": "MUG"}, "quantity": quantity,
                                                         "warehouse": {"id": "WH-NORTH"}, "price": "12.50"}]}


def test_sales_invoice_over_rest_posts_the_ar_invoice_and_takes_stock_as_xml_does(rest, wire):
    before = _xml_query(wire, "ICITEMTOTAL", ["ONHAND"], "ITEMID", "MUG")
    answer = rest.call("POST", "/objects/order-entry/document::Sales%20Invoice", _sales_invoice("ORD-R1"))
    assert answer.status_code == 201, answer.text
    made = answer.json()["ia::result"]
    assert made["id"].startswith("Sales Invoice-SI-") and made["key"].isdigit()   # id = DOCID, the XML key
    docs = _xml_query(wire, "SODOCUMENT", ["DOCID", "DOCPARID", "EXTERNALID", "TOTAL", "PRRECORDKEY"], "PONUMBER",
                      "ORD-R1")
    assert docs == [{"DOCID": made["id"], "DOCPARID": "Sales Invoice", "EXTERNALID": "ext-ORD-R1", "TOTAL": "50.00",
                     "PRRECORDKEY": docs[0]["PRRECORDKEY"]}]
    invoice = _xml_query(wire, "ARINVOICE", ["TOTALDUE", "CUSTOMERID"], "RECORDNO", docs[0]["PRRECORDKEY"])
    assert invoice == [{"TOTALDUE": "50.00", "CUSTOMERID": "CUST-0002"}]
    after = _xml_query(wire, "ICITEMTOTAL", ["ONHAND"], "ITEMID", "MUG")
    assert sum(float(r["ONHAND"]) for r in before) - sum(float(r["ONHAND"]) for r in after) == 4
    # the query service finds it by type or across types, by the reference the product keeps
    for object_name in ("order-entry/document::Sales Invoice", "order-entry/document"):
        found = rest.ok("POST", "/services/core/query", {
            "object": object_name, "fields": ["id", "documentNumber", "arInvoice.key", "transactionDefinition.id"],
            "filters": [{"$eq": {"externalId": "ext-ORD-R1"}}]})
        assert found == [{"id": made["id"], "documentNumber": made["id"].split("-", 1)[1],
                          "arInvoice.key": docs[0]["PRRECORDKEY"], "transactionDefinition.id": "Sales Invoice"}]
    assert rest.ok("POST", "/services/core/query", {"object": "order-entry/document::Sales Order", "fields": ["id"],
                                                     "filters": [{"$eq": {"externalId": "ext-ORD-R1"}}]}) == []
    read = rest.ok("GET", f"/objects/order-entry/document::Sales%20Invoice/{made['key']}")
    assert read["lines"][0]["item"]["id"] == "MUG" and read["lines"][0]["txnAmount"] == "50.00"


def test_sales_documents_over_rest_are_refused_as_on_xml(rest, emulator):
    unknown = rest.call("POST", "/objects/order-entry/document::Sales%20Bogus", _sales_invoice("ORD-R2"))
    assert unknown.status_code == 422 and "Invalid transaction type 'Sales Bogus'" in unknown.text
    untyped = rest.call("POST", "/objects/order-entry/document", _sales_invoice("ORD-R3"))
    assert untyped.status_code == 405
    emulator.admin.set_config(rest_document_id="key")
    made = rest.ok("POST", "/objects/order-entry/document::Sales%20Invoice", _sales_invoice("ORD-R4"))
    assert made["id"] == made["key"]


def test_the_credit_a_payment_detail_applies_is_named_as_the_knob_says(rest, emulator, wire):
    today = date.today().isoformat()
    invoice = rest.ok("POST", "/objects/accounts-receivable/invoice", {
        "customer": {"id": "CUST-0001"}, "invoiceDate": today, "dueDate": today,
        "lines": [{"txnAmount": "50", "glAccount": {"id": "4000"}}]})
    credit = rest.ok("POST", "/objects/accounts-receivable/adjustment", {
        "customer": {"id": "CUST-0001"}, "createdDate": today, "lines": [{"txnCurrency": {"amount": "-30"},
                                                                          "glAccount": {"id": "4000"}}]})

    def pay(form: str, amount: str, reference: str):
        return rest.call("POST", "/objects/accounts-receivable/payment", {
            "undepositedGLAccount": {"id": "1000"}, "paymentMethod": "cash", "customer": {"id": "CUST-0001"},
            "documentNumber": reference, "paymentSummary": {"receiptDate": today},
            "paymentDetails": [{"arInvoice": {"key": invoice["key"]}, form: {"key": credit["key"]},
                                "txnCurrency": {"paymentAmount": "5",
                                                {"arAdjustment": "adjustmentAmount", "inlineTxn": "inlineAmount"}[form]:
                                                amount}}]})

    refused = pay("inlineTxn", "10", "CR-1")
    assert refused.status_code == 400 and "/paymentDetails/0/inlineTxn/key is not a valid field" in refused.text
    assert pay("arAdjustment", "10", "CR-2").status_code == 201
    emulator.admin.set_config(rest_credit_detail="inlineTxn")
    assert pay("arAdjustment", "10", "CR-3").status_code == 400
    assert pay("inlineTxn", "20", "CR-4").status_code == 201
    assert _xml_query(wire, "ARINVOICE", ["TOTALDUE", "STATE"], "RECORDNO", invoice["key"]) == [
        {"TOTALDUE": "10.00", "STATE": "Partially Paid"}]
    assert _xml_query(wire, "ARADJUSTMENT", ["STATE"], "RECORDNO", credit["key"]) == [{"STATE": "Paid"}]


def _xml_lines(wire, obj: str, key: str, container: str) -> list[dict[str, str]]:
    answer = wire.call([("r", f"<read><object>{obj}</object><keys>{key}</keys><fields>*</fields></read>")])
    result = answer.result()
    assert result.findtext("status") == "success", answer.http.text
    return [{c.tag: (c.text or "") for c in line} for line in result.find(f"data/{obj}/{container}")]


def test_user_defined_dimensions_on_lines_cross_the_wires_both_ways(rest, wire):
    """Fund and Program (platform objects nsp::fund, nsp::program) on journal-entry, invoice and bill lines:
    written over XML and read over REST as `dimensions.<name>.id`, and written over REST and read over XML."""
    today = date.today()
    xml_date = today.strftime("%m/%d/%Y")
    udds = "<GLDIMFUND>F01</GLDIMFUND><GLDIMPROGRAM>PG-YOUTH</GLDIMPROGRAM>"
    answer = wire.call([("je", f"<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>{xml_date}</BATCH_DATE>"
                               "<BATCH_TITLE>udd</BATCH_TITLE><REFERENCENO>UDD-X</REFERENCENO><ENTRIES>"
                               f"<GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>5</TRX_AMOUNT>{udds}"
                               "</GLENTRY><GLENTRY><ACCOUNTNO>4000</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>5"
                               f"</TRX_AMOUNT>{udds}</GLENTRY></ENTRIES></GLBATCH></create>")])
    assert answer.result().findtext("status") == "success", answer.http.text
    key = answer.result().findtext("data/glbatch/RECORDNO")
    lines = rest.ok("GET", f"/objects/general-ledger/journal-entry/{key}")["lines"]
    assert [(d["dimensions"]["fund"]["id"], d["dimensions"]["program"]["id"]) for d in lines] == [
        ("F01", "PG-YOUTH")] * 2
    assert rest.query("general-ledger/journal-entry-line", ["dimensions.program.id", "dimensions.program.key"],
                      [{"$eq": {"journalEntry.key": key}}])[0]["dimensions.program.id"] == "PG-YOUTH"

    dims = {"fund": {"id": "F02"}, "program": {"id": "PG-YOUTH"}}
    je = rest.ok("POST", "/objects/general-ledger/journal-entry", {**_je("UDD-R"), "lines": [
        {**line, "dimensions": {**line["dimensions"], **dims}} for line in _je("UDD-R")["lines"]]})
    assert {(r["GLDIMFUND"], r["GLDIMPROGRAM"]) for r in _xml_query(
        wire, "GLENTRY", ["GLDIMFUND", "GLDIMPROGRAM"], "BATCHNO", je["key"])} == {("F02", "PG-YOUTH")}
    invoice = rest.ok("POST", "/objects/accounts-receivable/invoice", {
        "customer": {"id": "CUST-0001"}, "invoiceDate": today.isoformat(), "dueDate": today.isoformat(),
        "lines": [{"txnAmount": "10", "glAccount": {"id": "4000"}, "dimensions": dims}]})
    assert [(r["GLDIMFUND"], r["GLDIMPROGRAM"]) for r in _xml_lines(wire, "ARINVOICE", invoice["key"],
                                                                       "ARINVOICEITEMS")] == [("F02", "PG-YOUTH")]
    bill = rest.ok("POST", "/objects/accounts-payable/bill", {
        "billNumber": "UDD-B1", "vendor": {"id": "V-100"}, "createdDate": today.isoformat(),
        "dueDate": today.isoformat(), "lines": [{"glAccount": {"id": "5000"}, "txnAmount": "4", "dimensions": dims}]})
    assert [(r["GLDIMFUND"], r["GLDIMPROGRAM"]) for r in _xml_lines(wire, "APBILL", bill["key"], "APBILLITEMS")] == [
        ("F02", "PG-YOUTH")]
    assert rest.ok("GET", f"/objects/accounts-payable/bill/{bill['key']}")["lines"][0]["dimensions"]["program"][
        "id"] == "PG-YOUTH"
    unknown = rest.call("POST", "/objects/accounts-payable/bill", {
        "billNumber": "UDD-B2", "vendor": {"id": "V-100"}, "createdDate": today.isoformat(),
        "dueDate": today.isoformat(), "lines": [{"glAccount": {"id": "5000"}, "txnAmount": "4",
                                                 "dimensions": {"program": {"id": "NOPE"}}}]})
    assert unknown.status_code == 422 and "NOPE" in unknown.text
    assert [r["id"] for r in rest.query("platform-apps/nsp::program", ["id"], [{"$eq": {"id": "PG-YOUTH"}}])] == [
        "PG-YOUTH"]
