"""Posting lists of character bigrams, kept in the store: every text query is answered from them.

The search text of a clause (:func:`api.text_search.search_text`, lower-cased) is cut into runs of
letters and digits. The table ``bigram_postings`` holds, for every **bigram** (two adjacent characters
of one run) and every **run end** (the last character of a run, as a one-character term), in one row,
the numbers of the clauses saying it (ascending, ``uint32``), how often each says it (kept sparse, as most
clauses say a bigram once: :func:`encode_counts`; ranking counts up to 255) and, for a bigram, where: the
position of each occurrence in its clause's search text (``at``, :func:`encode_positions`), so a longer
term is found where its bigrams follow one another (:func:`occurrences`). Every character of a run
either starts a bigram or ends the run, so the clauses saying a character are the union of the rows
whose term starts with it: one range of the term index (:func:`lists_starting_with`).

A list is kept as the smallest of: a Zstandard frame of its gaps (most lists of more than a few dozen
clauses and fewer than 20,000); compact, when its numbers share their upper 16 bits in long runs (the low
16 bits of each number, ``uint16``, and in ``hi`` each run's upper bits and length, ``uint16`` pairs); plain
``uint32``. ``count`` says how many numbers it holds. ``bigram_lengths`` holds how many bigrams each clause says: with
the posting lists, what the BM25 ranking of every text query reads (:mod:`api.ranking`). How a query
becomes lookups in these lists is :mod:`api.text_match`.

The postings are computed with numpy in chunks of clauses at store build time (every code point
classified once, each occurrence of a term as a 64-bit key with its position, sorted and counted as arrays),
not token by token.
"""

from __future__ import annotations

import sqlite3
from functools import cache

import numpy as np
import zstandard

CHUNK = 50_000
#: Ranking counts a term at most this often in one clause (:func:`postings`); the store keeps the true counts.
TF_CAP = 255
#: Positions blobs shorter than this are kept as they are (a frame's own bytes would outweigh what it saves).
MIN_COMPRESSED = 64
#: Lists of this many clauses or more are not compressed: the common words' lists, which most queries read, are
#: then decoded without a decompression (at 1M clauses: 410 lists, 18.6 MB compressed, 44.2 MB not).
COMPRESSED_BELOW = 20_000
_CODE_POINTS = 0x110000
_LAST_CHARACTER = "\U0010ffff"

#: A rowid table with an index on the term, not a WITHOUT ROWID table keyed by it: finding a term then compares
#: it with other terms in the index alone, never reading their posting lists (a WITHOUT ROWID table's search
#: reads the whole row of every key it compares when the row overflows its page, as posting lists do).
SCHEMA = (
    "CREATE TABLE bigram_postings (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, count INTEGER NOT NULL, "
    "n BLOB NOT NULL, "
    "hi BLOB NOT NULL, tf BLOB NOT NULL, at BLOB NOT NULL)",
    "CREATE TABLE bigram_lengths (lengths BLOB NOT NULL)",
)


@cache
def _ranks() -> np.ndarray:
    """The number of each letter or digit code point (``[^\\W_]``, as runs are cut) among them, from 1; 0 for
    any other code point. Terms are keyed by these numbers: two of them and a clause number fit 64 bits."""
    alnum = np.fromiter((chr(c).isalnum() for c in range(_CODE_POINTS)), bool, _CODE_POINTS)
    return np.where(alnum, np.cumsum(alnum), 0).astype(np.int64)


@cache
def _code_points() -> np.ndarray:
    """The code point of each rank (index 0 for no character)."""
    return np.concatenate(([0], np.flatnonzero(_ranks())))


def _radix() -> int:
    return len(_code_points())


def _chunk_occurrences(
    numbers: list[int], bodies: list[str], count: int, n_bits: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every occurrence of a term in one chunk as its key (``term key << n_bits | clause number``), sorted, with
    its position in the clause's lower-cased search text (in the same order: ascending within a term and clause),
    and how many bigrams each clause number ``1 .. count`` of the chunk says (at index ``n``). A bigram's key is
    ``rank(first) * radix + rank(second)``, a run end's ``rank(character) * radix``."""
    lowered = [b.lower() for b in bodies]
    joined = "\0".join(lowered) + "\0"
    ranks = _ranks()[np.frombuffer(joined.encode("utf-32-le"), np.uint32)]
    lengths = np.fromiter((len(b) + 1 for b in lowered), np.int64, len(lowered))
    owner = np.repeat(np.asarray(numbers, np.int64), lengths)[:-1]
    at = np.arange(len(owner), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)[:-1]
    first, second = ranks[:-1], ranks[1:]
    pair = (first != 0) & (second != 0)
    end = (first != 0) & (second == 0)
    radix = _radix()
    keys = np.concatenate(
        (
            (first[pair] * radix + second[pair]) << n_bits | owner[pair],
            (first[end] * radix) << n_bits | owner[end],
        )
    )
    order = np.argsort(keys, kind="stable")
    positions = np.concatenate((at[pair], at[end]))[order].astype(np.uint32)
    return keys[order], positions, np.bincount(owner[pair], minlength=count + 1)


def _term(key: int) -> str:
    first, second = divmod(key, _radix())
    points = _code_points()
    return chr(points[first]) + (chr(points[second]) if second else "")


def encode(numbers: np.ndarray) -> tuple[bytes, bytes]:
    """The ``n`` and ``hi`` blobs of an ascending ``uint32`` list: compressed (:func:`_compressed`, for a list of
    fewer than :data:`COMPRESSED_BELOW` clauses), or compact (low bits and runs), or plain ``uint32``, whichever
    is smallest."""
    n, hi = _uncompressed(numbers)
    if len(n) + len(hi) >= MIN_COMPRESSED and len(numbers) < COMPRESSED_BELOW:
        packed = _compressed(numbers)
        if len(packed) < len(n) + len(hi):
            return packed, b""
    return n, hi


def _compressed(numbers: np.ndarray) -> bytes:
    """A Zstandard frame of the list's gaps (each number less the one before; ``uint16`` when each fits)."""
    gaps = np.diff(numbers.astype(np.int64), prepend=0)
    wide = int(gaps.max()) >= 1 << 16
    return zstandard.compress(gaps.astype(np.uint32 if wide else np.uint16).tobytes(), 3)


def _uncompressed(numbers: np.ndarray) -> tuple[bytes, bytes]:
    """The ``n`` and ``hi`` blobs of a list kept as numbers: compact when that is smaller."""
    upper = numbers >> 16
    cut = np.flatnonzero(np.diff(upper)) + 1
    firsts = np.concatenate(([0], cut))
    runs = np.diff(np.concatenate((firsts, [len(numbers)])))
    if 2 * len(numbers) + 4 * len(firsts) >= 4 * len(numbers) or runs.max(initial=0) > 1 << 16:
        return numbers.astype(np.uint32).tobytes(), b""
    pairs = np.stack((upper[firsts], runs - 1), axis=1).astype(np.uint16)
    return (numbers & 0xFFFF).astype(np.uint16).tobytes(), pairs.tobytes()


def decode(count: int, n: bytes, hi: bytes) -> np.ndarray:
    """The ascending ``uint32`` clause numbers of a list of ``count`` from its ``n`` and ``hi`` blobs (see
    :func:`encode`): compact when ``hi`` holds runs, plain when ``n`` holds four bytes a number, else compressed."""
    if not hi:
        if len(n) == 4 * count:
            return np.frombuffer(n, np.uint32)
        gaps = zstandard.decompress(n)
        return np.cumsum(np.frombuffer(gaps, np.uint16 if len(gaps) == 2 * count else np.uint32), dtype=np.uint32)
    pairs = np.frombuffer(hi, np.uint16).reshape(-1, 2).astype(np.uint32)
    upper = np.repeat(pairs[:, 0] << 16, pairs[:, 1] + 1)
    upper |= np.frombuffer(n, np.uint16)
    return upper


def encode_counts(counts: np.ndarray) -> bytes:
    """The ``tf`` blob of a list's counts: the positions of the counts other than 1, then those counts (both
    ``uint32``); empty when every count is 1. At 1M clauses 96 % of the counts are 1."""
    at = np.flatnonzero(counts != 1)
    return at.astype(np.uint32).tobytes() + counts[at].astype(np.uint32).tobytes()


def decode_counts(length: int, blob: bytes) -> np.ndarray:
    """The counts (``uint32``) of a list of ``length`` numbers from its ``tf`` blob (see :func:`encode_counts`)."""
    counts = np.ones(length, np.uint32)
    if blob:
        others = len(blob) // 8
        counts[np.frombuffer(blob, np.uint32, others)] = np.frombuffer(blob, np.uint32, others, 4 * others)
    return counts


def encode_positions(positions: np.ndarray) -> bytes:
    """The ``at`` blob of a bigram's positions (its occurrences in list order): ``uint16`` when each fits, else
    ``uint32``; compressed (a Zstandard frame) when that is shorter than two bytes a position."""
    wide = len(positions) and int(positions.max()) >= 1 << 16
    raw = positions.astype(np.uint32 if wide else np.uint16).tobytes()
    if len(raw) < MIN_COMPRESSED:
        return raw
    packed = zstandard.compress(raw, 3)
    return packed if len(packed) < 2 * len(positions) else raw


def decode_positions(occurrences: int, blob: bytes) -> np.ndarray:
    """The positions of ``occurrences`` occurrences from their ``at`` blob (see :func:`encode_positions`)."""
    if len(blob) < 2 * occurrences:
        blob = zstandard.decompress(blob)
    return np.frombuffer(blob, np.uint16 if len(blob) == 2 * occurrences else np.uint32)


class Postings:
    """The posting lists of ``count`` clauses, counted ``CHUNK`` clauses at a time as they come (:meth:`add`),
    then sorted into rows (:meth:`rows`, no database) and written (:meth:`write`)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.n_bits = count.bit_length()
        if _radix() ** 2 >= 1 << (63 - self.n_bits):
            raise ValueError(f"{count} clauses are too many for 64-bit posting keys")
        self.lengths = np.zeros(count + 1, np.int64)
        self.parts: list[tuple[np.ndarray, np.ndarray]] = []
        self.waiting: tuple[list[int], list[str]] = ([], [])  # clauses not counted yet: numbers, search texts

    def add(self, n: int, body: str) -> None:
        """Take clause ``n`` (``1 .. count``), whose search text (:func:`api.text_search.search_text`) is ``body``."""
        numbers, bodies = self.waiting
        numbers.append(n)
        bodies.append(body)
        if len(numbers) >= CHUNK:
            self._count()

    def _count(self) -> None:
        numbers, bodies = self.waiting
        if numbers:
            keys, positions, said = _chunk_occurrences(numbers, bodies, self.count, self.n_bits)
            self.parts.append((keys, positions))
            self.lengths += said
        self.waiting = ([], [])

    def rows(self) -> list[tuple[str, int, bytes, bytes, bytes, bytes]]:
        """The rows of ``bigram_postings`` (term, count, ``n``, ``hi``, ``tf``, ``at``), by term, of every clause
        taken.
        The chunks' occurrences are each sorted and hold ascending clause numbers, so one stable sort merges them."""
        self._count()
        if not self.parts:
            return []
        keys = np.concatenate([p[0] for p in self.parts])
        positions = np.concatenate([p[1] for p in self.parts])
        self.parts = []
        order = np.argsort(keys, kind="stable")
        keys, positions = keys[order], positions[order]
        del order
        firsts = np.concatenate(([0], np.flatnonzero(np.diff(keys)) + 1))  # each (term, clause) pair's first
        counts = np.diff(np.append(firsts, len(keys)))
        pairs = keys[firsts]
        del keys
        terms = pairs >> self.n_bits
        numbers = (pairs & ((1 << self.n_bits) - 1)).astype(np.uint32)
        starts = np.concatenate(([0], np.flatnonzero(np.diff(terms)) + 1)).tolist()
        ends = [*starts[1:], len(terms)]
        occurrence_ends = [*firsts[starts[1:]].tolist(), len(positions)]
        radix = _radix()
        return [
            (
                _term(int(terms[start])),
                end - start,
                *encode(numbers[start:end]),
                encode_counts(counts[start:end]),
                b"" if int(terms[start]) % radix == 0 else encode_positions(positions[int(firsts[start]) : stop]),
            )
            for start, end, stop in zip(starts, ends, occurrence_ends, strict=True)
        ]

    def write(self, db: sqlite3.Connection, rows: list[tuple[str, int, bytes, bytes, bytes, bytes]]) -> None:
        """Create ``bigram_postings`` and ``bigram_lengths`` (how many bigrams each clause's search text has, as
        ``uint32`` at index ``n - 1``) and fill them with ``rows`` and the lengths."""
        for statement in SCHEMA:
            db.execute(statement)
        if self.count:
            db.execute("INSERT INTO bigram_lengths VALUES (?)", (self.lengths[1:].astype(np.uint32).tobytes(),))
        db.executemany("INSERT INTO bigram_postings (term, count, n, hi, tf, at) VALUES (?, ?, ?, ?, ?, ?)", rows)


def has_postings(db: sqlite3.Connection) -> bool:
    row = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'bigram_postings'").fetchone()
    return row is not None and db.execute("SELECT 1 FROM bigram_postings LIMIT 1").fetchone() is not None


def postings(db: sqlite3.Connection, bigram: str) -> tuple[np.ndarray, np.ndarray]:
    """Clause numbers saying ``bigram`` (ascending) and how often each says it."""
    row = db.execute("SELECT count, n, hi, tf FROM bigram_postings WHERE term = ?", (bigram,)).fetchone()
    if row is None:
        return np.empty(0, np.uint32), np.empty(0, np.uint8)
    said = decode(*row[:3])
    return said, np.minimum(decode_counts(len(said), row[3]), TF_CAP).astype(np.uint8)


def occurrences(db: sqlite3.Connection, bigram: str) -> np.ndarray:
    """Every occurrence of ``bigram`` (two letters or digits: a run end has no positions) as
    ``clause number << 32 | position`` in the clause's search text (ascending, ``int64``)."""
    row = db.execute("SELECT count, n, hi, tf, at FROM bigram_postings WHERE term = ?", (bigram,)).fetchone()
    if row is None:
        return np.empty(0, np.int64)
    said = decode(*row[:3])
    counts = decode_counts(len(said), row[3])
    positions = decode_positions(int(counts.sum()), row[4])
    return np.repeat(said.astype(np.int64) << 32, counts) | positions


def clause_numbers(db: sqlite3.Connection, bigram: str) -> np.ndarray:
    """Clause numbers saying ``bigram`` (ascending): its postings without the counts (not read)."""
    row = db.execute("SELECT count, n, hi FROM bigram_postings WHERE term = ?", (bigram,)).fetchone()
    return np.empty(0, np.uint32) if row is None else decode(*row)


def lists_starting_with(db: sqlite3.Connection, character: str) -> list[np.ndarray]:
    """The clause numbers (ascending) of every term starting with ``character``: together, the clauses saying it
    (their union is :mod:`api.text_match`'s)."""
    rows = db.execute(
        "SELECT count, n, hi FROM bigram_postings WHERE term >= ? AND term <= ?",
        (character, character + _LAST_CHARACTER),
    )
    return [decode(*row) for row in rows]


def clause_lengths(db: sqlite3.Connection) -> np.ndarray | None:
    """How many bigrams each clause's search text has (index ``n - 1``); None when the store has none."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'bigram_lengths'").fetchone() is None:
        return None
    row = db.execute("SELECT lengths FROM bigram_lengths").fetchone()
    return None if row is None else np.frombuffer(row[0], np.uint32)
