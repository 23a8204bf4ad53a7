"""What every route module shares: error responses for the OpenAPI schema and the strict-query marker."""

from __future__ import annotations

from typing import TypeAlias

import msgspec
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example

from api.models import InvalidParam, Problem
from api.problems import INVALID_PARAMETER, PROBLEM_MEDIA_TYPE
from api.problems import NOT_FOUND as NOT_FOUND_TYPE
from api.store import Store

#: The store the app serves, injected into every handler.
StoreDep: TypeAlias = NamedDependency[Store]

#: Handlers with this ``opt`` reject query parameters they do not declare.
STRICT_QUERY = {"strict_query": True}


def _problem(description: str, summary: str, example: Problem) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        description=description,
        media_type=PROBLEM_MEDIA_TYPE,
        generate_examples=False,
        examples=[Example(summary=summary, value=msgspec.to_builtins(example))],
    )


BAD_REQUEST = {
    400: _problem(
        "Invalid parameters: `invalid_params` names each one and, for vocabularies, its valid values.",
        "an unknown city",
        Problem(
            type=INVALID_PARAMETER,
            title="Bad Request",
            status=400,
            detail="Invalid value for city.",
            instance="/clauses",
            invalid_params=[
                InvalidParam(name="city", reason="unknown city: 'atlantis'", valid_values=["beijing", "qingdao", "…"])
            ],
        ),
    ),
}
NOT_FOUND = {
    404: _problem(
        "No such release, clause, document or file.",
        "an unknown clause",
        Problem(
            type=NOT_FOUND_TYPE,
            title="Not Found",
            status=404,
            detail="No clause 'qingdao-2021.9.9' in release 1.0.0.",
            instance="/clauses/qingdao-2021.9.9",
        ),
    )
}
ERRORS = {**BAD_REQUEST, **NOT_FOUND}
