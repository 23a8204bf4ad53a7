"""Evaluate text reuse against the hand-read pairs: ``python -m scripts.evaluate_reuse [--splits N]``.

Labels: ``tests/fixtures/similar_pairs_judged.csv`` (pairs of the whole corpus, judged reuse yes/no) and
``tests/fixtures/similar_pairs_checked.csv`` (plan pairs; the rows with same_content=yes and an old
score of at least 0.07 are the 40 confirmed pairs that recall is measured on). Printed:

1. **The rule in force** (``scripts.similarity.keep_pair``): recall on the confirmed pairs, the
   confirmed pairs it misses, and precision on the judged pairs it keeps. The thresholds were chosen
   on these judgements, so that precision is in sample.
2. **Held out**: the thresholds chosen again, on a random half of the judged pairs only (the most
   plan recall whose precision on that half is at least ``TARGET_PRECISION``), and that choice's
   precision on the other half; over ``--splits`` random halvings.
3. **The frontier**: for each two of the signals below, the rule in force widened by ``f1 >= a and
   f2 >= b``, every threshold (a, b) at the 2.5 % quantiles of the confirmed pairs' values; of the
   rules that reach ``TARGET_RECALL``, the best precision on the labelled pairs they keep (judged and
   checked pairs alike; in sample, so an upper bound for that rule family). Signals, for each pair of
   clauses of different works sharing at least ``FLOOR`` of rare 4-gram weight: ``shared`` (IDF-weighted
   4-gram overlap), ``score`` (weighted Jaccard), ``containment`` (shared weight over the smaller
   clause's weight), ``run`` (characters of the longest common run of normalised text) and ``bigram``
   (cosine of the clauses' character-bigram vectors, weighted by rarity across clauses).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from scripts import similarity, vocab
from scripts.works import work_id

CLAUSES = vocab.ROOT / "datapackage" / "data" / "clauses.csv"
JUDGED = vocab.ROOT / "tests" / "fixtures" / "similar_pairs_judged.csv"
CHECKED = vocab.ROOT / "tests" / "fixtures" / "similar_pairs_checked.csv"
TARGET_RECALL = 36  # of the 40 confirmed plan pairs (0.9)
TARGET_PRECISION = 0.85
FLOOR = 8.0
SIGNALS = ("shared", "score", "containment", "run", "bigram")
Pair = frozenset[str]


@dataclass(frozen=True)
class Candidates:
    """Every clause pair of different works with at least FLOOR shared weight, its signals and labels."""

    keys: list[Pair]
    signals: dict[str, np.ndarray]
    kept: np.ndarray  # kept by the rule in force
    confirmed: np.ndarray  # a confirmed plan pair (recall)
    labels: dict[Pair, bool]  # every hand-read pair: reuse (same content) or not


def read_rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 24)
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def pair_signals(texts: list[str], works: list[str]) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """(i, j, signals) of every pair of different works with at least FLOOR shared weight."""
    shingled = similarity.shingle_matrix(texts, works)
    work_index = np.unique(np.array(works, dtype=object), return_inverse=True)[1]
    parts = [(i, j, w) for i, j, w in similarity.shared_weights(shingled, max_posting=len(texts))]
    i = np.concatenate([p[0] for p in parts])
    j = np.concatenate([p[1] for p in parts])
    shared = np.concatenate([p[2] for p in parts])
    keep = (work_index[i] != work_index[j]) & (shared >= FLOOR)
    i, j, shared = i[keep], j[keep], shared[keep]
    totals = shingled.totals
    runs = [
        max((end - start for start, end in similarity.common_passages(texts[a], texts[b], 4)), default=0)
        for a, b in zip(i.tolist(), j.tolist(), strict=True)
    ]
    return (
        i,
        j,
        {
            "shared": shared,
            "score": shared / (totals[i] + totals[j] - shared),
            "containment": shared / np.minimum(totals[i], totals[j]),
            "run": np.array(runs, dtype=float),
            "bigram": bigram_cosine(texts, i, j),
        },
    )


def bigram_cosine(texts: list[str], i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Cosine of character-bigram vectors weighted ``ln(clauses / df)`` (df counted in clauses)."""
    rows, codes = similarity.clause_codes(texts, 2)
    _, cols = np.unique(codes, return_inverse=True)
    ones = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), int(cols.max()) + 1))
    ones.data[:] = 1.0
    idf = np.log(len(texts) / np.maximum(np.asarray((ones > 0).sum(axis=0)).ravel(), 1))
    vectors = ones.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    dots = np.asarray(vectors[i].multiply(vectors[j]).sum(axis=1)).ravel()
    return dots / np.maximum(norms[i] * norms[j], 1e-12)


def candidates() -> Candidates:
    """The candidate pairs of the committed clauses with their signals and labels."""
    usable = sorted((c for c in read_rows(CLAUSES) if similarity.eligible(c)), key=lambda c: c["id"])
    ids = [c["id"] for c in usable]
    texts = [similarity.normalise(similarity.comparison_text(c))[0] for c in usable]
    i, j, signals = pair_signals(texts, [work_id(c["document_id"]) for c in usable])
    keys = [frozenset((ids[a], ids[b])) for a, b in zip(i.tolist(), j.tolist(), strict=True)]
    checked = {frozenset((r["clause_id"], r["similar_id"])): r for r in read_rows(CHECKED)}
    confirmed = {k for k, r in checked.items() if r["same_content"] == "yes" and float(r["score"]) >= 0.07}
    labels = {k: r["same_content"] == "yes" for k, r in checked.items()}
    labels.update({frozenset((r["clause_id"], r["similar_id"])): r["reuse"] == "yes" for r in read_rows(JUDGED)})
    kept = [
        similarity.keep_pair(s, w) for s, w in zip(signals["score"].tolist(), signals["shared"].tolist(), strict=True)
    ]
    return Candidates(
        keys=keys,
        signals=signals,
        kept=np.array(kept, dtype=bool),
        confirmed=np.array([k in confirmed for k in keys], dtype=bool),
        labels=labels,
    )


def rule_in_force(found: Candidates) -> Iterator[str]:
    recall = int((found.kept & found.confirmed).sum())
    yield f"rule in force: plan recall {recall}/{int(found.confirmed.sum())}"
    for key, kept, confirmed in zip(found.keys, found.kept, found.confirmed, strict=True):
        if confirmed and not kept:
            yield f"  missed: {' ~ '.join(sorted(key))}"
    good, read = precision(found, found.kept, set(found.labels))
    unread = int(found.kept.sum()) - read
    yield f"  precision on the hand-read pairs it keeps: {good}/{read} = {good / read:.3f} (in sample), unread {unread}"


def rule_grid() -> list[tuple[float, float, float]]:
    """(threshold, min shared, long shared) settings of the rule in force's form that are tried."""
    thresholds = np.round(np.arange(0.10, 0.401, 0.01), 2).tolist()
    return list(itertools.product(thresholds, range(15, 41), range(30, 81, 5)))


def keeps(found: Candidates, threshold: float, min_shared: float, long_shared: float) -> np.ndarray:
    shared, score = found.signals["shared"], found.signals["score"]
    return (shared >= min_shared) & ((score >= threshold) | (shared >= long_shared))


def precision(found: Candidates, kept: np.ndarray, sample: set[Pair]) -> tuple[int, int]:
    """(reuse, read) among the kept pairs of the hand-read pairs ``sample``."""
    labels = [found.labels[k] for k, keep in zip(found.keys, kept, strict=True) if keep and k in sample]
    return sum(labels), len(labels)


def choose(found: Candidates, kept_by: list[np.ndarray], train: set[Pair]) -> int:
    """Index of the setting with the most plan recall whose precision on ``train`` is at least the target
    (ties: the higher precision, then more pairs read); -1 when none is."""
    best, best_index = (-1, 0.0, 0), -1
    for index, kept in enumerate(kept_by):
        good, judged = precision(found, kept, train)
        if judged < 20 or good / judged < TARGET_PRECISION:
            continue
        rank = (int((kept & found.confirmed).sum()), good / judged, judged)
        if rank > best:
            best, best_index = rank, index
    return best_index


def held_out(found: Candidates, splits: int, seed: int = 15) -> Iterator[str]:
    grid = rule_grid()
    kept_by = [keeps(found, *setting) for setting in grid]
    present = sorted((k for k in found.labels if k in set(found.keys)), key=sorted)
    figures: list[float] = []
    rng = random.Random(seed)
    for split in range(splits):
        order = list(present)
        rng.shuffle(order)
        for train, test in ((order[::2], order[1::2]), (order[1::2], order[::2])):
            index = choose(found, kept_by, set(train))
            if index < 0:
                yield f"  no setting reaches precision {TARGET_PRECISION} on one half (at least 20 pairs kept and read)"
                continue
            good, judged = precision(found, kept_by[index], set(test))
            recall = int((kept_by[index] & found.confirmed).sum())
            figures.append(good / judged)
            if split == 0:
                yield f"  chosen on one half {grid[index]}: recall {recall}/40, other half {good}/{judged}"
    if figures:
        yield (
            f"held out ({splits} random halvings, both ways): precision on the other half mean"
            f" {np.mean(figures):.3f}, range {min(figures):.3f}-{max(figures):.3f}"
        )


def frontier(found: Candidates) -> Iterator[str]:
    positive = np.array([found.labels.get(k) is True for k in found.keys])
    negative = np.array([found.labels.get(k) is False for k in found.keys])
    yield f"frontier: rule in force widened by f1 >= a and f2 >= b, reaching {TARGET_RECALL}/40 (in sample)"
    for first, second in itertools.combinations(SIGNALS, 2):
        a, b = found.signals[first], found.signals[second]
        quantiles = np.linspace(0, 1, 41)
        best: tuple[float, int, int, int] | None = None
        for x, y in itertools.product(
            np.unique(np.quantile(a[found.confirmed], quantiles)), np.unique(np.quantile(b[found.confirmed], quantiles))
        ):
            kept = found.kept | ((a >= x) & (b >= y))
            if (kept & found.confirmed).sum() < TARGET_RECALL:
                continue
            good, bad = int((kept & positive).sum()), int((kept & negative).sum())
            if best is None or good / (good + bad) > best[0]:
                best = (good / (good + bad), good, bad, int(kept.sum()))
        if best is not None:
            yield f"  {first} x {second}: best precision {best[0]:.3f} ({best[1]} reuse, {best[2]} not, {best[3]} kept)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--splits", type=int, default=10, help="random halvings of the judged pairs (default 10)")
    args = parser.parse_args(argv)
    if args.splits < 1:
        parser.error(f"--splits must be at least 1, got {args.splits}")
    found = candidates()
    for line in itertools.chain(rule_in_force(found), held_out(found, args.splits), frontier(found)):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
