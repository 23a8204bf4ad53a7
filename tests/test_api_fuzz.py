"""Schema-driven fuzzing: schemathesis generates requests from the app's own OpenAPI schema.

Every response must be free of server errors and conform to the schema (status code,
content type, headers and body). Bounded to a few dozen examples per operation so the
run takes well under a minute.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.specs.openapi import checks  # noqa: E402

from api.app import create_app  # noqa: E402
from api.store import Store  # noqa: E402
from tests.helpers import API_FIXTURE, API_STORE_DIR  # noqa: E402

app = create_app(Store.open(API_FIXTURE, API_STORE_DIR))
schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)

CHECKS = [
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.negative_data_rejection,
]


@schema.parametrize()
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_error_and_responses_match_the_schema(case):
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: {response.text}"
    case.validate_response(response, checks=CHECKS)
