"""Stage 4: turn a document's clause tree into rows with derived, stable IDs. Pure functions."""

from __future__ import annotations

from typing import Any

from scripts.ids import build_clause_id, segment
from scripts.segment import Node, SegmentError, node_heading, node_text
from scripts.sources import DocumentMeta

Row = dict[str, Any]


def node_segment(node: Node) -> str:
    """The ID segment of a node: its number for numbered nodes, p2 / b3 / box1 / fn1 / preamble otherwise."""
    if node.kind in ("part", "section", "item"):
        return str(node.number)
    return segment(node.kind, node.number or 1)


def node_label(node: Node) -> str:
    return "前言" if node.kind == "preamble" else node.label


def clause_rows(meta: DocumentMeta, root: Node) -> list[Row]:
    """One row per node, in document order."""
    rows: list[Row] = []
    seen: dict[str, int] = {}

    def walk(node: Node, path: tuple[str, ...], labels: tuple[str, ...], parent_id: str) -> None:
        for child in node.children:
            child_path = (*path, node_segment(child))
            child_labels = (*labels, node_label(child))
            clause_id = build_clause_id(meta.id, child_path)
            if clause_id in seen:
                raise SegmentError(
                    meta.source_file, child.line_start,
                    f"clause ID {clause_id} is derived twice (also from line {seen[clause_id]})",
                    "two nodes share a numbering path; check the numbering of this part of the document",
                )
            seen[clause_id] = child.line_start
            rows.append({
                "id": clause_id,
                "document_id": meta.id,
                "seq": len(rows) + 1,
                "kind": child.kind,
                "depth": len(child_path) - 1,
                "numbering": "/".join(child_labels),
                "parent_id": parent_id,
                "heading": node_heading(child),
                "text": node_text(child),
                "topics": [],
                "city": meta.city,
                "level": meta.level,
                "source_file": meta.source_file,
                "line_start": child.line_start,
                "line_end": child.line_end,
            })
            walk(child, child_path, child_labels, clause_id)

    walk(root, (), (), "")
    return rows


def document_row(meta: DocumentMeta) -> Row:
    return {
        "id": meta.id,
        "title": meta.title,
        "title_en": meta.title_en,
        "doc_number": meta.doc_number,
        "issuers": list(meta.issuers),
        "city": meta.city,
        "level": meta.level,
        "doc_type": meta.doc_type,
        "date_issued": meta.date_issued,
        "date_published": meta.date_published,
        "source_url": meta.source_url,
        "source_file": meta.source_file,
        "source_sha256": meta.source_sha256,
        "version_note": meta.version_note,
    }
