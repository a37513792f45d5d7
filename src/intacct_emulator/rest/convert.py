"""REST JSON <-> stored records, through the field maps of `objects` and the backend's catalogue.

Input: nested JSON is flattened to dotted names (`glAccount.id`), each mapped to
its stored field and normalised by the catalogue's type (dates, decimals, enums);
a reference given as `{"key": ...}` is resolved to the record's id. Output: the
stored fields back into nested JSON, references as `{key, id, href}`, enums in
REST spelling (camel case: "Printed Check" <-> "printedCheck", TR_TYPE 1 <-> debit).
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable
from typing import Any

from intacct_emulator.backend.catalogue import BOOLEAN, ENUM, Field, ObjectDef
from intacct_emulator.backend.objects import get_object
from intacct_emulator.backend.records import EVERYTHING, Record, find_by_id, get_record
from intacct_emulator.backend.values import ValueError_, canonical_enum, to_storage

from .envelope import RestError, bad_request
from .objects import OBJECTS, FieldMap, RestObject

Lookup = Callable[[str, str], "Record | None"]  # (backend object, id) -> record


def camel(stored: str) -> str:
    words = [w for w in re.split(r"[^0-9A-Za-z]+", stored) if w]
    if not words:
        return stored
    return words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])


def enum_to_rest(fmap: FieldMap, stored: str) -> str:
    for stored_value, rest_value in fmap.values:
        if stored == stored_value:
            return rest_value
    return camel(stored)


def enum_to_stored(fmap: FieldMap, field: Field, given: str) -> str:
    for stored_value, rest_value in fmap.values:
        if given == rest_value:
            return stored_value
    exact = canonical_enum(field, given)
    if exact is not None:
        return exact
    folded = given.casefold()
    match = next((v for v in field.values if camel(v).casefold() == folded), None)
    if match is None:
        allowed = ", ".join(enum_to_rest(fmap, v) for v in field.values)
        raise bad_request(f"/{fmap.rest} has invalid value '{given}'; valid values are: {allowed}",
                          error_id="REST-1043", target=f"/{fmap.rest}")
    return match


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format(decimal.Decimal(str(value)), "f")
    if isinstance(value, str):
        return value
    raise bad_request(f"Unsupported value {value!r}")


def flatten(body: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"a": {"b": 1}}` -> `{"a.b": 1}`; lists stay as values."""
    flat: dict[str, Any] = {}
    for name, value in body.items():
        dotted = f"{prefix}{name}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _ignored(robj: RestObject, dotted: str, lines_name: str | None) -> bool:
    return any(dotted == p or dotted.startswith(p + ".") for p in robj.ignored) or dotted == lines_name


def stored_fields(robj: RestObject, fmaps: Callable[[str], FieldMap | None], field_of: Callable[[str], Field | None],
                  body: dict[str, Any], lookup: Lookup, *, unknown: str, where: str = "",
                  skip: tuple[str, ...] = ()) -> Record:
    """One JSON object (a header or a line) as stored fields."""
    record: Record = {}
    for dotted, value in flatten(body).items():
        if dotted in skip or _ignored(robj, dotted, None):
            continue
        fmap = fmaps(dotted)
        key_ref = None
        if fmap is None and dotted.endswith(".key"):
            key_ref = fmaps(dotted[:-4] + ".id")
            if key_ref is not None and key_ref.ref is None:
                key_ref = None
        if fmap is None and key_ref is None:
            if unknown == "ignore":
                continue
            raise bad_request(f"/{where}{dotted} is not a valid field", error_id="REST-1043", target=f"/{where}{dotted}")
        fmap = fmap or key_ref
        assert fmap is not None
        if fmap.readonly:
            if dotted in ("key", "id"):
                continue
            raise bad_request(f"/{where}{dotted} is read-only", error_id="REST-1043", target=f"/{where}{dotted}")
        text = text_of(value)
        if key_ref is not None and text:
            target = get_record_any(lookup, key_ref.ref or "", text)
            if target is None:
                raise RestError(422, "operationFailed", f"/{where}{dotted}: no {key_ref.ref} with key {text}")
            target_def = get_object(key_ref.ref or "")
            text = str(target.get(target_def.id_field or "RECORDNO", "")) if target_def else text
        field = field_of(fmap.stored)
        if field is not None and text:
            if field.type == ENUM:
                text = enum_to_stored(fmap, field, text)
            try:
                text = to_storage(field, text)
            except ValueError_ as exc:
                raise bad_request(f"/{where}{dotted}: {exc}", error_id="REST-1043", target=f"/{where}{dotted}") from None
        record[fmap.stored] = text
    return record


def get_record_any(lookup: Lookup, object_name: str, key: str) -> Record | None:
    return lookup(object_name, "#" + key)


def to_stored(robj: RestObject, odef: ObjectDef, body: dict[str, Any], lookup: Lookup, *,
              unknown: str) -> tuple[Record, list[dict[str, Any]] | None]:
    """The header in stored form and the raw line objects (None when the body has no lines)."""
    if not isinstance(body, dict):
        raise bad_request("A record must be a JSON object")
    lines_name = robj.lines.rest if robj.lines else None
    raw_lines = body.get(lines_name) if lines_name else None
    if raw_lines is not None and not isinstance(raw_lines, list):
        raise bad_request(f"/{lines_name} must be an array", target=f"/{lines_name}")
    header = {k: v for k, v in body.items() if k != lines_name}
    record = stored_fields(robj, robj.field, odef.field, header, lookup, unknown=unknown)
    return record, raw_lines


def line_to_stored(robj: RestObject, odef: ObjectDef, line: Any, number: int, lookup: Lookup, *,
                   unknown: str) -> Record:
    assert robj.lines is not None
    if not isinstance(line, dict):
        raise bad_request(f"/{robj.lines.rest}/{number - 1} must be a JSON object")
    by_rest = {f.rest: f for f in robj.lines.fields}
    field_of = odef.lines.field if odef.lines else (lambda _n: None)
    return stored_fields(robj, by_rest.get, field_of, line, lookup, unknown=unknown,
                         where=f"{robj.lines.rest}/{number - 1}/", skip=("ia::operation",))


def path_of(backend_name: str) -> str | None:
    return next((o.path for o in OBJECTS.values() if o.backend == backend_name), None)


def value_of(fmap: FieldMap, field: Field | None, stored: Any) -> Any:
    if stored is None or stored == "":
        return None
    text = str(stored)
    if field is not None and field.type == ENUM:
        return enum_to_rest(fmap, text)
    if field is not None and field.type == BOOLEAN:
        return text == "true"
    return text


def _put(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def flat_value(robj: RestObject, field_of: Callable[[str], Field | None], record: Record, name: str,
               lookup: Lookup) -> Any:
    """The value of one dotted REST field of a stored record (query service `fields`)."""
    if name == "href":
        return f"/objects/{robj.path}/{record.get('RECORDNO')}"
    fmap = robj.field(name)
    if fmap is None and name.endswith(".key"):
        id_map = robj.field(name[:-4] + ".id")
        if id_map is not None and id_map.ref and record.get(id_map.stored):
            target = lookup(id_map.ref, str(record[id_map.stored]))
            return str(target["RECORDNO"]) if target else None
        return None
    if fmap is None:
        return None
    return value_of(fmap, field_of(fmap.stored), record.get(fmap.stored))


def is_field(robj: RestObject, name: str) -> bool:
    if name == "href" or robj.field(name) is not None:
        return True
    id_map = robj.field(name[:-4] + ".id") if name.endswith(".key") else None
    return id_map is not None and id_map.ref is not None


def _nested(fmaps: tuple[FieldMap, ...], field_of: Callable[[str], Field | None], record: Record,
            lookup: Lookup) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fmap in fmaps:
        value = value_of(fmap, field_of(fmap.stored), record.get(fmap.stored))
        if fmap.ref and fmap.rest.endswith(".id"):
            base = fmap.rest[:-3]
            target = lookup(fmap.ref, str(value)) if value else None
            target_path = path_of(fmap.ref)
            key = str(target["RECORDNO"]) if target else None
            _put(out, base + ".id", value)
            _put(out, base + ".key", key)
            if target_path:
                _put(out, base + ".href", f"/objects/{target_path}/{key}" if key else None)
            continue
        _put(out, fmap.rest, value)
    return out


def to_rest(robj: RestObject, odef: ObjectDef, record: Record, lookup: Lookup) -> dict[str, Any]:
    """A whole stored record as the REST GET shows it."""
    out = _nested(robj.fields, odef.field, record, lookup)
    out["href"] = f"/objects/{robj.path}/{record.get('RECORDNO')}"
    if robj.lines and odef.lines:
        line_def = odef.lines
        out[robj.lines.rest] = [_nested(robj.lines.fields, line_def.field, line, lookup)
                                for line in record.get(line_def.container, [])]
    return out


def record_lookup(conn: Any, company_id: str) -> Lookup:
    """A cached (object, id) -> record lookup over every entity; `#key` looks a RECORDNO up instead."""
    cache: dict[tuple[str, str], Record | None] = {}

    def lookup(object_name: str, value: str) -> Record | None:
        if (object_name, value) not in cache:
            odef = get_object(object_name)
            if odef is None:
                cache[(object_name, value)] = None
            elif value.startswith("#"):
                cache[(object_name, value)] = get_record(conn, company_id, odef.name, value[1:], EVERYTHING)
            else:
                cache[(object_name, value)] = find_by_id(conn, odef, company_id, value, EVERYTHING)
        return cache[(object_name, value)]

    return lookup
