"""What every route module shares: error responses for the OpenAPI schema and the strict-query marker."""

from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from api.models import Problem
from api.problems import PROBLEM_MEDIA_TYPE
from api.store import Store

#: The store the app serves, injected into every handler.
StoreDep: TypeAlias = NamedDependency[Store]

#: Handlers with this ``opt`` reject query parameters they do not declare.
STRICT_QUERY = {"strict_query": True}


def _problem(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=Problem, description=description, media_type=PROBLEM_MEDIA_TYPE)


BAD_REQUEST = {
    400: _problem("Invalid parameters: `invalid_params` names each one and, for vocabularies, its valid values."),
}
NOT_FOUND = {404: _problem("No such release, clause, document or file.")}
ERRORS = {**BAD_REQUEST, **NOT_FOUND}
