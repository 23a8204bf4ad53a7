"""The narrow ``facts`` of a release as in-memory columns: filters and facet counts without SQL.

Each clause number ``n`` has, at index ``n - 1``, its document number, its kind number and
two topic bitmasks (bit ``ord - 1`` set for each topic it carries itself, and for each it
carries itself or under an enclosing heading). A filter on documents, kinds and topics is a
few vectorised comparisons over the clause-number ranges of the selected documents (a
jurisdiction's documents are one contiguous run), and the facet counts are bin counts over
the selected indexes: no row is touched in Python, and the cost does not grow with the
number of distinct topic combinations. Full-text matches are counted the same way, from
the clause numbers the index yields (read in one ``group_concat`` string).

Bitmasks are 64 bits wide: a vocabulary of more than 64 topics has no columns
(:meth:`FactColumns.load` returns None) and queries fall back to SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from api.running_counts import RunningCounts, bit_counts

MAX_TOPICS = 64


def int_column(db: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> np.ndarray:
    """The integers ``sql`` returns as one comma-separated string (a ``group_concat``), as an int64 array."""
    text = db.execute(sql, params).fetchone()[0]
    if not text:
        return np.empty(0, np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def topic_mask(ords: Iterable[int]) -> int:
    """The bitmask of the topics numbered ``ords`` (1-based)."""
    mask = 0
    for ord_ in ords:
        mask |= 1 << (ord_ - 1)
    return mask


def nonzero_counts(counts: np.ndarray, offset: int = 0) -> dict[int, int]:
    """``{position + offset: count}`` of the non-zero ``counts``, as Python integers."""
    at = np.flatnonzero(counts)
    return dict(zip((at + offset).tolist(), counts[at].astype(np.int64).tolist(), strict=True))


@dataclass(frozen=True)
class Counts:
    """Clauses by document number, by kind number and by topic number (1-based ords)."""

    doc: dict[int, int]
    kind: dict[int, int]
    topic: dict[int, int]


@dataclass(frozen=True)
class Selection:
    """Indexes (``n - 1``, ascending) of selected clauses and, when they are slices of one sequence, which:
    ``bit`` None for every clause in number order, else that topic bit's members (``inherited`` or own), and
    the ``(start, stop)`` positions of each slice in it (None when the selection is not such slices)."""

    index: np.ndarray
    slices: tuple[tuple[int, int], ...] | None = None
    bit: int | None = None
    inherited: bool = False


@dataclass(frozen=True)
class FactColumns:
    doc: np.ndarray  # int32
    kind: np.ndarray  # int8
    topics: np.ndarray  # uint64: own topics
    topics_inherited: np.ndarray  # uint64: own topics and those of enclosing headings

    @classmethod
    def load(
        cls,
        db: sqlite3.Connection,
        topic_sets: Mapping[int, Iterable[str]],
        topic_ord: Mapping[str, int],
    ) -> FactColumns | None:
        if len(topic_ord) > MAX_TOPICS or any(o < 1 or o > MAX_TOPICS for o in topic_ord.values()):
            return None
        first, last, count = db.execute("SELECT min(n), max(n), count(*) FROM facts").fetchone()
        if count and (first, last) != (1, count):
            raise ValueError("facts.n is not 1..count")

        def column(expr: str) -> np.ndarray:
            return int_column(db, f"SELECT group_concat({expr}) FROM (SELECT * FROM facts ORDER BY n)")

        masks = np.zeros(max(topic_sets, default=0) + 1, np.uint64)
        for tset, topics in topic_sets.items():
            masks[tset] = topic_mask(topic_ord[t] for t in topics if t in topic_ord)
        return cls(
            doc=column("doc").astype(np.int32),
            kind=column("kind").astype(np.int8),
            topics=masks[column("tset")] if count else np.empty(0, np.uint64),
            topics_inherited=masks[column("tseti")] if count else np.empty(0, np.uint64),
        )

    def __len__(self) -> int:
        return len(self.doc)

    def members(self, bit: int, inherited: bool) -> np.ndarray:
        """Indexes (``n - 1``, ascending, int32) of the clauses carrying topic bit ``bit``: worked out on first
        use and kept (a topic's list is 4 bytes a tagged clause), so a topic filter reads a slice of it
        instead of testing the mask of every clause in range."""
        kept: dict[tuple[int, bool], np.ndarray] = self.__dict__.setdefault("_members", {})
        found = kept.get((bit, inherited))
        if found is None:
            masks = self.topics_inherited if inherited else self.topics
            found = kept[(bit, inherited)] = np.flatnonzero(masks & np.uint64(1 << bit)).astype(np.int32)
        return found

    def select(
        self,
        n_ranges: Sequence[tuple[int, int]] | None,
        kinds: Sequence[int],
        any_topics: int,
        all_topics: int,
        inherited: bool,
    ) -> Selection:
        """The clauses in ``n_ranges`` (all when None) of one of ``kinds`` (any when empty), with at least one of
        the ``any_topics`` bits and every one of the ``all_topics`` bits (when not 0).

        One topic (either way) reads the range's slice of that topic's members; others test masks. Without
        kinds, and with no topic or one, the selection keeps its slices (see :meth:`facet_counts`)."""
        bounds = [(lo - 1, min(hi, len(self))) for lo, hi in (n_ranges if n_ranges is not None else [(1, len(self))])]
        bounds = [(start, stop) for start, stop in bounds if stop > start]
        one = any_topics if not all_topics else all_topics if not any_topics else 0
        if one and one & (one - 1) == 0:  # exactly one bit
            return self._select_members(bounds, kinds, one.bit_length() - 1, inherited)
        masks = self.topics_inherited if inherited else self.topics
        parts = []
        for start, stop in bounds:
            keep = np.ones(stop - start, bool)
            if any_topics:
                keep &= (masks[start:stop] & np.uint64(any_topics)) != 0
            if all_topics:
                keep &= (masks[start:stop] & np.uint64(all_topics)) == np.uint64(all_topics)
            if kinds:
                keep &= np.isin(self.kind[start:stop], np.asarray(kinds, np.int8))
            parts.append(np.flatnonzero(keep) + start)
        index = np.concatenate(parts) if parts else np.empty(0, np.int64)
        plain = not (kinds or any_topics or all_topics)
        return Selection(index, tuple(bounds) if plain else None, None, inherited)

    def within(
        self,
        index: np.ndarray,
        n_ranges: Sequence[tuple[int, int]] | None,
        kinds: Sequence[int],
        any_topics: int,
        all_topics: int,
        inherited: bool,
    ) -> np.ndarray:
        """The clauses at ``index`` (``n - 1``, ascending) that :meth:`select` with the same filters selects."""
        if n_ranges is not None:
            edges = np.asarray(n_ranges, np.int64).reshape(-1, 2)
            starts = np.searchsorted(index, edges[:, 0] - 1, "left")
            stops = np.searchsorted(index, edges[:, 1], "left")
            parts = [index[a:b] for a, b in zip(starts.tolist(), stops.tolist(), strict=True)]
            index = np.concatenate(parts) if parts else index[:0]
        keep = np.ones(len(index), bool)
        if any_topics or all_topics:
            masks = (self.topics_inherited if inherited else self.topics)[index]
            if any_topics:
                keep &= (masks & np.uint64(any_topics)) != 0
            if all_topics:
                keep &= (masks & np.uint64(all_topics)) == np.uint64(all_topics)
        if kinds:
            keep &= np.isin(self.kind[index], np.asarray(kinds, np.int8))
        return index if keep.all() else index[keep]

    def _select_members(
        self, bounds: Sequence[tuple[int, int]], kinds: Sequence[int], bit: int, inherited: bool
    ) -> Selection:
        members = self.members(bit, inherited)
        edges = np.asarray(bounds, members.dtype).reshape(-1, 2)  # the members' type: no copy of them to search
        starts = np.searchsorted(members, edges[:, 0], "left").tolist()
        stops = np.searchsorted(members, edges[:, 1], "left").tolist()
        slices = tuple((a, b) for a, b in zip(starts, stops, strict=True) if b > a)
        parts = [members[a:b] for a, b in slices]
        index = (np.concatenate(parts) if len(parts) > 1 else parts[0] if parts else members[:0]).astype(np.int64)
        if kinds:
            return Selection(index[np.isin(self.kind[index], np.asarray(kinds, np.int8))])
        return Selection(index, slices, bit, inherited)

    def facet_counts(self, selection: Selection, kind_count: int) -> tuple[np.ndarray, np.ndarray] | None:
        """How many selected clauses have each of the 64 topic bits set (those of ``selection.inherited``), and
        how many are of each kind number (below ``kind_count``), from running totals over the sequence the
        selection slices (kept per sequence on first use). None when the selection is not slices."""
        if selection.slices is None:
            return None
        running = self._running(selection.bit, selection.inherited, kind_count)
        by_bit, by_kind = np.zeros(MAX_TOPICS, np.int64), np.zeros(kind_count, np.int64)
        for start, stop in selection.slices:
            bits, kinds = running.counts(start, stop)
            by_bit += bits
            by_kind += kinds
        return by_bit, by_kind

    def _running(self, bit: int | None, inherited: bool, kind_count: int) -> RunningCounts:
        kept: dict[tuple[int | None, bool, int], RunningCounts] = self.__dict__.setdefault("_running_totals", {})
        found = kept.get((bit, inherited, kind_count))
        if found is None:
            positions = None if bit is None else self.members(bit, inherited)
            masks = self.topics_inherited if inherited else self.topics
            found = kept[(bit, inherited, kind_count)] = RunningCounts.build(positions, masks, self.kind, kind_count)
        return found

    def counts(self, index: np.ndarray, inherited: bool) -> Counts:
        """Counts by document, kind and topic of the clauses at ``index`` (``n - 1``)."""
        if len(index) == 0:
            return Counts({}, {}, {})
        masks = self.topics_inherited if inherited else self.topics
        return Counts(
            doc=nonzero_counts(np.bincount(self.doc[index])),
            kind=nonzero_counts(np.bincount(self.kind[index])),
            topic=nonzero_counts(bit_counts(masks[index]), offset=1),
        )
