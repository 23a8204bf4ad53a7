"""GET /clauses/{clause_id}/cite and GET /documents/{document_id}/cite: a reference in a chosen format."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.openapi.spec import Example
from litestar.params import QueryParameter

from api.cite_formats import EXTENSIONS, FORMATS, MEDIA_TYPES, Work, render
from api.citing import clause_work, document_work
from api.lookups import clause_or_404, document_or_404
from api.params import Checker, ClauseId, DocumentId, Release_, resolve_release
from api.public_url import public_base
from api.routes.common import ERRORS, STRICT_QUERY, StoreDep

CiteFormat = Annotated[
    str,
    QueryParameter(
        required=False,
        description="`gbt7714` (GB/T 7714-2015, `[EB/OL]`, the form of Chinese academic writing; the default), "
        "`bibtex`, `ris` (reference managers: Zotero, EndNote), `csl-json` or `text`.",
        examples=[Example(summary="BibTeX", value="bibtex")],
        schema_extra={"enum": list(FORMATS)},
    ),
]
Download = Annotated[
    bool,
    QueryParameter(
        required=False,
        description="When true, sent as a file to save (`Content-Disposition: attachment`) rather than shown.",
        examples=[Example(summary="save as a file", value=True)],
    ),
]

DESCRIPTION = (
    "A reference to the {what}, pinned to the release it is read from: the issuing body as author, the title, the "
    "document number (文号), the date of promulgation or publication, the legal rank when the package records one, "
    "and the URL of the {what} in this release. GB/T 7714-2015 types laws, regulations and policies read online as "
    "electronic announcements: `主要责任者. 题名: 文号[EB/OL]. (日期)[引用日期]. URL.`"
)


#: What both cite routes declare alike.
ROUTE: dict[str, Any] = {
    "opt": STRICT_QUERY,
    "sync_to_thread": True,
    "responses": ERRORS,
    "media_type": "text/plain",
}


def _response(work: Work, fmt: str, download: bool) -> Response[str]:
    headers = {}
    if download:
        headers["Content-Disposition"] = f'attachment; filename="{work.id}.{EXTENSIONS[fmt]}"'
    return Response(content=render(work, fmt), media_type=MEDIA_TYPES[fmt], headers=headers)


def _format(fmt: str | None) -> str:
    check = Checker()
    chosen = check.choice("format", fmt, FORMATS, "gbt7714")
    check.raise_if_any()
    return chosen


@get(
    "/clauses/{clause_id:str}/cite",
    tags=["clauses"],
    summary="Cite a clause",
    description=DESCRIPTION.format(what="clause"),
    **ROUTE,
)
def cite_clause(
    request: Request[Any, Any, Any],
    store: StoreDep,
    clause_id: ClauseId,
    format: CiteFormat = "gbt7714",
    release: Release_ = None,
    download: Download = False,
) -> Response[str]:
    fmt = _format(format)
    rel = resolve_release(store, release)
    return _response(clause_work(rel, clause_or_404(rel, clause_id), public_base(request)), fmt, download)


@get(
    "/documents/{document_id:str}/cite",
    tags=["documents"],
    summary="Cite a document",
    description=DESCRIPTION.format(what="document"),
    **ROUTE,
)
def cite_document(
    request: Request[Any, Any, Any],
    store: StoreDep,
    document_id: DocumentId,
    format: CiteFormat = "gbt7714",
    release: Release_ = None,
    download: Download = False,
) -> Response[str]:
    fmt = _format(format)
    rel = resolve_release(store, release)
    doc = document_or_404(rel, document_id)
    return _response(document_work(rel, doc, public_base(request), doc.source_url), fmt, download)
