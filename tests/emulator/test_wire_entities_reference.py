"""Issue 10 in the emulator, over real HTTP: AR terms, tax details, projects, employees and a second UDD as
objects and GL-line dimensions; entity visibility (showprivate at the top level); the user's entity access."""

from __future__ import annotations

GROUP_COMPANY = "helping-hands-group"


def _query(wire, object_name: str, fields: str, *, auth: str, showprivate: bool = False) -> list:
    options = "<options><showprivate>true</showprivate></options>" if showprivate else ""
    answer = wire.call([("q", f"<query><object>{object_name}</object><select>{''.join(f'<field>{f}</field>' for f in fields.split(','))}"
                              f"</select>{options}</query>")], auth=auth)
    result = answer.result()
    assert result.findtext("status") == "success", answer.http.text
    return list(result.find("data"))


def test_reference_objects_and_what_each_level_sees(wire) -> None:
    top = wire.login(GROUP_COMPANY)
    terms = {row.findtext("NAME"): row.findtext("MEGAENTITYID") for row in
             _query(wire, "ARTERM", "NAME,DESCRIPTION,MEGAENTITYID", auth=top, showprivate=True)}
    assert terms["N30"] == "" and terms["N45-WEST"] == "E200"
    assert "N45-WEST" not in {r.findtext("NAME") for r in _query(wire, "ARTERM", "NAME", auth=top)}  # private
    east = wire.login(GROUP_COMPANY, locationid="E100")
    east_projects = {r.findtext("PROJECTID") for r in _query(wire, "PROJECT", "PROJECTID", auth=east)}
    assert {"P-100", "P-E100"} <= east_projects and "P-E200" not in east_projects  # its own and the shared ones
    details = {r.findtext("DETAILID"): r.findtext("VALUE") for r in _query(wire, "TAXDETAIL", "DETAILID,VALUE", auth=top)}
    assert details["ST-CA"] == "7.25"
    employees = _query(wire, "EMPLOYEE", "EMPLOYEEID,PERSONALINFO.CONTACTNAME", auth=top)
    assert {e.findtext("PERSONALINFO/CONTACTNAME") for e in employees} >= {"Dana Whitfield"}
    programs = {r.findtext("id") for r in _query(wire, "PROGRAM", "id,name", auth=top)}
    assert programs == {"PG-YOUTH", "PG-SENIOR", "PG-OLD"}
    dims = wire.call([("d", "<getDimensions/>")], auth=top).result()
    names = {(d.findtext("objectName"), d.findtext("userDefinedDimension")) for d in dims.iter("dimension")}
    assert {("PROJECT", "false"), ("EMPLOYEE", "false"), ("PROGRAM", "true"), ("FUND", "true")} <= names


def _entry(location: str, *extra: str) -> str:
    lines = "".join(
        f"<GLENTRY><ACCOUNTNO>{account}</ACCOUNTNO><TR_TYPE>{tr}</TR_TYPE><TRX_AMOUNT>10.00</TRX_AMOUNT>"
        f"<LOCATION>{location}</LOCATION>{''.join(extra)}</GLENTRY>" for account, tr in (("1100", "1"), ("4000", "-1")))
    return (f"<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>12/01/2026</BATCH_DATE><BATCH_TITLE>t</BATCH_TITLE>"
            f"<ENTRIES>{lines}</ENTRIES></GLBATCH></create>")


def test_gl_lines_take_the_new_dimensions_and_only_values_the_entity_sees(wire) -> None:
    east = wire.login(GROUP_COMPANY, locationid="E100")
    ok = wire.call([("ok", _entry("100-HQ", "<PROJECTID>P-E100</PROJECTID>", "<EMPLOYEEID>EMP-E100</EMPLOYEEID>",
                                  "<GLDIMPROGRAM>PG-YOUTH</GLDIMPROGRAM>"))], auth=east).result()
    assert ok.findtext("status") == "success", ok.findtext("errormessage/error/description")
    foreign = wire.call([("no", _entry("200-HQ"))], auth=east).result()
    assert foreign.findtext("status") == "failure"
    assert "200-HQ" in foreign.findtext("errormessage/error/description")
    unknown = wire.call([("no", _entry("100-HQ", "<PROJECTID>P-NOPE</PROJECTID>"))], auth=east).result()
    assert "Project P-NOPE on line 1 does not exist" in unknown.findtext("errormessage/error/description")


def test_a_user_restricted_to_some_entities(wire) -> None:
    reach = wire.call([("open", "<getAPISession/>")], auth=wire.login(GROUP_COMPANY, user="ws_east", locationid="E100"))
    assert reach.result().findtext("data/api/locationid") == "E100"
    session = reach.result().findtext("data/api/sessionid")
    other = wire.call([("open", "<getAPISession><locationid>E300</locationid></getAPISession>")],
                      auth=wire.session(session)).result()
    assert other.findtext("status") == "failure"
    assert other.findtext("errormessage/error/description2") == (
        "User 'ws_east' does not have access to entity 'E300' of company 'helping-hands-group'.")
    top = wire.call([("open", "<getAPISession/>")], auth=wire.login(GROUP_COMPANY, user="ws_east"))
    assert top.auth_status == "failure"
    error = top.auth_errors[0]
    assert (error.findtext("errorno"), error.findtext("description")) == ("XL03000006", "Invalid location")
    assert "the top level" in error.findtext("description2") and error.findtext("correction")
