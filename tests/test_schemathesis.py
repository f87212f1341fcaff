"""Property-based API testing against the service's own OpenAPI schema (schemathesis 4).

For every operation in the schema (the page's routes included, whoever adds
them), schemathesis generates requests that fit the schema and requests that
do not, and checks each response: never a 5xx, status and content type
documented, body valid against its documented schema, invalid input refused.
The app is the real one: session model, lifespan run once, temp database.

Schemathesis' own pytest loader (``schemathesis.pytest.from_fixture``) does
not run under pytest 9 (it sets ``node._nodeid``), so the cases are drawn with
``APIOperation.as_strategy`` under Hypothesis' ``@given`` instead.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, negative_data_rejection,
                                               response_schema_conformance, status_code_conformance)

EXAMPLES_PER_OPERATION = 40  # per mode: positive and negative
MIN_TOTAL_CASES = 300
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(trained, tmp_path_factory):
    from api.main import create_app
    from api.settings import Settings

    settings_ = Settings(model=trained[1], db_path=tmp_path_factory.mktemp("st") / "feedback.sqlite3", api_key=None)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(settings_))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms_to_the_schema(api_schema, mode):
    checks = CHECKS + ([negative_data_rejection] if mode == GenerationMode.NEGATIVE else [])
    counts: dict[str, int] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            counts[operation.label] = counts.get(operation.label, 0) + 1
            case.call_and_validate(checks=checks)

        try:
            run()
        except Unsatisfiable:  # nothing to make invalid: no parameters and no body (GET /healthz, ...)
            assert mode == GenerationMode.NEGATIVE and operation.method.upper() == "GET", operation.label
    print(mode, sum(counts.values()), counts)
    assert {"POST /v1/score", "POST /v1/score/batch", "POST /v1/score/file", "POST /v1/feedback"} <= set(counts)
    # operations without parameters have a handful of distinct requests; the POST routes carry the volume
    assert sum(counts.values()) >= MIN_TOTAL_CASES / 2, counts
