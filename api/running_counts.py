"""Topic and kind counts of any slice of a sequence of clauses, from running totals kept every block.

A filter on jurisdictions and at most one topic selects, in a sequence of clauses (every clause
in number order, or one topic's members), one contiguous slice per run of documents
(:meth:`api.fact_columns.FactColumns.select`). The topic and kind facets of such a slice are then
the difference of two running totals kept every :data:`BLOCK` positions, plus the counts of the
at most ``2 * BLOCK - 2`` clauses at its ragged ends: a cost that does not grow with the slice,
where counting every selected clause grows with the corpus.

The totals are a ``(blocks + 1) x (64 + kinds)`` table of ``int32`` per sequence: 64 topic bits,
then one column per kind number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BLOCK = 256
_BITS = 64
_ROWS_PER_PASS = BLOCK * 1024  # rows unpacked at once when building (a 16 MB temporary)


_CHUNK = 1 << 18  # rows per pass when unpacking topic bits (bounds the temporary array to 16 MB)


def bit_counts(masks: np.ndarray) -> np.ndarray:
    """How many of ``masks`` have each of the 64 bits set (index = bit)."""
    totals = np.zeros(_BITS, np.int64)
    for start in range(0, len(masks), _CHUNK):
        chunk = np.ascontiguousarray(masks[start : start + _CHUNK])
        bits = np.unpackbits(chunk.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
        totals += bits.sum(axis=0, dtype=np.int64)
    return totals


def _counts(masks: np.ndarray, kinds: np.ndarray, kind_count: int) -> np.ndarray:
    """How many of ``masks`` have each bit set, then how many of ``kinds`` are each kind number."""
    return np.concatenate((bit_counts(masks), np.bincount(kinds, minlength=kind_count)))


def _block_sums(masks: np.ndarray, kinds: np.ndarray, kind_count: int) -> np.ndarray:
    """The counts of :func:`_counts` of each block of ``BLOCK`` rows (``len(masks)`` a multiple of it)."""
    blocks = len(masks) // BLOCK
    bits = np.unpackbits(masks.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    by_bit = bits.reshape(blocks, BLOCK, _BITS).sum(axis=1, dtype=np.int64)
    block_of = np.repeat(np.arange(blocks, dtype=np.int64), BLOCK)
    by_kind = np.bincount(block_of * kind_count + kinds, minlength=blocks * kind_count).reshape(blocks, kind_count)
    return np.concatenate((by_bit, by_kind), axis=1)


@dataclass(frozen=True)
class RunningCounts:
    """Running topic-bit and kind counts over ``positions`` (indexes ``n - 1``, or None for every clause)."""

    positions: np.ndarray | None
    masks: np.ndarray  # uint64 per clause (index n - 1)
    kinds: np.ndarray  # kind number per clause
    kind_count: int  # kind numbers are below it
    totals: np.ndarray  # int32 (full blocks + 1, 64 + kind_count): counts over the first k * BLOCK positions

    @classmethod
    def build(
        cls, positions: np.ndarray | None, masks: np.ndarray, kinds: np.ndarray, kind_count: int
    ) -> RunningCounts:
        length = len(masks) if positions is None else len(positions)
        full = length // BLOCK * BLOCK
        sums = [np.zeros((1, _BITS + kind_count), np.int64)]
        for start in range(0, full, _ROWS_PER_PASS):
            stop = min(start + _ROWS_PER_PASS, full)
            at = np.arange(start, stop) if positions is None else positions[start:stop]
            sums.append(_block_sums(masks[at], kinds[at].astype(np.int64), kind_count))
        totals = np.cumsum(np.concatenate(sums), axis=0).astype(np.int32)
        return cls(positions, masks, kinds, kind_count, totals)

    def __len__(self) -> int:
        return len(self.masks) if self.positions is None else len(self.positions)

    def _at(self, start: int, stop: int) -> np.ndarray:
        return np.arange(start, stop) if self.positions is None else self.positions[start:stop]

    def counts(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """How many clauses at positions ``start:stop`` of the sequence have each of the 64 bits set, and how
        many are of each kind number: the totals of the whole blocks inside, and the ends counted one by one."""
        first, last = -(-start // BLOCK), stop // BLOCK
        if last <= first:
            at = self._at(start, stop)
            row = _counts(self.masks[at], self.kinds[at], self.kind_count)
        else:
            at = np.concatenate((self._at(start, first * BLOCK), self._at(last * BLOCK, stop)))
            row = _counts(self.masks[at], self.kinds[at], self.kind_count)
            row += self.totals[last] - self.totals[first]
        return row[:_BITS], row[_BITS:]
