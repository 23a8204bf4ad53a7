"""Text reuse across documents: clause pairs of different works that share rare wording. Pure functions.

A clause's comparison text is its heading followed by its text (the heading is not repeated when
the text already starts with it). Only clauses that carry prose are compared (preambles, articles,
paragraphs, items, bullets and boxes) and only when their text has at least ``MIN_CHARS`` characters.

Method. Texts are normalised (whitespace dropped, full-width ASCII letters, digits and punctuation
folded to half-width) and cut into overlapping character ``SHINGLE``-grams. Each 4-gram is weighted by
how rare it is across works (``scripts.works``: the versions of one law count once): weight
``ln(COMMON_SHARE · N / df)``, floored at 0, where N is the number of works and df the number of works
whose clauses contain the 4-gram. Phrasing found in half of the works or more (违反本条例规定, 法律、行政法规
…, 金融机构 …) weighs nothing; a 4-gram of one work weighs most. Two clauses are compared by

- their **shared weight**: the sum of the weights of the 4-grams they share (rare wording in common), and
- their **score**: the IDF-weighted Jaccard similarity, shared weight over the weight of the union.

A pair is kept when the shared weight is at least ``MIN_SHARED`` and either the score is at least
``THRESHOLD`` (a clause copied nearly whole, however short) or the shared weight is at least
``LONG_SHARED`` (a long passage of rare wording lifted into a longer clause). Pairs within one work
(the 2006 and 2024 Anti-Money Laundering Law, say) are never pairs: they belong to the version
alignment, not to reuse.

Paraphrase between policy documents. Plans and guidance (legal rank ``plan`` or ``normative-document``,
:data:`POLICY_RANKS`) take up each other's provisions in their own words: Qingdao's items on standards,
infrastructure or risk control restate Shanghai's or Chongqing's with only a run or two of wording in
common, and what they share is mostly the field's own vocabulary (金融科技, 金融机构, 支持…建设), so their
weighted Jaccard is 0.03-0.10. Laws share stock legal phrasing instead, at the same levels of overlap
(penalty formulas, catch-all items), and are not paraphrase of each other. So a pair of clauses of two
policy documents is also kept when the shared weight covers at least ``POLICY_CONTAINMENT`` of the
smaller clause's weight (containment) and the cosine of their character-bigram vectors, each bigram
weighted ``ln(N / df)`` over the compared clauses, is at least ``POLICY_BIGRAM``: the two say most of the
same things, not only a phrase. Its ``score`` is still the weighted Jaccard.

Thresholds. Chosen by reading: ``tests/fixtures/similar_pairs_judged.csv`` holds every pair of the
23 laws and regulations and the five plans with score >= 0.10 and shared weight >= 20 (168 pairs,
read clause by clause: same provision reused, or only stock legal phrasing in common), and
``tests/fixtures/similar_pairs_checked.csv`` the plan pairs read earlier (92, same content or not).
``python -m scripts.evaluate_reuse`` measures the rule against both. Kept: 110 pairs, every one of them
read, 98 reuse: precision 0.891, in sample (72/82 = 0.878 on the judged sample alone). Recall on the 40
plan pairs confirmed by reading: 38/40 (0.95; without the paraphrase rule 30/40). Held out: the
paraphrase rule's two thresholds chosen on a random half of the read pairs and measured on the other
half give precision 0.879 on average (range 0.84-0.93) and plan recall 0.998 (range 0.95-1.00), over ten
halvings both ways. No widening of the main rule by two signals for every pair reaches 36/40 above a
precision of 0.70: the paraphrase rule works because it is confined to policy documents. Boilerplate
that still scores (penalty formulas, catch-all items, investigation powers, purpose clauses) mostly
falls below the thresholds.

Candidates. Shared weights come from one sparse product of the clause × 4-gram matrix (4-grams of
weight 0 left out) with its transpose, computed in blocks of rows, so only pairs that share a
weighted 4-gram are ever touched. A 4-gram found in more than ``MAX_POSTING`` clauses does not make
candidates (it still counts in the shared weight of the pairs found through other 4-grams): this
bounds the cost at any corpus size; on this corpus it loses no pair (checked against no cap and a cap
of 50). On 100,000 synthetic clauses (``python -m bench.reuse``: every phrase recurs in hundreds of
documents, a worst case, and every document taken as a policy document so the paraphrase rule runs on
every candidate) 10.3 million of 3.9 billion pairs (0.26 %) are candidates, and the stage takes 37 s of
CPU and 1,086 MB peak memory (the bigram vectors included).

Output rows (``similar_pairs``), in this column order, one row per direction of each pair
(a→b and b→a), sorted by clause_id, then score descending, then similar_id:

- ``clause_id``: ID of the clause the row is about.
- ``similar_id``: ID of a clause in another work whose wording overlaps with it.
- ``document_id``: document of ``clause_id``.
- ``similar_document_id``: document of ``similar_id``; never a version of the same work.
- ``score``: IDF-weighted Jaccard similarity of the two clauses' sets of character 4-grams (heading and
  text, normalised), 0–1, rounded to 4 decimals.
- ``shared``: the passages the two clauses have in common, as they appear in ``clause_id``'s heading
  and text: maximal common substrings (compared after normalisation) of at least 8 characters,
  longest first, at most 5, separated by ``|``; empty when no common run is that long.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from schemas import registry
from scripts.works import work_id

Row = dict[str, Any]

COLUMNS = tuple(registry.field_names("clause_similar"))
KINDS = frozenset({"preamble", "article", "paragraph", "item", "bullet", "box"})
MIN_CHARS = 20
SHINGLE = 4
COMMON_SHARE = 0.5
THRESHOLD = 0.18
MIN_SHARED = 25.0
LONG_SHARED = 40.0
MAX_POSTING = 64
#: Legal ranks of policy documents (plans, guidance): between two of them paraphrase counts too.
POLICY_RANKS = frozenset({"plan", "normative-document"})
POLICY_CONTAINMENT = 0.10
POLICY_BIGRAM = 0.18
BLOCK_ROWS = 2048
MIN_SHARED_CHARS = 8
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
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def common_passages(a: str, b: str, min_len: int = MIN_SHARED_CHARS) -> list[tuple[int, int]]:
    """Maximal common substrings of a and b with at least min_len characters, as (start, end) spans of a.

    Each string is reported once (at its first occurrence in a); a string contained in a longer
    reported one is dropped. Sorted longest first, then by position in a.
    """
    if len(a) < min_len or len(b) < min_len:
        return []
    seeds: dict[str, list[int]] = defaultdict(list)
    for j in range(len(b) - min_len + 1):
        seeds[b[j : j + min_len]].append(j)
    found: dict[str, int] = {}
    for i in range(len(a) - min_len + 1):
        for j in seeds.get(a[i : i + min_len], ()):
            if i and j and a[i - 1] == b[j - 1]:
                continue  # not left-maximal: part of a run that starts earlier
            length = min_len
            while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
                length += 1
            found.setdefault(a[i : i + length], i)
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
        passage = source[index_a[start] : index_a[end - 1] + 1]
        if passage not in parts:
            parts.append(passage.replace(SEPARATOR, " "))
        if len(parts) == limit:
            break
    return SEPARATOR.join(parts)


def eligible(clause: Row) -> bool:
    return clause.get("kind") in KINDS and len(clause.get("text") or "") >= MIN_CHARS


def _fold(points: np.ndarray) -> np.ndarray:
    return (points & np.uint64(0xFFFF)) ^ (points >> np.uint64(16))


def _window_codes(points: np.ndarray, n: int) -> np.ndarray:
    codes = np.zeros(max(0, len(points) - n + 1), dtype=np.uint64)
    for k in range(n):
        codes = (codes << np.uint64(16)) | points[k : len(points) - n + 1 + k]
    return codes


def shingle_codes(text: str, n: int = SHINGLE) -> np.ndarray:
    """The distinct character n-grams of a normalised text as sorted 64-bit codes (16 bits a character);
    a text shorter than n is one n-gram, padded. Exact for n <= 4 and characters of the Basic Multilingual
    Plane; a rarer character is folded to 16 bits."""
    points = _fold(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64))
    if 0 < len(points) < n:
        points = np.concatenate([points, np.zeros(n - len(points), dtype=np.uint64)])
    return np.unique(_window_codes(points, n))


def clause_codes(texts: list[str], n: int = SHINGLE) -> tuple[np.ndarray, np.ndarray]:
    """(clause index, code) of every n-gram of every text, computed in one pass over all texts; codes as
    ``shingle_codes`` gives them (a pair may repeat)."""
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    points = _fold(np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64))
    codes = _window_codes(points, n)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    owner = np.repeat(np.arange(len(texts)), lengths)[: len(codes)]
    inside = np.arange(len(codes)) + n <= (starts + lengths)[owner]
    rows, codes = owner[inside], codes[inside]
    short = [k for k, length in enumerate(lengths) if 0 < length < n]
    if short:
        rows = np.concatenate([rows, np.array(short, dtype=np.int64)])
        codes = np.concatenate([codes, np.concatenate([shingle_codes(texts[k], n) for k in short])])
    return rows, codes


@dataclass(frozen=True)
class ShingleMatrix:
    """Clauses × weighted 4-grams: a 0/1 sparse matrix, each 4-gram's weight and each clause's total weight."""

    matrix: sparse.csr_matrix
    weights: np.ndarray
    totals: np.ndarray


def shingle_matrix(texts: list[str], works: list[str], common_share: float = COMMON_SHARE) -> ShingleMatrix:
    """Weights ``ln(common_share · N / df)`` floored at 0, df counted in works (see module docstring)."""
    rows, codes = clause_codes(texts)
    vocabulary, cols = np.unique(codes, return_inverse=True)
    pairs = np.unique(rows * max(1, len(vocabulary)) + cols)
    rows, cols = pairs // max(1, len(vocabulary)), pairs % max(1, len(vocabulary))
    work_names, work_of_clause = np.unique(np.array(works, dtype=object), return_inverse=True)
    seen = np.unique(work_of_clause[rows].astype(np.int64) * max(1, len(vocabulary)) + cols)
    df = np.bincount(seen % max(1, len(vocabulary)), minlength=len(vocabulary))
    with np.errstate(divide="ignore"):
        weights = np.maximum(0.0, np.log(common_share * len(work_names) / np.maximum(df, 1)))
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(vocabulary)))
    return ShingleMatrix(matrix, weights, np.asarray(matrix @ weights).ravel())


def shared_weights(
    shingled: ShingleMatrix, max_posting: int = MAX_POSTING, block: int = BLOCK_ROWS
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(i, j, shared weight) arrays of every clause pair i < j sharing a weighted 4-gram of at most
    ``max_posting`` clauses, one block of rows i at a time; the weight counts every shared 4-gram."""
    matrix, weights = shingled.matrix, shingled.weights
    postings = np.diff(matrix.tocsc().indptr)
    finder_cols = np.flatnonzero((weights > 0) & (postings <= max_posting))
    frequent_cols = np.flatnonzero((weights > 0) & (postings > max_posting))
    finder = matrix[:, finder_cols].tocsr()
    finder_t = finder.T.tocsr()
    weighted_finder = finder.multiply(weights[finder_cols]).tocsr()
    frequent = matrix[:, frequent_cols].tocsr()
    weighted_frequent = frequent.multiply(weights[frequent_cols]).tocsr()
    for start in range(0, matrix.shape[0], block):
        found = (weighted_finder[start : start + block] @ finder_t).tocoo()
        keep = found.row + start < found.col
        i, j, shared = found.row[keep] + start, found.col[keep].astype(np.int64), found.data[keep]
        if len(frequent_cols):
            shared = shared + _pair_products(weighted_frequent, frequent, i, j)
        yield i.astype(np.int64), j, shared


def _pair_products(
    left: sparse.csr_matrix, right: sparse.csr_matrix, i: np.ndarray, j: np.ndarray, chunk: int = 200_000
) -> np.ndarray:
    """Row i[k] of ``left`` times row j[k] of ``right``, for every k."""
    parts = [np.zeros(0)]
    for start in range(0, len(i), chunk):
        both = left[i[start : start + chunk]].multiply(right[j[start : start + chunk]])
        parts.append(np.asarray(both.sum(axis=1)).ravel())
    return np.concatenate(parts)


def keep_pairs(
    score: np.ndarray,
    shared: np.ndarray,
    threshold: float = THRESHOLD,
    min_shared: float = MIN_SHARED,
    long_shared: float = LONG_SHARED,
) -> np.ndarray:
    """The main rule of the module docstring, pair by pair: enough rare wording, nearly whole or a long passage."""
    return (shared >= min_shared) & ((score >= threshold) | (shared >= long_shared))


def bigram_vectors(texts: list[str]) -> sparse.csr_matrix:
    """Each text's character bigrams weighted ``ln(N / df)`` (df in texts), rows scaled to unit length."""
    rows, codes = clause_codes(texts, 2)
    if not len(codes):
        return sparse.csr_matrix((len(texts), 1))
    _, cols = np.unique(codes, return_inverse=True)
    ones = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), int(cols.max()) + 1))
    ones.data[:] = 1.0  # a bigram said twice counts once
    idf = np.log(len(texts) / np.maximum(np.asarray((ones > 0).sum(axis=0)).ravel(), 1))
    vectors = ones.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    return sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ vectors


def bigram_cosine(vectors: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Cosine similarity of the rows i[k] and j[k] of :func:`bigram_vectors`, for every k."""
    if not len(i):
        return np.zeros(0)
    return np.asarray(vectors[i].multiply(vectors[j]).sum(axis=1)).ravel()


def keep_policy_pairs(
    i: np.ndarray, j: np.ndarray, containment: np.ndarray, policy: np.ndarray, vectors: sparse.csr_matrix
) -> np.ndarray:
    """Which pairs of two policy documents are paraphrase: containment and bigram cosine both high enough."""
    maybe = policy[i] & policy[j] & (containment >= POLICY_CONTAINMENT)
    keep = np.zeros(len(i), dtype=bool)
    where = np.flatnonzero(maybe)
    keep[where] = bigram_cosine(vectors, i[where], j[where]) >= POLICY_BIGRAM
    return keep


@dataclass(frozen=True)
class Decision:
    """What decides which candidate pairs are kept: the weights, the works, and the paraphrase rule's inputs."""

    shingled: ShingleMatrix
    work_index: np.ndarray
    policy: np.ndarray  # each text: of a policy document
    vectors: sparse.csr_matrix | None  # bigram vectors, when two or more texts are of policy documents
    threshold: float = THRESHOLD

    @classmethod
    def of(
        cls,
        texts: list[str],
        works: list[str],
        policy: Sequence[bool] | None = None,
        threshold: float = THRESHOLD,
        common_share: float = COMMON_SHARE,
    ) -> Decision:
        is_policy = np.zeros(len(texts), dtype=bool) if policy is None else np.asarray(policy, dtype=bool)
        return cls(
            shingle_matrix(texts, works, common_share),
            np.unique(np.array(works, dtype=object), return_inverse=True)[1],
            is_policy,
            bigram_vectors(texts) if is_policy.sum() > 1 else None,
            threshold,
        )

    def kept(self, i: np.ndarray, j: np.ndarray, shared: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(i, j, score) of the kept pairs among candidates (i, j) with their shared weights."""
        other = self.work_index[i] != self.work_index[j]
        i, j, shared = i[other], j[other], shared[other]
        totals = self.shingled.totals
        score = shared / (totals[i] + totals[j] - shared)
        keep = keep_pairs(score, shared, self.threshold)
        if self.vectors is not None:
            containment = shared / np.maximum(np.minimum(totals[i], totals[j]), 1e-12)
            keep |= keep_policy_pairs(i, j, containment, self.policy, self.vectors)
        return i[keep], j[keep], score[keep]


def reused_pairs(
    texts: list[str],
    works: list[str],
    threshold: float = THRESHOLD,
    common_share: float = COMMON_SHARE,
    max_posting: int = MAX_POSTING,
    policy: Sequence[bool] | None = None,
) -> list[tuple[int, int, float]]:
    """(i, j, score) of every kept pair of clauses of different works, i < j, by i then j.

    ``policy`` says which texts are of policy documents (see :data:`POLICY_RANKS`); none when not given.
    """
    decision = Decision.of(texts, works, policy, threshold, common_share)
    kept: list[tuple[int, int, float]] = []
    for block in shared_weights(decision.shingled, max_posting):
        i, j, score = decision.kept(*block)
        kept.extend(zip(i.tolist(), j.tolist(), [round(x, 4) for x in score.tolist()], strict=True))
    return sorted(kept)


def similar_pairs(
    clauses: Iterable[Row],
    threshold: float = THRESHOLD,
    *,
    common_share: float = COMMON_SHARE,
    policy_documents: frozenset[str] = frozenset(),
) -> list[Row]:
    """Rows (see module docstring) for every kept pair of clauses of different works.

    ``policy_documents``: the IDs of the policy documents (plans, guidance), whose clauses may also be
    kept as paraphrase of each other.
    """
    usable = sorted((c for c in clauses if eligible(c)), key=lambda c: str(c["id"]))
    keys = [str(c["id"]) for c in usable]
    if len(set(keys)) != len(keys):
        raise ValueError("similar_pairs: clause IDs must be unique")
    sources = [comparison_text(c) for c in usable]
    normalised = [normalise(s) for s in sources]
    works = [work_id(str(c["document_id"])) for c in usable]
    rows: list[Row] = []
    if len(usable) < 2:
        return rows
    policy = [str(c["document_id"]) in policy_documents for c in usable]
    texts = [norm for norm, _ in normalised]
    for i, j, score in reused_pairs(texts, works, threshold, common_share, policy=policy):
        for x, y in ((i, j), (j, i)):
            rows.append(
                {
                    "clause_id": keys[x],
                    "similar_id": keys[y],
                    "document_id": usable[x]["document_id"],
                    "similar_document_id": usable[y]["document_id"],
                    "score": score,
                    "shared": shared_text(sources[x], *normalised[x], normalised[y][0]),
                }
            )
    rows.sort(key=lambda r: (r["clause_id"], -r["score"], r["similar_id"]))
    return rows


def derive(documents: Sequence[Row], clauses: Iterable[Row]) -> list[Row]:
    """The ``clause_similar`` table (the extractor the registry names)."""
    policy = frozenset(str(d["id"]) for d in documents if d.get("legal_rank") in POLICY_RANKS)
    return similar_pairs(clauses, policy_documents=policy)
