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
from collections.abc import Callable, Iterable, Mapping
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


def _idf(said: int, clauses: int) -> np.float64:
    """The idf of a bigram said by ``said`` of ``clauses`` clauses."""
    return np.log1p((clauses - said + 0.5) / (said + 0.5))


def _term_scores(counts: np.ndarray, norm: np.ndarray, idf: np.float64) -> np.ndarray:
    """One bigram's part of the score from its counts (``float64``, overwritten and returned) and the length
    norms: the only place the formula is computed, so the single-word classes score exactly as clauses do."""
    denominator = counts + norm
    counts *= idf * (K1 + 1)
    counts /= denominator
    return counts


@dataclass(frozen=True)
class Bm25:
    """What BM25 needs of every clause, read from the store once: the length part of the score's
    denominator, ``K1 * (1 - B + B * length / avg_length)``, at index ``n - 1``; and the same as classes:
    the distinct norms (ascending) and, at index ``n`` (0 unused), the position of each clause's among them."""

    norms: np.ndarray
    distinct_norms: np.ndarray
    norm_codes: np.ndarray

    @classmethod
    def load(cls, db: sqlite3.Connection) -> Bm25 | None:
        """The ranking of a store with bigram postings (None for one without clauses)."""
        lengths = search_index.clause_lengths(db)
        if lengths is None or len(lengths) == 0:
            return None
        return cls.of_lengths(lengths)

    @classmethod
    def of_lengths(cls, lengths: np.ndarray) -> Bm25:
        """The ranking of clauses saying ``lengths`` bigrams (clause ``n`` at index ``n - 1``)."""
        average = float(lengths.mean()) or 1.0
        distinct, codes = np.unique(lengths, return_inverse=True)
        dtype = np.uint8 if len(distinct) <= 1 << 8 else np.uint16 if len(distinct) <= 1 << 16 else np.int32
        return cls(
            norms=K1 * (1 - B + B * lengths.astype(np.float64) / average),
            distinct_norms=K1 * (1 - B + B * distinct.astype(np.float64) / average),
            norm_codes=np.concatenate(([0], codes.reshape(-1))).astype(dtype),
        )

    def scores(
        self, db: sqlite3.Connection, bigrams: Iterable[str], numbers: np.ndarray, known: Mapping[str, Postings]
    ) -> np.ndarray:
        """The BM25 score of each clause number in ``numbers`` for the query bigrams (postings already read
        may be given in ``known``)."""
        total = np.zeros(len(numbers), np.float64)
        if len(numbers) == 0:
            return total
        norm = self.norms[numbers - 1]
        for gram in bigrams:
            said, tf = known[gram] if gram in known else search_index.postings(db, gram)
            if len(said) == 0:
                continue
            total += _term_scores(_counts_at(said, tf, numbers), norm, _idf(len(said), len(self.norms)))
        return total

    def page(
        self,
        db: sqlite3.Connection,
        terms: Iterable[str],
        numbers: np.ndarray,
        limit: int,
        offset: int,
    ) -> list[int]:
        """Clause numbers ``offset .. offset + limit`` of ``numbers`` (the matches) ranked by BM25."""
        return top(numbers, self.scores(db, query_bigrams(terms), numbers, {}), limit, offset)

    def word_page(self, said: np.ndarray, tf: np.ndarray, limit: int, offset: int) -> list[int]:
        """The same page as :meth:`page` when the query is one bigram and its matches are its postings
        (``said`` ascending, ``tf``), without a score per clause.

        A clause's score then depends on its count and its length norm alone: the matches fall in a few
        classes (count, norm), each scored once (:func:`_best_of_classes`). Many matches are first narrowed
        to those that can be on the page (:func:`_near_the_top`). Fewer than ``CLASSES_FROM`` matches, or
        fewer matches than classes, are scored one by one instead (the same scores :meth:`scores` gives,
        cheaper then than the classes' fixed costs).
        """
        wanted = offset + limit
        if wanted <= 0 or len(said) == 0:
            return []
        idf = _idf(len(said), len(self.norms))
        width = len(self.distinct_norms)
        classes = (int(tf.max()) + 1) * width
        if len(said) < CLASSES_FROM or classes > len(said):
            return top(said, _term_scores(tf.astype(np.float64), self.norms[said - 1], idf), limit, offset)
        keys = tf.astype(np.int32)  # the class of each match: count * width + norm code
        keys *= width
        keys += self.norm_codes.take(said)  # take: faster than indexing for a small table

        def score(classes: np.ndarray) -> np.ndarray:
            count, code = np.divmod(classes, width)
            return _term_scores(count.astype(np.float64), self.distinct_norms[code], idf)

        near = _near_the_top(keys, classes, wanted, score)
        if near is None:
            best = _best_of_classes(keys, wanted, score)
        else:
            best = near[_best_of_classes(keys.take(near), wanted, score)]
        return [int(n) for n in said[best[offset:wanted]]]


#: From how many matches a one-word page is ranked by classes (timed at 1M clauses: the two cross near 15k).
CLASSES_FROM = 16_384
#: How many matches, evenly spaced, estimate the score the page's last match has at least.
SAMPLE = 4096


def _near_the_top(
    keys: np.ndarray, classes: int, wanted: int, score: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray | None:
    """The positions of the matches (of classes ``keys``, below ``classes``) scoring at least as high as the
    ``wanted``-th best of an evenly spaced sample of them: at least ``wanted`` matches (the sample's own), so
    the best ``wanted`` are among them. None when narrowing would not save counting every class (too few
    matches to sample, a page deeper than a fraction of the sample, or more classes than matches to score)."""
    step = len(keys) // SAMPLE
    if step < 2 or wanted * 8 > SAMPLE or classes * 4 > len(keys):
        return None
    table = score(np.arange(classes))
    sample = table.take(keys[::step])
    threshold = np.partition(sample, len(sample) - wanted)[len(sample) - wanted]
    return np.flatnonzero((table >= threshold).take(keys))


def _best_of_classes(keys: np.ndarray, wanted: int, score: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """The positions of the ``wanted`` best matches of classes ``keys`` (scored by ``score``), best first, equal
    scores by position.

    The classes present are scored once and grouped by equal score, and the counts of the groups say which
    group holds the ``wanted``-th best. Only the matches of the groups up to that one are then looked at (in
    position order, which breaks ties within a group).
    """
    per_class = np.bincount(keys)
    classes = np.flatnonzero(per_class)
    distinct, group = np.unique(-score(classes), return_inverse=True)  # group 0: the best score
    group = group.reshape(-1)
    ahead = np.cumsum(np.bincount(group, weights=per_class[classes]))
    edge = min(int(np.searchsorted(ahead, wanted)), len(distinct) - 1)  # the group of the wanted-th best
    rank = np.full(len(per_class), len(distinct), np.int32)
    rank[classes] = group
    chosen = np.flatnonzero((rank <= edge).take(keys))
    ranks = rank.take(keys.take(chosen))
    at_edge = ranks == edge
    room = wanted - (int(ahead[edge - 1]) if edge > 0 else 0)
    keep = ~at_edge | (np.cumsum(at_edge) <= room)
    chosen, ranks = chosen[keep], ranks[keep]
    return chosen[np.argsort(ranks, kind="stable")]


def _counts_at(said: np.ndarray, tf: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """How often each clause of ``numbers`` says the bigram whose postings are ``said``/``tf`` (0 if not)."""
    if said is numbers or (len(said) == len(numbers) and np.array_equal(said, numbers)):
        return tf.astype(np.float64)
    at = np.minimum(np.searchsorted(said, numbers), len(said) - 1)
    return np.where(said[at] == numbers, tf[at], 0).astype(np.float64)
