"""GET /clauses.csv and GET /clauses/{clause_id}/csv: clauses in the columns of the data package's clauses.csv."""

from __future__ import annotations

import msgspec
from litestar import Response, get

from api.clause_listing import all_clauses
from api.filters import FILTERS, Filters
from api.lookups import clause_or_404
from api.models import ClauseFields
from api.params import (
    ClauseId,
    Release_,
    resolve_release,
)
from api.routes.common import ERRORS, STRICT_QUERY, StoreDep
from schemas import registry
from scripts.package import csv_bytes

CSV_MEDIA_TYPE = "text/csv"


def csv_response(clauses: list[ClauseFields], filename: str) -> Response[bytes]:
    rows = [msgspec.structs.asdict(c) for c in clauses]
    return Response(
        content=csv_bytes(rows, registry.table("clauses")),
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
    dependencies=FILTERS,
)
def list_clauses_csv(store: StoreDep, filters: Filters, release: Release_ = None) -> Response[bytes]:
    return csv_response(list(all_clauses(resolve_release(store, release), filters)), "clauses.csv")


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
