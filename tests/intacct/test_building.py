"""Request building without a server: values, function builders, filters, the envelope."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from lxml import etree

from intacct_bridge.intacct import Credentials, functions as fn, query as q
from intacct_bridge.intacct.envelope import LoginAuth, SessionAuth, build_request
from intacct_bridge.intacct.xml import MalformedXml, append_value, element_to_value, parse_xml


def xml_of(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode")


def write(value, style="generic") -> str:
    root = etree.Element("r")
    append_value(root, "V", value, style)
    return xml_of(root)


CREDS = Credentials("sender", "sender-secret", "acme", "api_user", "user-secret")


class TestValues:
    def test_scalars_in_gateway_formats(self):
        assert write(Decimal("1500.00")) == "<r><V>1500.00</V></r>"
        assert write(Decimal("1E+3")) == "<r><V>1000</V></r>"  # never an exponent
        assert write(True) == "<r><V>true</V></r>" and write(False) == "<r><V>false</V></r>"
        assert write(-1) == "<r><V>-1</V></r>"
        assert write(date(2025, 6, 30)) == "<r><V>06/30/2025</V></r>"
        assert write(datetime(2025, 6, 30, 14, 5, 9)) == "<r><V>06/30/2025 14:05:09</V></r>"

    def test_legacy_dates_are_split(self):
        assert write(date(2025, 6, 3), "legacy") == "<r><V><year>2025</year><month>6</month><day>3</day></V></r>"

    def test_float_and_unknown_types_are_refused(self):
        with pytest.raises(TypeError, match="Decimal"):
            write(10.5)
        with pytest.raises(TypeError):
            write(object())
        with pytest.raises(ValueError):
            write(Decimal("NaN"))

    def test_text_is_escaped_and_none_omitted(self):
        assert write("Smith & <Sons>") == "<r><V>Smith &amp; &lt;Sons&gt;</V></r>"
        assert write(None) == "<r/>"

    def test_nested_dicts_and_lists_round_trip(self):
        record = {"A": "1", "ENTRIES": {"GLENTRY": [{"X": "1"}, {"X": "2"}]}, "EMPTY": ""}
        root = etree.Element("R")
        for k, v in record.items():
            append_value(root, k, v)
        assert element_to_value(root) == record


class TestHardenedParser:
    def test_entities_and_doctype_are_refused(self):
        evil = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
        with pytest.raises(MalformedXml):
            parse_xml(evil)
        with pytest.raises(MalformedXml, match="DOCTYPE"):
            parse_xml(b'<!DOCTYPE r><r/>')

    def test_garbage_and_empty(self):
        for body in (b"", b"   ", b"<html><body>oops", b"not xml"):
            with pytest.raises(MalformedXml):
                parse_xml(body)


class TestGenericBuilders:
    def test_controlid_defaults_to_a_fresh_uuid(self):
        a, b = fn.Lookup("GLBATCH"), fn.Lookup("GLBATCH")
        assert a.controlid != b.controlid and len(a.controlid) == 36
        assert fn.Lookup("GLBATCH", controlid="mine").controlid == "mine"

    def test_create_several_records(self):
        f = fn.Create("CLASS", [{"CLASSID": "C1", "NAME": "One"}, {"CLASSID": "C2", "NAME": "Two"}])
        assert f.is_write and f.record_count == 2
        assert xml_of(f.to_element()) == (
            "<create><CLASS><CLASSID>C1</CLASSID><NAME>One</NAME></CLASS>"
            "<CLASS><CLASSID>C2</CLASSID><NAME>Two</NAME></CLASS></create>"
        )
        with pytest.raises(ValueError):
            fn.Create("CLASS", [])

    def test_update_and_delete(self):
        assert xml_of(fn.Update("CUSTOMER", {"CUSTOMERID": "C1", "NAME": "N"}).to_element()) == (
            "<update><CUSTOMER><CUSTOMERID>C1</CUSTOMERID><NAME>N</NAME></CUSTOMER></update>")
        d = fn.Delete("GLBATCH", [12, 13])
        assert d.is_write and d.record_count == 2
        assert xml_of(d.to_element()) == "<delete><object>GLBATCH</object><keys>12,13</keys></delete>"

    def test_read_and_read_by_name(self):
        assert xml_of(fn.Read("GLACCOUNT", keys=[1, 2]).to_element()) == (
            "<read><object>GLACCOUNT</object><keys>1,2</keys><fields>*</fields><returnFormat>xml</returnFormat></read>")
        r = fn.ReadByName("GLACCOUNT", keys="1000", fields=["ACCOUNTNO", "TITLE"])
        assert not r.is_write and "<readByName><object>GLACCOUNT</object><keys>1000</keys><fields>ACCOUNTNO,TITLE</fields>" in xml_of(r.to_element())
        with pytest.raises(ValueError, match="100"):
            fn.Read("GLACCOUNT", keys=list(range(101)))

    def test_read_by_query_and_read_more(self):
        f = fn.ReadByQuery("DEPARTMENT", query=q.eq("STATUS", "active"), page_size=1000)
        assert xml_of(f.to_element()) == (
            "<readByQuery><object>DEPARTMENT</object><fields>*</fields><query>STATUS = 'active'</query>"
            "<pagesize>1000</pagesize><returnFormat>xml</returnFormat></readByQuery>")
        with pytest.raises(ValueError):
            fn.ReadByQuery("DEPARTMENT", page_size=1001)
        assert xml_of(fn.ReadMore("abc").to_element()) == "<readMore><resultId>abc</resultId></readMore>"

    def test_query_in_sdk_order(self):
        f = fn.Query("GLBATCH", ["RECORDNO", "BATCH_DATE"],
                     filter=q.eq("JOURNAL", "GJ") & q.ge("WHENMODIFIED", date(2025, 1, 1)),
                     order_by=["RECORDNO", ("BATCH_DATE", "desc")], page_size=2000, offset=4000, case_insensitive=True)
        assert xml_of(f.to_element()) == (
            "<query><select><field>RECORDNO</field><field>BATCH_DATE</field></select><object>GLBATCH</object>"
            "<filter><and><equalto><field>JOURNAL</field><value>GJ</value></equalto>"
            "<greaterthanorequalto><field>WHENMODIFIED</field><value>01/01/2025</value></greaterthanorequalto></and></filter>"
            "<orderby><order><field>RECORDNO</field><ascending/></order><order><field>BATCH_DATE</field><descending/></order></orderby>"
            "<options><caseinsensitive>true</caseinsensitive></options><pagesize>2000</pagesize><offset>4000</offset></query>")
        with pytest.raises(ValueError):
            fn.Query("GLBATCH", ["RECORDNO"], page_size=2001)
        with pytest.raises(ValueError):
            fn.Query("GLBATCH", "*")

    def test_metadata_functions(self):
        assert xml_of(fn.Lookup("GLBATCH").to_element()) == "<lookup><object>GLBATCH</object></lookup>"
        assert xml_of(fn.Inspect("CUSTOMER", detail=True).to_element()) == '<inspect detail="1"><object>CUSTOMER</object></inspect>'
        assert xml_of(fn.GetDimensions().to_element()) == "<getDimensions/>"
        assert xml_of(fn.GetAPISession().to_element()) == "<getAPISession/>"
        assert xml_of(fn.GetAPISession(location_id="").to_element()) == "<getAPISession><locationid/></getAPISession>"
        assert xml_of(fn.GetAPISession(location_id="E100").to_element()) == "<getAPISession><locationid>E100</locationid></getAPISession>"


class TestLegacyBuilders:
    def test_create_invoice_fields_in_schema_order_with_split_dates(self):
        f = fn.CreateInvoice({
            "invoiceitems": [{"memo": "m", "amount": Decimal("25.00"), "glaccountno": "4000"}],
            "description": "d", "datecreated": date(2025, 7, 1), "customerid": "C1",
        }, controlid="inv-1")
        assert f.is_write and f.name == "create_invoice" and f.controlid == "inv-1"
        assert xml_of(f.to_element()) == (
            "<create_invoice><customerid>C1</customerid>"
            "<datecreated><year>2025</year><month>7</month><day>1</day></datecreated><description>d</description>"
            "<invoiceitems><lineitem><glaccountno>4000</glaccountno><amount>25.00</amount><memo>m</memo></lineitem>"
            "</invoiceitems></create_invoice>")

    def test_required_fields(self):
        with pytest.raises(ValueError, match="customerid"):
            fn.CreateInvoice({"datecreated": date(2025, 1, 1), "invoiceitems": [{"amount": Decimal(1)}]})
        with pytest.raises(ValueError, match="sotransitems"):
            fn.CreateSoTransaction({"transactiontype": "Sales Invoice", "datecreated": date(2025, 1, 1)})

    def test_sotransaction_and_arpayment(self):
        so = fn.CreateSoTransaction({"sotransitems": [{"quantity": 2, "itemid": "I1"}], "customerid": "C1",
                                     "datecreated": date(2025, 1, 2), "transactiontype": "Sales Invoice"})
        assert xml_of(so.to_element()).startswith(
            "<create_sotransaction><transactiontype>Sales Invoice</transactiontype><datecreated>")
        assert "<sotransitems><sotransitem><itemid>I1</itemid><quantity>2</quantity></sotransitem></sotransitems>" in xml_of(so.to_element())
        pay = fn.CreateArPayment({"paymentmethod": "Cash", "datereceived": date(2025, 1, 3), "paymentamount": Decimal("9.99"),
                                  "customerid": "C1", "arpaymentitem": [{"invoicekey": "7", "amount": Decimal("9.99")}]})
        text = xml_of(pay.to_element())
        assert text.index("<customerid>") < text.index("<paymentamount>") < text.index("<datereceived>") < text.index("<paymentmethod>") < text.index("<arpaymentitem>")

    def test_get_icitemtotals_is_a_read(self):
        f = fn.GetIcItemTotals(warehouseid="W1", itemid="I1")
        assert not f.is_write
        assert xml_of(f.to_element()) == "<get_icitemtotals><itemid>I1</itemid><warehouseid>W1</warehouseid></get_icitemtotals>"
        assert xml_of(fn.GetIcItemTotals().to_element()) == "<get_icitemtotals/>"


class TestFilters:
    @pytest.mark.parametrize("cond, element, sql", [
        (q.eq("A", "x"), "<equalto><field>A</field><value>x</value></equalto>", "A = 'x'"),
        (q.ne("A", 1), "<notequalto><field>A</field><value>1</value></notequalto>", "A != 1"),
        (q.lt("A", Decimal("2.50")), "<lessthan><field>A</field><value>2.50</value></lessthan>", "A < 2.50"),
        (q.le("A", 2), "<lessthanorequalto><field>A</field><value>2</value></lessthanorequalto>", "A <= 2"),
        (q.gt("A", 2), "<greaterthan><field>A</field><value>2</value></greaterthan>", "A > 2"),
        (q.ge("A", 2), "<greaterthanorequalto><field>A</field><value>2</value></greaterthanorequalto>", "A >= 2"),
        (q.between("D", date(2025, 1, 1), date(2025, 1, 31)),
         "<between><field>D</field><value>01/01/2025</value><value>01/31/2025</value></between>",
         "D BETWEEN '01/01/2025' AND '01/31/2025'"),
        (q.in_("J", ["GJ", "ADJ"]), "<in><field>J</field><value>GJ</value><value>ADJ</value></in>", "J IN ('GJ', 'ADJ')"),
        (q.not_in("J", ["GJ"]), "<notin><field>J</field><value>GJ</value></notin>", "J NOT IN ('GJ')"),
        (q.like("N", "Ac%"), "<like><field>N</field><value>Ac%</value></like>", "N LIKE 'Ac%'"),
        (q.not_like("N", "%x"), "<notlike><field>N</field><value>%x</value></notlike>", "N NOT LIKE '%x'"),
        (q.is_null("P"), "<isnull><field>P</field></isnull>", "P IS NULL"),
        (q.is_not_null("P"), "<isnotnull><field>P</field></isnotnull>", "P IS NOT NULL"),
    ])
    def test_operators(self, cond, element, sql):
        assert xml_of(cond.to_element()) == element
        assert cond.to_sql() == sql

    def test_groups_nest_and_flatten(self):
        f = q.eq("A", 1) & q.eq("B", 2) & (q.eq("C", 3) | q.eq("D", 4))
        assert xml_of(f.to_element()).startswith("<and><equalto><field>A</field>")
        assert f.to_sql() == "A = 1 AND B = 2 AND (C = 3 OR D = 4)"
        assert q.and_(q.eq("A", 1)) == q.eq("A", 1)

    def test_quotes_are_escaped_in_strings(self):
        assert q.eq("NAME", "Jane's Deli").to_sql() == "NAME = 'Jane\\'s Deli'"

    def test_empty_lists_are_refused(self):
        with pytest.raises(ValueError):
            q.in_("A", [])
        with pytest.raises(ValueError):
            q.and_()


class TestEnvelope:
    def test_login_request(self):
        body = build_request(CREDS.for_entity("E100"), LoginAuth(CREDS.for_entity("E100")), [fn.GetAPISession(controlid="f-1")],
                             uniqueid=False, controlid="req-1")
        root = parse_xml(body)
        assert [c.tag for c in root.find("control")] == ["senderid", "password", "controlid", "uniqueid", "dtdversion", "includewhitespace"]
        assert root.findtext("control/uniqueid") == "false"
        login = root.find("operation/authentication/login")
        assert [c.tag for c in login] == ["userid", "companyid", "password", "locationid"]
        assert login.findtext("locationid") == "E100"
        assert root.find("operation").get("transaction") == "false"
        assert root.find("operation/content/function").get("controlid") == "f-1"

    def test_session_request_with_transaction(self):
        functions = [fn.Lookup("A", controlid="a"), fn.Lookup("B", controlid="b")]
        root = parse_xml(build_request(CREDS, SessionAuth("sess-123"), functions, uniqueid=True, transaction=True))
        assert root.findtext("operation/authentication/sessionid") == "sess-123"
        assert root.find("operation").get("transaction") == "true"
        assert root.findtext("control/uniqueid") == "true"
        assert [f.get("controlid") for f in root.iter("function")] == ["a", "b"]
        with pytest.raises(ValueError):
            build_request(CREDS, SessionAuth("s"), [], uniqueid=False)
