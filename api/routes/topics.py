"""GET /topics."""

from __future__ import annotations

from litestar import Response, get

from api.models import ListMeta, TopicList
from api.params import Release_, resolve_release
from api.problems import not_found
from api.records import topics
from api.routes.common import ERRORS, STRICT_QUERY, StoreDep
from api.topic_hints import codebook_path


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


@get(
    "/topics/codebook",
    opt=STRICT_QUERY,
    media_type="text/markdown",
    sync_to_thread=True,
    tags=["topics"],
    summary="The topic codebook",
    description="When a topic applies to a clause: the decision rules the tags follow, then the vocabulary with its "
    "scope notes, as published with the release (Markdown). Releases cut before the codebook was published have "
    "none (404).",
    responses=ERRORS,
    response_description="The codebook as UTF-8 Markdown.",
)
def get_codebook(store: StoreDep, release: Release_ = None) -> Response[bytes]:
    rel = resolve_release(store, release)
    path = codebook_path(rel.package)
    if path is None:
        raise not_found(
            f"Release {rel.version} has no topic codebook; it is published with the data from the first "
            "release after 1.0.0 on (see GET /releases)."
        )
    return Response(path.read_bytes(), media_type="text/markdown")
