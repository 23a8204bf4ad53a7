"""The HTML explorer: search, clause and document pages served by the API app, with its own CSS and script."""

from __future__ import annotations

from litestar import Router
from litestar.static_files import create_static_files_router

from api.explorer.pages import clause_page, document_page, search_page
from api.explorer.render import HTML_EXCEPTION_HANDLERS, STATIC
from api.explorer.version_pages import compare_page, work_page


def explorer_routes() -> list[Router]:
    pages = Router(
        path="/",
        route_handlers=[search_page, clause_page, document_page, work_page, compare_page],
        exception_handlers=HTML_EXCEPTION_HANDLERS,
    )
    static = create_static_files_router(
        path="/static", directories=[STATIC], include_in_schema=False, send_as_attachment=False
    )
    return [pages, static]


__all__ = ["explorer_routes"]
