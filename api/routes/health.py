"""GET /health and GET /api (the index)."""

from __future__ import annotations

from litestar import get
from litestar.datastructures import CacheControlHeader

from api.models import ApiIndex, Health
from api.routes.common import BAD_REQUEST, STRICT_QUERY, StoreDep

TITLE = "Chinese fintech policy API"
DESCRIPTION = "Clauses of Chinese fintech policy documents, with topics, full-text search and versioned releases."


@get(
    "/health",
    opt=STRICT_QUERY,
    sync_to_thread=False,
    tags=["service"],
    summary="Service health",
    description="`ok` with the versions served, or `empty` when no release is served.",
    cache_control=CacheControlHeader(no_store=True),
    responses=BAD_REQUEST,
)
def health(store: StoreDep) -> Health:
    latest = store.latest
    return Health(
        status="ok" if latest else "empty", releases=store.versions, latest=latest.version if latest else None
    )


@get("/api", opt=STRICT_QUERY, sync_to_thread=False, tags=["service"], summary="API index",
     description="Links to the documentation and to the collections.", responses=BAD_REQUEST)
def index(store: StoreDep) -> ApiIndex:
    latest = store.latest
    return ApiIndex(
        title=TITLE,
        description=DESCRIPTION,
        docs="/docs",
        openapi="/schema/openapi.json",
        latest_release=latest.version if latest else None,
        links={
            "clauses": "/clauses",
            "documents": "/documents",
            "works": "/works",
            "topics": "/topics",
            "measures": "/measures",
            "releases": "/releases",
            "health": "/health",
        },
    )
