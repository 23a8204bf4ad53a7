"""Stage 5b: resources derived from the tagged clauses: text reuse, citations and measures. Pure."""

from __future__ import annotations

from typing import Any

from scripts.citations import extract_citations
from scripts.measures import extract_measures
from scripts.similarity import similar_pairs

Row = dict[str, Any]


def derive(documents: list[Row], clauses: list[Row]) -> dict[str, list[Row]]:
    return {
        "clause_similar": similar_pairs(clauses),
        "citations": extract_citations(clauses, documents),
        "measures": extract_measures(clauses),
    }
