"""The BM25 page selection (:func:`api.ranking.top`) against a plain sort, the single-word page by classes
(:meth:`api.ranking.Bm25.word_page`) against scoring every clause, and the query's bigrams."""

from __future__ import annotations

import numpy as np
import pytest

from api import ranking
from api.ranking import Bm25, query_bigrams, top


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


@pytest.mark.parametrize("classes_from", [0, ranking.CLASSES_FROM])  # by classes; one score per match
def test_word_page_by_hand(classes_from: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Lengths 4, 2, 4, 8, 2, 4 (mean 4): norms 1.2, 0.75, 1.2, 2.1, 0.75, 1.2. Counts 1, 1, 2, 2, -, 1 give
    # tf / (tf + norm) = 0.455, 0.571, 0.625, 0.488, -, 0.455: clauses 3, 2, 4, then 1 and 6 (equal) by number.
    monkeypatch.setattr(ranking, "CLASSES_FROM", classes_from)
    bm25 = Bm25.of_lengths(np.array([4, 2, 4, 8, 2, 4], np.uint32))
    said, tf = np.array([1, 2, 3, 4, 6], np.uint32), np.array([1, 1, 2, 2, 1], np.uint8)
    assert bm25.word_page(said, tf, 10, 0) == [3, 2, 4, 1, 6]
    assert bm25.word_page(said, tf, 2, 1) == [2, 4]
    assert bm25.word_page(said, tf, 1, 3) == [1]
    assert bm25.word_page(said, tf, 5, 4) == [6]
    assert bm25.word_page(said, tf, 0, 0) == bm25.word_page(said, tf, 3, 5) == []


@pytest.mark.parametrize("sample", [ranking.SAMPLE, 64])
@pytest.mark.parametrize("distinct_lengths", [6, 300])
def test_word_page_is_the_page_of_every_score(
    distinct_lengths: int, sample: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ranking, "SAMPLE", sample)  # 64: most pages narrowed to the matches near the top first
    monkeypatch.setattr(ranking, "CLASSES_FROM", 0 if sample == 64 else ranking.CLASSES_FROM)  # by classes
    rng = np.random.default_rng(distinct_lengths + sample)
    for _ in range(30):
        clauses = int(rng.integers(1, 5_000))
        bm25 = Bm25.of_lengths(rng.integers(1, distinct_lengths + 1, clauses).astype(np.uint32))
        said = np.flatnonzero(rng.random(clauses) < rng.random()).astype(np.uint32) + 1
        tf = rng.integers(1, int(rng.integers(2, 9)), len(said)).astype(np.uint8)
        scores = bm25.scores(None, ["ab"], said, {"ab": (said, tf)})  # type: ignore[arg-type]
        for limit, offset in ((51, 0), (5, 2), (1, 0), (7, 40), (3, max(len(said) - 2, 0)), (len(said) + 1, 0)):
            assert bm25.word_page(said, tf, limit, offset) == top(said, scores, limit, offset)
