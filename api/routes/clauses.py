"""GET /clauses and GET /clauses/{clause_id}."""

from __future__ import annotations

import sqlite3
from typing import ClassVar

from litestar import Controller, get

from api import vocab
from api.clause_queries import ClauseFilter, facets, page
from api.cursor import Cursor, CursorError, decode, encode, query_hash
from api.models import (
    ClauseDetail,
    ClauseHistory,
    ClauseList,
    ClauseResponse,
    Facets,
    HistoryEntry,
    ItemMeta,
    ListMeta,
    SimilarList,
)
from api.params import (
    DEFAULT_LIMIT,
    Checker,
    Cities,
    ClauseId,
    Documents,
    IncludeDescendants,
    Kinds,
    Levels,
    Limit,
    Offset,
    Order,
    Query,
    Release_,
    TopicMode,
    Topics,
    resolve_release,
)
from api.params import (
    Cursor as CursorParam,
)
from api.problems import bad_request, invalid, not_found
from api.records import clause_detail, clauses_by_number, similar_clauses
from api.routes.common import ERRORS, STRICT_QUERY, StoreDep
from api.store import Release
from api.text_search import QueryError, SearchQuery

LIST_DESCRIPTION = """\
Clauses matching every given filter, one page at a time, with the total and facet counts.

* Filters: `city`, `level`, `document`, `kind` and `topic` (each repeatable: any of the values), `q` (full text).
  Several `topic` values match clauses with ANY of them by default; `topic_mode=all` asks for ALL of them.
* Order: `relevance` when `q` is given, else `document` (documents by jurisdiction, then reading order).
* Paging: `limit` (default 50, at most 500) with `offset`, or with `cursor` set to the previous page's
  `meta.next_cursor`; `meta.next_cursor` is null on the last page.
* `meta.facets` counts the filtered clauses by city, level, topic, kind and document (the 100 documents with most
  matches); `meta.total` is the number of filtered clauses.
"""


def _clause_filter(
    check: Checker, release: Release, city: list[str] | None, level: list[str] | None,
    document: list[str] | None, kind: list[str] | None, topic: list[str] | None, topic_mode: str,
    include_descendants: bool, q: str | None,
) -> ClauseFilter:
    search = None
    if q is not None:
        try:
            search = SearchQuery.parse(q)
        except QueryError as exc:
            check.add("q", str(exc))
    topics_allowed = vocab.TOPICS + tuple(t for t in release.topic_ord if t not in vocab.TOPICS)
    documents = tuple(dict.fromkeys(document or []))
    for doc_id in documents:
        if not vocab.DOC_ID_RE.match(doc_id):
            check.add("document", f"{doc_id!r} is not a document ID (lowercase ASCII such as 'qingdao-2021')")
    return ClauseFilter(
        cities=check.vocabulary("city", city, vocab.CITIES),
        levels=check.vocabulary("level", level, vocab.LEVELS),
        documents=documents,
        kinds=check.vocabulary("kind", kind, vocab.KINDS),
        topics=check.vocabulary("topic", topic, topics_allowed),
        topic_mode="all" if check.choice("topic_mode", topic_mode, ("any", "all"), "any") == "all" else "any",
        include_descendants=include_descendants,
        search=search,
    )


class ClauseController(Controller):
    path = "/clauses"
    tags: ClassVar[list[str]] = ["clauses"]

    @get(
        "/",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="List, filter and search clauses",
        description=LIST_DESCRIPTION,
        responses=ERRORS,
    )
    def list_clauses(
        self,
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
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        cursor: CursorParam = None,
    ) -> ClauseList:
        rel = resolve_release(store, release)
        check = Checker()
        flt = _clause_filter(check, rel, city, level, document, kind, topic, topic_mode, include_descendants, q)
        has_q = q is not None
        chosen = check.choice("order", order, ("relevance", "document"), "relevance" if has_q else "document")
        if chosen == "relevance" and not has_q:
            check.add("order", "order=relevance needs q; without q, clauses come in document order",
                      ["document"])
        if offset and cursor is not None:
            check.add("cursor", "give either offset or cursor, not both")
        unknown = [d for d in flt.documents if vocab.DOC_ID_RE.match(d) and d not in rel.document_by_id]
        if unknown and not check.errors:
            raise not_found(f"No document {unknown[0]!r} in release {rel.version}; see GET /documents.")
        ranked = chosen == "relevance" and flt.search is not None and bool(
            flt.search.trigram_match or flt.search.bigram_match)
        qhash = query_hash(rel.version, rel.content_hash, flt, ranked)
        after = None
        start = offset
        if cursor is not None:
            try:
                position = decode(cursor, qhash)
            except CursorError as exc:
                check.add("cursor", str(exc))
            else:
                if position.kind == "after":
                    after, start = position.value, 0
                else:
                    start = position.value
        check.raise_if_any()

        try:
            counts = facets(rel, flt)
            numbers = page(rel, flt, "relevance" if ranked else "document", limit, start, after)
        except sqlite3.OperationalError as exc:
            if flt.search is None:
                raise
            # The full-text index refused the query: a q the parser let through, not a server fault.
            raise bad_request(invalid("q", f"cannot search for this text ({exc})")) from None
        more = len(numbers) > limit
        numbers = numbers[:limit]
        next_cursor = None
        if more:
            nxt = Cursor("offset", start + limit) if ranked else Cursor("after", numbers[-1])
            next_cursor = encode(nxt, qhash)
        data = clauses_by_number(rel, numbers, flt.search.pattern if flt.search else None)
        return ClauseList(
            data=data,
            meta=ListMeta(
                total=counts.total,
                limit=limit,
                offset=None if after is not None else start,
                next_cursor=next_cursor,
                release=rel.version,
                facets=Facets(
                    city=counts.city, level=counts.level, topic=counts.topic, document=counts.document,
                    kind=counts.kind,
                ),
            ),
        )

    @get(
        "/{clause_id:str}",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="One clause, with its parent, ancestors, children and document",
        description="The clause with the given ID, the IDs of the clauses directly under it, its ancestors from the "
        "top of the outline, why it carries each topic, and a summary of its document.",
        responses=ERRORS,
    )
    def get_clause(self, store: StoreDep, clause_id: ClauseId, release: Release_ = None) -> ClauseResponse:
        rel = resolve_release(store, release)
        detail: ClauseDetail | None = None
        if vocab.CLAUSE_ID_RE.match(clause_id):
            detail = clause_detail(rel, clause_id)
        if detail is None:
            raise not_found(f"No clause {clause_id!r} in release {rel.version}.")
        return ClauseResponse(data=detail, meta=ItemMeta(release=rel.version))

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
        self, store: StoreDep, clause_id: ClauseId, release: Release_ = None, limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> SimilarList:
        rel = resolve_release(store, release)
        found = similar_clauses(rel, clause_id, limit, offset) if vocab.CLAUSE_ID_RE.match(clause_id) else None
        if found is None:
            raise not_found(f"No clause {clause_id!r} in release {rel.version}.")
        total, data = found
        return SimilarList(
            data=data, meta=ListMeta(total=total, limit=limit, offset=offset, next_cursor=None, release=rel.version))

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
                entries.append(HistoryEntry(release=version, present=True, changed=changed or not entries,
                                            numbering=detail.numbering, heading=detail.heading, text=detail.text,
                                            topics=list(detail.topics)))
            previous = state
        if not any(e.present for e in entries):
            raise not_found(f"No clause {clause_id!r} in any release ({', '.join(store.versions)}).")
        return ClauseHistory(data=entries, meta=ItemMeta(release=store.versions[-1]))
