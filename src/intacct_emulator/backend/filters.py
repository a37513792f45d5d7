"""Filter trees shared by readByQuery (parsed from text) and query (built from XML), compiled to SQL.

Comparison semantics follow the field type from the catalogue: text and enums
compare as stored (case-sensitive unless asked otherwise), dates as ISO strings,
integers as integers, decimals exactly (a Decimal-based SQLite function, never a
float). Empty values count as NULL, as on the real (Oracle-backed) gateway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Union

from . import values
from .catalogue import DATE, DECIMAL, INTEGER, TIMESTAMP, Field, ObjectDef
from .relations import related_field, related_sql

COMPARISONS = ("=", "<>", "<", ">", "<=", ">=")


class FilterError(ValueError):
    """A filter that cannot run: unknown field, bad operator or operand. The message names the culprit."""


@dataclass(frozen=True)
class Compare:
    field: str
    op: str  # one of COMPARISONS, "like", "in", "between"
    operands: tuple[str, ...]
    negate: bool = False  # not like / not in


@dataclass(frozen=True)
class IsNull:
    field: str
    negate: bool = False


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Union[Compare, IsNull, And, Or, Not]

_COLUMNS = {"RECORDNO": "recordno"}


def resolve_field(odef: ObjectDef, name: str) -> Field:
    """The catalogue field called ``name`` (or a related object's, ``CUSTOMER.NAME``), or a FilterError naming it."""
    field = odef.field(name) or related_field(odef, name)
    if field is None:
        raise FilterError(f"Invalid field {name} for object {odef.name}")
    return field


def field_sql(odef: ObjectDef, field: Field, *, indexable: bool = False) -> str:
    """SQL for a field's stored value; NULL when empty. Indexed key columns are used where they exist.

    ``indexable`` gives the bare key column (no NULLIF) so that SQLite can use its index; only
    positive tests of a non-empty value (=, IN) may ask for it, as '' never equals them anyway.
    """
    if field.name in _COLUMNS:
        return _COLUMNS[field.name]
    if odef.field(field.name) is None:
        return related_sql(odef, field.name)
    for column, key in (("id_value", odef.id_field), ("name_value", odef.name_field), ("ref_value", odef.ref_field)):
        if key == field.name:
            return column if indexable else f"NULLIF({column}, '')"
    return f"NULLIF(json_extract(fields, '$.\"{field.name}\"'), '')"


def sort_sql(odef: ObjectDef, field: Field) -> str:
    """An ORDER BY expression that sorts the field by its type."""
    expr = field_sql(odef, field)
    if field.type == INTEGER:
        return f"CAST({expr} AS INTEGER)"
    if field.type == DECIMAL:
        return f"{expr} COLLATE ia_decimal"
    return expr


def like_to_glob(pattern: str) -> str:
    """Translate a SQL LIKE pattern into a case-sensitive GLOB pattern."""
    special = re.compile(r"([*?\[\]])")
    out = []
    for char in pattern:
        if char == "%":
            out.append("*")
        elif char == "_":
            out.append("?")
        else:
            out.append(special.sub(r"[\1]", char))
    return "".join(out)


class Compiler:
    """Compile a filter tree into a SQL condition and its parameters for one object."""

    def __init__(self, odef: ObjectDef, case_insensitive: bool = False) -> None:
        self.odef = odef
        self.case_insensitive = case_insensitive
        self.params: list[Any] = []

    def compile(self, node: Node | None) -> str:
        if node is None:
            return "1=1"
        if isinstance(node, And):
            return "(" + " AND ".join(self.compile(i) for i in node.items) + ")"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.compile(i) for i in node.items) + ")"
        if isinstance(node, Not):
            return f"(NOT COALESCE({self.compile(node.item)}, 0))"
        if isinstance(node, IsNull):
            expr = field_sql(self.odef, resolve_field(self.odef, node.field))
            return f"({expr} IS {'NOT ' if node.negate else ''}NULL)"
        return self._compare(node)

    def _operand(self, field: Field, text: str) -> Any:
        value = values.operand(field, text)
        if field.type == INTEGER:
            try:
                number = int(str(value).strip())
            except ValueError:
                raise FilterError(f"'{text}' is not a valid integer for field {field.name}") from None
            if abs(number) >= 2**63:
                raise FilterError(f"'{text}' is out of range for field {field.name}")
            return number
        if field.type == DECIMAL:
            try:
                return str(values.parse_decimal(str(value)))
            except values.ValueError_:
                raise FilterError(f"'{text}' is not a valid number for field {field.name}") from None
        if self.case_insensitive and isinstance(value, str):
            return value.lower()
        return value

    def _expr(self, field: Field, operand: Any, indexable: bool = False) -> str:
        expr = field_sql(self.odef, field, indexable=indexable)
        if field.type == INTEGER:
            return f"CAST({expr} AS INTEGER)"
        if field.type == TIMESTAMP and isinstance(operand, str) and len(operand) == 10:
            return f"substr({expr}, 1, 10)"
        if self.case_insensitive and field.type not in (DATE, TIMESTAMP, DECIMAL):
            return f"lower({expr})"
        return expr

    def _bind(self, value: Any) -> str:
        self.params.append(value)
        return "?"

    def _compare(self, node: Compare) -> str:
        field = resolve_field(self.odef, node.field)
        ops = [self._operand(field, t) for t in node.operands]
        if not ops:
            raise FilterError(f"Missing value for field {field.name}")
        positive = node.op in ("=", "in") and not node.negate and all(v != "" for v in ops)
        expr = self._expr(field, ops[0], indexable=positive)
        if field.type == DECIMAL:
            expr = f"ia_deccmp({field_sql(self.odef, field)}, {{}})"
        sql = self._condition(node, field, expr, ops)
        return f"(NOT COALESCE({sql}, 0))" if node.negate else sql

    def _condition(self, node: Compare, field: Field, expr: str, ops: list[Any]) -> str:
        decimal = field.type == DECIMAL
        if node.op == "like":
            if decimal:
                expr = field_sql(self.odef, field)
            return f"({expr} GLOB {self._bind(like_to_glob(str(ops[0])))})"
        if node.op == "in":
            if decimal:
                return "(" + " OR ".join(f"{expr.format(self._bind(v))} = 0" for v in ops) + ")"
            return f"({expr} IN ({', '.join(self._bind(v) for v in ops)}))"
        if node.op == "between":
            if len(ops) != 2:
                raise FilterError(f"between on {field.name} needs two values")
            low, high = (Compare(node.field, ">=", (node.operands[0],)), Compare(node.field, "<=", (node.operands[1],)))
            return f"({self._compare(low)} AND {self._compare(high)})"
        if node.op not in COMPARISONS:
            raise FilterError(f"Unknown operator {node.op}")
        if decimal:
            return f"({expr.format(self._bind(ops[0]))} {node.op} 0)"
        return f"({expr} {node.op} {self._bind(ops[0])})"


def compile_filter(odef: ObjectDef, node: Node | None, case_insensitive: bool = False) -> tuple[str, list[Any]]:
    """SQL condition and parameters selecting the records that match ``node``."""
    compiler = Compiler(odef, case_insensitive)
    return compiler.compile(node), compiler.params
