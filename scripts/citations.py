"""References from clauses to other documents: 《titles》 and document numbers (文号). Pure functions.

Three kinds of reference are found in a clause's ``text``:

- ``title+doc_number``: a title in 《》 immediately followed by its document number in brackets,
  e.g. 《金融科技（FinTech）发展规划（2019-2021年）》（银发〔2019〕209号）. The bracket may also hold
  文 / 文印发 / 印发 after the number (（国发〔2015〕50号文印发）) and may be full- or half-width.
- ``title``: any other title in 《》 (nested 《》 are kept inside the outer title).
- ``doc_number``: a document number standing on its own: an issuer abbreviation, a four-digit year
  in 〔〕 (or [] ［］ () （） 【】), a serial number and 号, e.g. 银发〔2018〕325号, 国发〔2015〕5号.

References are resolved against the documents of the data set, first by document number, then by
title. A title names a work (all versions of a law share it, with or without the leading 中华人民共和国);
it resolves to the version of that work in force on the day the citing document came into force (see
:mod:`scripts.works`; the earliest version when the citing document is older than every version). An
article named right after the reference (《反洗钱法》第二十条, 第十七条之一, 第二十一条第二款) resolves to that
article (or 款) of the resolved version where it has one. Both sides are normalised for the
comparison: document numbers to the 〔year〕 form without spaces; titles by folding full-width
letters, digits and brackets to half-width, mapping every dash (— – － ‐ ― ~ ～) to ``-``, dropping
whitespace and ignoring letter case. So Chongqing's
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
- ``document_id``: ID of the cited document (the version) when it is in the data set, else empty.
- ``work_id``: the work of ``document_id``, else empty.
- ``cited_article``: the article named right after the reference, as written, else empty.
- ``cited_clause_id``: that article (or 款) in ``document_id`` when it has it, else empty.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from schemas import registry
from scripts.ids import split_clause_id
from scripts.numbering import cn_to_int
from scripts.works import version_rows, work_id

Row = dict[str, Any]

COLUMNS = tuple(registry.field_names("citations"))
STATE_PREFIX = "中华人民共和国"
ARTICLE_AFTER_RE = re.compile(
    r"第(?P<article>[零〇一二三四五六七八九十百千]+)条(?:之(?P<sub>[一二三四五六七八九十]+))?"
    r"(?:第(?P<paragraph>[一二三四五六七八九十]+)款)?"
)

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
        title = text[start + 1 : end - 1]
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
        found.append(("doc_number", start, m.end(), "", text[start : m.end()]))
    found.sort(key=lambda ref: ref[1])
    return found


def title_key(title: str) -> str:
    """normalise_title without a leading 中华人民共和国, so both ways of citing a national law meet."""
    key = normalise_title(title)
    return key[len(STATE_PREFIX) :] if key.startswith(STATE_PREFIX) and len(key) > len(STATE_PREFIX) else key


def article_clause_id(document_id: str, match: re.Match[str]) -> str:
    """``<doc>.art20``, ``<doc>.art17-1``, ``<doc>.art21.p2`` for a 第…条(之…)(第…款) match."""
    cid = f"{document_id}.art{cn_to_int(match['article'])}"
    if match["sub"]:
        cid += f"-{cn_to_int(match['sub'])}"
    if match["paragraph"]:
        cid += f".p{cn_to_int(match['paragraph'])}"
    return cid


class Resolver:
    """Looks references up in the documents of the data set: by number (a version), then by title (a work)."""

    def __init__(self, documents: Iterable[Mapping[str, Any]], versions: Iterable[Mapping[str, Any]] = ()) -> None:
        self.versions = {str(v["document_id"]): v for v in versions}
        self.by_number: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        self.chains: dict[str, list[tuple[str, str]]] = {}
        for doc in documents:
            doc_id = str(doc["id"])
            number = normalise_doc_number(str(doc.get("doc_number") or ""))
            if number:
                self.by_number.setdefault(number, doc_id)
            title = str(doc.get("title") or "")
            if title:
                self.by_title.setdefault(title_key(title), self.work_of(doc_id))
            self.chains.setdefault(self.work_of(doc_id), []).append((self.start_of(doc_id), doc_id))
        for chain in self.chains.values():
            chain.sort()

    def work_of(self, document_id: str) -> str:
        version = self.versions.get(document_id)
        return str(version["work_id"]) if version else work_id(document_id)

    def start_of(self, document_id: str) -> str:
        version = self.versions.get(document_id)
        return str(version["in_force_from"] or "") if version else ""

    def version_on(self, work: str, date: str) -> str:
        """The version of ``work`` in force on ``date``: the latest started by then, else the first."""
        chain = self.chains.get(work, [])
        started = [doc for start, doc in chain if start <= date] if date else [doc for _, doc in chain]
        return started[-1] if started else chain[0][1] if chain else ""

    def resolve(self, title: str, number: str, citing_document: str = "") -> str:
        if number and number in self.by_number:
            return self.by_number[number]
        work = self.by_title.get(title_key(title), "") if title else ""
        return self.version_on(work, self.start_of(citing_document)) if work else ""


def extract_citations(
    clauses: Iterable[Mapping[str, Any]],
    documents: Iterable[Mapping[str, Any]],
    versions: Iterable[Mapping[str, Any]] = (),
) -> list[Row]:
    """Rows (see module docstring) for every reference in the clauses' text, in input order."""
    clauses = list(clauses)
    resolver = Resolver(documents, versions)
    clause_ids = {str(c["id"]) for c in clauses}
    rows: list[Row] = []
    for clause in clauses:
        text = str(clause.get("text") or "")
        if "《" not in text and "号" not in text:
            continue
        citing = str(clause.get("document_id") or citing_document(str(clause["id"])))
        for seq, (kind, start, end, title, number) in enumerate(find_references(text), start=1):
            cited_number = normalise_doc_number(number) if number else ""
            document_id = resolver.resolve(title, cited_number, citing)
            article = ARTICLE_AFTER_RE.match(text, end)
            cited_clause = article_clause_id(document_id, article) if article and document_id else ""
            rows.append(
                {
                    "clause_id": clause["id"],
                    "seq": seq,
                    "kind": kind,
                    "text": text[start:end],
                    "start": start,
                    "end": end,
                    "cited_title": title,
                    "cited_doc_number": cited_number,
                    "document_id": document_id,
                    "work_id": resolver.work_of(document_id) if document_id else "",
                    "cited_article": article[0] if article else "",
                    "cited_clause_id": cited_clause if cited_clause in clause_ids else "",
                }
            )
    return rows


UNRESOLVED_COLUMNS = ("target", "cited_title", "cited_doc_number", "citations", "citing_documents", "first_clause_id")


def unresolved_targets(citations: Iterable[Mapping[str, Any]]) -> list[Row]:
    """One row per document cited but not in the data set (by number, else by title key), most cited first."""
    found: dict[str, Row] = {}
    for c in citations:
        if c["document_id"]:
            continue
        target = str(c["cited_doc_number"] or title_key(str(c["cited_title"])))
        row = found.setdefault(
            target,
            {
                "target": target,
                "cited_title": c["cited_title"],
                "cited_doc_number": c["cited_doc_number"],
                "citations": 0,
                "citing_documents": [],
                "first_clause_id": c["clause_id"],
            },
        )
        row["citations"] += 1
        if not row["cited_title"]:
            row["cited_title"] = c["cited_title"]
        doc = citing_document(str(c["clause_id"]))
        if doc not in row["citing_documents"]:
            row["citing_documents"].append(doc)
    for row in found.values():
        row["citing_documents"] = sorted(row["citing_documents"])
    return sorted(found.values(), key=lambda r: (-len(r["citing_documents"]), -r["citations"], r["target"]))


def citing_document(clause_id: str) -> str:
    return split_clause_id(clause_id).document_id


def cited_by(citations: Iterable[Mapping[str, Any]], document_id: str) -> list[str]:
    """IDs of the documents with at least one clause citing document_id, sorted; a self-citation counts."""
    return sorted({citing_document(str(c["clause_id"])) for c in citations if c.get("document_id") == document_id})


def derive(documents: list[Row], clauses: list[Row]) -> list[Row]:
    """The ``citations`` table (the extractor the registry names), resolved to the versions of works."""
    return extract_citations(clauses, documents, version_rows(documents, clauses))


def derive_unresolved(documents: list[Row], clauses: list[Row]) -> list[Row]:
    """The ``unresolved_citations`` table (the extractor the registry names)."""
    return unresolved_targets(derive(documents, clauses))
