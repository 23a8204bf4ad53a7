"""The controlled vocabularies, read from their one definition in ``scripts/vocab.py``."""

from __future__ import annotations

import sys
from pathlib import Path

try:
    from scripts import ids, vocab
except ModuleNotFoundError:  # run from outside the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from scripts import ids, vocab

#: Valid values of each vocabulary-backed query parameter, in vocabulary order.
CITIES: tuple[str, ...] = tuple(vocab.CITIES)
LEVELS: tuple[str, ...] = tuple(vocab.LEVELS)
KINDS: tuple[str, ...] = tuple(vocab.KINDS)
DOC_TYPES: tuple[str, ...] = tuple(vocab.DOC_TYPES)
TOPICS: tuple[str, ...] = vocab.topic_slugs()
MEASURE_KINDS: tuple[str, ...] = tuple(vocab.MEASURE_KINDS)
MEASURE_UNITS: tuple[str, ...] = vocab.measure_units()
CITATION_KINDS: tuple[str, ...] = tuple(vocab.CITATION_KINDS)

#: The number the store gives each clause kind (``facts.kind``), 1-based in vocabulary order.
KIND_ORD: dict[str, int] = {k: i for i, k in enumerate(KINDS, start=1)}

CLAUSE_ID_RE = ids.CLAUSE_ID_RE
DOC_ID_RE = ids.DOC_ID_RE

__all__ = [
    "CITATION_KINDS",
    "CITIES",
    "CLAUSE_ID_RE",
    "DOC_ID_RE",
    "DOC_TYPES",
    "KINDS",
    "KIND_ORD",
    "LEVELS",
    "MEASURE_KINDS",
    "MEASURE_UNITS",
    "TOPICS",
    "ids",
    "vocab",
]
