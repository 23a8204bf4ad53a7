"""GET /documents and GET /documents/{document_id}."""

from __future__ import annotations

from typing import ClassVar

from litestar import Controller, get

from api import vocab
from api.lookups import document_or_404
from api.models import DocumentList, DocumentResponse, ItemMeta, ListMeta
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
from api.records import documents
from api.routes.common import ERRORS, STRICT_QUERY, StoreDep


class DocumentController(Controller):
    path = "/documents"
    tags: ClassVar[list[str]] = ["documents"]

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
