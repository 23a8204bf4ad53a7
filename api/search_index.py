"""Posting lists of character bigrams, kept in the store: a one-word query without a full-text scan.

For every character bigram (two adjacent characters of one letter/digit run of a clause's
lower-cased search text: exactly the tokens :func:`api.text_search.bigram_document` gives the
``fts_bigram`` index) the table ``bigram_postings`` holds, in one row, the numbers of the
clauses saying it (ascending, ``uint32``) and how often each says it (``uint8``, capped at 255).
A query ``q`` of one two-character word and no other filter then reads one row: its total and
facets are bin counts over those numbers (see :mod:`api.fact_columns`). ``bigram_lengths`` holds how
many bigrams each clause says: with the posting lists, what the BM25 ranking of every text query
reads (:mod:`api.ranking`).

The postings are computed with numpy in chunks of clauses at store build time (every code point
classified once, bigrams as 64-bit keys, counted and sorted as arrays), not token by token.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from functools import cache

import numpy as np

from api.text_search import search_text

CHUNK = 50_000
_CODE_POINTS = 0x110000
_N_BITS = 22  # clause numbers below 2**22 (4M); keys of two code points take 42 bits
MAX_CLAUSES = (1 << _N_BITS) - 1

#: A rowid table with an index on the term, not a WITHOUT ROWID table keyed by it: finding a term then compares
#: it with other terms in the index alone, never reading their posting lists (a WITHOUT ROWID table's search
#: reads the whole row of every key it compares when the row overflows its page, as posting lists do).
SCHEMA = (
    "CREATE TABLE bigram_postings (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, n BLOB NOT NULL, "
    "tf BLOB NOT NULL)",
    "CREATE TABLE bigram_lengths (lengths BLOB NOT NULL)",
)


@cache
def _alnum_table() -> np.ndarray:
    """Whether each code point is a letter or digit (``[^\\W_]``, as the bigram index tokenises)."""
    return np.fromiter((chr(c).isalnum() for c in range(_CODE_POINTS)), bool, _CODE_POINTS)


def _chunk_pairs(numbers: list[int], bodies: list[str], count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (bigram key << 22 | clause number) of one chunk, sorted, each pair's count, and how many
    bigrams each clause number ``1 .. count`` of the chunk says (at index ``n``)."""
    lowered = [b.lower() for b in bodies]
    joined = "\0".join(lowered) + "\0"
    cps = np.frombuffer(joined.encode("utf-32-le"), np.uint32).astype(np.int64)
    alnum = _alnum_table()[cps]
    lengths = np.fromiter((len(b) + 1 for b in lowered), np.int64, len(lowered))
    owner = np.repeat(np.asarray(numbers, np.int64), lengths)
    valid = alnum[:-1] & alnum[1:]
    owners = owner[:-1][valid]
    keys = (cps[:-1][valid] * _CODE_POINTS + cps[1:][valid]) << _N_BITS | owners
    distinct, counts = np.unique(keys, return_counts=True)
    return distinct, counts, np.bincount(owners, minlength=count + 1)


def _rows(db: sqlite3.Connection) -> Iterator[tuple[list[int], list[str]]]:
    cursor = db.execute("SELECT n, heading, text FROM clauses ORDER BY n")
    while batch := cursor.fetchmany(CHUNK):
        yield [r[0] for r in batch], [search_text(r[1] or "", r[2] or "") for r in batch]


def build(db: sqlite3.Connection) -> int:
    """Fill ``bigram_postings`` and ``bigram_lengths`` (how many bigrams each clause's search text has, as
    ``uint32`` at index ``n - 1``) from the ``clauses`` table (both created here); the number of bigrams."""
    for statement in SCHEMA:
        db.execute(statement)
    (count,) = db.execute("SELECT max(n) FROM clauses").fetchone()
    if not count or count > MAX_CLAUSES:
        return 0  # empty, or too many clauses for the packed keys: queries use the full-text index
    lengths = np.zeros(count + 1, np.int64)
    parts = []
    for chunk, bodies in _rows(db):
        pairs, counts, said = _chunk_pairs(chunk, bodies, count)
        parts.append((pairs, counts))
        lengths += said
    combined = np.concatenate([p[0] for p in parts])
    tf = np.concatenate([p[1] for p in parts])
    del parts
    lengths = lengths[1:].astype(np.uint32)
    db.execute("INSERT INTO bigram_lengths VALUES (?)", (lengths.tobytes(),))
    order = np.argsort(combined, kind="stable")
    combined, tf = combined[order], np.minimum(tf[order], 255).astype(np.uint8)
    del order
    keys = combined >> _N_BITS
    numbers = (combined & MAX_CLAUSES).astype(np.uint32)
    del combined
    starts = np.concatenate(([0], np.flatnonzero(np.diff(keys)) + 1))
    ends = np.concatenate((starts[1:], [len(keys)]))

    def rows() -> Iterator[tuple[str, bytes, bytes]]:
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            first, second = divmod(int(keys[start]), _CODE_POINTS)
            yield chr(first) + chr(second), numbers[start:end].tobytes(), tf[start:end].tobytes()

    db.executemany("INSERT INTO bigram_postings (term, n, tf) VALUES (?, ?, ?)", rows())
    return len(starts)


def has_postings(db: sqlite3.Connection) -> bool:
    row = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'bigram_postings'").fetchone()
    return row is not None and db.execute("SELECT 1 FROM bigram_postings LIMIT 1").fetchone() is not None


def postings(db: sqlite3.Connection, bigram: str) -> tuple[np.ndarray, np.ndarray]:
    """Clause numbers saying ``bigram`` (ascending) and how often each says it."""
    row = db.execute("SELECT n, tf FROM bigram_postings WHERE term = ?", (bigram,)).fetchone()
    if row is None:
        return np.empty(0, np.uint32), np.empty(0, np.uint8)
    return np.frombuffer(row[0], np.uint32), np.frombuffer(row[1], np.uint8)


def clause_numbers(db: sqlite3.Connection, bigram: str) -> np.ndarray:
    """Clause numbers saying ``bigram`` (ascending): its postings without the counts (not read)."""
    row = db.execute("SELECT n FROM bigram_postings WHERE term = ?", (bigram,)).fetchone()
    return np.empty(0, np.uint32) if row is None else np.frombuffer(row[0], np.uint32)


def clause_lengths(db: sqlite3.Connection) -> np.ndarray | None:
    """How many bigrams each clause's search text has (index ``n - 1``); None when the store has none."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'bigram_lengths'").fetchone() is None:
        return None
    row = db.execute("SELECT lengths FROM bigram_lengths").fetchone()
    return None if row is None else np.frombuffer(row[0], np.uint32)
