"""The second anchor: tantivy (the Rust search engine, through its official Python binding) over the same rows.

Each clause is one tantivy document: its search text (heading and text, as the API indexes it)
as the character bigrams of each letter/digit run (whitespace-separated, a ``|`` between runs so
no phrase spans punctuation: the API's matching of terms of two or more characters), and its
city, level, kind, document and topics as fast fields. A query answers what the API answers:
a page of 50 (bm25 order for ``q``, clause order otherwise, the stored IDs read), the exact
total, and terms aggregations for the five facets. Single-threaded, in-process.

``python -m bench.tantivy_anchor <release dir> <index dir>`` builds the index and prints one JSON line.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import tantivy

from api.text_search import search_text

csv.field_size_limit(sys.maxsize)
PAGE = 50
FACETS = {"city": "city", "level": "level", "kind": "kind", "document": "document_id", "topic": "topics"}
_RUN_RE = re.compile(r"[^\W_]+")
_AGGREGATION = {name: {"terms": {"field": field, "size": 100_000}} for name, field in FACETS.items()}


def bigram_text(text: str) -> str:
    """The bigrams of every letter/digit run of ``text`` (lower-cased), runs separated by ``|``."""
    runs = [" ".join(a + b for a, b in pairwise(run)) for run in _RUN_RE.findall(text.lower()) if len(run) > 1]
    return " | ".join(runs)


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("n", indexed=True, fast=True, stored=True)
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("text", tokenizer_name="bigram")
    for field in FACETS.values():
        builder.add_text_field(field, tokenizer_name="raw", fast=True)
    return builder.build()


def _analyzer() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def build(release_dir: Path, path: Path) -> dict[str, object]:
    """Index ``clauses.csv`` of ``release_dir`` into ``path`` (replaced); seconds and bytes."""
    started = time.perf_counter()
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    index = tantivy.Index(schema(), path=str(path))
    index.register_tokenizer("bigram", _analyzer())
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    with (release_dir / "datapackage" / "data" / "clauses.csv").open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=1):
            doc = tantivy.Document()
            doc.add_unsigned("n", n)
            doc.add_text("id", row["id"])
            doc.add_text("text", bigram_text(search_text(row["heading"], row["text"])))
            for field in ("city", "level", "kind", "document_id"):
                doc.add_text(field, row[field])
            for topic in (t for t in row["topics"].split(",") if t):
                doc.add_text("topics", topic)
            writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return {"seconds": time.perf_counter() - started, "bytes": size}


class Anchor:
    """An opened index answering the benchmark's list queries."""

    def __init__(self, path: Path) -> None:
        self.index = tantivy.Index.open(str(path))
        self.index.register_tokenizer("bigram", _analyzer())
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def query(self, params: dict[str, str]) -> tantivy.Query:
        parts = []
        for key, field in (("city", "city"), ("topic", "topics")):
            if key in params:
                parts.append(tantivy.Query.term_query(self.schema, field, params[key]))
        for term in params.get("q", "").lower().split():
            grams: list[str | tuple[int, str]] = [a + b for a, b in pairwise(term)]
            if len(grams) == 1:
                parts.append(tantivy.Query.term_query(self.schema, "text", grams[0]))
            else:
                parts.append(tantivy.Query.phrase_query(self.schema, "text", grams))
        if len(parts) == 1:
            return parts[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in parts])

    def answer(self, params: dict[str, str]) -> dict[str, Any]:
        """The page's IDs, the total and the facets of one list query."""
        query = self.query(params)
        if "q" in params:
            result = self.searcher.search(query, PAGE, count=True)
        else:
            result = self.searcher.search(query, PAGE, count=True, order_by_field="n", order=tantivy.Order.Asc)
        ids = [self.searcher.doc(address).get_first("id") for _, address in result.hits]
        aggregations = self.searcher.aggregate(query, _AGGREGATION)
        facets = {name: {b["key"]: b["doc_count"] for b in aggregations[name]["buckets"]} for name in FACETS}
        total = result.count  # type: ignore[attr-defined]  # (set by search(count=True); not in the stubs)
        return {"ids": ids, "total": total, "facets": facets}


def main(argv: list[str]) -> int:
    result = build(Path(argv[0]), Path(argv[1]))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
