"""Parser for readByQuery's query strings: a tokenizer and a recursive-descent parser.

Grammar (keywords case-insensitive)::

    expr       := and_expr ("OR" and_expr)*
    and_expr   := unary ("AND" unary)*
    unary      := "NOT" unary | "(" expr ")" | predicate
    predicate  := FIELD ( OP value | ["NOT"] "LIKE" value | ["NOT"] "IN" "(" value ("," value)* ")"
                        | "IS" ["NOT"] "NULL" )
    OP         := = | <> | != | < | > | <= | >=
    value      := 'single-quoted string, \\' escapes a quote' | number | bare word
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .filters import And, Compare, FilterError, IsNull, Node, Not, Or

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>'(?:\\.|''|[^'\\])*')
  | (?P<op><>|!=|<=|>=|=|<|>)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
  | (?P<number>-?\d+(?:\.\d+)?(?![\w.]))
  | (?P<word>[A-Za-z_][\w.]*|\d[\w.]*)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"AND", "OR", "NOT", "LIKE", "IN", "IS", "NULL"}


@dataclass(frozen=True)
class Token:
    kind: str  # string, op, lparen, rparen, comma, number, word, keyword, end
    text: str
    pos: int


def _unquote(literal: str) -> str:
    body = literal[1:-1]
    return re.sub(r"\\(.)|''", lambda m: m.group(1) if m.group(1) is not None else "'", body)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise FilterError(f"Invalid query: unexpected character {text[pos]!r} at position {pos + 1}")
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "string":
            tokens.append(Token("string", _unquote(value), pos))
        elif kind == "word" and value.upper() in _KEYWORDS:
            tokens.append(Token("keyword", value.upper(), pos))
        elif kind != "space":
            tokens.append(Token(kind, value, pos))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def _advance(self) -> Token:
        token = self.current
        self.index += 1
        return token

    def _is(self, kind: str, text: str | None = None) -> bool:
        return self.current.kind == kind and (text is None or self.current.text == text)

    def _accept(self, kind: str, text: str | None = None) -> bool:
        """Step over the current token when it is ``kind`` (and ``text``); say whether it was."""
        if self._is(kind, text):
            self._advance()
            return True
        return False

    def _expect(self, kind: str, text: str | None = None, what: str = "") -> Token:
        if not self._is(kind, text):
            found = self.current.text or "end of query"
            raise FilterError(f"Invalid query: expected {what or text or kind} but found '{found}'"
                              f" at position {self.current.pos + 1}")
        return self._advance()

    def parse(self) -> Node:
        node = self._or()
        self._expect("end", what="end of query")
        return node

    def _chain(self, keyword: str, operand: Callable[[], Node], combine: type[And] | type[Or]) -> Node:
        """``operand (keyword operand)*``: one operand alone, or all of them combined."""
        items = [operand()]
        while self._accept("keyword", keyword):
            items.append(operand())
        return items[0] if len(items) == 1 else combine(tuple(items))

    def _or(self) -> Node:
        return self._chain("OR", self._and, Or)

    def _and(self) -> Node:
        return self._chain("AND", self._unary, And)

    def _unary(self) -> Node:
        if self._accept("keyword", "NOT"):
            return Not(self._unary())
        if self._accept("lparen"):
            node = self._or()
            self._expect("rparen", what="')'")
            return node
        return self._predicate()

    def _value(self) -> str:
        if self.current.kind in ("string", "number", "word"):
            return self._advance().text
        found = self.current.text or "end of query"
        raise FilterError(f"Invalid query: expected a value but found '{found}' at position {self.current.pos + 1}")

    def _predicate(self) -> Node:
        field = self._expect("word", what="a field name").text
        if self._is("op"):
            op = self._advance().text
            return Compare(field, "<>" if op == "!=" else op, (self._value(),))
        negate = self._accept("keyword", "NOT")
        if self._accept("keyword", "LIKE"):
            return Compare(field, "like", (self._value(),), negate)
        if self._accept("keyword", "IN"):
            self._expect("lparen", what="'('")
            items = [self._value()]
            while self._accept("comma"):
                items.append(self._value())
            self._expect("rparen", what="')'")
            return Compare(field, "in", tuple(items), negate)
        if not negate and self._accept("keyword", "IS"):
            is_not = self._accept("keyword", "NOT")
            self._expect("keyword", "NULL", what="NULL")
            return IsNull(field, is_not)
        found = self.current.text or "end of query"
        raise FilterError(f"Invalid query: expected an operator after {field} but found '{found}'")


def parse_query(text: str | None) -> Node | None:
    """The filter tree of a readByQuery query string; None for an empty query (everything)."""
    if text is None or not text.strip():
        return None
    return _Parser(text).parse()
