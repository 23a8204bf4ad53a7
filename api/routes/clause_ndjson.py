"""GET /clauses.ndjson: every clause matching the filters of GET /clauses, streamed as JSON Lines."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
from litestar import get
from litestar.response import Stream

from api.clause_listing import ListRequest, stream_clauses
from api.models import ClauseHit
from api.params import (
    Cities,
    Documents,
    IncludeDescendants,
    Kinds,
    Levels,
    Order,
    Query,
    Release_,
    TopicMode,
    Topics,
    resolve_release,
)
from api.routes.common import ERRORS, STRICT_QUERY, StoreDep

NDJSON_MEDIA_TYPE = "application/x-ndjson"


def _lines(batches: Iterator[list[ClauseHit]]) -> Iterator[bytes]:
    encoder = msgspec.json.Encoder()
    for batch in batches:
        buffer = bytearray()
        for clause in batch:
            encoder.encode_into(clause, buffer, len(buffer))
            buffer += b"\n"
        yield bytes(buffer)


@get(
    "/clauses.ndjson",
    opt=STRICT_QUERY,
    sync_to_thread=True,
    tags=["clauses"],
    summary="Clauses as JSON Lines (streamed)",
    description="Every clause matching the filters of GET /clauses (same parameters and order, no paging), one JSON "
    "object per line (the fields of a clause in a list), streamed as it is read: memory stays flat however many "
    "clauses match, and a client can process the first lines before the last are sent. Invalid parameters are a "
    "400 before anything is streamed.",
    media_type=NDJSON_MEDIA_TYPE,
    responses=ERRORS,
)
def list_clauses_ndjson(
    store: StoreDep,
    city: Cities = None,
    level: Levels = None,
    document: Documents = None,
    topic: Topics = None,
    topic_mode: TopicMode = "any",
    include_descendants: IncludeDescendants = False,
    kind: Kinds = None,
    q: Query = None,
    order: Order = None,
    release: Release_ = None,
) -> Stream:
    req = ListRequest(
        city=city,
        level=level,
        document=document,
        topic=topic,
        topic_mode=topic_mode,
        include_descendants=include_descendants,
        kind=kind,
        q=q,
        order=order,
    )
    batches = stream_clauses(resolve_release(store, release), req)
    return Stream(
        _lines(batches),
        media_type=NDJSON_MEDIA_TYPE,
        headers={"Content-Disposition": 'inline; filename="clauses.ndjson"'},
    )
