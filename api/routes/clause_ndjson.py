"""GET /clauses.ndjson: every clause matching the filters of GET /clauses, streamed as JSON Lines."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
from litestar import get
from litestar.response import Stream

from api.clause_listing import stream_clauses
from api.filters import FILTERS, Filters
from api.models import ClauseHit
from api.params import Release_, resolve_release
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
    dependencies=FILTERS,
)
def list_clauses_ndjson(store: StoreDep, filters: Filters, release: Release_ = None) -> Stream:
    # The filters are declared once, with those of GET /clauses (api.filters).
    batches = stream_clauses(resolve_release(store, release), filters)
    return Stream(
        _lines(batches),
        media_type=NDJSON_MEDIA_TYPE,
        headers={"Content-Disposition": 'inline; filename="clauses.ndjson"'},
    )
