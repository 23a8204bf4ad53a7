"""What changed between two releases: documents and clauses added, removed or changed, by ID."""

from __future__ import annotations

import csv
import sqlite3
import threading

from api import clause_text, store_tables
from api.models import ChangeSet, ReleaseChanges
from api.store import Release
from schemas import registry

MAX_IDS = 1000


def content_columns(name: str) -> dict[str, str | None]:
    """The stored columns of a table whose change changes a row, each with the field it holds: its fields'
    columns, key aside, but for those that are not the row's own content (see ``Field.content``)."""
    t = registry.table(name)
    return {
        c.name: c.field.name
        for c in store_tables.columns(t)
        if c.field is not None and c.field.content and c.field.name not in t.primary_key
    }


#: A document whose clauses were added or removed has changed as well.
DOCUMENT_COLUMNS = {**content_columns("documents"), "clause_count": None}
CLAUSE_COLUMNS = content_columns("clauses")


def _fields(release: Release, name: str) -> set[str]:
    """The fields of a resource's CSV file in one release (an older package lacks some)."""
    path = release.package.resource_path(name)
    if path is None or not path.is_file():
        return set()
    with path.open(encoding="utf-8-sig", newline="") as f:
        return set(next(csv.reader(f), []))


def compared(columns: dict[str, str | None], old: Release, new: Release, name: str) -> tuple[str, ...]:
    """The columns to compare between two releases: a field only one of them has is not a change of each row."""
    both = _fields(old, name) & _fields(new, name)
    return tuple(column for column, field in columns.items() if field is None or field in both)


_cache: dict[tuple[str, str, str, str], ReleaseChanges] = {}
_lock = threading.Lock()


def _change_set(db: sqlite3.Connection, table: str, order: str, columns: tuple[str, ...]) -> ChangeSet:
    added = f"FROM new.{table} b WHERE NOT EXISTS (SELECT 1 FROM old.{table} a WHERE a.id = b.id)"
    removed = f"FROM old.{table} a WHERE NOT EXISTS (SELECT 1 FROM new.{table} b WHERE b.id = a.id)"
    differs = " OR ".join(f'a."{c}" IS NOT b."{c}"' for c in columns)
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
        clause_text.register(db, "old")
        clause_text.register(db, "new")
        result = ReleaseChanges(
            from_version=old.version,
            to_version=new.version,
            documents=_change_set(db, "documents", "ord", compared(DOCUMENT_COLUMNS, old, new, "documents")),
            clauses=_change_set(db, "clauses", "n", compared(CLAUSE_COLUMNS, old, new, "clauses")),
        )
    finally:
        db.close()
    with _lock:
        _cache[key] = result
    return result
