"""References to a clause or a document of a release, built from the document's metadata (:mod:`api.cite_formats`).

The legal rank and the dates are read from the store's documents table, which keeps every field of the
release's ``documents.csv``; a package without them (release 1.0.0) has them empty and is cited from the
columns it has. A version is dated by its latest revision when the law has been revised more than once.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from api.cite_formats import DATE_FIELDS, EXTENSIONS, FORMATS, Work, render
from api.models import ClauseDetail, DocumentSummary
from api.store import Release
from api.store_tables import list_items

EXTRA_FIELDS = ("legal_rank", *DATE_FIELDS)


def extra_metadata(rel: Release, document_id: str) -> dict[str, str]:
    """A document's legal rank and dates (``date_revised``: its latest revision); empty where the package has none."""
    row = rel.db.execute(f"SELECT {', '.join(EXTRA_FIELDS)} FROM documents WHERE id = ?", (document_id,)).fetchone()
    values = dict(zip(EXTRA_FIELDS, row, strict=True)) if row is not None else dict.fromkeys(EXTRA_FIELDS, "")
    revised = list_items("documents", "date_revised", values["date_revised"] or "")
    values["date_revised"] = revised[-1] if revised else ""
    return {k: v or "" for k, v in values.items()}


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
