"""How the store builder writes: rows in batches, one ``executemany`` per statement."""

from __future__ import annotations

import sqlite3


class Batches:
    """Rows waiting to be written, by statement: written together (``executemany``), one call per statement
    rather than one per row, once ``size`` rows wait, and at :meth:`flush`."""

    def __init__(self, db: sqlite3.Connection, size: int = 20_000) -> None:
        self.db = db
        self.size = size
        self.pending: dict[str, list[tuple[object, ...]]] = {}
        self.count = 0

    def add(self, sql: str, row: tuple[object, ...]) -> None:
        self.pending.setdefault(sql, []).append(row)
        self.count += 1
        if self.count >= self.size:
            self.flush()

    def flush(self) -> None:
        for sql, rows in self.pending.items():
            self.db.executemany(sql, rows)
        self.pending, self.count = {}, 0
