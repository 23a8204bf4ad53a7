"""Stage 5b: the tables derived from the tagged clauses (text reuse, citations, measures …). Pure.

Each table of the ``derive`` stage names its extractor in :mod:`schemas.registry`; this stage calls them all.
"""

from __future__ import annotations

from typing import Any

from schemas import registry

Row = dict[str, Any]


def derive(documents: list[Row], clauses: list[Row]) -> dict[str, list[Row]]:
    return {t.name: t.extractor()(documents=documents, clauses=clauses) for t in registry.produced_by("derive")}
