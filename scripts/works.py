"""Stage 5a: works (one law over time) and their versions, with the dates that bound each. Pure functions.

A document's work ID is its document ID without the trailing year (``aml-law-2024`` → ``aml-law``):
documents that share a work ID are versions of one work, ordered by the date they came into force; every
other document is a work of one version.

A version is in force from (``in_force_from``, with ``in_force_basis`` saying where the date comes from):

1. ``effective``: the effective date of the document's metadata record, where the source states one;
2. ``commencement``: the date of the text's own commencement article (本法自2007年1月1日起施行);
3. ``promulgated``: the promulgation date of the metadata record;
4. ``issued``: the date the document was issued (for documents that are not laws);

and until (``in_force_until``, exclusive) the next version's start; the latest version has no end.
``as_of`` questions are answered by :func:`in_force_on`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Row = dict[str, Any]

WORK_ID_RE = re.compile(r"^(?P<work>[a-z][a-z0-9-]*?)-(?:19|20)[0-9]{2}$")
#: Metadata fields tried in order, with the basis recorded when one gives the date.
DATE_FIELDS = (("date_effective", "effective"), ("date_promulgated", "promulgated"), ("date_issued", "issued"))
BASES = {
    "effective": "the effective date stated in the source's header",
    "commencement": "the date of the text's own commencement article (…自…起施行)",
    "promulgated": "the promulgation date stated in the source's header",
    "issued": "the date the document was issued",
}
COMMENCEMENT_RE = re.compile(r"本(?:法|条例|规定|办法|细则|决定)自(\d{4})年(\d{1,2})月(\d{1,2})日起施行")
VERSION_COLUMNS = (
    "document_id",
    "work_id",
    "version",
    "in_force_from",
    "in_force_basis",
    "in_force_until",
    "previous_document_id",
    "next_document_id",
)
WORK_COLUMNS = ("id", "title", "versions", "first_document_id", "latest_document_id")


def work_id(document_id: str) -> str:
    m = WORK_ID_RE.match(document_id)
    return m["work"] if m else document_id


def commencement_date(clauses: Iterable[Mapping[str, Any]]) -> str:
    """The date of the last commencement article of one document's clauses, or ''."""
    found = ""
    for clause in clauses:
        m = COMMENCEMENT_RE.search(str(clause.get("text") or ""))
        if m:
            found = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    return found


def start_date(document: Mapping[str, Any], commencement: str) -> tuple[str, str]:
    """(in_force_from, in_force_basis) of one document."""
    effective = str(document.get("date_effective") or "")
    if effective:
        return effective, "effective"
    if commencement:
        return commencement, "commencement"
    for field, basis in DATE_FIELDS[1:]:
        value = str(document.get(field) or "")
        if value:
            return value, basis
    return "", ""


def version_rows(documents: Sequence[Mapping[str, Any]], clauses: Iterable[Mapping[str, Any]]) -> list[Row]:
    """One row per document, by work and then by start date."""
    by_doc: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for clause in clauses:
        by_doc[str(clause["document_id"])].append(clause)
    works: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for doc in documents:
        start, basis = start_date(doc, commencement_date(by_doc.get(str(doc["id"]), [])))
        works[work_id(str(doc["id"]))].append((start, str(doc["id"]), basis))
    rows: list[Row] = []
    for wid in sorted(works):
        chain = sorted(works[wid])
        for i, (start, doc_id, basis) in enumerate(chain):
            nxt = chain[i + 1] if i + 1 < len(chain) else None
            rows.append(
                {
                    "document_id": doc_id,
                    "work_id": wid,
                    "version": i + 1,
                    "in_force_from": start,
                    "in_force_basis": basis,
                    "in_force_until": nxt[0] if nxt else "",
                    "previous_document_id": chain[i - 1][1] if i else "",
                    "next_document_id": nxt[1] if nxt else "",
                }
            )
    return rows


def work_rows(documents: Sequence[Mapping[str, Any]], versions: Sequence[Mapping[str, Any]]) -> list[Row]:
    """One row per work: the title of its latest version, how many versions, the first and the latest."""
    titles = {str(d["id"]): str(d["title"]) for d in documents}
    chains: dict[str, list[str]] = defaultdict(list)
    for v in versions:
        chains[str(v["work_id"])].append(str(v["document_id"]))
    return [
        {
            "id": wid,
            "title": titles[chain[-1]],
            "versions": len(chain),
            "first_document_id": chain[0],
            "latest_document_id": chain[-1],
        }
        for wid, chain in sorted(chains.items())
    ]


def in_force_on(version: Mapping[str, Any], date: str) -> bool:
    """Whether a version is in force on ``date`` (YYYY-MM-DD); an unknown start counts as always."""
    start, until = str(version.get("in_force_from") or ""), str(version.get("in_force_until") or "")
    return start <= date and (not until or date < until)


def consecutive_pairs(versions: Sequence[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """(work ID, older document, newer document) for every pair of consecutive versions."""
    return [
        (str(v["work_id"]), str(v["previous_document_id"]), str(v["document_id"]))
        for v in versions
        if v["previous_document_id"]
    ]


def derive(documents: list[Row], clauses: list[Row]) -> list[Row]:
    """The ``versions`` table (the extractor the registry names)."""
    return version_rows(documents, clauses)


def derive_works(documents: list[Row], clauses: list[Row]) -> list[Row]:
    """The ``works`` table (the extractor the registry names)."""
    return work_rows(documents, version_rows(documents, clauses))
