"""Evaluate text reuse against the hand-read pairs: ``python -m scripts.evaluate_reuse [--splits N]``.

Labels: ``tests/fixtures/similar_pairs_judged.csv`` (pairs of the whole corpus, judged reuse yes/no) and
``tests/fixtures/similar_pairs_checked.csv`` (plan pairs; the rows with same_content=yes and an old
score of at least 0.07 are the 40 confirmed pairs that recall is measured on). Printed:

1. **The rule in force** (``scripts.similarity``: the main rule, ``keep_pairs``, for every pair, and the
   paraphrase rule, ``keep_policy_pairs``, for pairs of two policy documents): recall on the confirmed
   pairs, the confirmed pairs it misses, and precision on the hand-read pairs it keeps. The thresholds
   were chosen on these readings, so that precision is in sample.
2. **Held out**: the paraphrase rule's two thresholds chosen again on a random half of the read pairs
   (the most plan recall whose precision on that half is at least ``TARGET_PRECISION``; the main rule as
   in force), and that choice's precision and plan recall on the other half, over ``--splits`` random
   halvings both ways.
3. **The frontier**: for each two of the signals below, the main rule widened by ``f1 >= a and
   f2 >= b``, every threshold (a, b) at the 2.5 % quantiles of the confirmed pairs' values; of the
   rules that reach ``TARGET_RECALL``, the best precision on the labelled pairs they keep (judged and
   checked pairs alike; in sample, so an upper bound for that rule family); first for a widening of
   every pair, then for one of pairs of two policy documents only. Signals, for each pair of
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

from scripts import similarity, vocab
from scripts.works import work_id

CLAUSES = vocab.ROOT / "datapackage" / "data" / "clauses.csv"
JUDGED = vocab.ROOT / "tests" / "fixtures" / "similar_pairs_judged.csv"
CHECKED = vocab.ROOT / "tests" / "fixtures" / "similar_pairs_checked.csv"
DOCUMENTS = vocab.ROOT / "datapackage" / "data" / "documents.csv"
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
    policy: np.ndarray  # both clauses of policy documents (similarity.POLICY_RANKS)
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
            "bigram": similarity.bigram_cosine(similarity.bigram_vectors(texts), i, j),
        },
    )


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
    ranks = {d["id"]: d.get("legal_rank", "") for d in read_rows(DOCUMENTS)}
    of_policy = np.array([ranks.get(c["document_id"]) in similarity.POLICY_RANKS for c in usable], dtype=bool)
    policy = of_policy[i] & of_policy[j]
    paraphrase = (
        policy
        & (signals["containment"] >= similarity.POLICY_CONTAINMENT)
        & (signals["bigram"] >= similarity.POLICY_BIGRAM)
    )
    kept = similarity.keep_pairs(signals["score"], signals["shared"]) | paraphrase
    return Candidates(keys, signals, policy, kept, np.array([k in confirmed for k in keys]), labels)


def rule_in_force(found: Candidates) -> Iterator[str]:
    recall = int((found.kept & found.confirmed).sum())
    yield f"rule in force: plan recall {recall}/{int(found.confirmed.sum())}"
    for key, kept, confirmed in zip(found.keys, found.kept, found.confirmed, strict=True):
        if confirmed and not kept:
            yield f"  missed: {' ~ '.join(sorted(key))}"
    good, read = precision(found, found.kept, set(found.labels))
    unread = int(found.kept.sum()) - read
    yield f"  precision on the hand-read pairs it keeps: {good}/{read} = {good / read:.3f} (in sample), unread {unread}"


def keeps(found: Candidates, threshold: float, min_shared: float, long_shared: float) -> np.ndarray:
    """The main rule with the given thresholds (``scripts.similarity.keep_pairs``)."""
    return similarity.keep_pairs(found.signals["score"], found.signals["shared"], threshold, min_shared, long_shared)


def keeps_policy(found: Candidates, containment: float, bigram: float) -> np.ndarray:
    """The paraphrase rule for pairs of two policy documents (``scripts.similarity.keep_policy_pairs``)."""
    signals = found.signals
    return found.policy & (signals["containment"] >= containment) & (signals["bigram"] >= bigram)


def policy_grid(found: Candidates) -> list[tuple[float, float]]:
    """(containment, bigram) settings of the policy rule that are tried: quantiles of the confirmed pairs."""
    quantiles = np.linspace(0, 1, 41)
    c, b = found.signals["containment"][found.confirmed], found.signals["bigram"][found.confirmed]
    return [
        (round(float(x), 3), round(float(y), 3))
        for x, y in itertools.product(np.unique(np.quantile(c, quantiles)), np.unique(np.quantile(b, quantiles)))
    ]


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
    """The policy rule's thresholds chosen on half the read pairs, its recall and precision on the other half
    (the main thresholds as in force)."""
    grid = policy_grid(found)
    main = keeps(found, similarity.THRESHOLD, similarity.MIN_SHARED, similarity.LONG_SHARED)
    kept_by = [main | keeps_policy(found, *setting) for setting in grid]
    present = sorted((k for k in found.labels if k in set(found.keys)), key=sorted)
    figures: list[tuple[float, float]] = []
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
            held = [k for k in test if found.labels[k] and found.confirmed[found.keys.index(k)]]
            recalled = sum(bool(kept_by[index][found.keys.index(k)]) for k in held)
            figures.append((good / judged, recalled / max(len(held), 1)))
            if split == 0:
                yield (
                    f"  chosen on one half {grid[index]}: other half recall {recalled}/{len(held)}, "
                    f"precision {good}/{judged}"
                )
    if figures:
        p, r = np.array([f[0] for f in figures]), np.array([f[1] for f in figures])
        yield (
            f"held out ({splits} random halvings, both ways): on the other half precision mean {p.mean():.3f}"
            f" (range {p.min():.3f}-{p.max():.3f}), plan recall mean {r.mean():.3f} (range {r.min():.3f}-{r.max():.3f})"
        )


def frontier(found: Candidates) -> Iterator[str]:
    """For each two signals, the best precision of the main rule widened by ``f1 >= a and f2 >= b`` that reaches
    the recall target: for any pair, then for pairs of two policy documents only (in sample)."""
    positive = np.array([found.labels.get(k) is True for k in found.keys])
    negative = np.array([found.labels.get(k) is False for k in found.keys])
    main = keeps(found, similarity.THRESHOLD, similarity.MIN_SHARED, similarity.LONG_SHARED)
    for scope, where in (("any pair", np.ones(len(found.keys), dtype=bool)), ("policy pairs", found.policy)):
        yield f"frontier ({scope}): the main rule widened by f1 >= a and f2 >= b, reaching {TARGET_RECALL}/40"
        for first, second in itertools.combinations(SIGNALS, 2):
            best = _best_widening(found, main, where, first, second, positive, negative)
            if best is not None:
                precise, good, bad, kept = best
                yield f"  {first} x {second}: best precision {precise:.3f} ({good} reuse, {bad} not, {kept} kept)"


def _best_widening(
    found: Candidates,
    main: np.ndarray,
    where: np.ndarray,
    first: str,
    second: str,
    positive: np.ndarray,
    negative: np.ndarray,
) -> tuple[float, int, int, int] | None:
    a, b = found.signals[first], found.signals[second]
    quantiles = np.linspace(0, 1, 41)
    best: tuple[float, int, int, int] | None = None
    for x, y in itertools.product(
        np.unique(np.quantile(a[found.confirmed], quantiles)), np.unique(np.quantile(b[found.confirmed], quantiles))
    ):
        kept = main | (where & (a >= x) & (b >= y))
        if (kept & found.confirmed).sum() < TARGET_RECALL:
            continue
        good, bad = int((kept & positive).sum()), int((kept & negative).sum())
        if best is None or good / (good + bad) > best[0]:
            best = (good / (good + bad), good, bad, int(kept.sum()))
    return best


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
