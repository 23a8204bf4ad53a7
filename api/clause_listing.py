"""Listing clauses: what GET /clauses, GET /clauses.csv and the explorer's search page share.

:class:`ListRequest` holds the raw query parameters; :func:`list_clauses` validates them
(every invalid parameter reported in one 400) and reads one page with its total and facets;
:func:`all_clauses` reads every matching clause, in the same order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Literal

from api import vocab
from api.clause_queries import ClauseFilter, counted, page
from api.cursor import Cursor, CursorError, decode, encode, query_hash
from api.lookups import require_documents
from api.models import ClauseHit, ClauseList, Facets, ListMeta
from api.params import DEFAULT_LIMIT, Checker
from api.problems import bad_request, invalid
from api.records import clauses_by_number, topics
from api.store import Release
from api.text_search import QueryError, SearchQuery
from api.topic_hints import topic_hints


@dataclass(frozen=True)
class ListRequest:
    """The query parameters of a clause list, as received (not yet validated)."""

    city: list[str] | None = None
    level: list[str] | None = None
    document: list[str] | None = None
    topic: list[str] | None = None
    topic_mode: str = "any"
    include_descendants: bool = False
    kind: list[str] | None = None
    q: str | None = None
    order: str | None = None
    as_of: str | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    cursor: str | None = None


@dataclass(frozen=True)
class _Plan:
    flt: ClauseFilter
    ranked: bool
    qhash: str
    start: int
    after: int | None


def clause_filter(check: Checker, release: Release, req: ListRequest) -> ClauseFilter:
    """The validated filter of ``req``; problems are added to ``check``."""
    search = None
    if req.q is not None:
        try:
            search = SearchQuery.parse(req.q)
        except QueryError as exc:
            check.add("q", str(exc))
    topics_allowed = vocab.TOPICS + tuple(t for t in release.topic_ord if t not in vocab.TOPICS)
    documents = check.document_ids("document", req.document)
    return ClauseFilter(
        cities=check.vocabulary("city", req.city, vocab.CITIES),
        levels=check.vocabulary("level", req.level, vocab.LEVELS),
        documents=documents,
        kinds=check.vocabulary("kind", req.kind, vocab.KINDS),
        topics=check.vocabulary("topic", req.topic, topics_allowed),
        topic_mode="all" if check.choice("topic_mode", req.topic_mode, ("any", "all"), "any") == "all" else "any",
        include_descendants=req.include_descendants,
        search=search,
        as_of=check.date("as_of", req.as_of),
    )


def _plan(rel: Release, req: ListRequest) -> _Plan:
    check = Checker()
    flt = clause_filter(check, rel, req)
    has_q = req.q is not None
    # Without q there is nothing to rank by: order=relevance is accepted and gives document order.
    chosen = check.choice("order", req.order, ("relevance", "document"), "relevance" if has_q else "document")
    if req.offset and req.cursor is not None:
        check.add("cursor", "give either offset or cursor, not both")
    if not check.errors:
        require_documents(rel, flt.documents)
    ranked = chosen == "relevance" and flt.search is not None and flt.search.ranked
    qhash = query_hash(rel.version, rel.content_hash, flt, ranked)
    after = None
    start = req.offset
    if req.cursor is not None:
        try:
            position = decode(req.cursor, qhash)
        except CursorError as exc:
            check.add("cursor", str(exc))
        else:
            if position.kind == "after":
                after, start = position.value, 0
            else:
                start = position.value
    check.raise_if_any()
    return _Plan(flt, ranked, qhash, start, after)


@contextmanager
def _search_errors(flt: ClauseFilter) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
        if flt.search is None:
            raise
        # SQLite refused a statement of the text search: a q the parser let through, not a server fault.
        raise bad_request(invalid("q", f"cannot search for this text ({exc})")) from None


def answered_in_memory(req: ListRequest) -> bool:
    """Whether ``req`` is answered from the in-memory arrays and index lookups alone (no reading of the clauses'
    text): short enough to answer without a thread hop. A ``q`` that does not parse is too (it is refused at
    once)."""
    if req.q is None:
        return True
    try:
        search = SearchQuery.parse(req.q)
    except QueryError:
        return True
    return not search.scans


def list_clauses(rel: Release, req: ListRequest) -> ClauseList:
    """One page of the clauses ``req`` selects, with the total, the facet counts and the next cursor."""
    plan = _plan(rel, req)
    flt, limit = plan.flt, req.limit
    with _search_errors(flt):
        counts, index = counted(rel, flt)
        numbers = page(rel, flt, "relevance" if plan.ranked else "document", limit, plan.start, plan.after, index)
    more = len(numbers) > limit
    numbers = numbers[:limit]
    next_cursor = None
    if more:
        nxt = Cursor("offset", plan.start + limit) if plan.ranked else Cursor("after", numbers[-1])
        next_cursor = encode(nxt, plan.qhash)
    data = clauses_by_number(rel, numbers, flt.search.pattern if flt.search else None)
    return ClauseList(
        data=data,
        meta=ListMeta(
            total=counts.total,
            limit=limit,
            offset=None if plan.after is not None else plan.start,
            next_cursor=next_cursor,
            release=rel.version,
            query_converted=flt.search.converted if flt.search else None,
            facets=Facets(
                city=counts.city,
                level=counts.level,
                topic=counts.topic,
                document=counts.document,
                kind=counts.kind,
            ),
            topic_hints=(topic_hints(req.q, topics(rel), counts.topic, rel.version) or None) if req.q else None,
        ),
    )


def all_clauses(rel: Release, req: ListRequest) -> list[ClauseHit]:
    """Every clause ``req`` selects (its paging parameters aside), in the list's order."""
    plan = _plan(rel, replace(req, offset=0, cursor=None))
    with _search_errors(plan.flt):
        numbers = page(rel, plan.flt, "relevance" if plan.ranked else "document", rel.counts["clauses"], 0, None)
    return clauses_by_number(rel, numbers, None)


STREAM_BATCH = 1000


def stream_clauses(rel: Release, req: ListRequest, batch: int = STREAM_BATCH) -> Iterator[list[ClauseHit]]:
    """Every clause ``req`` selects, in the list's order, ``batch`` at a time (constant memory).

    The parameters are checked at once (a 400 before anything is streamed); the clauses are read as the
    returned iterator is consumed: in document order by key (after the last clause number sent), in
    relevance order by position.
    """
    plan = _plan(rel, replace(req, offset=0, cursor=None))
    order: Literal["relevance", "document"] = "relevance" if plan.ranked else "document"

    def batches() -> Iterator[list[ClauseHit]]:
        own = rel.dedicated()  # one small connection for the whole stream, closed when it ends
        after: int | None = None
        offset = 0
        try:
            while True:
                with _search_errors(plan.flt):
                    numbers = page(own, plan.flt, order, batch, offset if plan.ranked else 0, after)[:batch]
                if not numbers:
                    return
                yield clauses_by_number(own, numbers, None)
                if len(numbers) < batch:
                    return
                offset += batch
                after = None if plan.ranked else numbers[-1]
        finally:
            own.close()

    return batches()
