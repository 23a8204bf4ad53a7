"""The explorer's pages: search (/), a clause (/clause/{id}) and a document (/document/{id}), server-rendered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import msgspec
from litestar import Request, Response, get
from litestar.params import QueryParameter

from api.citing import cite_choices, clause_work, document_work
from api.clause_listing import list_clauses
from api.explorer import labels as lb
from api.explorer.outline import body, citation, dataset_title, document_tree, walk
from api.explorer.render import render
from api.explorer.search_state import FILTER_NAMES, SearchState
from api.explorer.urls import clause_path, pinned, search_path
from api.filters import FILTERS, Filters
from api.lookups import clause_or_404, document_or_404
from api.models import ClauseVersion, Facets
from api.params import (
    ClauseId,
    DocumentId,
    Offset,
    Release_,
    resolve_release,
)
from api.public_url import public_base
from api.records import cited_by, similar_clauses
from api.routes.common import STRICT_QUERY, StoreDep
from api.store import Release
from api.work_records import clause_versions, work

SIMILAR_LIMIT = 10
PageSize = Annotated[int, QueryParameter(required=False, ge=1, le=100)]
HTML_PAGE: dict[str, Any] = {"include_in_schema": False, "opt": STRICT_QUERY, "sync_to_thread": True}


@dataclass
class FacetValue:
    value: str
    label: lb.Label
    count: int
    active: bool
    url: str


def _facet_groups(state: SearchState, counts: Facets, labels: dict[str, dict[str, lb.Label]]) -> list[dict[str, Any]]:
    groups = []
    for name, heading in lb.FILTERS.items():
        found: dict[str, int] = getattr(counts, name)
        values = list(labels[name]) + [v for v in found if v not in labels[name]]
        shown = [v for v in values if found.get(v) or state.is_active(name, v)]
        if name == "topic":
            shown.sort(key=lambda v: -found.get(v, 0))
        groups.append(
            {
                "name": name,
                "heading": heading,
                "values": [
                    FacetValue(
                        v,
                        lb.label(labels[name], v),
                        found.get(v, 0),
                        state.is_active(name, v),
                        state.toggled(name, v).url(),
                    )
                    for v in shown
                ],
            }
        )
    return groups


def _active_filters(state: SearchState, labels: dict[str, dict[str, lb.Label]]) -> list[dict[str, Any]]:
    """Each filter value in force, with the link that removes it."""
    return [
        {
            "name": name,
            "heading": lb.FILTERS[name],
            "label": lb.label(labels[name], value),
            "url": state.toggled(name, value).url(),
        }
        for name in lb.FILTERS
        for value in state.filters.get(name, ())
    ]


@get("/", name="explorer-search", dependencies=FILTERS, **HTML_PAGE)
def search_page(
    request: Request[Any, Any, Any],
    store: StoreDep,
    filters: Filters,
    release: Release_ = None,
    limit: PageSize = 20,
    offset: Offset = 0,
) -> Response[str]:
    rel = resolve_release(store, release)
    q = filters.q
    state = SearchState(
        q=q.strip() if q and q.strip() else None,
        filters={name: tuple(dict.fromkeys(getattr(filters, name) or ())) for name in FILTER_NAMES},
        topic_mode=filters.topic_mode,
        include_descendants=filters.include_descendants,
        order=filters.order,
        as_of=filters.as_of.strip() if filters.as_of and filters.as_of.strip() else None,
        release=release,
        limit=limit,
        offset=offset,
    )
    result = list_clauses(rel, state.list_request)
    labels = lb.release_labels(rel)
    total = result.meta.total
    return render(
        request,
        "search.html",
        rel,
        release,
        {
            "state": state,
            "hits": result.data,
            "total": total,
            "first": offset + 1 if result.data else 0,
            "last": offset + len(result.data),
            "previous_url": state.at(offset - limit).url() if offset > 0 else None,
            "next_url": state.at(offset + limit).url() if offset + limit < total else None,
            "facet_groups": _facet_groups(state, result.meta.facets, labels) if result.meta.facets else [],
            "topic_hints": [
                {**msgspec.structs.asdict(h), "url": search_path(release, topic=h.topic)}
                for h in result.meta.topic_hints or []
            ],
            "active": _active_filters(state, labels),
            "as_of_clear_url": state.without_date().url(),
            "clear_url": state.cleared().url(),
            "json_url": state.url("/clauses", explicit_limit=True),
            "csv_url": state.url("/clauses.csv", paging=False),
            "ndjson_url": state.url("/clauses.ndjson", paging=False),
            "query_converted": result.meta.query_converted,
            "labels": labels,
        },
    )


@get("/clause/{clause_id:str}", name="explorer-clause", **HTML_PAGE)
def clause_page(
    request: Request[Any, Any, Any], store: StoreDep, clause_id: ClauseId, release: Release_ = None
) -> Response[str]:
    rel = resolve_release(store, release)
    clause = clause_or_404(rel, clause_id)
    tree = document_tree(rel, document_or_404(rel, clause.document_id))
    order = [node.clause.id for node in walk(tree)]
    at = order.index(clause.id)
    version = rel.version
    _, similar = similar_clauses(rel, clause.id, SIMILAR_LIMIT, 0) or (0, [])
    canonical = public_base(request) + pinned(clause_path(clause.id), version)
    return render(
        request,
        "clause.html",
        rel,
        release,
        {
            "clause": clause,
            "heading_text": body(clause),
            "similar": similar,
            "tree": tree,
            "previous_id": order[at - 1] if at > 0 else None,
            "next_id": order[at + 1] if at + 1 < len(order) else None,
            "citation": citation(clause, version, dataset_title(rel), canonical),
            "cite_choices": cite_choices(
                clause_work(rel, clause, public_base(request)), f"/clauses/{quote(clause.id, safe='')}/cite"
            ),
            "json_url": pinned(f"/clauses/{quote(clause.id, safe='')}", version),
            "csv_url": pinned(f"/clauses/{quote(clause.id, safe='')}/csv", version),
            "history_url": f"/clauses/{quote(clause.id, safe='')}/history",
            "versions": _versions(rel, clause.id, clause.kind),
            "labels": lb.release_labels(rel),
        },
    )


@get("/document/{document_id:str}", name="explorer-document", **HTML_PAGE)
def document_page(
    request: Request[Any, Any, Any], store: StoreDep, document_id: DocumentId, release: Release_ = None
) -> Response[str]:
    rel = resolve_release(store, release)
    document = document_or_404(rel, document_id)
    version = rel.version
    return render(
        request,
        "document.html",
        rel,
        release,
        {
            "document": document,
            "tree": document_tree(rel, document),
            "cited_by": cited_by(rel, document.id) or [],
            "cite_choices": cite_choices(
                document_work(rel, document, public_base(request), document.source_url),
                f"/documents/{quote(document.id, safe='')}/cite",
            ),
            "json_url": pinned(f"/documents/{quote(document.id, safe='')}", version),
            "csv_url": "/clauses.csv?" + urlencode({"document": document.id, "release": version}),
            "search_url": SearchState(filters={"document": (document.id,)}, release=release).url(),
            "work": work(rel, rel.document_by_id[document.id].work_id),
            "labels": lb.release_labels(rel),
        },
    )


def _versions(rel: Release, clause_id: str, kind: str) -> list[ClauseVersion]:
    """The article or 款 in every version of its work, when the work has more than one."""
    if kind not in ("article", "paragraph"):
        return []
    found = clause_versions(rel, clause_id) or []
    return found if len(found) > 1 else []
