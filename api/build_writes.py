"""How the store builder writes: rows in batches, one ``executemany`` per statement, in a thread of its own.

SQLite inserts a batch's rows without holding Python's global lock (the sqlite3 module lets it go while a
statement steps), so a batch written in a thread overlaps the builder reading and counting the next clauses:
the build takes the second core instead of waiting for its writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor

Row = tuple[object, ...]
Pending = dict[str, list[Row]]


class Batches:
    """Rows waiting to be written, by statement: written together (``executemany``), one call per statement
    rather than one per row, once ``size`` rows wait, and at :meth:`flush`.

    With ``background``, a batch is written in a thread while the next one gathers. The connection must then
    allow it (``check_same_thread=False``), and the builder calls :meth:`wait` before it uses the connection
    itself and :meth:`close` at the end (also when it fails). ``prepare`` maps a statement to what turns its
    rows into the rows written (in the writing thread too: work kept off the builder's)."""

    def __init__(
        self,
        db: sqlite3.Connection,
        size: int = 20_000,
        background: bool = False,
        prepare: Mapping[str, Callable[[list[Row]], list[Row]]] | None = None,
    ) -> None:
        self.db = db
        self.size = size
        self.prepare = dict(prepare or {})
        self.pending: Pending = {}
        self.count = 0
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="store-writes") if background else None
        self.writing: Future[None] | None = None

    def add(self, sql: str, row: Row) -> None:
        self.pending.setdefault(sql, []).append(row)
        self.count += 1
        if self.count >= self.size:
            self.flush()

    def flush(self) -> None:
        """Write the rows waiting (in the background, once the batch before is written)."""
        pending, self.pending, self.count = self.pending, {}, 0
        self.wait()
        if self.pool is None:
            self._write(pending)
        else:
            self.writing = self.pool.submit(self._write, pending)

    def _write(self, pending: Pending) -> None:
        for sql, rows in pending.items():
            prepare = self.prepare.get(sql)
            self.db.executemany(sql, prepare(rows) if prepare else rows)

    def wait(self) -> None:
        """Return once the batch being written is; raise what writing it raised."""
        writing, self.writing = self.writing, None
        if writing is not None:
            writing.result()

    def close(self) -> None:
        """Stop the writing thread, once the batch it is writing is written (what that raised is not raised)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True)
