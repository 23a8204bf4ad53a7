"""Text reuse across documents: clause pairs from different documents that share wording. Pure functions.

A clause's comparison text is its heading followed by its text (the heading is not repeated when
the text already starts with it). Only clauses that carry prose are compared (preambles, articles,
items, bullets, paragraphs and boxes) and only when their text has at least ``MIN_CHARS`` characters.

Method. Texts are normalised (whitespace dropped, full-width ASCII letters, digits and punctuation
folded to half-width) and cut into overlapping character ``SHINGLE``-grams. The exact Jaccard
similarity of every pair of clauses that share a shingle comes from one sparse matrix product of the
clause-by-shingle incidence matrix with its transpose (intersection sizes), computed ``BLOCK`` rows
at a time so memory stays bounded; pairs from two different documents that reach the threshold are
kept. No pair is estimated and none is missed.

Threshold. ``THRESHOLD`` (0.07) was chosen by reading 92 candidate pairs with scores from 0.04 to
0.31; the judgements are in ``tests/fixtures/similar_pairs_checked.csv``. At 0.07 and above, 40 of
the 46 judged pairs (87%) are the same provision, reworded or abridged, or reuse whole sentences;
between 0.06 and 0.07 only half are, and below 0.06 fewer than a third: those pairs share only the
stock vocabulary of the field (金融科技, 增强金融服务实体经济能力, 人工智能、大数据、云计算).
Jaccard penalises a short clause lifted from a long one, so some true pairs score below the
threshold; the threshold favours precision.

Output rows (``similar_pairs``), in this column order, one row per direction of each pair
(a→b and b→a), sorted by clause_id, then score descending, then similar_id:

- ``clause_id``: ID of the clause the row is about.
- ``similar_id``: ID of a clause in another document whose wording overlaps with it.
- ``document_id``: document of ``clause_id``.
- ``similar_document_id``: document of ``similar_id``; never equal to ``document_id``.
- ``score``: Jaccard similarity of the two clauses' sets of character 4-grams (heading and text,
  normalised), 0–1, rounded to 4 decimals.
- ``shared``: the passages the two clauses have in common, as they appear in ``clause_id``'s heading
  and text: maximal common substrings (compared after normalisation) of at least 8 characters,
  longest first, at most 5, separated by ``|``; empty when no common run is that long.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from scipy import sparse

from schemas import registry

Row = dict[str, Any]

COLUMNS = tuple(registry.field_names("clause_similar"))
KINDS = frozenset({"preamble", "article", "item", "bullet", "paragraph", "box"})
MIN_CHARS = 20
SHINGLE = 4
THRESHOLD = 0.07
#: Rows of the incidence matrix multiplied at a time.
BLOCK = 1024
MIN_SHARED = 8
MAX_SHARED = 5
SEPARATOR = "|"


def comparison_text(clause: Row) -> str:
    """Heading and text of a clause, the heading only once."""
    heading, text = clause.get("heading") or "", clause.get("text") or ""
    if heading and not text.startswith(heading):
        return f"{heading}。{text}" if text else heading
    return text


def normalise(text: str) -> tuple[str, list[int]]:
    """Text without whitespace and with full-width ASCII folded, and the source index of each kept character."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        folded = unicodedata.normalize("NFKC", ch)
        chars.append(folded if len(folded) == 1 else ch)
        index.append(i)
    return "".join(chars), index


def shingles(text: str, n: int = SHINGLE) -> set[str]:
    """Overlapping character n-grams of an already normalised text (the whole text if shorter than n)."""
    if len(text) <= n:
        return {text} if text else set()
    return {text[i:i + n] for i in range(len(text) - n + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def common_passages(a: str, b: str, min_len: int = MIN_SHARED) -> list[tuple[int, int]]:
    """Maximal common substrings of a and b with at least min_len characters, as (start, end) spans of a.

    Each string is reported once (at its first occurrence in a); a string contained in a longer
    reported one is dropped. Sorted longest first, then by position in a.
    """
    if len(a) < min_len or len(b) < min_len:
        return []
    seeds: dict[str, list[int]] = defaultdict(list)
    for j in range(len(b) - min_len + 1):
        seeds[b[j:j + min_len]].append(j)
    found: dict[str, int] = {}
    for i in range(len(a) - min_len + 1):
        for j in seeds.get(a[i:i + min_len], ()):
            if i and j and a[i - 1] == b[j - 1]:
                continue  # not left-maximal: part of a run that starts earlier
            length = min_len
            while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
                length += 1
            found.setdefault(a[i:i + length], i)
    ordered = sorted(found.items(), key=lambda item: (-len(item[0]), item[1]))
    kept: list[tuple[str, int]] = []
    for passage, start in ordered:
        if any(passage in longer for longer, _ in kept):
            continue
        kept.append((passage, start))
    return [(start, start + len(passage)) for passage, start in kept]


def shared_text(source: str, norm_a: str, index_a: list[int], norm_b: str, limit: int = MAX_SHARED) -> str:
    """The shared passages of a and b, cut from a's original text, ``|``-separated, longest first."""
    parts: list[str] = []
    for start, end in common_passages(norm_a, norm_b):
        passage = source[index_a[start]:index_a[end - 1] + 1]
        if passage not in parts:
            parts.append(passage.replace(SEPARATOR, " "))
        if len(parts) == limit:
            break
    return SEPARATOR.join(parts)


def eligible(clause: Row) -> bool:
    return clause.get("kind") in KINDS and len(clause.get("text") or "") >= MIN_CHARS


def scored_pairs(sets: Sequence[set[str]], threshold: float, block: int = BLOCK) -> list[tuple[int, int, float]]:
    """(i, j, Jaccard) for every index pair i < j whose shingle sets reach ``threshold``, exactly."""
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for i, shingle_set in enumerate(sets):
        for shingle in sorted(shingle_set):
            rows.append(i)
            cols.append(vocabulary.setdefault(shingle, len(vocabulary)))
    incidence = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)),
                                  shape=(len(sets), max(1, len(vocabulary))))
    sizes = np.asarray(incidence.sum(axis=1)).ravel()
    transposed = incidence.T.tocsc()
    found: list[tuple[int, int, float]] = []
    for start in range(0, len(sets), block):
        product = (incidence[start:start + block] @ transposed).tocoo()
        i, j, shared = product.row + start, product.col, product.data
        keep = i < j
        i, j, shared = i[keep], j[keep], shared[keep]
        score = shared / (sizes[i] + sizes[j] - shared)
        keep = np.round(score, 4) >= threshold
        found.extend(zip(i[keep].tolist(), j[keep].tolist(), score[keep].tolist(), strict=True))
    return found


def similar_pairs(
    clauses: Iterable[Row],
    threshold: float = THRESHOLD,
    *,
    n: int = SHINGLE,
) -> list[Row]:
    """Rows (see module docstring) for every pair of clauses from different documents scoring >= threshold."""
    usable = [c for c in clauses if eligible(c)]
    keys = [str(c["id"]) for c in usable]
    if len(set(keys)) != len(keys):
        raise ValueError("similar_pairs: clause IDs must be unique")
    sources = [comparison_text(c) for c in usable]
    normalised = [normalise(s) for s in sources]
    sets = [shingles(norm, n) for norm, _ in normalised]
    rows: list[Row] = []
    if len(usable) < 2:
        return rows
    for i, j, exact in scored_pairs(sets, threshold):
        if usable[i]["document_id"] == usable[j]["document_id"]:
            continue
        score = round(exact, 4)
        for x, y in ((i, j), (j, i)):
            rows.append({
                "clause_id": keys[x],
                "similar_id": keys[y],
                "document_id": usable[x]["document_id"],
                "similar_document_id": usable[y]["document_id"],
                "score": score,
                "shared": shared_text(sources[x], *normalised[x], normalised[y][0]),
            })
    rows.sort(key=lambda r: (r["clause_id"], -r["score"], r["similar_id"]))
    return rows


def derive(documents: Sequence[Row], clauses: Iterable[Row]) -> list[Row]:
    """The ``clause_similar`` table (the extractor the registry names)."""
    return similar_pairs(clauses)
