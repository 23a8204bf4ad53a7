"""The queries behind GET /clauses: filtered sets, facet counts and pages.

With the in-memory columns of a release (:mod:`api.fact_columns`, :mod:`api.document_arrays`), a filter is
array operations: city, level, document and point-in-time (``as_of``: the documents in force on a date) filters
become ranges of clause numbers (documents are numbered jurisdiction by jurisdiction, their clauses
contiguously), one topic reads a slice of its member list, and a ``q`` is the clause numbers it matches
(:mod:`api.text_match`, kept per query), narrowed by the other filters. Facets are bin counts over the selected
clauses, and a page is a slice of them.

A vocabulary of more than 64 topics has no columns: then the same filters are SQL over ``facts`` (one narrow row
per clause), topic filters as lists of topic-set IDs and ``q`` as its clause numbers, and facets three grouped
passes over the filtered set, expanded to cities, levels and topics in Python over the groups.

Relevance order: BM25 over the query's character bigrams, computed with numpy over the
matches from the bigram posting lists (:mod:`api.ranking`), equal scores in document order.
Facet counts are cached per release and filter, so paging through a list costs its pages only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from api import vocab
from api.document_arrays import DocumentArrays
from api.fact_columns import FactColumns, Selection, int_column, nonzero_counts, topic_mask
from api.running_counts import bit_counts
from api.store import DocumentInfo, Release
from api.text_search import SearchQuery

FACET_DOCUMENT_LIMIT = 100
KIND_OF_ORD = {i: k for k, i in vocab.KIND_ORD.items()}
KIND_COUNT = len(vocab.KIND_ORD) + 1  # kind numbers are below it
CELL_KINDS = 16  # the SQL fallback groups by (topic set, kind) as one number: tset * CELL_KINDS + kind
assert len(vocab.KIND_ORD) < CELL_KINDS

Order = Literal["relevance", "document"]


@dataclass(frozen=True)
class ClauseFilter:
    """What a GET /clauses request selects (validated values only)."""

    cities: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    topic_mode: Literal["any", "all"] = "any"
    include_descendants: bool = False
    search: SearchQuery | None = None
    as_of: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.cities or self.levels or self.documents or self.kinds or self.topics or self.search or self.as_of
        )


@dataclass
class Facets:
    city: dict[str, int] = field(default_factory=dict)
    level: dict[str, int] = field(default_factory=dict)
    topic: dict[str, int] = field(default_factory=dict)
    document: dict[str, int] = field(default_factory=dict)
    kind: dict[str, int] = field(default_factory=dict)
    total: int = 0


@dataclass
class _Source:
    """``FROM facts f WHERE ...`` yielding the filtered clauses, and the column of their topic sets (own, or with
    those of enclosing headings)."""

    sql: str
    params: list[object]
    tset: str


def _doc_ranges(release: Release, f: ClauseFilter) -> list[tuple[int, int, int, int]] | None:
    """Contiguous runs of selected documents as (first doc, last doc, first n, last n); None when all are."""
    if not (f.cities or f.levels or f.documents or f.as_of):
        return None
    if release.document_arrays is not None and not f.as_of:  # the arrays know no dates: as_of takes the loop
        return release.document_arrays.runs(f.cities, f.levels, f.documents)
    selected: list[DocumentInfo] = [
        d
        for d in release.documents
        if (not f.cities or d.city in f.cities)
        and (not f.levels or d.level in f.levels)
        and (not f.documents or d.id in f.documents)
        and (not f.as_of or d.in_force_on(f.as_of))
    ]
    runs: list[list[DocumentInfo]] = []
    for d in selected:
        if runs and runs[-1][-1].ord + 1 == d.ord:
            runs[-1].append(d)
        else:
            runs.append([d])
    return [(run[0].ord, run[-1].ord, run[0].first_n, run[-1].last_n) for run in runs]


def _doc_condition(alias: str, ranges: list[tuple[int, int, int, int]] | None, params: list[object]) -> str:
    if ranges is None:
        return ""
    if not ranges:
        return " AND 0"
    parts = []
    for doc_lo, doc_hi, n_lo, n_hi in ranges:
        parts.append(f"({alias}.doc BETWEEN ? AND ? AND {alias}.n BETWEEN ? AND ?)")
        params += [doc_lo, doc_hi, n_lo, n_hi]
    return " AND (" + " OR ".join(parts) + ")"


def _int_list(values: list[int]) -> str:
    return "(" + ",".join(str(int(v)) for v in values) + ")"


def _kind_condition(alias: str, f: ClauseFilter) -> str:
    return f" AND {alias}.kind IN {_int_list([vocab.KIND_ORD[k] for k in f.kinds])}" if f.kinds else ""


def _no_topic_can_match(release: Release, f: ClauseFilter) -> bool:
    present = [t for t in f.topics if t in release.topic_ord]
    return bool(f.topics) and (not present or (f.topic_mode == "all" and len(present) < len(f.topics)))


def _search_condition(release: Release, search: SearchQuery, params: list[object]) -> str:
    """A condition on ``f.n``: one of the clauses ``search`` matches."""
    params.append("[" + ",".join(map(str, release.text_matches(search).tolist())) + "]")
    return " AND f.n IN (SELECT value FROM json_each(?))"


def _facts_conditions(release: Release, f: ClauseFilter, params: list[object]) -> str:
    """Conditions on ``facts f`` for every filter, ``q`` included."""
    if _no_topic_can_match(release, f):
        return " AND 0"
    ranges = _doc_ranges(release, f)
    topics = tuple(t for t in f.topics if t in release.topic_ord)
    sql = _search_condition(release, f.search, params) if f.search is not None else ""
    if topics:
        column = "f.tseti" if f.include_descendants else "f.tset"
        sql += f" AND {column} IN {_int_list(release.topic_sets_matching(topics, f.topic_mode))}"
    return sql + _doc_condition("f", ranges, params) + _kind_condition("f", f)


def _source(release: Release, f: ClauseFilter) -> _Source:
    params: list[object] = []
    sql = "FROM facts f WHERE 1" + _facts_conditions(release, f, params)
    return _Source(sql, params, "f.tseti" if f.include_descendants else "f.tset")


def _rank(values: tuple[str, ...]) -> Callable[[str], int]:
    order = {v: i for i, v in enumerate(values)}
    return lambda v: order.get(v, len(order))


def _add_cells(release: Release, cells: dict[int, int], by_kind: dict[int, int], by_topic: dict[str, int]) -> None:
    """Add counts by (topic set, kind) cell to the counts by kind and by topic."""
    topic_sets = release.topic_sets
    for cell, count in cells.items():
        tset, kind = divmod(cell, CELL_KINDS)
        by_kind[kind] = by_kind.get(kind, 0) + count
        for topic in topic_sets.get(tset, ()):
            by_topic[topic] = by_topic.get(topic, 0) + count


def _posting_word(release: Release, f: ClauseFilter) -> str | None:
    """The word when ``q`` is one two-character word and nothing else filters, and the store has postings."""
    search = f.search
    if search is None or f != ClauseFilter(search=search) or not release.has_bigram_postings:
        return None
    return search.single_bigram


def _matching_index(release: Release, f: ClauseFilter, cols: FactColumns) -> np.ndarray:
    """Indexes (``n - 1``, ascending) of the filtered clauses, from the in-memory columns and, for ``q``, the
    clause numbers it matches."""
    return _matching(release, f, cols).index


def _matching(release: Release, f: ClauseFilter, cols: FactColumns) -> Selection:
    """The filtered clauses as :func:`_matching_index` finds them, with the slices of a filter without ``q``."""
    search = f.search
    ranges = _doc_ranges(release, f)
    n_ranges = None if ranges is None else [(n_lo, n_hi) for _, _, n_lo, n_hi in ranges]
    ords = [release.topic_ord[t] for t in f.topics if t in release.topic_ord]
    mask = topic_mask(ords)
    any_topics, all_topics = (mask, 0) if f.topic_mode == "any" else (0, mask)
    kinds = [vocab.KIND_ORD[k] for k in f.kinds]
    if search is None:
        return cols.select(n_ranges, kinds, any_topics, all_topics, f.include_descendants)
    if (word := _posting_word(release, f)) is not None:
        return Selection(release.word_postings(word)[0].astype(np.int64) - 1)
    found = release.text_matches(search) - 1
    return Selection(cols.within(found, n_ranges, kinds, any_topics, all_topics, f.include_descendants))


def _matched_numbers(release: Release, f: ClauseFilter) -> np.ndarray:
    """The numbers of the filtered clauses, in no particular order: what a relevance ranking sorts."""
    cols = release.fact_columns
    if cols is not None and not _no_topic_can_match(release, f):
        return _matching_index(release, f, cols) + 1
    src = _source(release, f)
    return int_column(release.db, f"SELECT group_concat(f.n) {src.sql}", src.params)


def facets(release: Release, f: ClauseFilter) -> Facets:
    """Facet counts and the total of the filtered set."""
    return counted(release, f)[0]


def counted(release: Release, f: ClauseFilter) -> tuple[Facets, np.ndarray | None]:
    """Facet counts and the total of the filtered set, and the indexes (``n - 1``, ascending) of the set when
    they were worked out in memory on the way (not when the facets come from the cache)."""
    cached = release.facet_cache.get(f)
    if cached is not None:
        return cached, None
    cols = release.fact_columns if not _no_topic_can_match(release, f) else None
    arrays = release.document_arrays
    if cols is not None and arrays is not None:
        selection = _matching(release, f, cols)
        result = _array_facets(release, arrays, cols, selection, f.include_descendants)
        release.facet_cache.put(f, result)
        return result, selection.index
    if cols is not None:
        counts = cols.counts(_matching_index(release, f, cols), f.include_descendants)
        slugs = release.topic_slug_by_ord
        by_doc, by_kind = counts.doc, counts.kind
        by_topic = {slugs[o]: count for o, count in counts.topic.items() if o in slugs}
    else:
        by_doc, by_kind, by_topic = _sql_counts(release, f)
    result = _facets(release, by_doc, by_kind, by_topic)
    release.facet_cache.put(f, result)
    return result, None


def _array_facets(
    release: Release,
    arrays: DocumentArrays,
    cols: FactColumns,
    selection: Selection,
    inherited: bool,
) -> Facets:
    """The facets of the selected clauses as array operations (see :mod:`api.document_arrays`); topics and kinds
    from running totals when the selection is slices of a sequence (:mod:`api.running_counts`)."""
    index = selection.index
    docs, by_doc = arrays.clause_counts(index, cols.doc)
    codes = release.topic_codes
    if (running := cols.facet_counts(selection, KIND_COUNT)) is not None:
        by_bit, by_kind = running
    elif codes is not None:
        by_bit, by_kind = codes[1 if inherited else 0].facet_counts(index)
    else:
        by_bit = bit_counts((cols.topics_inherited if inherited else cols.topics)[index])
        by_kind = np.bincount(cols.kind[index])
    city, level, document = arrays.facets(docs, by_doc, FACET_DOCUMENT_LIMIT)
    slugs = release.topic_slug_by_ord
    return Facets(
        city=city,
        level=level,
        topic={slugs[o]: count for o, count in nonzero_counts(by_bit, offset=1).items() if o in slugs},
        document=document,
        kind={KIND_OF_ORD[k]: count for k, count in nonzero_counts(by_kind).items()},
        total=len(index),
    )


def _sql_counts(release: Release, f: ClauseFilter) -> tuple[dict[int, int], dict[int, int], dict[str, int]]:
    """Counts by document, kind and topic in SQL: without in-memory columns (more than 64 topics)."""
    src = _source(release, f)
    db = release.db
    by_doc = dict(db.execute(f"SELECT f.doc, count(*) {src.sql} GROUP BY 1", src.params).fetchall())
    by_kind: dict[int, int] = {}
    by_topic: dict[str, int] = {}
    cells = f"{src.tset} * {CELL_KINDS} + f.kind"
    _add_cells(
        release, dict(db.execute(f"SELECT {cells}, count(*) {src.sql} GROUP BY 1", src.params)), by_kind, by_topic
    )
    return by_doc, by_kind, by_topic


def _facets(release: Release, by_doc: dict[int, int], by_kind: dict[int, int], by_topic: dict[str, int]) -> Facets:
    """The facets from counts by document number, kind number and topic slug."""
    city: dict[str, int] = {}
    level: dict[str, int] = {}
    docs = release.document_by_ord
    for ord_, count in by_doc.items():
        d = docs[ord_]
        city[d.city] = city.get(d.city, 0) + count
        level[d.level] = level.get(d.level, 0) + count
    topic_rank = release.topic_ord
    top_docs = sorted(by_doc.items(), key=lambda item: (-item[1], item[0]))[:FACET_DOCUMENT_LIMIT]
    return Facets(
        city={c: city[c] for c in sorted(city, key=_rank(vocab.CITIES))},
        level={lv: level[lv] for lv in sorted(level, key=_rank(vocab.LEVELS))},
        topic={t: by_topic[t] for t in sorted(by_topic, key=lambda t: topic_rank.get(t, 0))},
        document={docs[ord_].id: count for ord_, count in top_docs},
        kind={KIND_OF_ORD[k]: by_kind[k] for k in sorted(by_kind) if by_kind[k]},
        total=sum(by_doc.values()),
    )


def _relevance_page(release: Release, f: ClauseFilter, limit: int, offset: int) -> list[int] | None:
    search = f.search
    if search is None or not search.ranked or (bm25 := release.bm25) is None:
        return None
    if (word := _posting_word(release, f)) is not None:  # the matches are the word's postings
        said, tf = release.word_postings(word)
        return bm25.word_page(said, tf, limit + 1, offset)
    return bm25.page(release.db, search.terms, _matched_numbers(release, f), limit + 1, offset)


def page(
    release: Release,
    f: ClauseFilter,
    order: Order,
    limit: int,
    offset: int = 0,
    after: int | None = None,
    index: np.ndarray | None = None,
) -> list[int]:
    """Clause numbers of one page (up to ``limit + 1`` of them, to tell whether more follow).

    ``index``, the ascending indexes (``n - 1``) of every filtered clause (see :func:`counted`), is document
    order: the page is a slice of it. Without it, the page is a slice of the set worked out again in memory,
    or a query when the release has no in-memory columns."""
    if order == "relevance":
        ranked = _relevance_page(release, f, limit, offset)
        if ranked is not None:
            return ranked
    if index is None and (cols := release.fact_columns) is not None and not _no_topic_can_match(release, f):
        index = _matching_index(release, f, cols)
    if index is not None:
        start = offset + (int(np.searchsorted(index, after - 1, "right")) if after is not None else 0)
        return (index[start : start + limit + 1] + 1).tolist()
    src = _source(release, f)
    params = list(src.params)
    sql = f"SELECT f.n {src.sql}"
    if after is not None:
        sql += " AND f.n > ?"
        params.append(after)
    sql += " ORDER BY f.n LIMIT ? OFFSET ?"
    params += [limit + 1, offset]
    return [n for (n,) in release.db.execute(sql, params)]
