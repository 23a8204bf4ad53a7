"""BM25 over character bigrams: the order of ``order=relevance`` for text queries.

A query's terms are its positive words and phrases (not the excluded ones), in both character forms
when ``q`` held traditional ones. Their **terms for ranking** are the distinct character bigrams of
every letter/digit run of them, lower-cased: the same tokens the bigram posting lists hold
(:mod:`api.search_index`), so ``数字人民币`` ranks by 数字, 字人, 人民 and 民币. A clause's score is

    sum over the query's bigrams t of  idf(t) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg_length))
    idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))

with ``tf`` how often the clause says ``t`` (counted up to 255), ``length`` how many bigrams its search
text has, ``avg_length`` their mean over all ``N`` clauses and ``df`` how many clauses say ``t``
(Lucene's form of BM25, ``K1 = 1.2``, ``B = 0.75``). Higher scores first; equal scores in clause
(document) order. A one-character term has no bigram and adds nothing to the score.

Ranking decides only the order: which clauses match (and so totals and facets) is the search's alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from api import search_index
from api.text_search import RUN_RE

K1 = 1.2
B = 0.75


def query_bigrams(terms: Iterable[str]) -> tuple[str, ...]:
    """The distinct bigrams of the letter/digit runs of ``terms`` (lower-cased), in order of appearance."""
    grams = (a + b for term in terms for run in RUN_RE.findall(term.lower()) for a, b in pairwise(run))
    return tuple(dict.fromkeys(grams))


BINS = 1024
SMALL = 2048  # fewer matches than this are simply sorted


def top(numbers: np.ndarray, scores: np.ndarray, limit: int, offset: int) -> list[int]:
    """``numbers[offset : offset + limit]`` by descending score, equal scores by ascending number."""
    wanted = offset + limit
    if wanted <= 0 or len(numbers) == 0:
        return []
    return [int(n) for n in _best(numbers, scores, wanted)[offset:wanted]]


def _best(numbers: np.ndarray, scores: np.ndarray, wanted: int) -> np.ndarray:
    """The ``wanted`` best of ``numbers`` (by descending score, then ascending number), in that order.

    Scores take few distinct values (a common word's clauses share a handful of counts and lengths), which
    makes a selection by comparison slow; instead the scores are binned between their extremes, the bins
    counted, and only the bin holding the ``wanted``-th best is looked into further (exact: nothing is
    approximated, the bins only say which clauses cannot be on the page).
    """
    if len(numbers) <= SMALL:
        return numbers[np.lexsort((numbers, -scores))][:wanted]
    low, high = float(scores.min()), float(scores.max())
    if low == high:  # all equal: the lowest numbers
        wanted = min(wanted, len(numbers))
        return np.sort(np.partition(numbers, wanted - 1)[:wanted])
    bins = np.minimum(((scores - low) * (BINS / (high - low))).astype(np.int64), BINS - 1)
    from_top = np.cumsum(np.bincount(bins, minlength=BINS)[::-1])
    edge = BINS - 1 - int(np.searchsorted(from_top, wanted))  # the bin holding the wanted-th best
    if edge < 0:  # fewer matches than wanted
        return numbers[np.lexsort((numbers, -scores))]
    above = bins > edge
    first = numbers[above][np.lexsort((numbers[above], -scores[above]))]
    at_edge = bins == edge
    return np.concatenate((first, _best(numbers[at_edge], scores[at_edge], wanted - len(first))))


Postings = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Bm25:
    """What BM25 needs of every clause, read from the store once: the length part of the score's
    denominator, ``K1 * (1 - B + B * length / avg_length)``, at index ``n - 1``."""

    norms: np.ndarray

    @classmethod
    def load(cls, db: sqlite3.Connection) -> Bm25 | None:
        """The ranking of a store with bigram postings (None without: relevance then comes from FTS5)."""
        lengths = search_index.clause_lengths(db)
        if lengths is None or len(lengths) == 0:
            return None
        average = float(lengths.mean()) or 1.0
        return cls(K1 * (1 - B + B * lengths.astype(np.float64) / average))

    def scores(
        self, db: sqlite3.Connection, bigrams: Iterable[str], numbers: np.ndarray, known: Mapping[str, Postings]
    ) -> np.ndarray:
        """The BM25 score of each clause number in ``numbers`` for the query bigrams (postings already read
        may be given in ``known``)."""
        total = np.zeros(len(numbers), np.float64)
        if len(numbers) == 0:
            return total
        norm = self.norms[numbers - 1]
        clauses = len(self.norms)
        for gram in bigrams:
            said, tf = known[gram] if gram in known else search_index.postings(db, gram)
            if len(said) == 0:
                continue
            counts = _counts_at(said, tf, numbers)
            idf = np.log1p((clauses - len(said) + 0.5) / (len(said) + 0.5))
            denominator = counts + norm
            counts *= idf * (K1 + 1)
            counts /= denominator
            total += counts
        return total

    def page(
        self,
        db: sqlite3.Connection,
        terms: Iterable[str],
        numbers: np.ndarray,
        limit: int,
        offset: int,
        known: Mapping[str, Postings] | None = None,
    ) -> list[int]:
        """Clause numbers ``offset .. offset + limit`` of ``numbers`` (the matches) ranked by BM25."""
        return top(numbers, self.scores(db, query_bigrams(terms), numbers, known or {}), limit, offset)


def _counts_at(said: np.ndarray, tf: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """How often each clause of ``numbers`` says the bigram whose postings are ``said``/``tf`` (0 if not)."""
    if said is numbers or (len(said) == len(numbers) and np.array_equal(said, numbers)):
        return tf.astype(np.float64)
    at = np.minimum(np.searchsorted(said, numbers), len(said) - 1)
    return np.where(said[at] == numbers, tf[at], 0).astype(np.float64)
