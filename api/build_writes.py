"""How the store builder writes: rows in batches, and the full-text index filled beside them in a thread.

The full-text index's tokenizing is the largest single cost of a build. It runs in SQLite, without Python (nor
its global lock), so :class:`FullText` runs it in a thread of its own, one statement per range of clauses
already written, while the builder reads and writes the next ones: it takes the second core instead of adding
to the build time. The connection is SQLite's serialized kind (``sqlite3.threadsafety == 3``), so the two
threads' statements take turns on it; as a statement holds the connection while it runs, :class:`Batches` writes
only while the index is idle (up to a bound), and the builder never waits for it but at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from api.text_search import SEARCH_TEXT_SQL


class Batches:
    """Rows waiting to be written, by statement: written together (``executemany``), one call per statement
    rather than one per row, once ``size`` rows wait and ``may_write()`` says so (or ``4 * size`` rows wait), and
    at :meth:`flush`; ``written()`` is called after each write."""

    def __init__(
        self,
        db: sqlite3.Connection,
        size: int = 20_000,
        may_write: Callable[[], bool] = lambda: True,
        written: Callable[[], None] = lambda: None,
    ) -> None:
        self.db = db
        self.size = size
        self.may_write = may_write
        self.written = written
        self.pending: dict[str, list[tuple[object, ...]]] = {}
        self.count = 0

    def add(self, sql: str, row: tuple[object, ...]) -> None:
        self.pending.setdefault(sql, []).append(row)
        self.count += 1
        if self.count >= self.size and (self.count >= 4 * self.size or self.may_write()):
            self.flush()

    def flush(self) -> None:
        for sql, rows in self.pending.items():
            self.db.executemany(sql, rows)
        self.pending, self.count = {}, 0
        self.written()


class FullText:
    """Fills ``fts_trigram`` from ``clause_rows``, a range of clause numbers at a time, in a thread of its own."""

    SQL = f"INSERT INTO fts_trigram (rowid, body) SELECT n, {SEARCH_TEXT_SQL} FROM clause_rows WHERE n > ? AND n <= ?"

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="full-text")
        self.started: list[Future[sqlite3.Cursor]] = []
        self.filled = 0  # the clauses up to this number are indexed or being indexed

    def idle(self) -> bool:
        return not self.started or self.started[-1].done()

    def upto(self, n: int) -> None:
        """Index the clauses after those already started up to number ``n`` (all written by now)."""
        if n > self.filled:
            self.started.append(self.pool.submit(self.db.execute, self.SQL, (self.filled, n)))
            self.filled = n

    def finish(self) -> None:
        """Wait for every range started; raise what a statement raised."""
        for future in self.started:
            future.result()

    def close(self) -> None:
        """Stop: ranges not begun are dropped, the one running is waited for (before the file can be removed)."""
        self.pool.shutdown(wait=True, cancel_futures=True)
