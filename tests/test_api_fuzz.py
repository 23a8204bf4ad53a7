"""Schema-driven fuzzing: schemathesis generates requests from the app's own OpenAPI schema.

Every response is validated with all of schemathesis' checks (not only "no server error"): status
code, content type, headers and body conform to the schema, schema-valid requests are accepted and
schema-invalid ones rejected, and more. Bounded to a few dozen examples per operation so the run
takes well under a minute.

One rule cannot be said in a schema: a ``cursor`` is opaque, and only the value a previous page gave
for the same query is valid. A generated cursor is therefore answered with a 400 naming ``cursor``,
which the test checks instead of "schema-valid data is accepted".
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


def generated_cursor_rejected(case, response) -> bool:
    """A cursor the API did not give, answered with a 400 naming cursor (and nothing else)."""
    if "cursor" not in (case.query or {}) or response.status_code != 400:
        return False
    return {p["name"] for p in response.json().get("invalid_params", [])} == {"cursor"}


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_responses_pass_every_schemathesis_check(case):
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: {response.text}"
    if generated_cursor_rejected(case, response):
        case.validate_response(response, excluded_checks=[checks.positive_data_acceptance])
    else:
        case.validate_response(response)
