"""What changed between two releases: documents and clauses added, removed or changed, by ID."""

from __future__ import annotations

import sqlite3
import threading

from api.models import ChangeSet, ReleaseChanges
from api.store import Release

MAX_IDS = 1000

DOCUMENT_COLUMNS = (
    "title",
    "title_en",
    "doc_number",
    "issuers",
    "city",
    "level",
    "doc_type",
    "date_issued",
    "date_published",
    "source_url",
    "source_file",
    "source_sha256",
    "version_note",
    "clause_count",
)
CLAUSE_COLUMNS = ("kind", "depth", "numbering", "parent_id", "heading", "text", "topics", "seq")

_cache: dict[tuple[str, str, str, str], ReleaseChanges] = {}
_lock = threading.Lock()


def _change_set(db: sqlite3.Connection, table: str, order: str, columns: tuple[str, ...]) -> ChangeSet:
    added = f"FROM new.{table} b WHERE NOT EXISTS (SELECT 1 FROM old.{table} a WHERE a.id = b.id)"
    removed = f"FROM old.{table} a WHERE NOT EXISTS (SELECT 1 FROM new.{table} b WHERE b.id = a.id)"
    differs = " OR ".join(f"a.{c} IS NOT b.{c}" for c in columns)
    changed = f"FROM new.{table} b JOIN old.{table} a ON a.id = b.id WHERE {differs}"

    def ids(sql: str, alias: str) -> list[str]:
        return [i for (i,) in db.execute(f"SELECT {alias}.id {sql} ORDER BY {alias}.{order} LIMIT {MAX_IDS}")]

    def count(sql: str) -> int:
        return db.execute(f"SELECT count(*) {sql}").fetchone()[0]

    return ChangeSet(
        added=ids(added, "b"),
        removed=ids(removed, "a"),
        changed=ids(changed, "b"),
        added_count=count(added),
        removed_count=count(removed),
        changed_count=count(changed),
    )


def changes(old: Release, new: Release) -> ReleaseChanges:
    """Changes from ``old`` to ``new`` (computed once per pair of store files)."""
    key = (old.version, old.source_hash, new.version, new.source_hash)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    db = sqlite3.connect(":memory:", uri=True)
    try:
        db.execute("ATTACH DATABASE ? AS old", (f"file:{old.path}?mode=ro",))
        db.execute("ATTACH DATABASE ? AS new", (f"file:{new.path}?mode=ro",))
        result = ReleaseChanges(
            from_version=old.version,
            to_version=new.version,
            documents=_change_set(db, "documents", "ord", DOCUMENT_COLUMNS),
            clauses=_change_set(db, "clauses", "n", CLAUSE_COLUMNS),
        )
    finally:
        db.close()
    with _lock:
        _cache[key] = result
    return result
