"""The documents of a release as arrays: filters by city, level and ID, and facets, without Python loops.

Documents are numbered (``ord``, 1-based) jurisdiction by jurisdiction, and each holds the
contiguous clause numbers ``first_n..last_n``. Selecting documents is then a vectorised
comparison over a few thousand entries, turned into contiguous runs; the city, level and
document facets are bin counts of the per-document clause counts, weighted by document.

These are the same answers :mod:`api.clause_queries` computed with loops over every
document (the loops remain as its reference, :func:`api.clause_queries._facets`), in the
same orders: cities and levels in vocabulary order (values outside it after, by first
document), documents by count descending then by number, at most ``limit`` of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from api.fact_columns import nonzero_counts

#: A contiguous run of selected documents: (first doc, last doc, first clause n, last clause n).
Run = tuple[int, int, int, int]


def _codes(values: Sequence[str], vocabulary: Sequence[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each value's position in ``vocabulary`` (others numbered after it, by first appearance) and the names."""
    names = list(vocabulary)
    position = {v: i for i, v in enumerate(names)}
    for v in values:
        if v not in position:
            position[v] = len(names)
            names.append(v)
    return np.fromiter((position[v] for v in values), np.int32, len(values)), tuple(names)


RUNS_KEPT = 1024


def _largest(counts: np.ndarray, limit: int) -> np.ndarray:
    """The positions of the ``limit`` largest non-zero ``counts``, by count descending then position: one key
    per position (the count above, the position below), so the selection is over distinct numbers."""
    present = np.flatnonzero(counts)
    keys = (-counts[present].astype(np.int64) << 32) | present
    if len(keys) > limit > 0:
        keys = np.partition(keys, limit - 1)[:limit]
    keys.sort()
    return (keys & 0xFFFFFFFF)[: max(limit, 0)]


def _chosen(names: Sequence[str], values: Sequence[str]) -> np.ndarray:
    """A lookup table over the codes of ``names``: True for the codes of ``values``."""
    table = np.zeros(len(names), bool)
    table[[names.index(v) for v in values if v in names]] = True
    return table


@dataclass(frozen=True)
class DocumentArrays:
    """Per document (index ``ord``; index 0 unused): city code, level code, first and last clause number."""

    ids: tuple[str, ...]  # by ord; ids[0] == ""
    city: np.ndarray
    level: np.ndarray
    first_n: np.ndarray
    last_n: np.ndarray
    city_names: tuple[str, ...]
    level_names: tuple[str, ...]

    @classmethod
    def build(
        cls,
        documents: Sequence[tuple[int, str, str, str, int, int]],
        cities: Sequence[str],
        levels: Sequence[str],
    ) -> DocumentArrays:
        """From ``(ord, id, city, level, first_n, last_n)`` rows numbered 1..len (as the store keeps them)."""
        if [d[0] for d in documents] != list(range(1, len(documents) + 1)):
            raise ValueError("document numbers are not 1..count in order")
        city, city_names = _codes(["", *(d[2] for d in documents)], cities)
        level, level_names = _codes(["", *(d[3] for d in documents)], levels)
        return cls(
            ids=("", *(d[1] for d in documents)),
            city=city,
            level=level,
            first_n=np.array([0, *(d[4] for d in documents)], np.int64),
            last_n=np.array([0, *(d[5] for d in documents)], np.int64),
            city_names=city_names,
            level_names=level_names,
        )

    def __len__(self) -> int:
        return len(self.ids) - 1

    def runs(self, cities: Sequence[str], levels: Sequence[str], documents: Sequence[str]) -> list[Run] | None:
        """Contiguous runs of the documents selected by city, level and ID (None when no filter is given).

        Remembered per selection (a request reads them twice, and a selection names a few values of small
        vocabularies; at most ``RUNS_KEPT`` selections are kept)."""
        if not (cities or levels or documents):
            return None
        key = (tuple(cities), tuple(levels), tuple(documents))
        kept: dict[tuple[tuple[str, ...], ...], list[Run]] = self.__dict__.setdefault("_kept_runs", {})
        found = kept.get(key)
        if found is None:
            if len(kept) >= RUNS_KEPT:
                kept.clear()
            found = kept[key] = self._runs(cities, levels, documents)
        return list(found)

    def _runs(self, cities: Sequence[str], levels: Sequence[str], documents: Sequence[str]) -> list[Run]:
        keep = np.ones(len(self.ids), bool)
        keep[0] = False
        if cities:
            keep &= _chosen(self.city_names, cities)[self.city]
        if levels:
            keep &= _chosen(self.level_names, levels)[self.level]
        if documents:
            by_id = self._ord_by_id
            chosen = np.zeros(len(self.ids), bool)
            chosen[[by_id[d] for d in documents if d in by_id]] = True
            keep &= chosen
        ords = np.flatnonzero(keep)
        if len(ords) == 0:
            return []
        breaks = np.flatnonzero(np.diff(ords) != 1)
        starts = ords[np.concatenate(([0], breaks + 1))]
        ends = ords[np.concatenate((breaks, [len(ords) - 1]))]
        return [(int(a), int(b), int(self.first_n[a]), int(self.last_n[b])) for a, b in zip(starts, ends, strict=True)]

    @cached_property
    def _ord_by_id(self) -> dict[str, int]:
        return {d: i for i, d in enumerate(self.ids) if i}

    def clause_counts(self, index: np.ndarray, doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The documents (by ord, ascending) holding the clauses at ``index`` (``n - 1``), and how many each holds;
        ``doc`` is each clause's document (at ``n - 1``).

        For ascending ``index`` over contiguous documents, the cheaper of two ways, neither a pass over every
        document: a binary search per bound of the documents the matches span (a city's are a few of all), or
        the runs of the matches' documents when there are fewer matches than spanned documents. Otherwise the
        distinct documents of the matches, sorted."""
        if len(index) == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        bounds = self._bounds
        if bounds is None or not bool(np.all(index[1:] >= index[:-1])):
            docs, counts = np.unique(doc[index], return_counts=True)
            return docs.astype(np.int64), counts.astype(np.int64)
        lo = max(int(bounds.searchsorted(index[0], "right")) - 1, 0)
        hi = int(bounds.searchsorted(index[-1], "right"))
        if hi - lo <= len(index):
            counts = np.diff(index.searchsorted(bounds[lo : hi + 1].astype(index.dtype), "left"))
            present = np.flatnonzero(counts)
            return present + lo + 1, counts[present]
        owners = doc[index].astype(np.int64)  # ascending: documents are numbered in clause order
        starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
        return owners[starts], np.diff(np.append(starts, len(owners)))

    @cached_property
    def _bounds(self) -> np.ndarray | None:
        """Where each document's clauses begin (as indexes ``n - 1``) and where the last one's end, when each
        document begins right after the one before (as the store numbers them): one binary search per document
        then counts them all. None otherwise."""
        first, last = self.first_n[1:], self.last_n[1:]
        contiguous = len(first) > 0 and bool(np.all(first[1:] == last[:-1] + 1))
        return np.concatenate((first - 1, last[-1:])) if contiguous else None

    def facets(
        self, docs: np.ndarray, counts: np.ndarray, limit: int
    ) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        """City, level and (top ``limit``) document facets from the documents holding matches (by ord, ascending)
        and how many each holds (:meth:`clause_counts`): bin counts over those documents alone."""
        by_city = np.bincount(self.city[docs], weights=counts, minlength=len(self.city_names))
        by_level = np.bincount(self.level[docs], weights=counts, minlength=len(self.level_names))
        top = _largest(counts, limit)  # ``docs`` ascends: ties stay in document order
        return (
            {self.city_names[i]: count for i, count in nonzero_counts(by_city).items()},
            {self.level_names[i]: count for i, count in nonzero_counts(by_level).items()},
            dict(zip([self.ids[d] for d in docs[top].tolist()], counts[top].tolist(), strict=True)),
        )


@dataclass(frozen=True)
class TopicCodes:
    """Each clause's topic bitmask and kind as the number of its distinct (kind, mask) pair (clauses carry few
    combinations): topic and kind counts are then one bin count of those numbers, spread over the bits and
    the kind each distinct pair holds, rather than unpacking 64 bits of every selected clause and counting
    its kind apart.

    The pairs are numbered by kind, then mask, so each kind's pairs are one run of numbers; and every bit's
    pairs are listed together (``owners``), so spreading a count per pair over the bits and kinds is two
    sums over runs."""

    codes: np.ndarray  # int32, one per clause: the number of its distinct (kind, mask)
    starts: np.ndarray  # int64, per distinct pair: where its bits begin in ``bits``
    sizes: np.ndarray  # int64, per distinct pair: how many bits its mask has set
    bits: np.ndarray  # int64: the set bits of every distinct mask, pair after pair
    kinds: np.ndarray  # int64, per distinct pair: its kind (ascending)
    owners: np.ndarray  # int64: the pairs having each bit set, bit after bit (as many as ``bits``)
    bit_values: np.ndarray  # int64: the bits some pair has set, ascending
    bit_firsts: np.ndarray  # int64, per bit of ``bit_values``: where its pairs begin in ``owners``
    kind_values: np.ndarray  # int64: the kinds of the pairs, ascending
    kind_firsts: np.ndarray  # int64, per kind of ``kind_values``: its first pair

    @classmethod
    def build(cls, masks: np.ndarray, kinds: np.ndarray | None = None) -> TopicCodes:
        kinds = np.zeros(len(masks), np.int64) if kinds is None else kinds.astype(np.int64)
        order = np.lexsort((masks, kinds))
        first = np.ones(len(order), bool)
        first[1:] = (masks[order][1:] != masks[order][:-1]) | (kinds[order][1:] != kinds[order][:-1])
        codes = np.empty(len(order), np.int32)
        codes[order] = np.cumsum(first) - 1
        distinct = masks[order][first]
        pair_kinds = kinds[order][first]
        unpacked = np.unpackbits(distinct.astype(np.uint64).view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
        rows, bits = np.nonzero(unpacked)  # row-major: each mask's bits together, in pair order
        sizes = np.bincount(rows, minlength=len(distinct)).astype(np.int64)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        by_bit = np.argsort(bits, kind="stable")
        bit_values, bit_firsts = _runs(bits[by_bit])
        kind_values, kind_firsts = _runs(pair_kinds)
        return cls(
            codes=codes,
            starts=starts,
            sizes=sizes,
            bits=bits.astype(np.int64),
            kinds=pair_kinds,
            owners=rows[by_bit].astype(np.int64),
            bit_values=bit_values,
            bit_firsts=bit_firsts,
            kind_values=kind_values,
            kind_firsts=kind_firsts,
        )

    def counts(self, index: np.ndarray) -> np.ndarray:
        """How many of the clauses at ``index`` have each of the 64 bits set (index = bit)."""
        return self.facet_counts(index)[0]

    def facet_counts(self, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How many of the clauses at ``index`` have each of the 64 bits set, and how many are of each kind.

        Two ways to the same counts, by the number of clauses: a few clauses sort their codes and expand the
        pairs present; more count every code and sum those counts over each bit's and each kind's pairs. The
        threshold is from timings at 1M clauses, where the two cross near a ninth of the pairs both for the
        own topics (57k pairs holding 207k bits) and the inherited ones (258k pairs holding 1.5M bits).
        """
        if len(index) * FEW_CLAUSES < len(self.sizes):
            return self._few(index)
        by_code = np.bincount(self.codes.take(index), minlength=len(self.sizes))
        by_bit = np.zeros(64, np.int64)
        if len(self.owners):
            by_bit[self.bit_values] = np.add.reduceat(by_code.take(self.owners), self.bit_firsts)
        by_kind = np.zeros(int(self.kind_values[-1]) + 1 if len(self.kind_values) else 1, np.int64)
        if len(by_code):
            by_kind[self.kind_values] = np.add.reduceat(by_code, self.kind_firsts)
        return by_bit, by_kind

    def _few(self, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The counts of :meth:`facet_counts` from the pairs present alone (sorted codes of a few clauses)."""
        if len(index) == 0:
            return np.zeros(64, np.int64), np.zeros(1, np.int64)
        present, counts = np.unique(self.codes[index], return_counts=True)
        sizes = self.sizes[present]
        # The positions in ``bits`` of every bit of every present pair: each pair's run, one after another.
        offsets = np.repeat(self.starts[present] - (np.cumsum(sizes) - sizes), sizes) + np.arange(int(sizes.sum()))
        by_bit = np.bincount(self.bits[offsets], weights=np.repeat(counts, sizes), minlength=64)
        by_kind = np.bincount(self.kinds[present], weights=counts)
        return by_bit.astype(np.int64), by_kind.astype(np.int64)


#: Fewer clauses than pairs / FEW_CLAUSES: their codes are sorted rather than every pair counted.
FEW_CLAUSES = 9


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of sorted ``values`` and where each one's run begins."""
    firsts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1]))) if len(values) else values
    return values[firsts].astype(np.int64), firsts.astype(np.int64)
