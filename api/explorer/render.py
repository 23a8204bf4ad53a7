"""Rendering the explorer's Jinja2 templates (autoescaped) into HTML responses, error pages included."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.types import ExceptionHandlersMap

from api.explorer import urls
from api.explorer.measure_text import measure_details, measure_value
from api.explorer.outline import body
from api.models import Problem
from api.problems import ApiProblem, api_problem, http_problem, unexpected_problem
from api.store import Release

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
HTML = "text/html"

ERROR_TITLES = {
    400: ("参数无效", "Invalid parameters"),
    404: ("未找到", "Not found"),
    500: ("服务器错误", "Server error"),
}


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        clause_path=urls.clause_path,
        document_path=urls.document_path,
        pinned=urls.pinned,
        search_path=urls.search_path,
        body=body,
        measure_value=measure_value,
        measure_details=measure_details,
    )
    return env


def render(
    request: Request[Any, Any, Any],
    template: str,
    rel: Release | None,
    release: str | None,
    context: dict[str, Any],
    status: int = 200,
) -> Response[str]:
    """The page ``template`` for ``rel`` (``release`` is the version asked for, carried on by the links)."""
    html = (
        environment()
        .get_template(template)
        .render(version=rel.version if rel else None, release=release, path=request.url.path, **context)
    )
    headers = {"Cache-Control": "no-store"} if status >= 400 else {}
    return Response(content=html, media_type=HTML, status_code=status, headers=headers)


def error_page(request: Request[Any, Any, Any], problem: Problem) -> Response[str]:
    title = ERROR_TITLES.get(problem.status, ("错误", problem.title))
    return render(request, "error.html", None, None, {"problem": problem, "title": title}, status=problem.status)


def html_api_problem(request: Request[Any, Any, Any], exc: ApiProblem) -> Response[str]:
    return error_page(request, api_problem(request, exc))


def html_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[str]:
    response = error_page(request, http_problem(request, exc))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def html_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
    return error_page(request, unexpected_problem(request, exc))


#: The explorer's pages answer errors with an HTML page (the JSON routes with problem details).
HTML_EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ApiProblem: html_api_problem,
    HTTPException: html_http_exception,
    Exception: html_unexpected,
}
