"""Reading clauses, documents and topics from a release's store into response types."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any, TypeVar, get_args, get_type_hints

from msgspec import Struct

from api.models import (
    Citation,
    CitingDocument,
    ClauseDetail,
    ClauseFields,
    ClauseHit,
    ClauseLink,
    DocumentDetail,
    DocumentSummary,
    Erratum,
    Measure,
    OutlineNode,
    SimilarClause,
    Topic,
    TopicTag,
)
from api.store import Release, issuers_json, topics_json
from api.store_tables import list_items
from api.text_search import search_text, snippet
from scripts.legal import LEGAL_SEGMENT_RE, citation_of_segment
from scripts.numbering import int_to_cn

R = TypeVar("R", bound=Struct)

#: The columns of the clauses table a clause's fields are read from: :class:`ClauseFields`' fields, in order.
CLAUSE_COLUMNS = ", ".join(ClauseFields.__struct_fields__)
_HEADING = ClauseFields.__struct_fields__.index("heading")
_TEXT = ClauseFields.__struct_fields__.index("text")
#: The same, but the heading and text as the store keeps them (decoded in Python: cheaper than in SQL).
CLAUSE_FRAME_COLUMNS = ", ".join(
    {"heading": "heading_frame", "text": "text_frame"}.get(f, f) for f in ClauseFields.__struct_fields__
)
_PARENT_ID = ClauseFields.__struct_fields__.index("parent_id")
_TOPICS = ClauseFields.__struct_fields__.index("topics")
#: The children of clause ``:n``: the clauses after it in its document whose parent it is (read by a range of clause
#: numbers, not an index of parents).
CHILDREN_OF = (
    "n > :n AND n <= (SELECT d.last_n FROM clause_rows c JOIN documents d ON d.ord = c.doc WHERE c.n = :n)"
    " AND parent_n = :n"
)
DOCUMENT_SUMMARY_COLUMNS = (
    "id, title, title_en, doc_number, issuers, city, level, doc_type, date_issued, date_published, clause_count"
)
#: The detail fields beyond the summary's, read from the store's documents table by their names.
DOCUMENT_DETAIL_FIELDS = tuple(
    f for f in DocumentDetail.__struct_fields__ if f not in DocumentSummary.__struct_fields__ and f != "outline"
)
CITATION_SELECT = (
    'SELECT c.id, t.seq, t.kind, t.text, t.start, t."end", t.cited_title, t.cited_doc_number, d.id,'
    " t.work_id, t.cited_article, t.cited_clause_id"
    " FROM citations t JOIN clauses c ON c.n = t.clause_n LEFT JOIN documents d ON d.ord = t.cited_doc"
)
MEASURE_SELECT = (
    "SELECT c.id, c.document_id, c.city, m.seq, m.kind, m.value, m.value_max, m.unit, m.qualifier, m.base,"
    ' m.runs_from, m.date, m.text, m.start, m."end"'
    " FROM measures m JOIN clauses c ON c.n = m.clause_n"
)


def _clause_values(row: tuple[Any, ...]) -> list[Any]:
    """The values of :class:`ClauseFields`, in order, from a row of :data:`CLAUSE_COLUMNS` (the topics as a list,
    no parent as None)."""
    values = list(row[: len(ClauseFields.__struct_fields__)])
    values[_PARENT_ID] = values[_PARENT_ID] or None
    values[_TOPICS] = topics_json(values[_TOPICS])
    return values


def clauses_by_number(release: Release, numbers: list[int], pattern: re.Pattern[str] | None) -> list[ClauseHit]:
    """The clauses numbered ``numbers``, in that order, with a highlighted snippet when ``pattern`` is given."""
    if not numbers:
        return []
    placeholders = ",".join("?" * len(numbers))
    rows = release.db.execute(f"SELECT n, {CLAUSE_FRAME_COLUMNS} FROM clauses WHERE n IN ({placeholders})", numbers)
    by_n = {row[0]: row[1:] for row in rows}
    codec = release.codec
    heading, text = codec.heading, codec.text
    hits = []
    for n in numbers:
        values = _clause_values(by_n[n])
        values[_HEADING], values[_TEXT] = heading(values[_HEADING]), text(values[_TEXT])
        hits.append(ClauseHit(*values))
    if pattern is not None:
        for hit in hits:
            hit.snippet = snippet(search_text(hit.heading, hit.text), pattern)
    return hits


def _document_summary(row: tuple[Any, ...]) -> DocumentSummary:
    (id_, title, title_en, doc_number, issuers, city, level, doc_type, date_issued, date_published, clause_count) = row[
        :11
    ]
    return DocumentSummary(
        id=id_,
        title=title,
        title_en=title_en,
        doc_number=doc_number,
        issuers=issuers_json(issuers),
        city=city,
        level=level,
        doc_type=doc_type,
        date_issued=date_issued,
        date_published=date_published,
        clause_count=clause_count,
    )


def clause_detail(release: Release, clause_id: str) -> ClauseDetail | None:
    db = release.db
    row = db.execute(f"SELECT n, parent_n, {CLAUSE_COLUMNS} FROM clauses WHERE id = ?", (clause_id,)).fetchone()
    if row is None:
        return None
    n, parent_n = row[0], row[1]
    fields = dict(zip(ClauseFields.__struct_fields__, _clause_values(row[2:]), strict=True))
    ancestors: list[ClauseLink] = []
    while parent_n is not None:
        link = db.execute("SELECT parent_n, id, kind, numbering, heading FROM clauses WHERE n = ?", (parent_n,))
        parent_n, *values = link.fetchone()
        ancestors.insert(0, ClauseLink(id=values[0], kind=values[1], numbering=values[2], heading=values[3]))
    children = [cid for (cid,) in db.execute(f"SELECT id FROM clauses WHERE {CHILDREN_OF} ORDER BY n", {"n": n})]
    tags = {
        topic: TopicTag(topic=topic, source=source, matched=list_items("clause_topics", "matched", matched))
        for topic, source, matched in db.execute(
            "SELECT topic, source, matched FROM clause_topics WHERE clause_n = ? ORDER BY topic", (n,)
        )
    }
    doc_row = db.execute(
        f"SELECT {DOCUMENT_SUMMARY_COLUMNS} FROM documents WHERE id = ?", (fields["document_id"],)
    ).fetchone()
    errata = [
        Erratum(original=original, corrected=corrected, reason=reason, kind=kind, source_line=line)
        for original, corrected, reason, kind, line in db.execute(
            "SELECT original, corrected, reason, kind, source_line FROM errata WHERE clause_n = ? ORDER BY original",
            (n,),
        )
    ]
    return ClauseDetail(
        **fields,
        parent=ancestors[-1] if ancestors else None,
        ancestors=ancestors,
        children=children,
        topic_tags=[tags[t] for t in fields["topics"] if t in tags],
        errata=errata,
        citations=[_citation(r) for r in db.execute(f"{CITATION_SELECT} WHERE t.clause_n = ? ORDER BY t.seq", (n,))],
        measures=[_measure(r) for r in db.execute(f"{MEASURE_SELECT} WHERE m.clause_n = ? ORDER BY m.seq", (n,))],
        document=_document_summary(doc_row),
        quote=legal_quote(db, n, clause_id, fields["kind"], fields["text"]),
    )


#: Kinds of legal clause that are quoted with everything under them.
QUOTED_KINDS = frozenset({"article", "paragraph", "item"})


def legal_quote(db: Any, n: int, clause_id: str, kind: str, text: str) -> str:
    """An article, 款 or 项 with its 款, 项 and 目, markers included, one per line; '' for other clauses."""
    if kind not in QUOTED_KINDS or not any(LEGAL_SEGMENT_RE.match(s) for s in clause_id.split(".")[1:]):
        return ""
    lines: list[str] = []
    lead = [""]  # an article's marker waiting for its first 款

    def walk(node_n: int, node_kind: str, node_id: str, node_text: str, parent_kind: str) -> None:
        marker = (
            lead.pop() + _quote_marker(node_kind, node_id, parent_kind)
            if lead
            else _quote_marker(node_kind, node_id, parent_kind)
        )
        if node_kind == "article" and not node_text:
            lead.append(marker)  # the article of two or more 款: its first 款 goes on its line
        elif node_text:
            lines.append(marker + node_text)
        for child_n, child_kind, child_id, child_text in db.execute(
            f"SELECT n, kind, id, text FROM clauses WHERE {CHILDREN_OF} ORDER BY n", {"n": node_n}
        ).fetchall():
            walk(child_n, child_kind, child_id, child_text, node_kind)

    walk(n, kind, clause_id, text, "")
    return "\n".join(lines)


def _quote_marker(kind: str, clause_id: str, parent_kind: str) -> str:
    last = clause_id.rsplit(".", 1)[1]
    if kind == "article":
        ref = citation_of_segment(last)
        return f"{ref} "
    if kind == "item" and last.isdigit():
        return f"{last}." if parent_kind == "item" else f"（{int_to_cn(int(last))}）"
    return ""


@cache
def _nullable(cls: type[Struct]) -> tuple[tuple[str, bool], ...]:
    """Each field of a response type, and whether it may be null (then an empty stored string is null)."""
    hints = get_type_hints(cls)
    return tuple((name, type(None) in get_args(hints[name])) for name in cls.__struct_fields__)


def _record(cls: type[R], row: tuple[Any, ...]) -> R:
    """A response record from a row of its fields' values, in its fields' order."""
    fields = _nullable(cls)
    return cls(
        **{
            name: None if nullable and value == "" else value
            for (name, nullable), value in zip(fields, row, strict=True)
        }
    )


def _citation(row: tuple[Any, ...]) -> Citation:
    return _record(Citation, row)


def _measure(row: tuple[Any, ...]) -> Measure:
    return _record(Measure, row)


def similar_clauses(
    release: Release, clause_id: str, limit: int, offset: int
) -> tuple[int, list[SimilarClause]] | None:
    """One page of the clauses most similar to ``clause_id`` (highest score first) and how many there are.

    None when the release has no such clause.
    """
    db = release.db
    row = db.execute("SELECT n FROM clauses WHERE id = ?", (clause_id,)).fetchone()
    if row is None:
        return None
    total = db.execute("SELECT count(*) FROM similar WHERE clause_n = ?", row).fetchone()[0]
    rows = db.execute(
        "SELECT c.id, c.document_id, c.city, c.kind, c.numbering, c.heading, c.text, s.score, s.shared"
        " FROM similar s JOIN clauses c ON c.n = s.similar_n WHERE s.clause_n = ?"
        " ORDER BY s.score DESC, c.n LIMIT ? OFFSET ?",
        (row[0], limit, offset),
    )
    return total, [
        SimilarClause(
            id=id_,
            document_id=doc,
            city=city,
            kind=kind,
            numbering=numbering,
            heading=heading,
            text=text,
            score=score,
            shared=list_items("clause_similar", "shared", shared),
        )
        for id_, doc, city, kind, numbering, heading, text, score, shared in rows
    ]


def cited_by(release: Release, document_id: str) -> list[CitingDocument] | None:
    """The documents whose clauses cite ``document_id``, in document order, each with its references.

    None when the release has no such document.
    """
    db = release.db
    row = db.execute("SELECT ord FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        return None
    by_document: dict[str, list[Citation]] = {}
    for citation_row in db.execute(f"{CITATION_SELECT} WHERE t.cited_doc = ? ORDER BY t.clause_n, t.seq", row):
        citation = _citation(citation_row)
        by_document.setdefault(citation.clause_id.split(".", 1)[0], []).append(citation)
    if not by_document:
        return []
    placeholders = ",".join("?" * len(by_document))
    summaries = db.execute(
        f"SELECT {DOCUMENT_SUMMARY_COLUMNS} FROM documents WHERE id IN ({placeholders}) ORDER BY ord",
        list(by_document),
    )
    citing = [_document_summary(r) for r in summaries]
    return [CitingDocument(document=doc, citations=by_document[doc.id]) for doc in citing]


def measures(
    release: Release,
    cities: tuple[str, ...],
    levels: tuple[str, ...],
    document_ids: tuple[str, ...],
    kinds: tuple[str, ...],
    units: tuple[str, ...],
    limit: int,
    offset: int,
) -> tuple[int, list[Measure]]:
    """One page of measures in document order (clause, then position in it), and how many match."""
    conditions, params = [], []
    for column, values in (
        ("c.city", cities),
        ("c.level", levels),
        ("c.document_id", document_ids),
        ("m.kind", kinds),
        ("m.unit", units),
    ):
        if values:
            conditions.append(f"{column} IN ({','.join('?' * len(values))})")
            params += list(values)
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    total = release.db.execute(
        f"SELECT count(*) FROM measures m JOIN clauses c ON c.n = m.clause_n{where}", params
    ).fetchone()[0]
    rows = release.db.execute(
        f"{MEASURE_SELECT}{where} ORDER BY m.clause_n, m.seq LIMIT ? OFFSET ?", [*params, limit, offset]
    )
    return total, [_measure(row) for row in rows]


def documents(
    release: Release,
    cities: tuple[str, ...],
    levels: tuple[str, ...],
    doc_types: tuple[str, ...],
    limit: int,
    offset: int,
) -> tuple[int, list[DocumentSummary]]:
    """One page of documents in document order, and how many match."""
    conditions, params = [], []
    for column, values in (("city", cities), ("level", levels), ("doc_type", doc_types)):
        if values:
            conditions.append(f"{column} IN ({','.join('?' * len(values))})")
            params += list(values)
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    total = release.db.execute(f"SELECT count(*) FROM documents{where}", params).fetchone()[0]
    rows = release.db.execute(
        f"SELECT {DOCUMENT_SUMMARY_COLUMNS} FROM documents{where} ORDER BY ord LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return total, [_document_summary(row) for row in rows]


def document_detail(release: Release, document_id: str) -> DocumentDetail | None:
    db = release.db
    row = db.execute(
        f"SELECT {DOCUMENT_SUMMARY_COLUMNS}, {', '.join(DOCUMENT_DETAIL_FIELDS)}, first_n, last_n FROM documents "
        "WHERE id = ?",
        (document_id,),
    ).fetchone()
    if row is None:
        return None
    summary = _document_summary(row)
    detail = dict(zip(DOCUMENT_DETAIL_FIELDS, row[11:-2], strict=True))
    detail["date_revised"] = list_items("documents", "date_revised", detail["date_revised"])
    first_n, last_n = row[-2:]
    nodes: dict[int, OutlineNode] = {}
    outline: list[OutlineNode] = []
    for n, parent_n, cid, kind, numbering, heading in db.execute(
        "SELECT n, parent_n, id, kind, numbering, heading FROM clauses WHERE n BETWEEN ? AND ? ORDER BY n",
        (first_n, last_n),
    ):
        node = nodes[n] = OutlineNode(id=cid, kind=kind, numbering=numbering, heading=heading)
        parent = nodes.get(parent_n) if parent_n is not None else None
        (parent.children if parent is not None else outline).append(node)
    return DocumentDetail(
        **{f: getattr(summary, f) for f in summary.__struct_fields__},
        **detail,
        outline=outline,
    )


def topics(release: Release) -> list[Topic]:
    """The topics of ``release`` in vocabulary order (read once per release: its data never changes)."""
    return list(_topics(release))


@lru_cache(maxsize=64)
def _topics(release: Release) -> tuple[Topic, ...]:
    rows = release.db.execute(
        "SELECT slug, label_zh, label_en, scope, clause_count, inherited_count FROM topics ORDER BY ord"
    )
    return tuple(
        Topic(slug=slug, label_zh=zh, label_en=en, scope=scope, clause_count=own, clause_count_with_descendants=inh)
        for slug, zh, en, scope, own, inh in rows
    )
