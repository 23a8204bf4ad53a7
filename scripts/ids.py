"""Clause IDs: one regex defines them, one function builds them, one parses them.

A clause ID is the document ID followed by the clause's structural position,
one dot-separated segment per level of the document's own numbering:

    qingdao-2021.2.4          二、 / （四）
    pboc-2019.3.1.1           第三章 / 第一节 / （一）
    shenzhen-2023.3.1.box1    三、 / （一） / 专栏1
    pboc-2019.1.1.p2          第一章 / 第一节 / 2nd unnumbered paragraph
    pboc-2019.1.1.p1.fn1      its footnote 1
    pboc-2019.2.2.b3          第二章 / 第二节 / 3rd dash bullet
    qingdao-2021.preamble     the preamble

Legal texts (articles 第N条) are cited by article, numbered through the document, so an article's
ID does not carry its chapter (scripts.legal, scripts.rows.legal_rows):

    pipl-2021.ch2             第二章               pipl-2021.ch2.sec1    第二章第一节
    pipl-2021.art21           第二十一条           pipl-2021.art17-1     第十七条之一
    pipl-2021.art21.p2        第二十一条第二款     pipl-2021.art21.p2.3  第二十一条第二款第三项
    pipl-2021.art13.3         第十三条第三项 (an article of one 款); one more number for a 目
    civil-code-2020.bk1.ch2   第一编第二章         civil-code-2020.bk1.sbk2  第一编第二分编

Segments are numbers for numbered nodes and a short prefix plus a number for
the unnumbered kinds, so IDs depend on structure, never on text or row order.
"""

from __future__ import annotations

import re
from typing import NamedTuple

DOC_ID_PATTERN = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
SEGMENT_PATTERN = (
    r"(?:[1-9][0-9]*|p[1-9][0-9]*|b[1-9][0-9]*|box[1-9][0-9]*|fn[1-9][0-9]*|preamble"
    r"|art[1-9][0-9]*(?:-[1-9][0-9]*)?|bk[1-9][0-9]*|sbk[1-9][0-9]*|ch[1-9][0-9]*|sec[1-9][0-9]*)"
)
CLAUSE_ID_PATTERN = rf"(?P<document>{DOC_ID_PATTERN})\.(?P<path>{SEGMENT_PATTERN}(?:\.{SEGMENT_PATTERN})*)"

DOC_ID_RE = re.compile(rf"^{DOC_ID_PATTERN}$")
CLAUSE_ID_RE = re.compile(rf"^{CLAUSE_ID_PATTERN}$")

#: Prefix of the ID segment of each unnumbered kind.
SEGMENT_PREFIX = {"paragraph": "p", "bullet": "b", "box": "box", "footnote": "fn"}


class ClauseRef(NamedTuple):
    document_id: str
    path: tuple[str, ...]


def segment(kind: str, number: int) -> str:
    """The ID segment of one node: ``4`` for a numbered node, ``p2`` for a paragraph."""
    if kind == "preamble":
        return "preamble"
    if number < 1:
        raise ValueError(f"clause numbers start at 1, got {number}")
    return f"{SEGMENT_PREFIX.get(kind, '')}{number}"


def build_clause_id(document_id: str, path: tuple[str, ...] | list[str]) -> str:
    """Join a document ID and the segments of a numbering path into a clause ID."""
    clause_id = ".".join([document_id, *path])
    if not CLAUSE_ID_RE.match(clause_id):
        raise ValueError(f"not a valid clause ID: {clause_id!r}")
    return clause_id


def split_clause_id(clause_id: str) -> ClauseRef:
    """Parse a clause ID into its document ID and path segments."""
    m = CLAUSE_ID_RE.match(clause_id)
    if not m:
        raise ValueError(
            f"not a valid clause ID: {clause_id!r} (expected e.g. 'qingdao-2021.2.4': a document ID, "
            "then dot-separated numbers or p/b/box/fn-prefixed numbers)"
        )
    return ClauseRef(m["document"], tuple(m["path"].split(".")))


def parent_clause_id(clause_id: str) -> str | None:
    """The ID of the enclosing clause, or None for a top-level clause."""
    ref = split_clause_id(clause_id)
    if len(ref.path) == 1:
        return None
    return build_clause_id(ref.document_id, ref.path[:-1])
