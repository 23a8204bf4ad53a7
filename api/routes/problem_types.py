"""GET /problems/{name}: a page for each problem ``type`` URI of an error body (RFC 9457 §3.1.1)."""

from __future__ import annotations

from html import escape
from typing import Annotated

from litestar import MediaType, Response, get
from litestar.openapi.spec import Example
from litestar.params import PathParameter

from api.problems import INVALID_PARAMETER, NOT_FOUND, not_found
from api.routes.common import ERRORS, STRICT_QUERY

#: Title and explanation of each problem type, by the last segment of its URI.
PROBLEM_TYPES = {
    INVALID_PARAMETER.rsplit("/", 1)[-1]: (
        "Invalid parameter",
        "A query parameter is unknown, given more than once although it takes one value, out of range, not in its "
        "vocabulary, not valid UTF-8, or holds control characters. The response's <code>invalid_params</code> "
        "names each parameter with the reason and, for vocabularies, the values it accepts. Correct the request "
        'and send it again; the API documentation at <a href="/docs">/docs</a> describes every parameter.',
    ),
    NOT_FOUND.rsplit("/", 1)[-1]: (
        "Not found",
        "No release, clause, document or file has the requested identifier in the requested release. Clause and "
        'document IDs are listed by <a href="/clauses">/clauses</a> and <a href="/documents">/documents</a>, '
        'the served releases by <a href="/releases">/releases</a>; a retired clause ID is listed in the history '
        "of its release.",
    ),
}

ProblemName = Annotated[
    str,
    PathParameter(
        description="The last segment of a problem `type` URI.",
        examples=[Example(summary="an invalid parameter", value="invalid-parameter")],
        max_length=40,
    ),
]


def page(title: str, text: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Problem: {escape(title)}</title></head><body><h1>{escape(title)}</h1><p>{text}</p>"
        "<p>Errors of this API are RFC 9457 problem details (<code>application/problem+json</code>).</p>"
        "</body></html>\n"
    )


@get(
    "/problems/{name:str}",
    opt=STRICT_QUERY,
    sync_to_thread=False,
    tags=["service"],
    summary="What a problem type means",
    description="The page of a problem `type` URI given in error bodies: `invalid-parameter` or `not-found`.",
    media_type=MediaType.HTML,
    responses=ERRORS,
)
def problem_type(name: ProblemName) -> Response[str]:
    if name not in PROBLEM_TYPES:
        raise not_found(f"No problem type {name!r} (problem types: {', '.join(PROBLEM_TYPES)}).")
    return Response(page(*PROBLEM_TYPES[name]), media_type=MediaType.HTML)
