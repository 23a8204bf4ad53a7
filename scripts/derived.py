"""Stage 5b: resources derived from the tagged clauses: text reuse, citations, measures, works and versions. Pure."""

from __future__ import annotations

from typing import Any

from scripts.changes import version_changes
from scripts.citations import extract_citations, unresolved_targets
from scripts.measures import extract_measures
from scripts.similarity import similar_pairs
from scripts.works import consecutive_pairs, version_rows, work_rows

Row = dict[str, Any]


def derive(documents: list[Row], clauses: list[Row]) -> dict[str, list[Row]]:
    versions = version_rows(documents, clauses)
    citations = extract_citations(clauses, documents, versions)
    return {
        "clause_similar": similar_pairs(clauses),
        "citations": citations,
        "unresolved_citations": unresolved_targets(citations),
        "measures": extract_measures(clauses),
        "works": work_rows(documents, versions),
        "versions": versions,
        "clause_changes": clause_changes(clauses, versions),
    }


def clause_changes(clauses: list[Row], versions: list[Row]) -> list[Row]:
    """Article- and 款-level changes between every pair of consecutive versions, by work."""
    by_doc: dict[str, list[Row]] = {}
    for clause in clauses:
        by_doc.setdefault(clause["document_id"], []).append(clause)
    rows: list[Row] = []
    for work, old, new in consecutive_pairs(versions):
        rows.extend(version_changes(work, old, new, by_doc.get(old, []), by_doc.get(new, [])))
    return rows
