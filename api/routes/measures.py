"""GET /measures."""

from __future__ import annotations

from litestar import get

from api import vocab
from api.lookups import require_documents
from api.models import ListMeta, MeasureList
from api.params import (
    DEFAULT_LIMIT,
    Checker,
    Cities,
    Documents,
    Levels,
    Limit,
    MeasureKinds,
    MeasureUnits,
    Offset,
    Release_,
    resolve_release,
)
from api.records import measures
from api.routes.common import ERRORS, STRICT_QUERY, StoreDep


@get(
    "/measures",
    opt=STRICT_QUERY,
    sync_to_thread=True,
    tags=["measures"],
    summary="List quantitative measures",
    description="The quantitative content of clauses (subsidies, caps, rates, targets, deadlines, time limits, "
    "ranges, multiples, effective dates …) in document order: kind, value and unit, qualifier, the upper bound of a "
    "range (`value_max`), the base of a multiple, what a time limit runs from, an effective date, and the exact "
    "span of the clause text (`text`, `start`, `end`). Filter by the clause's `city`, `level` and `document`, by "
    "`kind` of measure and by `unit` (`kind=time_limit&unit=个月`, `kind=range&unit=万元`).",
    responses=ERRORS,
)
def list_measures(
    store: StoreDep,
    city: Cities = None,
    level: Levels = None,
    document: Documents = None,
    kind: MeasureKinds = None,
    unit: MeasureUnits = None,
    release: Release_ = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> MeasureList:
    rel = resolve_release(store, release)
    check = Checker()
    cities = check.vocabulary("city", city, vocab.CITIES)
    levels = check.vocabulary("level", level, vocab.LEVELS)
    kinds = check.vocabulary("kind", kind, vocab.MEASURE_KINDS)
    units = check.vocabulary("unit", unit, vocab.MEASURE_UNITS)
    documents = check.document_ids("document", document)
    check.raise_if_any()
    require_documents(rel, documents)
    total, data = measures(rel, cities, levels, documents, kinds, units, limit, offset)
    return MeasureList(
        data=data, meta=ListMeta(total=total, limit=limit, offset=offset, next_cursor=None, release=rel.version)
    )
