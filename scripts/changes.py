"""Stage 5c: article- and 款-level changes between consecutive versions of a work. Pure functions.

Units are read from the clause rows of legal texts (articles ``<doc>.art21`` of kind ``article``,
their 款 ``<doc>.art21.p2`` of kind ``paragraph``, items below them):

- ``article`` level: every article, its text being its own text and that of every row under it;
- ``paragraph`` level: every 款 of an article of two or more 款, and every article of one 款 (which
  is its own single 款), each with the rows under it.

Each pair of consecutive versions of a work is aligned at both levels by :func:`scripts.alignment.align`;
one row per older unit (its counterpart or none) and one per added newer unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from scripts.alignment import Match, Unit, align, change_kind, similarity
from scripts.works import consecutive_pairs, version_rows

Row = dict[str, Any]

ARTICLE_ID_RE = re.compile(r"\.art[1-9][0-9]*(?:-[1-9][0-9]*)?$")
ARTICLE_PREFIX_RE = re.compile(r"^.*?\.art[1-9][0-9]*(?:-[1-9][0-9]*)?(?=\.|$)")
LEVELS = ("article", "paragraph")
COLUMNS = (
    "work_id",
    "from_document_id",
    "to_document_id",
    "level",
    "seq",
    "clause_id",
    "numbering",
    "new_clause_id",
    "new_numbering",
    "change",
    "similarity",
)


def _subtree_text(rows: Sequence[Mapping[str, Any]], start: int) -> str:
    """Text of rows[start] and every row after it whose ID lies under it, joined by newlines."""
    head = str(rows[start]["id"]) + "."
    parts = [str(rows[start].get("text") or "")]
    for row in rows[start + 1 :]:
        if not str(row["id"]).startswith(head):
            break
        parts.append(str(row.get("text") or ""))
    return "\n".join(p for p in parts if p)


def units(clauses: Sequence[Mapping[str, Any]], level: str) -> list[Unit]:
    """The articles (``article``) or 款 (``paragraph``) of one document's clause rows, in reading order."""
    found: list[Unit] = []
    for i, row in enumerate(clauses):
        kind = row["kind"]
        if kind == "article":
            if level == "article" or paragraph_count(clauses, i) == 0:
                found.append(Unit(str(row["id"]), str(row["numbering"]), _subtree_text(clauses, i)))
        elif kind == "paragraph" and level == "paragraph" and _is_article_paragraph(row):
            found.append(Unit(str(row["id"]), str(row["numbering"]), _subtree_text(clauses, i)))
    return found


def paragraph_count(clauses: Sequence[Mapping[str, Any]], index: int) -> int:
    """How many 款 rows the article at ``index`` has."""
    article = str(clauses[index]["id"])
    return sum(1 for row in clauses[index + 1 :] if row.get("parent_id") == article and row["kind"] == "paragraph")


def _is_article_paragraph(row: Mapping[str, Any]) -> bool:
    return bool(ARTICLE_ID_RE.search(str(row.get("parent_id") or "")))


def change_rows(work_id: str, old_doc: str, new_doc: str, matches: Iterable[Match], level: str) -> list[Row]:
    rows: list[Row] = []
    for seq, m in enumerate(matches, start=1):
        rows.append(
            {
                "work_id": work_id,
                "from_document_id": old_doc,
                "to_document_id": new_doc,
                "level": level,
                "seq": seq,
                "clause_id": m.old.id if m.old else "",
                "numbering": m.old.number if m.old else "",
                "new_clause_id": m.new.id if m.new else "",
                "new_numbering": m.new.number if m.new else "",
                "change": m.kind,
                "similarity": m.similarity,
            }
        )
    return rows


def _article_of(clause_id: str) -> str:
    m = ARTICLE_PREFIX_RE.match(clause_id)
    return m[0] if m else clause_id


def _split_articles(
    article_matches: list[Match], paragraph_matches: Sequence[Match], new_articles: Sequence[Unit]
) -> list[Match]:
    """An older article left without a counterpart whose 款 moved: the newer article that took its first 款.

    Three 款 of one article spread over three new articles are too unlike any one of them as a whole; the
    款-level alignment still places them, and the article follows its first placed 款.
    """
    by_id = {u.id: u for u in new_articles}
    placed: dict[str, str] = {}
    for m in paragraph_matches:
        if m.old and m.new:
            placed.setdefault(_article_of(m.old.id), _article_of(m.new.id))
    taken = {m.new.id for m in article_matches if m.old and m.new}
    out: list[Match] = []
    for m in article_matches:
        target = by_id.get(placed.get(m.old.id, "")) if m.old and not m.new else None
        if m.old and target is not None:
            out.append(Match(m.old, target, change_kind(m.old, target), similarity(m.old.text, target.text)))
            taken.add(target.id)
        else:
            out.append(m)
    return [m for m in out if m.old or (m.new and m.new.id not in taken)]


def version_changes(
    work_id: str,
    old_doc: str,
    new_doc: str,
    old_clauses: Sequence[Mapping[str, Any]],
    new_clauses: Sequence[Mapping[str, Any]],
) -> list[Row]:
    """Rows of both levels for one pair of consecutive versions."""
    paragraphs = align(units(old_clauses, "paragraph"), units(new_clauses, "paragraph"))
    new_articles = units(new_clauses, "article")
    articles = _split_articles(align(units(old_clauses, "article"), new_articles), paragraphs, new_articles)
    return change_rows(work_id, old_doc, new_doc, articles, "article") + change_rows(
        work_id, old_doc, new_doc, paragraphs, "paragraph"
    )


def derive(documents: list[Row], clauses: list[Row]) -> list[Row]:
    """The ``clause_changes`` table (the extractor the registry names): every pair of consecutive versions."""
    by_doc: dict[str, list[Row]] = {}
    for clause in clauses:
        by_doc.setdefault(str(clause["document_id"]), []).append(clause)
    rows: list[Row] = []
    for work, old, new in consecutive_pairs(version_rows(documents, clauses)):
        rows.extend(version_changes(work, old, new, by_doc.get(old, []), by_doc.get(new, [])))
    return rows
