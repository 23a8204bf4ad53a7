"""GET /documents and GET /documents/{document_id}."""

from __future__ import annotations

from litestar import Controller, get

from api import vocab
from api.lookups import document_not_found, document_or_404
from api.models import CitedByList, DocumentList, DocumentResponse, ItemMeta, ListMeta
from api.params import (
    DEFAULT_LIMIT,
    Checker,
    Cities,
    DocTypes,
    DocumentId,
    Levels,
    Limit,
    Offset,
    Release_,
    resolve_release,
)
from api.records import cited_by, documents
from api.routes.common import ERRORS, STRICT_QUERY, StoreDep


class DocumentController(Controller):
    path = "/documents"
    tags = ("documents",)

    @get(
        "/",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="List documents",
        description="The policy documents of a release in document order (by jurisdiction, then as published in the "
        "data package), optionally filtered by `city`, `level` and `doc_type`, with their clause counts.",
        responses=ERRORS,
    )
    def list_documents(
        self,
        store: StoreDep,
        city: Cities = None,
        level: Levels = None,
        doc_type: DocTypes = None,
        release: Release_ = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> DocumentList:
        rel = resolve_release(store, release)
        check = Checker()
        cities = check.vocabulary("city", city, vocab.CITIES)
        levels = check.vocabulary("level", level, vocab.LEVELS)
        doc_types = check.vocabulary("doc_type", doc_type, vocab.DOC_TYPES)
        check.raise_if_any()
        start = offset
        total, data = documents(rel, cities, levels, doc_types, limit, start)
        return DocumentList(
            data=data,
            meta=ListMeta(total=total, limit=limit, offset=start, next_cursor=None, release=rel.version),
        )

    @get(
        "/{document_id:str}",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="One document, with its outline",
        description="The document's metadata and its outline: every clause as a tree of nodes (ID, kind, numbering "
        "and heading), nested as in the document.",
        responses=ERRORS,
    )
    def get_document(self, store: StoreDep, document_id: DocumentId, release: Release_ = None) -> DocumentResponse:
        rel = resolve_release(store, release)
        return DocumentResponse(data=document_or_404(rel, document_id), meta=ItemMeta(release=rel.version))

    @get(
        "/{document_id:str}/cited-by",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="Documents that cite this one",
        description="Every document of the release with a clause that refers to this document (by its title in "
        "《》 or its document number, resolved at build time), in document order, each with the references: the "
        "citing clause, the span of its text and how the reference is written.",
        responses=ERRORS,
    )
    def get_cited_by(self, store: StoreDep, document_id: DocumentId, release: Release_ = None) -> CitedByList:
        rel = resolve_release(store, release)
        data = cited_by(rel, document_id) if vocab.DOC_ID_RE.match(document_id) else None
        if data is None:
            raise document_not_found(rel, document_id)
        return CitedByList(
            data=data, meta=ListMeta(total=len(data), limit=len(data), offset=0, next_cursor=None, release=rel.version)
        )
