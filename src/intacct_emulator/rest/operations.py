"""Routing one authenticated REST call to the backend (reference §2-§6); runs inside the request's transaction.

`Operations.handle` answers a call (an HTTP request or a composite subrequest):
idempotency first, then the object endpoints (single, batch by array body or
comma-separated keys), the query, composite and session services. Each call runs
in a savepoint, so a refused write leaves nothing behind; usage is billed into
`counts` as on the XML side: each record written or refused counts 1, each read 1.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from intacct_emulator import sessions
from intacct_emulator.backend.objects import get_object
from intacct_emulator.backend.records import Scope
from intacct_emulator.backend.search import Selection
from intacct_emulator.config import EmulatorConfig
from intacct_emulator.functions.base import CallContext, FunctionFailure, check_permission

from . import convert, idempotency, objects, query, writing
from .envelope import RestError, bad_request, error_body, item_error, meta, not_found, result

MAX_BATCH = 500
MAX_LIST = 100
COMPOSITE_SIZES = (2, 10)
NO_IDEMPOTENCY = ("/services/core/query", "/services/core/model")
_REFERENCE = re.compile(r"@\{([A-Za-z0-9_\-]+)\.(\d+)\.([A-Za-z0-9_.]+)\}")


@dataclass
class Call:
    method: str
    path: str  # below /ia/api/v1, e.g. /objects/general-ledger/account/12
    body: Any
    raw: bytes
    headers: dict[str, str]  # names lower-cased
    params: dict[str, str] = field(default_factory=dict)  # the query string


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    error: RestError | None = None


def parse_body(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise bad_request(f"The payload is not valid JSON: {exc}") from None


class Operations:
    def __init__(self, ctx: CallContext, config: EmulatorConfig, counts: Counter[str]) -> None:
        self.ctx = ctx
        self.config = config
        self.counts = counts

    # -- one call -----------------------------------------------------------------------------

    def handle(self, call: Call) -> Answer:
        key = call.headers.get("idempotency-key") if call.method in ("POST", "PATCH") else None
        if key is not None and call.path in NO_IDEMPOTENCY:
            key = None
        digest = idempotency.request_digest(call.method, call.path, call.raw) if key is not None else ""
        try:
            if key is not None:
                idempotency.check_key(key)
                replay = idempotency.previous(self.ctx.conn, self.ctx.company_id, self.ctx.user.user_id, key, digest,
                                              self.ctx.now, self.config)
                if replay is not None:
                    self.counts["duplicates"] += 1
                    return Answer(replay.status, replay.body, {"Idempotency-Key": key,
                                                               "x-ia-idempotency-cached-date": replay.cached_at.isoformat()})
            with self.ctx.backend.savepoint(self.ctx.conn):
                answer = self._route(call)
                if answer.error is not None:
                    raise answer.error  # roll the savepoint back
        except _RollBack as rollback:
            answer = Answer(rollback.status, rollback.body)
        except FunctionFailure as failure:  # a read refused by the backend (permission, ...)
            error = writing.failure_to_rest(failure, self.config, call.method, call.path)
            answer = Answer(error.status, error_body(error, self.config.rest_error_form), error=error)
        except RestError as error:
            answer = Answer(error.status, error_body(error, self.config.rest_error_form), dict(error.headers), error)
        if key is not None and not isinstance(answer.error, idempotency.KeyRefused):
            idempotency.remember(self.ctx.conn, self.ctx.company_id, self.ctx.user.user_id, key, digest,
                                 answer.status, answer.body, self.ctx.now)
            answer.headers["Idempotency-Key"] = key
        return answer

    def _route(self, call: Call) -> Answer:
        parts = [unquote(p) for p in call.path.split("/") if p]  # `document::Sales%20Invoice` names a type
        if "/".join(parts[1:]) == self.config.rest_gl_setup_path and parts[:1] == ["objects"]:
            return self._gl_setup(call)
        if parts[:1] == ["objects"] and len(parts) >= 3:
            robj = query.resolve(f"{parts[1]}/{parts[2]}")
            keys = [k for k in (parts[3] if len(parts) > 3 else "").split(",") if k]
            if len(parts) > 4:
                raise not_found(robj.path, "/".join(parts[3:]))
            return self._object(call, robj, keys)
        service = "/" + "/".join(parts)
        if service == "/services/core/query" and call.method == "POST":
            self.counts["api_transactions"] += 1
            return Answer(200, query.run(self.ctx, call.body, self.config))
        if service == "/services/core/composite" and call.method == "POST":
            return self._composite(call)
        if service == "/services/core/session/id" and call.method == "GET":
            session = sessions.create(self.ctx.conn, self.ctx.company_id, self.ctx.user.user_id, self.ctx.entity_id,
                                      self.ctx.now, self.config.session_minutes)
            seconds = int(self.config.session_minutes * 60)
            return Answer(200, result({"sessionId": session.sessionid, "expiresIn": seconds}, meta(1, 1, 0)))
        if service == "/services/company-config/dimensions/list" and call.method == "GET":
            found = _dimensions()
            return Answer(200, result(found, meta(len(found))))
        if service == "/services/core/model" and call.method == "GET":
            return Answer(200, result(_model(call), meta(1)))
        raise RestError(404, "notFound", f"No endpoint {call.method} {call.path}")

    # -- objects ------------------------------------------------------------------------------

    def _object(self, call: Call, robj: objects.RestObject, keys: list[str]) -> Answer:
        if call.method == "GET":
            return self._read(robj, keys)
        if call.method == "POST" and not keys:
            if isinstance(call.body, list):
                return self._batch(call, robj, lambda item: writing.create(self.ctx, robj, item, self.config), 201)
            if call.body is None:
                raise bad_request("A POST request requires a payload", error_id="REST-1028")
            return self._write(lambda: writing.create(self.ctx, robj, call.body, self.config), robj, 201, "create")
        if call.method == "PATCH":
            if not keys and isinstance(call.body, list):
                return self._batch(call, robj, lambda item: writing.update(
                    self.ctx, robj, str(item.get("key", "")) if isinstance(item, dict) else "", item, self.config), 200)
            if len(keys) != 1 or call.body is None:
                raise bad_request("PATCH needs one key in the path and a payload, or an array of records with keys")
            return self._write(lambda: writing.update(self.ctx, robj, keys[0], call.body, self.config), robj, 200,
                               "update")
        if call.method == "DELETE" and keys:
            return self._delete(call, robj, keys)
        raise RestError(405, "methodNotAllowed", f"{call.method} is not supported on {call.path}")

    def _write(self, work: Any, robj: objects.RestObject, status: int, verb: str) -> Answer:
        self.counts["api_transactions"] += 1
        try:
            with self.ctx.backend.savepoint(self.ctx.conn):
                record = work()
        except FunctionFailure as failure:
            self.counts["functions_failed"] += 1
            raise writing.failure_to_rest(failure, self.config, verb, f"object {robj.path}") from None
        except RestError:
            self.counts["functions_failed"] += 1
            raise
        self.counts["functions_succeeded"] += 1
        return Answer(status, result(writing.reference_of(robj, record, self.config), meta(1, 1, 0)))

    def _batch(self, call: Call, robj: objects.RestObject, write_one: Any, status: int) -> Answer:
        items = call.body
        if not items or len(items) > MAX_BATCH:
            raise bad_request(f"A batch holds 1 to {MAX_BATCH} records of one object; {len(items)} were sent")
        verb = "create" if call.method == "POST" else "update"
        atomic = call.headers.get("x-ia-api-param-transaction", "").lower() == "true"
        results: list[dict[str, Any]] = []
        failed_at = None
        for index, item in enumerate(items):
            try:
                answer = self._write(lambda item=item: write_one(item), robj, status, verb)
                results.append({**answer.body["ia::result"], "ia::status": status})
            except RestError as error:
                results.append(item_error(error))
                if atomic:
                    failed_at = index
                    break
        if failed_at is not None:
            skipped = RestError(422, "unprocessed", "Operation skipped due to atomic transaction failure")
            results = [results[failed_at] if i == failed_at else item_error(skipped) for i in range(len(items))]
            body = {"ia::result": results, "ia::meta": meta(len(items), 0, len(items))}
            return Answer(207, body, error=_RollBack(207, body))
        errors = sum(1 for r in results if "ia::error" in r)
        body = {"ia::result": results, "ia::meta": meta(len(items), len(items) - errors, errors)}
        return Answer(207 if errors else status, body)

    def _delete(self, call: Call, robj: objects.RestObject, keys: list[str]) -> Answer:
        if len(keys) > MAX_BATCH:
            raise bad_request(f"At most {MAX_BATCH} keys may be deleted at once")
        results: list[dict[str, Any]] = []
        for key in keys:
            try:
                self._write(lambda key=key: writing.delete(self.ctx, robj, key) or {"RECORDNO": key}, robj, 204,
                            "delete")
                results.append({"ia::status": 204})
            except RestError as error:
                results.append(item_error(error))
        errors = sum(1 for r in results if "ia::error" in r)
        if not errors:
            return Answer(204, None)
        if len(keys) == 1:
            raise _error_of(results[0])
        return Answer(207, {"ia::result": results, "ia::meta": meta(len(keys), len(keys) - errors, errors)})

    def _read(self, robj: objects.RestObject, keys: list[str]) -> Answer:
        odef = get_object(robj.backend)
        check_permission(self.ctx, "read", odef)
        self.counts["api_transactions"] += 1
        lookup = convert.record_lookup(self.ctx.conn, self.ctx.company_id)
        if not keys:
            selection = Selection(odef, self.ctx.company_id, Scope(self.ctx.entity_id))
            records = selection.page(self.ctx.conn, "recordno", MAX_LIST, 0)
            total = selection.count(self.ctx.conn)
            refs = [writing.reference_of(robj, r, self.config) for r in records]
            return Answer(200, result(refs, {"totalCount": total, "start": 1, "pageSize": MAX_LIST,
                                             "next": MAX_LIST + 1 if total > MAX_LIST else None, "previous": None}))
        found = []
        for key in keys:
            record = writing.existing(self.ctx, robj, key)
            found.append(convert.to_rest(robj, odef, record, lookup))
        return Answer(200, result(found[0] if len(found) == 1 else found, meta(len(found))))

    def _gl_setup(self, call: Call) -> Answer:
        """The General Ledger preferences of the call's entity (or the company's): the books' closed-through date,
        the one `get_companyprefs application="GL"` answers on XML (BOOKSCLOSEDTHROUGH) and billed 0 like it.
        The reference names no such object: the path (`rest_gl_setup_path`) and the field are ours."""
        if call.method != "GET":
            raise RestError(405, "methodNotAllowed", f"{call.method} is not supported on {call.path}: read it with GET")
        through = self.ctx.backend.closed_through(self.ctx.conn, self.ctx.company_id, self.ctx.entity_id)
        entity = {"id": self.ctx.entity_id} if self.ctx.entity_id else {"id": None}
        return Answer(200, result({"booksClosedThrough": through.isoformat() if through else None, "entity": entity,
                                   "href": f"/objects/{self.config.rest_gl_setup_path}"}, meta(1)))

    # -- composite ----------------------------------------------------------------------------

    def _composite(self, call: Call) -> Answer:
        subs = call.body
        low, high = COMPOSITE_SIZES
        if not isinstance(subs, list) or not low <= len(subs) <= high:
            raise bad_request(f"A composite request holds {low} to {high} subrequests")
        references: dict[str, Any] = {}
        results: list[dict[str, Any]] = []
        stopped = False
        for sub in subs:
            if stopped:
                results.append(item_error(RestError(422, "unprocessed", "Operation skipped after an earlier failure")))
                continue
            answer = self._subrequest(call, sub, references)
            replayed = {name: value for name, value in answer.headers.items()
                        if name.lower() in ("idempotency-key", "x-ia-idempotency-cached-date")}
            if answer.status >= 400:
                stopped = True
                results.append(_replayed(_failed_item(answer), replayed))
                continue
            body = answer.body or {}
            results.append(_replayed({"ia::result": body.get("ia::result"), "ia::meta": body.get("ia::meta", meta(1)),
                                      "ia::status": answer.status}, replayed))
            if isinstance(sub, dict) and sub.get("resultReference"):
                references[str(sub["resultReference"])] = body.get("ia::result")
        errors = sum(1 for r in results if "ia::error" in r)
        return Answer(207 if errors else 200,
                      {"ia::result": results, "ia::meta": meta(len(subs), len(subs) - errors, errors)})

    def _subrequest(self, outer: Call, sub: Any, references: dict[str, Any]) -> Answer:
        if not isinstance(sub, dict) or sub.get("method") not in ("GET", "POST", "PATCH", "DELETE") \
                or not re.match(r"^/(objects|services)/[a-z_][a-z_0-9.\-:]+", str(sub.get("path", ""))):
            error = bad_request("Each subrequest needs method GET|POST|PATCH|DELETE and a path /objects/... or /services/...")
            return Answer(400, None, error=error)
        path = _substitute(str(sub["path"]), references)
        body = json.loads(_substitute(json.dumps(sub.get("body")), references)) if "body" in sub else None
        # Authorization, Content-Type and Accept are inherited; an Idempotency-Key only from the subrequest's own headers
        inherited = {name: value for name, value in outer.headers.items() if name != "idempotency-key"}
        headers = {**inherited, **{str(k).lower(): str(v) for k, v in (sub.get("headers") or {}).items()}}
        raw = json.dumps(body).encode() if body is not None else b""
        if path.rstrip("/") == "/services/core/composite":
            return Answer(400, None, error=bad_request("A composite request cannot hold another one"))
        return self.handle(Call(sub["method"], path, body, raw, headers))


class _RollBack(RestError):
    """An atomic batch that failed: its answer is the body, and every write of it is rolled back."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(status, "unprocessed", "atomic batch rolled back")
        self.body = body


def _failed_item(answer: Answer) -> dict[str, Any]:
    """A failed subrequest as a composite item: its error, also when the answer is a replayed one."""
    if answer.error is not None:
        return item_error(answer.error)
    body = answer.body if isinstance(answer.body, dict) else {}
    nested = body.get("ia::result") if isinstance(body.get("ia::result"), dict) else {}
    error = body.get("ia::error") or nested.get("ia::error") or {"code": "operationFailed",
                                                                  "message": "Subrequest failed"}
    return {"ia::error": error, "ia::status": answer.status}


def _replayed(item: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    """A subrequest answered from its Idempotency-Key's cache says so as its own answer would (the headers
    `Idempotency-Key` and `x-ia-idempotency-cached-date`), under `ia::headers`: the reference shows no
    per-item headers (ours, so a client can tell a replay from a fresh write and count what Intacct bills)."""
    if any(name.lower() == "x-ia-idempotency-cached-date" for name in headers):
        item["ia::headers"] = headers
    return item


def _error_of(item: dict[str, Any]) -> RestError:
    error = item["ia::error"]
    return RestError(item["ia::status"], error["code"], error["message"], details=error.get("details"))


def _substitute(text: str, references: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name, index, path = match.group(1), int(match.group(2)), match.group(3)
        found = references.get(name)
        items = found if isinstance(found, list) else [found]
        if not 1 <= index <= len(items) or not isinstance(items[index - 1], dict):
            raise bad_request(f"Reference {match.group(0)} names no earlier result")
        current: Any = items[index - 1]
        for part in path.split("."):
            current = current.get(part) if isinstance(current, dict) else None
        return "" if current is None else str(current)

    return _REFERENCE.sub(value, text)


def _dimensions() -> list[dict[str, Any]]:
    """The dimensions list (Fyle's SDK reads it; its shape is not in the reference, so the fields are ours)."""
    found = []
    for robj in objects.OBJECTS.values():
        odef = get_object(robj.backend)
        if odef.dimension_label:
            found.append({"dimensionName": robj.path.rpartition("/")[2].removeprefix("nsp::"),
                          "dimensionLabel": odef.dimension_label, "termLabel": odef.dimension_label,
                          "isUserDefinedDimension": odef.udd, "dimensionEndpoint": f"/objects/{robj.path}"})
    return found


def _model(call: Call) -> dict[str, Any]:
    """`/services/core/model?name=...` in outline: the fields the emulator maps, with readOnly and type."""
    name = call.params.get("name", "")
    robj = query.resolve(name)
    odef = get_object(robj.backend)
    fields = {}
    for fmap in robj.fields:
        stored = odef.field(fmap.stored)
        fields[fmap.rest] = {"type": stored.type if stored else "string", "readOnly": fmap.readonly, "required": False,
                             **({"enum": [convert.enum_to_rest(fmap, v) for v in stored.values]}
                                if stored and stored.values else {})}
    return {"fields": fields, "httpMethods": "OPTIONS,GET,POST,DELETE,PATCH", "idempotenceSupported": True,
            "apiObject": robj.path, "type": "rootObject", "href": f"/services/core/model?name={robj.path}"}
