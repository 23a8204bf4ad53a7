"""Running topic and kind totals: any slice of a sequence counts the same as counting its clauses one by one."""

from __future__ import annotations

import numpy as np
import pytest

from api.fact_columns import FactColumns
from api.running_counts import BLOCK, RunningCounts


def _direct(masks: np.ndarray, kinds: np.ndarray, at: np.ndarray, kind_count: int) -> tuple[list[int], list[int]]:
    by_bit = [sum(int(m) >> b & 1 for m in masks[at]) for b in range(64)]
    return by_bit, np.bincount(kinds[at], minlength=kind_count).tolist()


@pytest.mark.parametrize("use_positions", [False, True])
def test_every_slice_counts_as_its_clauses_one_by_one(use_positions: bool) -> None:
    rng = np.random.default_rng(3)
    size = 5 * BLOCK + 37
    masks = rng.integers(0, 2**20, size, dtype=np.int64).astype(np.uint64)
    masks[::7] |= np.uint64(1 << 63)
    kinds = rng.integers(1, 6, size).astype(np.int8)
    positions = np.sort(rng.choice(size, 4 * BLOCK + 5, replace=False)).astype(np.int32) if use_positions else None
    running = RunningCounts.build(positions, masks, kinds, 8)
    length = len(running)
    assert running.totals.shape == (length // BLOCK + 1, 64 + 8)
    cuts = [(0, length), (0, 0), (3, 3 + BLOCK), (BLOCK, 3 * BLOCK), (BLOCK - 1, 2 * BLOCK + 1), (length - 5, length)]
    cuts += [tuple(sorted(rng.integers(0, length + 1, 2).tolist())) for _ in range(20)]
    for start, stop in cuts:
        at = np.arange(start, stop) if positions is None else positions[start:stop]
        by_bit, by_kind = running.counts(start, stop)
        assert (by_bit.tolist(), by_kind.tolist()) == _direct(masks, kinds, at, 8), (start, stop)


def _random_columns(rng: np.random.Generator, size: int, bits: int, inherited_bit: int | None) -> FactColumns:
    """Columns of ``size`` clauses of one document: random kinds and own topics among ``bits`` topics; inherited
    topics add ``inherited_bit`` to every clause, or random topics among the same when None."""
    masks = rng.integers(0, 2**bits, size, dtype=np.int64).astype(np.uint64)
    kind = rng.integers(1, 6, size).astype(np.int8)
    if inherited_bit is None:
        extra = rng.integers(0, 2**bits, size, dtype=np.int64).astype(np.uint64)
    else:
        extra = np.full(size, 1 << inherited_bit, np.uint64)
    return FactColumns(doc=np.ones(size, np.int32), kind=kind, topics=masks, topics_inherited=masks | extra)


def test_facet_counts_of_a_selection_of_slices() -> None:
    size = 4_000
    cols = _random_columns(np.random.default_rng(8), size, 12, 40)
    for ranges, topics, kinds in [
        ([(1, size)], 0, []),
        ([(10, 1_400), (2_000, 2_001), (3_100, 9_000)], 0, []),
        ([(10, 1_400), (2_000, 3_900)], 1 << 5, []),
        ([(1, size)], 1 << 40, []),
    ]:
        for inherited in (False, True):
            selection = cols.select(ranges, kinds, topics, 0, inherited)
            counted = cols.facet_counts(selection, 8)
            assert counted is not None
            chosen = cols.topics_inherited if inherited else cols.topics
            assert (counted[0].tolist(), counted[1].tolist()) == _direct(chosen, cols.kind, selection.index, 8)
    # Kinds, or two topics, select clauses that are no slices: their counts come from elsewhere.
    assert cols.facet_counts(cols.select([(1, size)], [2], 1 << 5, 0, False), 8) is None
    assert cols.facet_counts(cols.select([(1, size)], [], 0b11, 0, False), 8) is None


def test_within_keeps_what_select_selects() -> None:
    """Narrowing the matches of a text query by the other filters (``within``) keeps exactly the clauses that
    ``select`` finds with those filters."""
    rng = np.random.default_rng(9)
    size = 3_000
    cols = _random_columns(rng, size, 10, None)
    matches = np.flatnonzero(rng.random(size) < 0.3)
    for ranges in (None, [(1, size)], [(5, 700), (1_000, 1_001), (2_500, 9_000)], [(3_001, 3_500)]):
        for kinds in ([], [2], [1, 4]):
            for any_topics, all_topics in ((0, 0), (1 << 3, 0), (0b1010, 0), (0, 0b110)):
                for inherited in (False, True):
                    selected = cols.select(ranges, kinds, any_topics, all_topics, inherited).index
                    expected = np.intersect1d(matches, selected).tolist()
                    assert cols.within(matches, ranges, kinds, any_topics, all_topics, inherited).tolist() == expected
