"""GET /clauses and GET /clauses/{clause_id}."""

from __future__ import annotations

from dataclasses import replace

from litestar import Controller, get
from litestar.concurrency import sync_to_thread

from api import vocab
from api.clause_listing import answered_in_memory, list_clauses
from api.filters import FILTERS, Filters
from api.lookups import clause_not_found, clause_or_404
from api.models import (
    ClauseHistory,
    ClauseList,
    ClauseResponse,
    ClauseVersionList,
    HistoryEntry,
    ItemMeta,
    ListMeta,
    SimilarList,
)
from api.params import (
    DEFAULT_LIMIT,
    ClauseId,
    Limit,
    Offset,
    Release_,
    resolve_release,
)
from api.params import (
    Cursor as CursorParam,
)
from api.problems import not_found
from api.records import clause_detail, similar_clauses
from api.routes.common import ERRORS, STRICT_QUERY, StoreDep
from api.work_records import clause_versions

LIST_DESCRIPTION = """\
Clauses matching every given filter, one page at a time, with the total and facet counts.

* Filters: `city`, `level`, `document`, `kind` and `topic` (each repeatable: any of the values), `q` (full text),
  `as_of` (a day: only the version of each work in force then).
  Several `topic` values match clauses with ANY of them by default; `topic_mode=all` asks for ALL of them.
* Order: `relevance` when `q` is given (BM25 over the character bigrams of the query's words; see `order`),
  else `document` (documents by jurisdiction, then reading order).
* Paging: `limit` (default 50, at most 500) with `offset`, or with `cursor` set to the previous page's
  `meta.next_cursor`; `meta.next_cursor` is null on the last page.
* `meta.facets` counts the filtered clauses by city, level, topic, kind and document (the 100 documents with most
  matches); `meta.total` is the number of filtered clauses.
"""


class ClauseController(Controller):
    path = "/clauses"
    tags = ("clauses",)

    @get(
        "/",
        opt=STRICT_QUERY,
        summary="List, filter and search clauses",
        description=LIST_DESCRIPTION,
        responses=ERRORS,
        dependencies=FILTERS,
    )
    async def list_clauses(
        self,
        store: StoreDep,
        filters: Filters,
        release: Release_ = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        cursor: CursorParam = None,
    ) -> ClauseList:
        rel = resolve_release(store, release)
        req = replace(filters, limit=limit, offset=offset, cursor=cursor)
        # Array and index answers take a millisecond or two: a thread hop would cost more than it frees.
        if answered_in_memory(req):
            return list_clauses(rel, req)
        return await sync_to_thread(list_clauses, rel, req)

    @get(
        "/{clause_id:str}",
        opt=STRICT_QUERY,
        sync_to_thread=False,  # a few lookups by key: cheaper than a thread hop
        summary="One clause, with its parent, ancestors, children and document",
        description="The clause with the given ID, the IDs of the clauses directly under it, its ancestors from the "
        "top of the outline, why it carries each topic, and a summary of its document.",
        responses=ERRORS,
    )
    def get_clause(self, store: StoreDep, clause_id: ClauseId, release: Release_ = None) -> ClauseResponse:
        rel = resolve_release(store, release)
        return ClauseResponse(data=clause_or_404(rel, clause_id), meta=ItemMeta(release=rel.version))

    @get(
        "/{clause_id:str}/similar",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="Clauses of other documents with overlapping wording",
        description="Text reuse: the clauses of other documents that share wording with this one, most similar "
        "first. `score` is the Jaccard similarity of the two clauses' sets of character 4-grams (0–1); `shared` "
        "lists the passages of 8 or more characters they have in common, as written in the requested clause. "
        "An empty list when no clause passes the threshold of the `clause_similar` resource.",
        responses=ERRORS,
    )
    def get_similar(
        self,
        store: StoreDep,
        clause_id: ClauseId,
        release: Release_ = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> SimilarList:
        rel = resolve_release(store, release)
        found = similar_clauses(rel, clause_id, limit, offset) if vocab.CLAUSE_ID_RE.match(clause_id) else None
        if found is None:
            raise clause_not_found(rel, clause_id)
        total, data = found
        return SimilarList(
            data=data, meta=ListMeta(total=total, limit=limit, offset=offset, next_cursor=None, release=rel.version)
        )

    @get(
        "/{clause_id:str}/versions",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="An article (or 款) in every version of its work",
        description="One entry per version of the clause's work, oldest first: the counterpart of the clause there "
        "(null where that version has none: not yet added, or repealed), its numbering and whole text (with the "
        "clauses under it), and `change` from the version before (see GET /works/{id}/changes). A clause of a work "
        "of one version gives one entry. Articles are followed at article level, other clauses at 款 level.",
        responses=ERRORS,
    )
    def get_versions(self, store: StoreDep, clause_id: ClauseId, release: Release_ = None) -> ClauseVersionList:
        rel = resolve_release(store, release)
        found = clause_versions(rel, clause_id) if vocab.CLAUSE_ID_RE.match(clause_id) else None
        if found is None:
            raise clause_not_found(rel, clause_id)
        return ClauseVersionList(data=found, meta=ItemMeta(release=rel.version))

    @get(
        "/{clause_id:str}/history",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="A clause across every release",
        description="One entry per served release, oldest first: whether the clause exists there, and its numbering, "
        "heading, text and topics; `changed` is true where any of them differs from the previous release "
        "(or the clause appeared or disappeared). 404 when no release has the clause.",
        responses=ERRORS,
    )
    def get_clause_history(self, store: StoreDep, clause_id: ClauseId) -> ClauseHistory:
        entries: list[HistoryEntry] = []
        previous: tuple[object, ...] | None = None
        for version in store.versions:
            detail = clause_detail(store.get(version), clause_id) if vocab.CLAUSE_ID_RE.match(clause_id) else None
            state = None if detail is None else (detail.numbering, detail.heading, detail.text, tuple(detail.topics))
            changed = bool(entries) and state != previous
            if detail is None:
                entries.append(HistoryEntry(release=version, present=False, changed=changed))
            else:
                entries.append(
                    HistoryEntry(
                        release=version,
                        present=True,
                        changed=changed or not entries,
                        numbering=detail.numbering,
                        heading=detail.heading,
                        text=detail.text,
                        topics=list(detail.topics),
                    )
                )
            previous = state
        if not any(e.present for e in entries):
            raise not_found(f"No clause {clause_id!r} in any release ({', '.join(store.versions)}).")
        return ClauseHistory(data=entries, meta=ItemMeta(release=store.versions[-1]))
