"""The BM25 page selection (:func:`api.ranking.top`) against a plain sort, and the query's bigrams."""

from __future__ import annotations

import numpy as np
import pytest

from api.ranking import query_bigrams, top


@pytest.mark.parametrize("kind", ["few values", "distinct", "all equal"])
def test_top_is_a_sort_by_score_then_number(kind: str) -> None:
    rng = np.random.default_rng(7)
    for _ in range(40):
        size = int(rng.integers(1, 20_000))
        numbers = np.sort(rng.choice(100_000, size, replace=False)).astype(np.int64)
        scores = {
            "few values": rng.integers(0, 5, size) * 1.37,
            "distinct": rng.random(size),
            "all equal": np.full(size, 2.5),
        }[kind]
        limit, offset = int(rng.integers(1, 120)), int(rng.integers(0, size + 3))
        expected = numbers[np.lexsort((numbers, -scores))][offset : offset + limit].tolist()
        assert top(numbers, scores, limit, offset) == expected


def test_query_bigrams_are_those_of_each_run() -> None:
    assert query_bigrams(["数字人民币"]) == ("数字", "字人", "人民", "民币")
    assert query_bigrams(["人才", "FinTech", "才"]) == ("人才", "fi", "in", "nt", "te", "ec", "ch")
    assert query_bigrams(["金融 科技", "人才人才"]) == ("金融", "科技", "人才", "才人")
