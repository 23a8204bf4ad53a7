"""Answer checks: every anchor's answer to every list query of the benchmark, against the API's.

An answer is the page's clause IDs, the total and the five facets (city, level, kind,
document, topic). The API's answers (from its uncached server) are the reference:

* the total and the city, level, kind and topic facets must be equal;
* the document facet: the API lists the 100 largest; the anchor's counts of those documents
  must be equal, and its largest counts the same values (ties at the cut may name other documents);
* the page: compared when both list clauses in document order (the tantivy anchor, ordered by
  clause number, without ``q``); Datasette orders by its primary key, and relevance orders differ
  by design (BM25 over the API's own bigram counts, each
  engine's own tokens and lengths elsewhere), so those pages are not compared.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from bench.load import encode

Answer = dict[str, Any]
DATASETTE_FACETS = {"city": "city", "level": "level", "kind": "kind", "document_id": "document", "topics": "topic"}


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=600) as response:
        return json.loads(response.read())


def api_answer(base_url: str, target: str) -> Answer:
    body = _get_json(base_url + encode(target))
    meta = body["meta"]
    return {"ids": [c["id"] for c in body["data"]], "total": meta["total"], "facets": meta["facets"]}


def datasette_answer(base_url: str, target: str) -> Answer:
    body = _get_json(base_url + encode(target))
    id_column = body["columns"].index("id")
    facets = {
        name: {str(r["value"]): r["count"] for r in body["facet_results"][column]["results"]}
        for column, name in DATASETTE_FACETS.items()
        if column in body["facet_results"]
    }
    # A facet that timed out is missing from facet_results (and listed in facets_timed_out when shown).
    missing = [column for column in DATASETTE_FACETS if column not in body["facet_results"]]
    return {
        "ids": [r[id_column] for r in body["rows"]],
        "total": body["filtered_table_rows_count"],
        "facets": facets,
        "timed_out": sorted({*missing, *(body.get("facets_timed_out") or [])}),
    }


def differences(reference: Answer, other: Answer, compare_page: bool) -> list[str]:
    """How ``other`` differs from the API's ``reference`` answer (empty when it agrees)."""
    found = []
    if other.get("timed_out"):
        found.append(f"facets timed out: {other['timed_out']}")
    if reference["total"] != other["total"]:
        found.append(f"total {other['total']} (API {reference['total']})")
    for name in ("city", "level", "kind", "topic"):
        if reference["facets"].get(name, {}) != other["facets"].get(name, {}):
            found.append(f"{name} facet differs")
    ref_docs, docs = reference["facets"].get("document", {}), other["facets"].get("document", {})
    common = ref_docs.keys() & docs.keys()
    top = sorted(docs.values(), reverse=True)[: len(ref_docs)]
    if any(ref_docs[d] != docs[d] for d in common) or top != sorted(ref_docs.values(), reverse=True):
        found.append("document facet differs")
    if compare_page and reference["ids"] != other["ids"]:
        found.append("page differs")
    return found


def check(references: dict[str, Answer], answers: dict[str, Answer], compare_page: bool) -> dict[str, Any]:
    """Answers keyed by the API target they correspond to: how many were checked and every difference."""
    problems = {
        target: diff
        for target in references
        if (diff := differences(references[target], answers[target], compare_page))
    }
    return {"checked": len(references), "agree": len(references) - len(problems), "differences": problems}
