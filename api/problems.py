"""Errors as RFC 9457 problem details, for every exception a request can raise."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.types import ExceptionHandlersMap

from api.models import InvalidParam, Problem

log = logging.getLogger("api.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
INVALID_PARAMETER = "/problems/invalid-parameter"
NOT_FOUND = "/problems/not-found"


#: Plain-words reasons for the parameters whose type and range Litestar checks, by parameter name.
TYPE_REASONS: dict[str, str] = {}


class ApiProblem(Exception):
    """An error response the API means to give."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        type_: str = "about:blank",
        invalid_params: list[InvalidParam] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = type_
        self.invalid_params = invalid_params


def invalid(name: str, reason: str, valid_values: list[str] | tuple[str, ...] | None = None) -> InvalidParam:
    return InvalidParam(name=name, reason=reason, valid_values=list(valid_values) if valid_values is not None else None)


def bad_request(*params: InvalidParam) -> ApiProblem:
    names = ", ".join(dict.fromkeys(p.name for p in params))
    return ApiProblem(
        400,
        f"Invalid value for {names}." if len(params) == 1 else f"Invalid values for {names}.",
        type_=INVALID_PARAMETER,
        invalid_params=list(params),
    )


def not_found(detail: str) -> ApiProblem:
    return ApiProblem(404, detail, type_=NOT_FOUND)


#: An error echoes at most this many characters of any one value it quotes from the request …
MAX_ECHO_CHARS = 200
#: … and lists at most this many invalid parameters (the rest are counted): a 400 is never much larger
#: than a page of text, however long the request.
MAX_INVALID_PARAMS = 20


def clip(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how many were left out."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit} more characters)"


def capped(problem: Problem) -> Problem:
    """The problem with what it echoes from the request bounded (values clipped, parameters counted)."""
    params = problem.invalid_params
    if params is not None:
        shown = [
            InvalidParam(name=clip(p.name), reason=clip(p.reason), valid_values=p.valid_values)
            for p in params[:MAX_INVALID_PARAMS]
        ]
        if len(params) > MAX_INVALID_PARAMS:
            rest = len(params) - MAX_INVALID_PARAMS
            shown.append(InvalidParam(name="…", reason=f"{rest} more invalid parameters not listed"))
        params = shown
    return msgspec.structs.replace(
        problem,
        detail=clip(problem.detail),
        instance=clip(problem.instance) if problem.instance else None,
        invalid_params=params,
    )


def problem_response(request: Request[Any, Any, Any], problem: Problem) -> Response[bytes]:
    return Response(
        content=msgspec.json.encode(capped(problem)),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={"Cache-Control": "no-store"},
    )


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _instance(request: Request[Any, Any, Any]) -> str:
    """The request's path as a URI reference (percent-encoded)."""
    return quote(request.url.path, safe="/:@!$&'()*+,;=-._~")


def api_problem(request: Request[Any, Any, Any], exc: ApiProblem) -> Problem:
    return Problem(
        type=exc.type,
        title=_title(exc.status),
        status=exc.status,
        detail=exc.detail,
        instance=_instance(request),
        invalid_params=exc.invalid_params,
    )


def handle_api_problem(request: Request[Any, Any, Any], exc: ApiProblem) -> Response[bytes]:
    return problem_response(request, api_problem(request, exc))


def _validation_params(exc: ValidationException) -> list[InvalidParam]:
    params: list[InvalidParam] = []
    extra = exc.extra if isinstance(exc.extra, list) else [exc.extra] if exc.extra else []
    for item in extra:
        if isinstance(item, dict):
            name = str(item.get("key") or item.get("source") or "request")
            message = str(item.get("message") or "invalid value")
            reason = f"{TYPE_REASONS[name]} ({message})" if name in TYPE_REASONS else message
            params.append(InvalidParam(name=name, reason=reason))
    return params


def http_problem(request: Request[Any, Any, Any], exc: HTTPException) -> Problem:
    status = exc.status_code
    if isinstance(exc, ValidationException) or status == 400:
        params = _validation_params(exc) if isinstance(exc, ValidationException) else []
        return Problem(
            type=INVALID_PARAMETER,
            title=_title(400),
            status=400,
            detail=("Invalid value for " + ", ".join(dict.fromkeys(p.name for p in params)) + ".")
            if params
            else str(exc.detail),
            instance=_instance(request),
            invalid_params=params or None,
        )
    if isinstance(exc, NotFoundException) or status == 404:
        return Problem(
            type=NOT_FOUND,
            title=_title(404),
            status=404,
            detail=f"No resource at {request.url.path}." if exc.detail in ("", "Not Found") else str(exc.detail),
            instance=_instance(request),
        )
    return Problem(
        type="about:blank",
        title=_title(status),
        status=status,
        detail=str(exc.detail),
        instance=_instance(request),
    )


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    response = problem_response(request, http_problem(request, exc))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def unexpected_problem(request: Request[Any, Any, Any], exc: Exception) -> Problem:
    """Logs ``exc`` and describes it without its details."""
    log.exception("unexpected error on %s %s", request.method, request.url, exc_info=exc)
    return Problem(
        type="about:blank",
        title=_title(500),
        status=500,
        detail="The server met an unexpected condition; the error has been logged.",
        instance=_instance(request),
    )


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    return problem_response(request, unexpected_problem(request, exc))


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ApiProblem: handle_api_problem,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
