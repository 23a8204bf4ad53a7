"""The narrow ``facts`` of a release as in-memory columns, for facet counts over large full-text matches.

A common word matches a tenth of a million-clause release; joining each match to its
``facts`` row costs more than the search. Instead the matching clause numbers are read
from the full-text index in one string (``group_concat``) and the counts by document and
by (topic set, kind) are taken from these columns, indexed by clause number.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

CELL_KINDS = 16  # a (topic set, kind) pair as one number: tset * CELL_KINDS + kind


def int_column(db: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> pa.Array:
    """The integers ``sql`` returns as one comma-separated string (a ``group_concat``), as an int64 array."""
    text = db.execute(sql, params).fetchone()[0]
    if not text:
        return pa.array([], pa.int64())
    return pc.cast(pc.split_pattern(pa.array([text]), ",").flatten(), pa.int64())


def _counts(values: pa.Array) -> dict[int, int]:
    if len(values) == 0:
        return {}
    counted = pc.value_counts(values)
    return dict(zip(counted.field(0).to_pylist(), counted.field(1).to_pylist(), strict=True))


@dataclass(frozen=True)
class FactColumns:
    """``doc`` and the facet cells (own topics, and with inherited ones) of clause ``n`` at index ``n - 1``."""

    doc: pa.Array
    cell: pa.Array
    cell_inherited: pa.Array

    @classmethod
    def load(cls, db: sqlite3.Connection) -> FactColumns:
        def column(expr: str) -> pa.Array:
            return pc.cast(int_column(db, f"SELECT group_concat({expr}) FROM (SELECT * FROM facts ORDER BY n)"),
                           pa.int32())

        first, last, count = db.execute("SELECT min(n), max(n), count(*) FROM facts").fetchone()
        if count and (first, last) != (1, count):
            raise ValueError("facts.n is not 1..count")
        return cls(column("doc"), column(f"tset * {CELL_KINDS} + kind"), column(f"tseti * {CELL_KINDS} + kind"))

    def counts(self, numbers: pa.Array, inherited: bool) -> tuple[dict[int, int], dict[int, int]]:
        """Clauses by document and by facet cell among the clause ``numbers``."""
        index = pc.subtract(numbers, 1)
        cells = self.cell_inherited if inherited else self.cell
        return _counts(pc.take(self.doc, index)), _counts(pc.take(cells, index))
