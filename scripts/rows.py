"""Stage 4: turn a document's clause tree into rows with derived, stable IDs. Pure functions."""

from __future__ import annotations

from typing import Any

from scripts.ids import build_clause_id, segment
from scripts.legal import Article, Heading
from scripts.numbering import int_to_cn
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
                    meta.source_file,
                    child.line_start,
                    f"clause ID {clause_id} is derived twice (also from line {seen[clause_id]})",
                    "two nodes share a numbering path; check the numbering of this part of the document",
                )
            seen[clause_id] = child.line_start
            rows.append(
                {
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
                }
            )
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
        "legal_rank": meta.legal_rank,
        "date_adopted": meta.dates.adopted,
        "date_approved": meta.dates.approved,
        "date_promulgated": meta.dates.promulgated,
        "date_revised": list(meta.dates.revised),
        "date_effective": meta.dates.effective,
        "dates_stated_in": meta.dates.stated_in,
        "source_repository": meta.provenance.repository,
        "source_commit": meta.provenance.commit,
        "source_path": meta.provenance.path,
    }


def legal_rows(meta: DocumentMeta, root: Heading) -> list[Row]:
    """Rows of a legal text: headings, articles, 款 (when an article has two or more), 项 and 目.

    IDs follow the legal citation: ``art21`` for 第二十一条 wherever its chapter is, ``art21.p2`` for
    its 第二款, ``art21.p2.3`` (or ``art21.3`` in an article of one 款) for 第三项, one more number
    for a 目. ``numbering`` is the citation itself (第二十一条第二款第三项).
    """
    rows: list[Row] = []

    def add(
        kind: str,
        path: tuple[str, ...],
        citation: str,
        parent_id: str,
        depth: int,
        heading: str,
        text: str,
        line: int,
        line_end: int = 0,
    ) -> str:
        clause_id = build_clause_id(meta.id, path)
        rows.append(
            {
                "id": clause_id,
                "document_id": meta.id,
                "seq": len(rows) + 1,
                "kind": kind,
                "depth": depth,
                "numbering": citation,
                "parent_id": parent_id,
                "heading": heading,
                "text": text,
                "topics": [],
                "city": meta.city,
                "level": meta.level,
                "source_file": meta.source_file,
                "line_start": line,
                "line_end": line_end or line,
            }
        )
        return clause_id

    if root.preamble:
        first, last = root.preamble[0][0], root.preamble[-1][0]
        add("preamble", ("preamble",), "序言", "", 0, "", "\n".join(t for _, t in root.preamble), first, last)
    _legal_walk(root, (), "", "", 0, add)
    return rows


def _legal_walk(node: Heading, path: tuple[str, ...], citation: str, parent_id: str, depth: int, add: Any) -> None:
    for child in node.children:
        if isinstance(child, Heading):
            child_path, child_citation = (*path, child.segment), citation + child.citation
            kind = "section" if child.marker == "节" else "part"
            cid = add(kind, child_path, child_citation, parent_id, depth, child.title, "", child.line, child.line_end)
            _legal_walk(child, child_path, child_citation, cid, depth + 1, add)
        else:
            _article_rows(child, parent_id, depth, add)


def _article_rows(article: Article, parent_id: str, depth: int, add: Any) -> None:
    path: tuple[str, ...] = (article.segment,)
    citation = article.citation
    single = len(article.paras) == 1
    text = article.paras[0].text if single else ""
    art_id = add("article", path, citation, parent_id, depth, "", text, article.line)
    for n, para in enumerate(article.paras, start=1):
        para_path, para_citation, para_id = path, citation, art_id
        if not single:
            para_path, para_citation = (*path, f"p{n}"), f"{citation}第{int_to_cn(n)}款"
            para_id = add("paragraph", para_path, para_citation, art_id, depth + 1, "", para.text, para.line)
        item_depth = depth + (1 if single else 2)
        for item in para.items:
            item_path = (*para_path, str(item.number))
            item_citation = f"{para_citation}第{int_to_cn(item.number)}项"
            item_id = add("item", item_path, item_citation, para_id, item_depth, "", item.text, item.line)
            for sub in item.subitems:
                add(
                    "item",
                    (*item_path, str(sub.number)),
                    f"{item_citation}第{int_to_cn(sub.number)}目",
                    item_id,
                    item_depth + 1,
                    "",
                    sub.text,
                    sub.line,
                )
