"""Works, versions and the changes between them, read from a release's store.

A release without the ``works``/``versions`` resources (older than them) still answers: each document is
then a work of one version, in force from its issue date (see :mod:`api.store_builder`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from api.models import ChangeKind, ClauseChange, ClauseVersion, Work, WorkAsOf, WorkSummary, WorkVersion
from api.records import document_detail
from api.store import Release

VERSION_SELECT = (
    "SELECT d.id, coalesce(v.version, 1), d.title, d.in_force_from, coalesce(v.in_force_basis, ''),"
    " d.in_force_until, coalesce(v.previous_document_id, ''), coalesce(v.next_document_id, '')"
    " FROM documents d LEFT JOIN versions v ON v.doc = d.ord"
)
CHANGE_SELECT = (
    "SELECT level, clause_id, numbering, new_clause_id, new_numbering, change, similarity FROM clause_changes"
)


def _version(row: tuple[Any, ...]) -> WorkVersion:
    doc, number, title, start, basis, until, previous, nxt = row
    return WorkVersion(
        document_id=doc,
        version=number,
        title=title,
        in_force_from=start,
        in_force_basis=basis,
        in_force_until=until,
        previous_document_id=previous,
        next_document_id=nxt,
    )


def versions_of(rel: Release, work_id: str) -> list[WorkVersion]:
    rows = rel.db.execute(f"{VERSION_SELECT} WHERE d.work_id = ? ORDER BY coalesce(v.version, 1), d.ord", (work_id,))
    return [_version(row) for row in rows]


def works(rel: Release, versioned: bool, limit: int, offset: int) -> tuple[int, list[WorkSummary]]:
    """Works by ID (only those of two or more versions when ``versioned``): the total and one page."""
    where = " WHERE versions > 1" if versioned else ""
    total = rel.db.execute(f"SELECT count(*) FROM works{where}").fetchone()[0]
    rows = rel.db.execute(
        "SELECT id, title, versions, first_document_id, latest_document_id FROM works"
        f"{where} ORDER BY id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return total, [
        WorkSummary(id=w, title=t, versions=n, first_document_id=f, latest_document_id=la) for w, t, n, f, la in rows
    ]


def work(rel: Release, work_id: str) -> Work | None:
    versions = versions_of(rel, work_id)
    if not versions:
        return None
    row = rel.db.execute("SELECT title FROM works WHERE id = ?", (work_id,)).fetchone()
    return Work(id=work_id, title=row[0] if row else versions[-1].title, versions=versions)


def work_as_of(rel: Release, work_id: str, date: str) -> WorkAsOf | None:
    """The version in force on ``date`` with its outline, or an empty answer that says why; None: no such work."""
    versions = versions_of(rel, work_id)
    if not versions:
        return None
    for v in versions:
        if v.in_force_from <= date and (not v.in_force_until or date < v.in_force_until):
            detail = document_detail(rel, v.document_id)
            note = f"{v.document_id} is in force on {date} (from {v.in_force_from or 'an unknown date'}" + (
                f" until {v.in_force_until})." if v.in_force_until else ", the latest version)."
            )
            return WorkAsOf(
                work_id=work_id,
                date=date,
                in_force=True,
                note=note,
                version=v,
                outline=detail.outline if detail else [],
            )
    first = versions[0]
    note = (
        f"{work_id} did not exist yet on {date}: its first version in the dataset, {first.document_id}, is in "
        f"force from {first.in_force_from}."
    )
    return WorkAsOf(work_id=work_id, date=date, in_force=False, note=note, version=None, outline=[])


def _change(row: tuple[Any, ...]) -> ClauseChange:
    level, old, numbering, new, new_numbering, change, similarity = row
    return ClauseChange(
        level=level,
        clause_id=old or None,
        numbering=numbering or None,
        new_clause_id=new or None,
        new_numbering=new_numbering or None,
        change=change,
        similarity=similarity,
    )


def changes(rel: Release, from_doc: str, to_doc: str, levels: tuple[str, ...]) -> list[ClauseChange]:
    marks = ",".join("?" * len(levels))
    rows = rel.db.execute(
        f"{CHANGE_SELECT} WHERE from_document_id = ? AND to_document_id = ? AND level IN ({marks}) ORDER BY level, seq",
        (from_doc, to_doc, *levels),
    )
    return [_change(row) for row in rows]


def change_counts(found: list[ClauseChange]) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter[str]] = {}
    for c in found:
        counts.setdefault(c.level, Counter())[c.change] += 1
    return {level: dict(sorted(n.items())) for level, n in sorted(counts.items())}


def assembled_text(rel: Release, clause_id: str) -> str:
    """A clause's text with the text of every clause under it, one per line (an article as quoted)."""
    rows = rel.db.execute(
        "SELECT text FROM clauses WHERE id = ? OR id LIKE ? ORDER BY n",
        (clause_id, clause_id.replace("%", "").replace("_", "") + ".%"),
    )
    return "\n".join(text for (text,) in rows if text)


def _level_of(rel: Release, clause_id: str) -> str | None:
    row = rel.db.execute("SELECT kind FROM clauses WHERE id = ?", (clause_id,)).fetchone()
    if row is None:
        return None
    return "article" if row[0] == "article" else "paragraph"


def _step(rel: Release, clause_id: str, level: str, forward: bool) -> tuple[str, ChangeKind] | None:
    """(counterpart, change) in the next (or previous) version, '' for none; None: no row (not versioned)."""
    mine, other = ("clause_id", "new_clause_id") if forward else ("new_clause_id", "clause_id")
    row = rel.db.execute(
        f"SELECT {other}, change FROM clause_changes WHERE {mine} = ? AND level = ? LIMIT 1", (clause_id, level)
    ).fetchone()
    return (row[0], cast(ChangeKind, row[1])) if row else None


def clause_versions(rel: Release, clause_id: str) -> list[ClauseVersion] | None:
    """The clause in every version of its work, oldest first, with the change from the version before."""
    level = _level_of(rel, clause_id)
    if level is None:
        return None
    doc = rel.db.execute("SELECT document_id FROM clauses WHERE id = ?", (clause_id,)).fetchone()[0]
    work_id = rel.document_by_id[doc].work_id
    chain = versions_of(rel, work_id)
    at = next(i for i, v in enumerate(chain) if v.document_id == doc)
    ids: dict[int, str] = {at: clause_id}
    change: dict[int, ChangeKind] = {}
    for i in range(at, len(chain) - 1):  # forward
        step = _step(rel, ids[i], level, True) if ids.get(i) else None
        if step:
            ids[i + 1], change[i + 1] = step[0], step[1]
    for i in range(at, 0, -1):  # backward
        step = _step(rel, ids[i], level, False) if ids.get(i) else None
        if step:
            ids[i - 1] = step[0]
            change[i] = step[1]
    out = []
    for i, v in enumerate(chain):
        cid = ids.get(i) or None
        row = rel.db.execute("SELECT numbering FROM clauses WHERE id = ?", (cid,)).fetchone() if cid else None
        out.append(
            ClauseVersion(
                document_id=v.document_id,
                version=v.version,
                in_force_from=v.in_force_from,
                in_force_until=v.in_force_until,
                clause_id=cid,
                numbering=row[0] if row else None,
                text=assembled_text(rel, cid) if cid else None,
                change=change.get(i) if i else None,
            )
        )
    return out
