"""One clause or document by ID, or a 404 that names the release: shared by the JSON, CSV and HTML routes."""

from __future__ import annotations

from collections.abc import Iterable

from api import vocab
from api.models import ClauseDetail, DocumentDetail
from api.problems import ApiProblem, not_found
from api.records import clause_detail, document_detail
from api.store import Release


def clause_not_found(rel: Release, clause_id: str) -> ApiProblem:
    return not_found(f"No clause {clause_id!r} in release {rel.version}.")


def document_not_found(rel: Release, document_id: str) -> ApiProblem:
    return not_found(f"No document {document_id!r} in release {rel.version}.")


def clause_or_404(rel: Release, clause_id: str) -> ClauseDetail:
    detail = clause_detail(rel, clause_id) if vocab.CLAUSE_ID_RE.match(clause_id) else None
    if detail is None:
        raise clause_not_found(rel, clause_id)
    return detail


def document_or_404(rel: Release, document_id: str) -> DocumentDetail:
    detail = document_detail(rel, document_id) if vocab.DOC_ID_RE.match(document_id) else None
    if detail is None:
        raise document_not_found(rel, document_id)
    return detail


def require_documents(rel: Release, document_ids: Iterable[str]) -> None:
    """404 for the first of ``document_ids`` (a list filter) that the release does not have."""
    unknown = [d for d in document_ids if d not in rel.document_by_id]
    if unknown:
        raise not_found(f"No document {unknown[0]!r} in release {rel.version}; see GET /documents.")
