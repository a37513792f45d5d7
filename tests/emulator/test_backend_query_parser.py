"""The readByQuery query language: tokenizer, recursive-descent parser and SQL semantics."""

from __future__ import annotations

import pytest

from intacct_emulator.backend.filters import And, Compare, FilterError, IsNull, Not, Or, compile_filter, like_to_glob
from intacct_emulator.backend.legacy_query import parse_query, tokenize
from intacct_emulator.backend.objects import get_object
from intacct_emulator.backend.records import Scope
from intacct_emulator.backend.search import Selection

from backend_helpers import seeded_backend


def test_empty_query_matches_everything() -> None:
    assert parse_query("") is None and parse_query("   ") is None and parse_query(None) is None


def test_precedence_and_parentheses() -> None:
    node = parse_query("A = '1' OR B = '2' AND NOT (C = '3' OR D IS NULL)")
    assert node == Or((
        Compare("A", "=", ("1",)),
        And((Compare("B", "=", ("2",)), Not(Or((Compare("C", "=", ("3",)), IsNull("D")))))),
    ))


def test_every_operator() -> None:
    node = parse_query("a <> 1 and b != 2 and c < 3 and d > 4 and e <= 5 and f >= 6 and g like 'x%' and "
                       "h not like '%y' and i in ('a','b') and j not in (1, 2) and k is null and l IS NOT NULL")
    assert node.items == (
        Compare("a", "<>", ("1",)), Compare("b", "<>", ("2",)), Compare("c", "<", ("3",)), Compare("d", ">", ("4",)),
        Compare("e", "<=", ("5",)), Compare("f", ">=", ("6",)), Compare("g", "like", ("x%",)),
        Compare("h", "like", ("%y",), True), Compare("i", "in", ("a", "b")), Compare("j", "in", ("1", "2"), True),
        IsNull("k"), IsNull("l", True),
    )


def test_quoted_strings_with_escapes_and_keywords_inside() -> None:
    assert parse_query(r"NAME = 'Jane\'s Deli AND sons'") == Compare("NAME", "=", ("Jane's Deli AND sons",))
    assert [t.kind for t in tokenize("X='a'")] == ["word", "op", "string", "end"]


@pytest.mark.parametrize("bad", ["A =", "A = 'open", "(A = '1'", "A ~ 1", "A = '1' B = '2'", "= '1'", "A IN ('1'"])
def test_syntax_errors_say_where(bad: str) -> None:
    with pytest.raises(FilterError, match="Invalid query"):
        parse_query(bad)


def test_like_translates_to_case_sensitive_glob() -> None:
    assert like_to_glob("1%_x*[") == "1*?x[*][[]"


@pytest.fixture(scope="module")
def backend():
    return seeded_backend()


def _accounts(backend, query: str, case_insensitive: bool = False) -> list[str]:
    odef = get_object("GLACCOUNT")
    where, params = compile_filter(odef, parse_query(query), case_insensitive)
    with backend.transaction() as conn:
        rows = Selection(odef, "helping-hands", Scope(), where, tuple(params)).page(conn, "recordno", 1000, 0)
    return [r["ACCOUNTNO"] for r in rows]


def test_semantics_against_the_demo_chart(backend) -> None:
    assert _accounts(backend, "ACCOUNTNO like '10%'") == ["1000", "1010", "1020", "1030"]
    assert _accounts(backend, "STATUS = 'F'") == ["1900", "4950"]  # the legacy T/F spelling of STATUS
    assert _accounts(backend, "STATUS = 'inactive'") == ["1900", "4950"]
    assert _accounts(backend, "ACCOUNTNO in ('1000', '6100') AND NOT STATUS = 'inactive'") == ["1000", "6100"]
    assert _accounts(backend, "REQUIREDEPT = 'true'") == ["6100"]
    assert "6100" not in _accounts(backend, "REQUIREDEPT IS NULL") and "1000" in _accounts(backend, "REQUIREDEPT IS NULL")
    assert _accounts(backend, "title like 'cash%'") == []  # case-sensitive like
    assert len(_accounts(backend, "TITLE like 'cash%'", case_insensitive=True)) == 3
    assert _accounts(backend, "RECORDNO < 3") == ["1000", "1010"]
    assert _accounts(backend, "TITLE not like '%a%' AND TITLE not like '%e%'") == ["4020", "5500"]


def test_unknown_field_is_named(backend) -> None:
    with pytest.raises(FilterError, match="Invalid field NOPE for object GLACCOUNT"):
        _accounts(backend, "NOPE = '1'")


def test_decimal_comparisons_are_exact(backend) -> None:
    from backend_helpers import Caller

    call = Caller(backend)
    data = call.data("<readByQuery><object>ITEM</object><query>BASEPRICE &gt;= 20 AND BASEPRICE &lt; 90.00</query>"
                     "<fields>ITEMID</fields></readByQuery>")
    assert sorted(e.text for e in data.iter("ITEMID")) == ["MEMB-IND", "SVC-CLASS", "TSHIRT"]
    data = call.data("<readByQuery><object>ITEM</object><query>BASEPRICE = 12.5</query><fields>ITEMID</fields>"
                     "</readByQuery>")
    assert [e.text for e in data.iter("ITEMID")] == ["MUG"]
