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
    description="The quantitative content of clauses (subsidies, caps, rates, targets, deadlines …) in document "
    "order: kind, value and unit as written, qualifier, and the exact span of the clause text (`text`, "
    "`start`, `end`). Filter by the clause's `city`, `level` and `document`, and by `kind` of measure.",
    responses=ERRORS,
)
def list_measures(
    store: StoreDep,
    city: Cities = None,
    level: Levels = None,
    document: Documents = None,
    kind: MeasureKinds = None,
    release: Release_ = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> MeasureList:
    rel = resolve_release(store, release)
    check = Checker()
    cities = check.vocabulary("city", city, vocab.CITIES)
    levels = check.vocabulary("level", level, vocab.LEVELS)
    kinds = check.vocabulary("kind", kind, vocab.MEASURE_KINDS)
    documents = check.document_ids("document", document)
    check.raise_if_any()
    require_documents(rel, documents)
    total, data = measures(rel, cities, levels, documents, kinds, limit, offset)
    return MeasureList(
        data=data, meta=ListMeta(total=total, limit=limit, offset=offset, next_cursor=None, release=rel.version))
