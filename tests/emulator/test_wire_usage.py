"""Usage counters (reference §7 billing) as `GET /_emulator/usage` reports them."""

from __future__ import annotations


def test_billing_counts_writes_failures_and_aborts(probe):
    probe.call([("f1", probe.write("a")), ("f2", probe.write("b")), ("f3", probe.write("bad"))])  # 1 + 1 + failed 1
    probe.call([("t1", probe.write("c")), ("t2", probe.write("bad"))], transaction="true")      # aborted 1 + failed 1
    probe.call([("s", "<getAPISession/>")])                                                     # 0
    usage = probe.admin.usage()["helping-hands"]
    assert usage["requests"] == 3
    assert usage["api_transactions"] == 5
    assert (usage["functions_succeeded"], usage["functions_failed"], usage["functions_aborted"]) == (3, 2, 1)


def test_duplicates_and_layer_failures_are_counted(probe):
    probe.call([("once", probe.write("a"))], uniqueid="true")
    probe.call([("once", probe.write("a"))], uniqueid="true")
    probe.call([("f", "<getAPISession/>")], auth=probe.login(password="wrong"))
    probe.call([("f", "<getAPISession/>")], sender=("rogue-sender", "rogue-pw"))
    probe.post(b"<request>")
    usage = probe.admin.usage()
    company = usage["helping-hands"]
    assert company["duplicates"] == 1
    assert company["api_transactions"] == 2  # the write and the rejected duplicate
    assert company["authentication_failures"] == 1
    assert company["control_failures"] == 1
    assert company["requests"] == 4
    assert usage[""]["control_failures"] == 1  # malformed XML names no company


def test_counters_are_per_company_and_reset(probe):
    probe.call([("f", probe.write("a"))])
    probe.call([("f", probe.write("b"))], auth=probe.login("helping-hands-group"))
    usage = probe.admin.usage()
    assert usage["helping-hands"]["api_transactions"] == 1
    assert usage["helping-hands-group"]["api_transactions"] == 1
    probe.admin.reset_usage()
    assert probe.admin.usage() == {}
