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
from collections.abc import Iterable
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


def top(numbers: np.ndarray, scores: np.ndarray, limit: int, offset: int) -> list[int]:
    """``numbers[offset : offset + limit]`` by descending score, equal scores by ascending number."""
    wanted = offset + limit
    if wanted <= 0 or len(numbers) == 0:
        return []
    negated = -scores
    if wanted < len(numbers):
        # Only clauses scoring at least the wanted-th best can be on the page (ties at the edge included).
        edge = np.partition(negated, wanted - 1)[wanted - 1]
        keep = negated <= edge
        numbers, negated = numbers[keep], negated[keep]
    order = np.lexsort((numbers, negated))
    return [int(n) for n in numbers[order[offset:wanted]]]


@dataclass(frozen=True)
class Bm25:
    """The clause lengths BM25 needs (index ``n - 1``), read from the store once."""

    lengths: np.ndarray
    average: float

    @classmethod
    def load(cls, db: sqlite3.Connection) -> Bm25 | None:
        """The ranking of a store with bigram postings (None without: relevance then comes from FTS5)."""
        lengths = search_index.clause_lengths(db)
        if lengths is None or len(lengths) == 0:
            return None
        return cls(lengths.astype(np.float64), float(lengths.mean()) or 1.0)

    def scores(self, db: sqlite3.Connection, bigrams: Iterable[str], numbers: np.ndarray) -> np.ndarray:
        """The BM25 score of each clause number in ``numbers`` for the query bigrams."""
        total = np.zeros(len(numbers), np.float64)
        if len(numbers) == 0:
            return total
        norm = K1 * (1 - B + B * self.lengths[numbers - 1] / self.average)
        clauses = len(self.lengths)
        for gram in bigrams:
            said, tf = search_index.postings(db, gram)
            if len(said) == 0:
                continue
            counts = _counts_at(said, tf, numbers)
            idf = np.log1p((clauses - len(said) + 0.5) / (len(said) + 0.5))
            total += idf * counts * (K1 + 1) / (counts + norm)
        return total

    def page(
        self, db: sqlite3.Connection, terms: Iterable[str], numbers: np.ndarray, limit: int, offset: int
    ) -> list[int]:
        """Clause numbers ``offset .. offset + limit`` of ``numbers`` (the matches) ranked by BM25."""
        return top(numbers, self.scores(db, query_bigrams(terms), numbers), limit, offset)


def _counts_at(said: np.ndarray, tf: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """How often each clause of ``numbers`` says the bigram whose postings are ``said``/``tf`` (0 if not)."""
    if len(said) == len(numbers) and np.array_equal(said, numbers):
        return tf.astype(np.float64)
    at = np.minimum(np.searchsorted(said, numbers), len(said) - 1)
    return np.where(said[at] == numbers, tf[at], 0).astype(np.float64)
