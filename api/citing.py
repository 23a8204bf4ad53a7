"""References to a clause or a document of a release, built from the document's metadata (:mod:`api.cite_formats`).

The store keeps the columns every release has; fields that only some packages record
(``legal_rank`` and the dates of laws: ``date_promulgated``, ``date_adopted``,
``date_effective``…) are read from the release's own ``documents.csv`` when present,
so a package without them is cited from the columns it has.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from api.cite_formats import DATE_FIELDS, EXTENSIONS, FORMATS, Work, render
from api.models import ClauseDetail, DocumentSummary
from api.store import Release

EXTRA_FIELDS = ("legal_rank", *DATE_FIELDS)


@lru_cache(maxsize=16)
def _extra_metadata(path: Path, mtime_ns: int) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["id"]: {k: (row.get(k) or "") for k in EXTRA_FIELDS} for row in csv.DictReader(f)}


def extra_metadata(rel: Release, document_id: str) -> dict[str, str]:
    """The optional fields of a document (legal rank, dates of laws): empty strings where the package has none."""
    path = rel.package.resource_path("documents")
    if path is None or not path.is_file():
        return dict.fromkeys(EXTRA_FIELDS, "")
    rows = _extra_metadata(path, path.stat().st_mtime_ns)
    return rows.get(document_id) or dict.fromkeys(EXTRA_FIELDS, "")


def _work(
    rel: Release, doc: DocumentSummary, base_url: str, path: str, cited_id: str, numbering: str, source_url: str = ""
) -> Work:
    from api.explorer.outline import dataset_title  # the explorer's pages import this module
    from api.explorer.urls import pinned

    extra = extra_metadata(rel, doc.id)
    dates = {**extra, "date_published": doc.date_published, "date_issued": doc.date_issued}
    date = next((dates[f] for f in DATE_FIELDS if dates.get(f)), "")
    return Work(
        id=cited_id,
        title=doc.title,
        title_en=doc.title_en,
        issuers=tuple(doc.issuers),
        doc_number=doc.doc_number,
        date=date,
        legal_rank=extra["legal_rank"] or doc.doc_type,
        url=base_url.rstrip("/") + pinned(path, rel.version),
        accessed=dt.datetime.now(dt.UTC).date().isoformat(),
        dataset=dataset_title(rel),
        release=rel.version,
        numbering=numbering,
        source_url=source_url,
    )


def clause_work(rel: Release, clause: ClauseDetail, base_url: str) -> Work:
    from api.explorer.urls import clause_path

    return _work(rel, clause.document, base_url, clause_path(clause.id), clause.id, clause.numbering)


def document_work(rel: Release, doc: DocumentSummary, base_url: str, source_url: str = "") -> Work:
    from api.explorer.urls import document_path

    return _work(rel, doc, base_url, document_path(doc.id), doc.id, "", source_url)


FORMAT_LABELS = {
    "gbt7714": "GB/T 7714-2015",
    "bibtex": "BibTeX",
    "ris": "RIS (Zotero, EndNote)",
    "csl-json": "CSL-JSON",
    "text": "Text",
}


def cite_choices(work: Work, cite_path: str) -> list[dict[str, str]]:
    """Every format of ``work``'s reference, with the URL that downloads it (for the explorer's pages)."""
    return [
        {
            "name": fmt,
            "label": FORMAT_LABELS[fmt],
            "text": render(work, fmt),
            "extension": EXTENSIONS[fmt],
            "download_url": f"{cite_path}?{urlencode({'format': fmt, 'release': work.release, 'download': 'true'})}",
        }
        for fmt in FORMATS
    ]
