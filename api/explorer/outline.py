"""A document's clauses as a tree (the outline of GET /documents/{id}, with each clause's text), and citations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from api.models import ClauseDetail, ClauseHit, DocumentDetail, OutlineNode
from api.records import clauses_by_number
from api.store import Release
from scripts.legal import own_label

EXCERPT_CHARS = 28
DATASET_TITLE = "Chinese fintech policy, clause by clause"


@dataclass
class Node:
    clause: ClauseHit
    children: list[Node] = field(default_factory=list)

    @property
    def number(self) -> str:
        """The clause's own number as printed: 二, （四）, 第三章; in a legal text 第七条, 第二款, （二）."""
        return own_label(self.clause.numbering.rsplit("/", 1)[-1])

    @property
    def label(self) -> str:
        """The clause's own number and heading, or the start of its text when it has no heading."""
        number = self.number
        text = self.clause.heading or self.clause.text
        if len(text) > EXCERPT_CHARS and not self.clause.heading:
            text = text[:EXCERPT_CHARS] + "…"
        return f"{number} {text}".strip()


def body(clause: ClauseHit | ClauseDetail) -> tuple[str, str]:
    """The clause's heading and the rest of its text (texts often start with their heading)."""
    heading, text = clause.heading, clause.text
    if heading and text.startswith(heading):
        return heading, text[len(heading) :]
    return heading, text


def document_tree(rel: Release, document: DocumentDetail) -> list[Node]:
    """The document's outline, each node holding its whole clause."""
    info = rel.document_by_id[document.id]
    clauses = {c.id: c for c in clauses_by_number(rel, list(range(info.first_n, info.last_n + 1)), None)}

    def build(nodes: list[OutlineNode]) -> list[Node]:
        return [Node(clauses[n.id], build(n.children)) for n in nodes]

    return build(document.outline)


def walk(nodes: list[Node]) -> Iterator[Node]:
    """The nodes in reading order."""
    for node in nodes:
        yield node
        yield from walk(node.children)


def dataset_title(rel: Release) -> str:
    title = rel.descriptor.get("title")
    return title if isinstance(title, str) and title else DATASET_TITLE


def citation(clause: ClauseDetail, version: str, dataset: str, url: str) -> str:
    """``《title》（文号）numbering [id]. Dataset, release X.Y.Z. URL`` (the URL pinned to the release)."""
    doc = clause.document
    source = f"《{doc.title}》" + (f"（{doc.doc_number}）" if doc.doc_number else "")
    return f"{source}{clause.numbering} [{clause.id}]. {dataset}, release {version}. {url}"
