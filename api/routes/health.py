"""GET /health and GET /api (the index)."""

from __future__ import annotations

from typing import Literal

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
    description="`ok` with the versions served, `empty` when no release is served, or `degraded` when a cut "
    "release does not verify against its recorded checksums (`releases/SHA256SUMS`, `release.json`): such a "
    "release is not served, and `failed_releases` says why.",
    cache_control=CacheControlHeader(no_store=True),
    responses=BAD_REQUEST,
)
def health(store: StoreDep) -> Health:
    latest = store.latest
    status: Literal["ok", "empty", "degraded"] = "degraded" if store.failed else "ok" if latest else "empty"
    return Health(
        status=status,
        releases=store.versions,
        latest=latest.version if latest else None,
        failed_releases=store.failed,
    )


@get(
    "/api",
    opt=STRICT_QUERY,
    sync_to_thread=False,
    tags=["service"],
    summary="API index",
    description="Links to the documentation and to the collections.",
    responses=BAD_REQUEST,
)
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
