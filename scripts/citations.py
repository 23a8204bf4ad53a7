"""References from clauses to other documents: 《titles》 and document numbers (文号). Pure functions.

Three kinds of reference are found in a clause's ``text``:

- ``title+doc_number``: a title in 《》 immediately followed by its document number in brackets,
  e.g. 《金融科技（FinTech）发展规划（2019-2021年）》（银发〔2019〕209号）. The bracket may also hold
  文 / 文印发 / 印发 after the number (（国发〔2015〕50号文印发）) and may be full- or half-width.
- ``title``: any other title in 《》 (nested 《》 are kept inside the outer title).
- ``doc_number``: a document number standing on its own: an issuer abbreviation, a four-digit year
  in 〔〕 (or [] ［］ () （） 【】), a serial number and 号, e.g. 银发〔2018〕325号, 国发〔2015〕5号.

References are resolved against the documents of the data set, first by document number, then by
title. Both sides are normalised for the comparison: document numbers to the 〔year〕 form without
spaces; titles by folding full-width letters, digits and brackets to half-width, mapping every dash
(— – － ‐ ― ~ ～) to ``-``, dropping whitespace and ignoring letter case. So Chongqing's
《金融科技(FinTech)发展规划(2019—2021年)》 resolves to ``pboc-2019``. A clause that cites its own
document is resolved too. Unresolved references are kept with an empty ``document_id``.

Output rows (``extract_citations``), in this column order, in clause order and then by position:

- ``clause_id``: ID of the citing clause.
- ``seq``: 1-based number of the reference within the clause, in order of position.
- ``kind``: ``title``, ``doc_number`` or ``title+doc_number`` (see above).
- ``text``: the reference exactly as written, including 《》 and brackets.
- ``start``: 0-based offset of the reference in the clause's ``text``.
- ``end``: offset just past the reference, so ``text[start:end]`` of the clause is the reference.
- ``cited_title``: the title as written, without 《》; empty for ``doc_number``.
- ``cited_doc_number``: the document number normalised to the 〔year〕 form without spaces
  (银发〔2018〕325号); empty for ``title``.
- ``document_id``: ID of the cited document when it is in the data set, else empty.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from schemas import registry
from scripts.ids import split_clause_id

Row = dict[str, Any]

COLUMNS = tuple(registry.field_names("citations"))

_OPEN_YEAR = re.escape("〔[［(（【")
_CLOSE_YEAR = re.escape("〕]］)）】")
DOC_NUMBER = (
    rf"(?P<issuer>[\u4e00-\u9fff]{{1,8}}?)\s*[{_OPEN_YEAR}]\s*(?P<year>(?:19|20)\d\d)\s*[{_CLOSE_YEAR}]"
    r"\s*第?\s*(?P<serial>\d{1,5})\s*号"
)
DOC_NUMBER_RE = re.compile(DOC_NUMBER)
# A title followed by its document number in brackets, possibly with 文 / 文印发 / 印发 after the number.
NUMBER_BRACKET_RE = re.compile(rf"\s*[（(]\s*(?P<number>{DOC_NUMBER})\s*(?:文件?)?(?:印发)?\s*[）)]")
# Words that end up in front of a bare document number's issuer but are not part of it.
LEADING_WORDS = re.compile(r"^(?:根据|依据|按照|参照|结合|落实|贯彻|执行|印发|转发|参见|详见|见|和|及|与|以及|或)+")
DASHES = dict.fromkeys(map(ord, "—–－‐‑‒―─~～"), "-")


def normalise_doc_number(number: str) -> str:
    """银发[2019] 209号, 银发（2019）209号 → 银发〔2019〕209号; empty when it is not a document number."""
    m = DOC_NUMBER_RE.fullmatch(number.strip())
    if not m:
        return ""
    issuer = unicodedata.normalize("NFKC", m["issuer"])
    return f"{issuer}〔{m['year']}〕{int(m['serial'])}号"


def normalise_title(title: str) -> str:
    """Comparison key of a title: half-width, one kind of dash, no whitespace, no 《》, case-folded."""
    text = unicodedata.normalize("NFKC", title).translate(DASHES)
    text = re.sub(r"\s+", "", text).strip("《》")
    return text.casefold()


def _titles(text: str) -> list[tuple[int, int]]:
    """Spans of outermost 《…》 in text (nested 《》 stay inside); an unclosed 《 is ignored."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, -1
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def find_references(text: str) -> list[tuple[str, int, int, str, str]]:
    """(kind, start, end, title as written, number as written) for every reference in text, by position."""
    found: list[tuple[str, int, int, str, str]] = []
    covered: list[tuple[int, int]] = []
    for start, end in _titles(text):
        title = text[start + 1:end - 1]
        m = NUMBER_BRACKET_RE.match(text, end)
        if m:
            found.append(("title+doc_number", start, m.end(), title, m["number"]))
            covered.append((start, m.end()))
        else:
            found.append(("title", start, end, title, ""))
            covered.append((start, end))
    for m in DOC_NUMBER_RE.finditer(text):
        start = m.start()
        if any(a <= start < b for a, b in covered):
            continue
        lead = LEADING_WORDS.match(m["issuer"])
        if lead:
            start += lead.end()
            if start >= m.start("issuer") + len(m["issuer"]):
                continue
        found.append(("doc_number", start, m.end(), "", text[start:m.end()]))
    found.sort(key=lambda ref: ref[1])
    return found


class Resolver:
    """Looks references up in the documents of the data set by number, then by title."""

    def __init__(self, documents: Iterable[Mapping[str, Any]]) -> None:
        self.by_number: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        for doc in documents:
            number = normalise_doc_number(str(doc.get("doc_number") or ""))
            if number:
                self.by_number.setdefault(number, str(doc["id"]))
            title = str(doc.get("title") or "")
            if title:
                self.by_title.setdefault(normalise_title(title), str(doc["id"]))

    def resolve(self, title: str, number: str) -> str:
        if number and number in self.by_number:
            return self.by_number[number]
        if title:
            return self.by_title.get(normalise_title(title), "")
        return ""


def extract_citations(clauses: Iterable[Mapping[str, Any]], documents: Iterable[Mapping[str, Any]]) -> list[Row]:
    """Rows (see module docstring) for every reference in the clauses' text, in input order."""
    resolver = Resolver(documents)
    rows: list[Row] = []
    for clause in clauses:
        text = str(clause.get("text") or "")
        if "《" not in text and "号" not in text:
            continue
        for seq, (kind, start, end, title, number) in enumerate(find_references(text), start=1):
            cited_number = normalise_doc_number(number) if number else ""
            rows.append({
                "clause_id": clause["id"],
                "seq": seq,
                "kind": kind,
                "text": text[start:end],
                "start": start,
                "end": end,
                "cited_title": title,
                "cited_doc_number": cited_number,
                "document_id": resolver.resolve(title, cited_number),
            })
    return rows


def citing_document(clause_id: str) -> str:
    return split_clause_id(clause_id).document_id


def cited_by(citations: Iterable[Mapping[str, Any]], document_id: str) -> list[str]:
    """IDs of the documents with at least one clause citing document_id, sorted; a self-citation counts."""
    return sorted({citing_document(str(c["clause_id"])) for c in citations if c.get("document_id") == document_id})


def derive(documents: Iterable[Mapping[str, Any]], clauses: Iterable[Mapping[str, Any]]) -> list[Row]:
    """The ``citations`` table (the extractor the registry names)."""
    return extract_citations(clauses, documents)
