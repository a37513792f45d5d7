"""Schemathesis against the OpenAPI document, in-process (ASGI): no generated request may cause a server error.

Bounded: a few examples per operation. The workspace path parameter is pinned to a
real workspace (with its own token) so requests get past the 404 and reach the
handlers. Operations that would call Intacct at whatever endpoint the fuzzer saved
(test connection, pull, runs, reconcile) are left out here; their own tests cover them against
the emulator.
"""

from __future__ import annotations

from collections import Counter
from itertools import product

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode, overrides

from intacct_bridge.web.app import create_app
from web_helpers import FAST_CLIENT, action, make_workspace

CALLS_INTACCT = r".*/(connection/test|pull|runs|sync|reconcile)$"


@pytest.fixture
def api_schema(store, operator):
    app = create_app(store=store, operator=operator, client_options=FAST_CLIENT)
    with TestClient(app) as client:
        alpha = make_workspace(client, store, "Alpha Org")
        client.post(alpha.ws("/actions/bulk"), headers=alpha.headers,
                    json={"actions": [action(n) for n in range(1, 4)]})
        config = SchemathesisConfig.from_dict({
            "headers": {"Authorization": f"Bearer {alpha.token}"},
            "parameters": {"workspace": alpha.slug},
        })
        schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=config)
        yield schema.exclude(method="POST", path_regex=CALLS_INTACCT)


@pytest.mark.slow
def test_no_server_error(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20
    seen: Counter[int] = Counter()
    for operation, mode in product(operations, (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)):
        pinned = overrides.for_operation(api_schema.config, operation=operation).as_strategy_kwargs()

        @given(case=operation.as_strategy(mode, **pinned))
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
        def no_server_error(case):
            seen[case.call_and_validate(checks=[not_a_server_error]).status_code] += 1

        try:
            no_server_error()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # nothing to make invalid (e.g. no parameters at all)
    # The fuzzer got through to the handlers, not only to the validation layer.
    assert seen[200] + seen[201] + seen[204] > 50 and seen[422] > 100, seen
