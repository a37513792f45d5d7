

def test_a_write_with_no_rest_shape_fails_alone_with_the_way_out(emu: Any, income_accounts: list[str]) -> None:
    from intacct_bridge.intacct.sales import SalesLine, sales_transaction

    debit, credit = income_accounts[:2]
    sales = sales_transaction("Sales Invoice", "CUST-0001", date(2026, 11, 2), [SalesLine("TSHIRT", Decimal("1"))],
                              controlid="so-1")
    with rest_client(emu) as client:
        refused, posted = client.execute_many([sales, fn.Create("GLBATCH", entry(debit, credit, "so-je"),
                                                                controlid="so-je")])
    assert isinstance(refused, errors.BusinessRuleError) and "XML API" in str(refused) and posted.ok
