"""The application factory: ``create_app(store)`` serves the releases of one :class:`~api.store.Store`."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.base import DefineMiddleware
from litestar.types import ASGIApp

from api.access_log import AccessLogMiddleware
from api.byte_ranges import IdentityForRangesMiddleware
from api.compression import compression_config
from api.docs import describe_file_downloads, docs_routes, openapi_config
from api.explorer import explorer_routes
from api.head_requests import HeadAsGetMiddleware
from api.http_cache import API_VERSION, HttpCacheMiddleware
from api.openapi_descriptions import describe_properties
from api.paging_links import RequestScopeMiddleware, add_next_link
from api.problems import EXCEPTION_HANDLERS
from api.public_url import normalize
from api.query_rules import check_query
from api.response_cache import DEFAULT_MAX_BYTES, ResponseCacheMiddleware
from api.routes.cite import cite_clause, cite_document
from api.routes.clause_csv import get_clause_csv, list_clauses_csv
from api.routes.clause_ndjson import list_clauses_ndjson
from api.routes.clauses import ClauseController
from api.routes.documents import DocumentController
from api.routes.health import TITLE, health, index
from api.routes.measures import list_measures
from api.routes.problem_types import problem_type
from api.routes.releases import ReleaseController
from api.routes.topics import get_codebook, list_topics
from api.routes.works import WorkController
from api.security_headers import SecurityHeadersMiddleware
from api.store import Store

__all__ = ["create_app"]


#: The API's routes (the docs, the explorer and, when asked for, /mcp are added to them).
ROUTES: list[Any] = [
    index,
    health,
    list_topics,
    get_codebook,
    list_measures,
    ClauseController,
    list_clauses_csv,
    get_clause_csv,
    list_clauses_ndjson,
    DocumentController,
    WorkController,
    ReleaseController,
    problem_type,
    cite_clause,
    cite_document,
]
#: Any origin may read: the data is public and no request carries credentials.
CORS = CORSConfig(
    allow_origins=["*"],
    allow_methods=["GET", "HEAD", "OPTIONS"],
    allow_headers=["If-None-Match"],
    expose_headers=["ETag", "Link"],
    allow_credentials=False,
    max_age=86400,
)


def create_app(
    store: Store,
    *,
    debug: bool = False,
    response_cache_bytes: int = DEFAULT_MAX_BYTES,
    public_url: str | None = None,
    mcp_base_url: str | None = None,
) -> Litestar:
    """The Litestar application serving ``store``.

    ``public_url`` is the base of the absolute URLs responses cite (:mod:`api.public_url`); when None,
    the request's own origin.

    ``response_cache_bytes`` bounds the cache of whole responses for immutable releases
    (:mod:`api.response_cache`); 0 turns it off. With ``mcp_base_url`` (where citations point), the MCP
    server is mounted at ``/mcp`` (:mod:`api.mcp_http`, needs the ``mcp`` extra).
    """
    extra_routes: list[Any] = []
    lifespan: list[Any] = []
    if mcp_base_url is not None:
        from api.mcp_http import mcp_mount

        route, mcp_lifespan = mcp_mount(store, mcp_base_url)
        extra_routes, lifespan = [route], [mcp_lifespan]

    def provide_store() -> Store:
        return store

    app = Litestar(
        route_handlers=[*ROUTES, *docs_routes(), *explorer_routes(), *extra_routes],
        lifespan=lifespan,
        dependencies={"store": Provide(provide_store, use_cache=True, sync_to_thread=False)},
        before_request=check_query,
        after_request=add_next_link,
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[DefineMiddleware(HttpCacheMiddleware, store=store, vary_on_host=public_url is None)],
        state=State({"public_url": normalize(public_url) if public_url else None}),
        cors_config=CORS,
        compression_config=compression_config(),
        openapi_config=openapi_config(TITLE, f"{API_VERSION}.0.0"),
        logging_config=None,  # logging is the host's business: `python -m api` configures it
        debug=debug,
    )
    describe_file_downloads(app)
    describe_properties(app)
    app.asgi_handler = _outer_middleware(app.asgi_handler, store, response_cache_bytes)
    return app


def _outer_middleware(inner: ASGIApp, store: Store, response_cache_bytes: int) -> ASGIApp:
    """The layers outside Litestar's own: response cache, access log, HEAD, security headers, ranges.

    The cache comes first, so a cached response is replayed at once (it writes the access line of what it
    replays itself, and answers a HEAD from the GET's entry without the body); it sits outside the security
    headers, so it keeps responses with them and replays them as they are.
    """
    handler: ASGIApp = AccessLogMiddleware(
        HeadAsGetMiddleware(SecurityHeadersMiddleware(RequestScopeMiddleware(IdentityForRangesMiddleware(inner))))
    )
    if response_cache_bytes > 0:
        handler = ResponseCacheMiddleware(handler, store, response_cache_bytes)
    return handler
