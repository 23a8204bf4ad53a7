"""GET /topics."""

from __future__ import annotations

from litestar import get

from api.models import ListMeta, TopicList
from api.params import Release_, resolve_release
from api.records import topics
from api.routes.common import ERRORS, STRICT_QUERY, StoreDep


@get(
    "/topics",
    opt=STRICT_QUERY,
    sync_to_thread=True,
    tags=["topics"],
    summary="List topics with clause counts",
    description="The topic vocabulary in its own order, with how many clauses carry each topic themselves "
    "(`clause_count`) and how many carry it themselves or under a heading that does "
    "(`clause_count_with_descendants`, what `include_descendants=true` filters on).",
    responses=ERRORS,
)
def list_topics(store: StoreDep, release: Release_ = None) -> TopicList:
    rel = resolve_release(store, release)
    data = topics(rel)
    return TopicList(
        data=data, meta=ListMeta(total=len(data), limit=len(data), offset=0, next_cursor=None, release=rel.version)
    )
