"""The queries of the benchmark, each expressed for the API and for Datasette's URL filters.

Each scenario is a list of request targets cycled through by the load generator:
distinct values (cities and topics, common words, clause IDs) measure the work of
a query rather than of a cache; ``repeated`` is one URL asked again and again.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus import RARE_PHRASE, RELEASE

#: Common two-character words of fintech policy text (each matches tens of thousands of clauses at 1M).
COMMON_WORDS = ("人才", "数据", "支付", "监管", "服务", "创新", "平台", "风险", "技术", "发展")
DATASETTE_FACETS = "&_facet=city&_facet=level&_facet=kind&_facet=document_id&_facet_array=topics"
DATASETTE_DB = "bench"
PAGE = 50


@dataclass(frozen=True)
class Scenario:
    name: str
    what: str
    api: list[str]
    datasette: list[str]
    #: The filters of each API URL (for in-process timings and the tantivy anchor); empty for non-list queries.
    params: list[dict[str, str]] = field(default_factory=list)


def _city_topics(release_dir: Path, count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` (city, topic) pairs of the corpus, the most frequent cities first."""
    cities: dict[str, int] = {}
    with (release_dir / "datapackage" / "data" / "documents.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            cities[row["city"]] = cities.get(row["city"], 0) + 1
    ranked = sorted(cities, key=lambda c: -cities[c])[:8]
    topics = ("talent", "blockchain", "digital-rmb", "big-data", "payments", "regulation", "ai", "sandbox")
    rng = random.Random(seed)
    pairs = [(c, t) for c in ranked for t in topics]
    rng.shuffle(pairs)
    return pairs[:count]


def _clause_ids(release_dir: Path, count: int, seed: int) -> list[str]:
    ids: list[str] = []
    rng = random.Random(seed)
    with (release_dir / "datapackage" / "data" / "clauses.csv").open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):  # reservoir sample
            if len(ids) < count:
                ids.append(row["id"])
            elif (j := rng.randrange(i + 1)) < count:
                ids[j] = row["id"]
    return ids


def _tilde(value: str) -> str:
    """Datasette's encoding of a primary key in a row URL (``.`` and ``-`` are special there)."""
    safe = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    return "".join(c if c in safe else "".join(f"~{b:02X}" for b in c.encode()) for c in value)


def _topic_where(topic: str) -> str:
    """Datasette's filter for clauses tagged ``topic``, through the index on ``clause_topics(topic)`` (its
    ``topics__arraycontains`` filter scans every row's JSON array with ``json_each`` instead)."""
    return f"_where=id in (select clause_id from clause_topics where topic = '{topic}')"


def _text_where(word: str) -> str:
    """Datasette's filter for clauses whose heading or text holds ``word``: its trigram full-text index cannot
    search fewer than three characters, so a Datasette user filters with LIKE (``%`` pre-encoded for the URL)."""
    return f"_where=(heading like '%25{word}%25' or text like '%25{word}%25')"


def scenarios(release_dir: Path, seed: int = 7) -> list[Scenario]:
    pin = f"release={RELEASE}"
    table = f"/{DATASETTE_DB}/clauses.json"
    pairs = _city_topics(release_dir, 16, seed)
    ids = _clause_ids(release_dir, 200, seed)
    first_city, first_topic = pairs[0]
    return [
        Scenario(
            "city_topic",
            "city + topic filter, total and facets (16 distinct pairs)",
            [f"/clauses?city={c}&topic={t}&{pin}" for c, t in pairs],
            [f"{table}?city={c}&{_topic_where(t)}&_size={PAGE}{DATASETTE_FACETS}" for c, t in pairs],
            [{"city": c, "topic": t} for c, t in pairs],
        ),
        Scenario(
            "fts_common",
            "relevance-ordered full text, common two-character words (人才 and 9 more)",
            [f"/clauses?q={w}&order=relevance&{pin}" for w in COMMON_WORDS],
            [f"{table}?{_text_where(w)}&_size={PAGE}{DATASETTE_FACETS}" for w in COMMON_WORDS],
            [{"q": w} for w in COMMON_WORDS],
        ),
        Scenario(
            "fts_rare",
            f"relevance-ordered full text, a rare phrase ({RARE_PHRASE})",
            [f"/clauses?q={RARE_PHRASE}&order=relevance&{pin}"],
            [f"{table}?_search={RARE_PHRASE}&_size={PAGE}{DATASETTE_FACETS}"],
            [{"q": RARE_PHRASE}],
        ),
        Scenario(
            "clause_by_id",
            "one clause by ID (200 distinct IDs)",
            [f"/clauses/{cid}?{pin}" for cid in ids],
            [f"/{DATASETTE_DB}/clauses/{_tilde(cid)}.json" for cid in ids],
        ),
        Scenario(
            "documents",
            "the documents list (first page)",
            [f"/documents?{pin}"],
            [f"/{DATASETTE_DB}/documents.json?_size={PAGE}"],
        ),
        Scenario(
            "repeated",
            f"one city + topic URL asked again and again ({first_city}, {first_topic})",
            [f"/clauses?city={first_city}&topic={first_topic}&{pin}"],
            [f"{table}?city={first_city}&{_topic_where(first_topic)}&_size={PAGE}{DATASETTE_FACETS}"],
            [{"city": first_city, "topic": first_topic}],
        ),
    ]
