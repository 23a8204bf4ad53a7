"""Align the articles (or 款) of two versions of a law and name each change. Pure functions.

Input: two lists of :class:`Unit` (ID, legal citation such as 第十七条 or 第十七条第二款, text) in
reading order. Output: one :class:`Match` per unit of the older version (its counterpart in the newer
one, or none) and one per unit of the newer version that no older unit maps to (``added``).

Matching uses text similarity and order, never the number alone (a revision that inserts an article
renumbers every later one):

1. similarity of two units is the Dice coefficient of their multisets of character bigrams (whitespace
   and punctuation dropped), 0–1;
2. an order-preserving alignment maximises the sum of ``similarity - ORDERED_MIN`` over the pairs it
   keeps (a longest-common-subsequence style dynamic programme), so a run of articles that moved
   together by one number is matched as a run;
3. units left over on both sides are paired when their similarity reaches ``MOVED_MIN`` (an article
   moved out of order), most similar first;
4. an older unit still left over whose bigrams are mostly found in one newer unit (``MERGED_MIN`` of
   its bigrams) is mapped to it: two articles merged into one, or a 款 moved into a longer article.

Change kinds: ``unchanged`` (same citation, same text), ``renumbered`` (same text, new citation),
``amended`` (same citation, new text), ``renumbered-and-amended``, ``repealed`` (no counterpart),
``added`` (a newer unit without an older one). Texts are compared with whitespace removed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

ORDERED_MIN = 0.35
MOVED_MIN = 0.5
MERGED_MIN = 0.7

CHANGE_KINDS = {
    "unchanged": "the same citation and the same text",
    "renumbered": "the same text under another citation",
    "amended": "the same citation, a different text",
    "renumbered-and-amended": "another citation and a different text",
    "repealed": "no counterpart in the newer version",
    "added": "a unit of the newer version without a counterpart in the older one",
}

_DROP = re.compile(r"[\s\u3000，。；：、！？“”‘’（）《》〔〕【】,.;:!?()\"'\[\]—-]+")


@dataclass(frozen=True)
class Unit:
    """One article or 款 of a version: clause ID, legal citation, text (items included)."""

    id: str
    number: str
    text: str


@dataclass(frozen=True)
class Match:
    old: Unit | None
    new: Unit | None
    kind: str
    similarity: float


def _bigrams(text: str) -> Counter[str]:
    s = _DROP.sub("", text)
    return Counter(s[i : i + 2] for i in range(len(s) - 1)) if len(s) > 1 else Counter(s)


def dice(a: Counter[str], b: Counter[str]) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def similarity(a: str, b: str) -> float:
    """Dice coefficient of two texts' character bigrams, 4 decimals."""
    return round(dice(_bigrams(a), _bigrams(b)), 4)


def _containment(a: Counter[str], b: Counter[str]) -> float:
    """Share of a's bigrams found in b."""
    size = sum(a.values())
    return sum((a & b).values()) / size if size else 0.0


def _same_text(a: Unit, b: Unit) -> bool:
    return re.sub(r"\s+", "", a.text) == re.sub(r"\s+", "", b.text)


def change_kind(old: Unit | None, new: Unit | None) -> str:
    if old is None:
        return "added"
    if new is None:
        return "repealed"
    same_number = old.number == new.number
    if _same_text(old, new):
        return "unchanged" if same_number else "renumbered"
    return "amended" if same_number else "renumbered-and-amended"


def _ordered_pairs(sim: list[list[float]]) -> list[tuple[int, int]]:
    """The order-preserving pairs with the largest sum of (similarity - ORDERED_MIN)."""
    n = len(sim)
    m = len(sim[0]) if n else 0
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            gain = sim[i][j] - ORDERED_MIN
            take = best[i + 1][j + 1] + gain if gain > 0 else float("-inf")
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        gain = sim[i][j] - ORDERED_MIN
        if gain > 0 and best[i][j] == best[i + 1][j + 1] + gain:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _pair_leftovers(sim: list[list[float]], counterpart: dict[int, int]) -> None:
    """Pair units left on both sides (moved out of order), most similar first."""
    taken = set(counterpart.values())
    candidates = sorted(
        (
            (sim[i][j], i, j)
            for i in range(len(sim))
            if i not in counterpart
            for j in range(len(sim[i]))
            if j not in taken and sim[i][j] >= MOVED_MIN
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    for _, i, j in candidates:
        if i not in counterpart and j not in taken:
            counterpart[i] = j
            taken.add(j)


def _merge_leftovers(old_grams: list[Counter[str]], new_grams: list[Counter[str]], counterpart: dict[int, int]) -> None:
    """Map an older unit still alone to the newer unit that contains most of its bigrams."""
    for i, grams in enumerate(old_grams):
        if i in counterpart or not new_grams:
            continue
        shares = [_containment(grams, g) for g in new_grams]
        best = max(range(len(shares)), key=lambda j: (shares[j], -j))
        if shares[best] >= MERGED_MIN:
            counterpart[i] = best


def align(old: Sequence[Unit], new: Sequence[Unit]) -> list[Match]:
    """Every older unit with its counterpart and change kind, then the added newer units, in order."""
    old_grams = [_bigrams(u.text) for u in old]
    new_grams = [_bigrams(u.text) for u in new]
    sim = [[dice(a, b) for b in new_grams] for a in old_grams]
    counterpart = dict(_ordered_pairs(sim))
    _pair_leftovers(sim, counterpart)
    _merge_leftovers(old_grams, new_grams, counterpart)
    matches = []
    for i, unit in enumerate(old):
        j = counterpart.get(i)
        other = None if j is None else new[j]
        matches.append(Match(unit, other, change_kind(unit, other), round(sim[i][j], 4) if j is not None else 0.0))
    matched_new = set(counterpart.values())
    for j, unit in enumerate(new):
        if j not in matched_new:
            matches.append(Match(None, unit, "added", 0.0))
    return matches


def change_counts(matches: Sequence[Match]) -> dict[str, int]:
    counts = Counter(m.kind for m in matches)
    return {kind: counts[kind] for kind in CHANGE_KINDS}
