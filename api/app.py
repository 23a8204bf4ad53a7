"""The application factory: ``create_app(store)`` serves the releases of one :class:`~api.store.Store`."""

from __future__ import annotations

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.middleware.base import DefineMiddleware

from api.access_log import AccessLogMiddleware
from api.docs import describe_file_downloads, docs_routes, openapi_config
from api.explorer import explorer_routes
from api.http_cache import API_VERSION, HttpCacheMiddleware
from api.lenient_http import Utf8QueryMiddleware
from api.problems import EXCEPTION_HANDLERS, bad_request, invalid
from api.response_cache import DEFAULT_MAX_BYTES, ResponseCacheMiddleware
from api.routes.clause_csv import get_clause_csv, list_clauses_csv
from api.routes.clauses import ClauseController
from api.routes.documents import DocumentController
from api.routes.health import TITLE, health, index
from api.routes.measures import list_measures
from api.routes.releases import ReleaseController
from api.routes.topics import list_topics
from api.routes.works import WorkController
from api.store import Store

__all__ = ["create_app"]

NOT_QUERY_PARAMETERS = {"self", "store", "request", "state", "scope", "headers", "cookies"}


def reject_unknown_query_parameters(request) -> None:
    """``before_request`` hook: a query parameter the endpoint does not declare is a 400."""
    handler = request.route_handler
    if not handler.opt.get("strict_query"):
        return
    declared = {
        getattr(field.kwarg_definition, "query", None) or getattr(field.kwarg_definition, "name", None) or name
        for name, field in handler.parsed_fn_signature.parameters.items()
    } - NOT_QUERY_PARAMETERS
    declared -= set(request.path_params)
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in declared]
    if unknown:
        raise bad_request(
            *(invalid(name, f"unknown parameter {name!r} for {request.url.path}", sorted(declared)) for name in unknown)
        )


def create_app(store: Store, *, debug: bool = False, response_cache_bytes: int = DEFAULT_MAX_BYTES) -> Litestar:
    """The Litestar application serving ``store``.

    ``response_cache_bytes`` bounds the cache of whole responses for immutable releases
    (:mod:`api.response_cache`); 0 turns it off.
    """

    def provide_store() -> Store:
        return store

    app = Litestar(
        route_handlers=[
            index, health, list_topics, list_measures, ClauseController, list_clauses_csv, get_clause_csv,
            DocumentController, WorkController, ReleaseController, *docs_routes(), *explorer_routes(),
        ],
        dependencies={"store": Provide(provide_store, use_cache=True, sync_to_thread=False)},
        before_request=reject_unknown_query_parameters,
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[DefineMiddleware(HttpCacheMiddleware, store=store)],
        cors_config=CORSConfig(
            allow_origins=["*"], allow_methods=["GET", "OPTIONS"], allow_headers=["If-None-Match"],
            expose_headers=["ETag"], allow_credentials=False, max_age=86400,
        ),
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024, gzip_compress_level=6),
        openapi_config=openapi_config(TITLE, f"{API_VERSION}.0.0"),
        logging_config=None,  # logging is the host's business: `python -m api` configures it
        debug=debug,
    )
    describe_file_downloads(app)
    handler = Utf8QueryMiddleware(app.asgi_handler)
    if response_cache_bytes > 0:
        handler = ResponseCacheMiddleware(handler, store, response_cache_bytes)
    app.asgi_handler = AccessLogMiddleware(handler)
    return app
