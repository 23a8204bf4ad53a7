"""GET /clauses.csv and GET /clauses/{clause_id}/csv: clauses in the columns of the data package's clauses.csv."""

from __future__ import annotations

from functools import cache

import msgspec
from litestar import Response, get

from api.clause_listing import ListRequest, all_clauses
from api.lookups import clause_or_404
from api.models import ClauseFields
from api.params import (
    AsOf,
    Cities,
    ClauseId,
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
from scripts.package import csv_bytes
from scripts.schemas import field_names

CSV_MEDIA_TYPE = "text/csv"


@cache
def clause_columns() -> list[str]:
    return field_names("clauses")


def csv_response(clauses: list[ClauseFields], filename: str) -> Response[bytes]:
    rows = [msgspec.structs.asdict(c) for c in clauses]
    return Response(
        content=csv_bytes(rows, clause_columns()),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@get(
    "/clauses.csv",
    opt=STRICT_QUERY,
    sync_to_thread=True,
    tags=["clauses"],
    summary="Clauses as CSV",
    description="Every clause matching the filters of GET /clauses (same parameters and order, no paging), as CSV "
    "with the columns of the data package's `clauses.csv`.",
    media_type="text/csv",
    responses=ERRORS,
)
def list_clauses_csv(
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
    as_of: AsOf = None,
    release: Release_ = None,
) -> Response[bytes]:
    req = ListRequest(
        city=city, level=level, document=document, topic=topic, topic_mode=topic_mode,
        include_descendants=include_descendants, kind=kind, q=q, order=order, as_of=as_of,
    )
    return csv_response(list(all_clauses(resolve_release(store, release), req)), "clauses.csv")


@get(
    "/clauses/{clause_id:str}/csv",
    opt=STRICT_QUERY,
    sync_to_thread=True,
    tags=["clauses"],
    summary="One clause as CSV",
    description="The clause's row of the data package's `clauses.csv`, with its header.",
    media_type="text/csv",
    responses=ERRORS,
)
def get_clause_csv(store: StoreDep, clause_id: ClauseId, release: Release_ = None) -> Response[bytes]:
    detail = clause_or_404(resolve_release(store, release), clause_id)
    return csv_response([detail], f"{detail.id}.csv")
