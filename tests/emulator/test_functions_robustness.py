"""Odd inputs never crash a handler: each answers success or a FunctionFailure."""

from __future__ import annotations

import pytest

from intacct_emulator.functions import HANDLERS, FunctionFailure

from backend_helpers import Caller, seeded_backend

BIG = "9" * 40
ODD_CALLS = [
    "<read><object>GLACCOUNT</object><keys>abc,-1,99999999999999999999999,</keys></read>",
    f"<readByName><object>GLACCOUNT</object><keys>{BIG}</keys></readByName>",
    "<readByQuery><object>GLACCOUNT</object><query>RECORDNO = 99999999999999999999999</query></readByQuery>",
    "<readByQuery><object>ITEM</object><query>BASEPRICE &gt; 1e999999</query></readByQuery>",
    "<readByQuery><!-- c --><object>GLACCOUNT</object><query>RECORDNO = 'x'</query></readByQuery>",
    "<readByQuery><object/><query/></readByQuery>",
    "<readMore/>",
    f"<query><select><field>ACCOUNTNO</field></select><object>GLACCOUNT</object><offset>{BIG}</offset></query>",
    f"<query><select><field>ACCOUNTNO</field></select><object>GLACCOUNT</object><pagesize>{BIG}</pagesize></query>",
    "<query><select><sum>TITLE</sum></select><object>GLACCOUNT</object></query>",
    "<query><object>GLACCOUNT</object></query>",
    "<query><select><field>ACCOUNTNO</field></select><object>GLACCOUNT</object><filter/></query>",
    "<query><select><field>ACCOUNTNO</field></select><object>GLACCOUNT</object><filter><and><equalto>"
    "<field>ACCOUNTNO</field><value>1</value></equalto></and></filter></query>",
    "<query><select><field>ACCOUNTNO</field></select><object>GLACCOUNT</object><filter><between>"
    "<field>ACCOUNTNO</field><value>1</value></between></filter></query>",
    "<create/>",
    "<create><!-- only a comment --></create>",
    f"<create><ITEM><ITEMID>X</ITEMID><NAME>x</NAME><ITEMTYPE>Kit</ITEMTYPE><BASEPRICE>{BIG}</BASEPRICE></ITEM></create>",
    "<create><ITEM><ITEMID>X</ITEMID><NAME>x</NAME><ITEMTYPE>Kit</ITEMTYPE><BASEPRICE>1e999999</BASEPRICE></ITEM></create>",
    f"<update><GLACCOUNT><RECORDNO>{BIG}</RECORDNO></GLACCOUNT></update>",
    "<update><GLACCOUNT><TITLE>no key</TITLE></GLACCOUNT></update>",
    "<delete><object>GLACCOUNT</object><keys>x,y</keys></delete>",
    "<delete><object>GLACCOUNT</object></delete>",
    "<create><GLBATCH><ENTRIES><GLENTRY/><GLENTRY/></ENTRIES></GLBATCH></create>",
    "<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>02/30/2026</BATCH_DATE><BATCH_TITLE>t</BATCH_TITLE>"
    "</GLBATCH></create>",
    "<create><ARPYMT><CUSTOMERID>CUST-0001</CUSTOMERID><PAYMENTMETHOD>Cash</PAYMENTMETHOD>"
    f"<RECEIPTDATE>07/01/2026</RECEIPTDATE><UNDEPOSITEDACCOUNTNO>1100</UNDEPOSITEDACCOUNTNO><ARPYMTDETAILS>"
    f"<ARPYMTDETAIL><RECORDKEY>{BIG}</RECORDKEY><TRX_PAYMENTAMOUNT>1</TRX_PAYMENTAMOUNT></ARPYMTDETAIL>"
    "</ARPYMTDETAILS></ARPYMT></create>",
    "<create_invoice/>",
    "<create_invoice><customerid>CUST-0001</customerid><datecreated><year>x</year></datecreated></create_invoice>",
    f"<create_arpayment><customerid>CUST-0001</customerid><paymentamount>{BIG}</paymentamount></create_arpayment>",
    "<create_sotransaction><transactiontype>Sales Invoice</transactiontype></create_sotransaction>",
    "<create_sotransaction><transactiontype>Sales Invoice</transactiontype><datecreated><year>2026</year>"
    "<month>7</month><day>1</day></datecreated><customerid>CUST-0001</customerid><sotransitems><sotransitem>"
    f"<itemid>MUG</itemid><quantity>{BIG}</quantity></sotransitem></sotransitems></create_sotransaction>",
    "<get_icitemtotals><itemid/></get_icitemtotals>",
    "<delete_invoice/>",
    "<delete_sotransaction key=''/>",
    "<delete_customer/>",
    "<lookup/>",
    "<inspect detail='7'><object>GLACCOUNT</object></inspect>",
]


@pytest.fixture(scope="module")
def call() -> Caller:
    return Caller(seeded_backend())


@pytest.mark.parametrize("xml", ODD_CALLS)
def test_odd_input_is_a_clean_answer(call: Caller, xml: str) -> None:
    try:
        call(xml)
    except FunctionFailure as failure:
        assert failure.errors and all(e.errorno and e.description for e in failure.errors)


def test_every_handler_is_registered() -> None:
    expected = {"readByQuery", "readMore", "read", "readByName", "query", "lookup", "inspect", "getDimensions",
                "create", "update", "delete", "create_invoice", "create_arpayment", "create_sotransaction", "create_gltransaction", "delete_gltransaction",
                "get_icitemtotals", "delete_invoice", "delete_sotransaction", "delete_customer", "delete_vendor",
                "delete_item", "delete_location", "delete_department", "delete_class", "delete_glaccount"}
    assert expected <= set(HANDLERS)
