"""Topic hints for a full-text query: the topics a query names, with a link to their filter.

A user who searches ``q=区块链`` or ``q=blockchain`` or ``q=AI`` is usually after a
topic of the vocabulary. Full-text search reads the Chinese text, so an English
query finds nothing, and a Chinese one finds every clause that mentions the word,
passing mentions included. The response of ``GET /clauses`` (``meta.topic_hints``)
and the explorer's search page therefore say which topic the query names, how many
clauses carry it, how many of the matches carry it, and link its filter.

A query names a topic when, ignoring case, spaces, hyphens and underscores, it is
one of the topic's English names (its slug, its English label, the label's parts
before and inside brackets and either side of "and") or when it contains one of its
Chinese names (the Chinese label, or a part of it of three or more characters either
side of 与/和/及). Names come from the topic vocabulary of the release; none are
written here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from api.models import Topic, TopicHint
from api.package import SourcePackage

_SEPARATORS = re.compile(r"[\s\-_]+")
_ZH_PARTS = re.compile(r"[与和及]")
_EN_PARTS = re.compile(r"\s+and\s+|[()（）]")
MIN_ZH_PART = 3
CODEBOOK_NAME = "topics-codebook.md"  # published next to topics.csv by the build (scripts/codebook.py)


def _norm(text: str) -> str:
    return _SEPARATORS.sub(" ", text.casefold()).strip()


def english_names(topic: Topic) -> frozenset[str]:
    return _english_names(topic.slug, topic.label_en)


def chinese_names(topic: Topic) -> frozenset[str]:
    return _chinese_names(topic.label_zh)


@lru_cache(maxsize=1024)
def _english_names(slug: str, label: str) -> frozenset[str]:
    names = {slug, label, *_EN_PARTS.split(label)}
    return frozenset(n for n in (_norm(x) for x in names) if n)


@lru_cache(maxsize=1024)
def _chinese_names(label_zh: str) -> frozenset[str]:
    parts = [p for p in _ZH_PARTS.split(label_zh) if len(p) >= MIN_ZH_PART]
    return frozenset([label_zh, *parts])


def names_topic(query: str, topic: Topic) -> bool:
    """Whether the query names the topic (see the module docstring)."""
    q = query.strip()
    return _names(q, _norm(q), topic)


def _names(query: str, normalised: str, topic: Topic) -> bool:
    return normalised in english_names(topic) or any(name in query for name in chinese_names(topic))


def topic_hints(
    query: str | None, topics: list[Topic], matches_by_topic: dict[str, int], release: str
) -> list[TopicHint]:
    """The hints for ``query``: each topic it names, in vocabulary order; empty without a query.

    ``href`` is the topic filter of ``GET /clauses`` in the same release.
    """
    if not query or not query.strip():
        return []
    suffix = f"&release={release}"
    q = query.strip()
    normalised = _norm(q)
    return [
        TopicHint(
            topic=t.slug,
            label_zh=t.label_zh,
            label_en=t.label_en,
            clause_count=t.clause_count,
            matching_clause_count=matches_by_topic.get(t.slug, 0),
            href=f"/clauses?topic={t.slug}{suffix}",
        )
        for t in topics
        if _names(q, normalised, t)
    ]


def codebook_path(package: SourcePackage) -> Path | None:
    """The topic codebook published with a package: a file of a cut release, or the one next to topics.csv."""
    found = package.file_named(CODEBOOK_NAME)
    if found is not None:
        return found[1]
    topics_csv = package.resource_path("topics")
    if package.status == "working" and topics_csv is not None and (topics_csv.parent / CODEBOOK_NAME).is_file():
        return topics_csv.parent / CODEBOOK_NAME
    return None
