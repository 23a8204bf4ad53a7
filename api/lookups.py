"""One clause or document by ID, or a 404 that names the release: shared by the JSON, CSV and HTML routes."""

from __future__ import annotations

from api import vocab
from api.models import ClauseDetail, DocumentDetail
from api.problems import not_found
from api.records import clause_detail, document_detail
from api.store import Release


def clause_or_404(rel: Release, clause_id: str) -> ClauseDetail:
    detail = clause_detail(rel, clause_id) if vocab.CLAUSE_ID_RE.match(clause_id) else None
    if detail is None:
        raise not_found(f"No clause {clause_id!r} in release {rel.version}.")
    return detail


def document_or_404(rel: Release, document_id: str) -> DocumentDetail:
    detail = document_detail(rel, document_id) if vocab.DOC_ID_RE.match(document_id) else None
    if detail is None:
        raise not_found(f"No document {document_id!r} in release {rel.version}.")
    return detail
