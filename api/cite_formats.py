"""A document or clause as a reference: GB/T 7714-2015, BibTeX, RIS, CSL-JSON and plain text.

:class:`Work` holds what a reference needs, read from the document's own metadata (issuer as
author, 文号, dates, legal rank when the package records one); each ``to_*`` function renders it.

GB/T 7714-2015 has no type of its own for laws: a law, a regulation or a policy read online is an
electronic announcement, ``[EB/OL]``, following the standard's pattern for electronic resources
(§ 4.1 and § 8.8)::

    主要责任者. 题名: 其他题名信息[EB/OL]. (发布或更新日期)[引用日期]. 获取和访问路径.

with the issuing body as 主要责任者, the 文号 and the cited article as 其他题名信息, the
promulgation (or publication) date, and the URL pinned to a release of this dataset.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

FORMATS = ("gbt7714", "bibtex", "ris", "csl-json", "text")
MEDIA_TYPES = {
    "gbt7714": "text/plain",
    "bibtex": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "csl-json": "application/vnd.citationstyles.csl+json",
    "text": "text/plain",
}
EXTENSIONS = {"gbt7714": "txt", "bibtex": "bib", "ris": "ris", "csl-json": "json", "text": "txt"}

#: The dates a reference is dated by, most telling first: the version's own date (a revision, promulgation or
#: adoption), then publication, signature, and the date it took effect (the package's columns; laws have the first).
DATE_FIELDS = (
    "date_revised",
    "date_promulgated",
    "date_adopted",
    "date_approved",
    "date_published",
    "date_issued",
    "date_effective",
)


@dataclass(frozen=True)
class Work:
    """A cited document, or one clause of it, as the data package describes it."""

    id: str  # the document or clause ID
    title: str
    title_en: str
    issuers: tuple[str, ...]
    doc_number: str
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD; "" when unknown
    legal_rank: str  # the package's legal rank, or its doc_type when it records none
    url: str  # pinned to the release
    accessed: str  # YYYY-MM-DD
    dataset: str
    release: str
    numbering: str = ""  # the clause's numbering (第二十一条) for a clause; "" for a document
    source_url: str = ""

    @property
    def kind(self) -> str:
        """``law``, ``regulation`` or ``document``: how reference managers type it."""
        rank = self.legal_rank.lower()
        if rank in ("law", "法律") or rank.endswith("-law") or rank == "national-law":
            return "law"
        if re.search(r"regulation|rule|法规|规章|条例", rank):
            return "regulation"
        return "document"

    @property
    def year(self) -> str:
        return self.date[:4]


def _date_parts(date: str) -> list[int]:
    return [int(p) for p in date.split("-") if p.isdigit()]


def to_gbt7714(w: Work) -> str:
    """GB/T 7714-2015, electronic announcement ``[EB/OL]`` (see the module docstring)."""
    author = ", ".join(w.issuers)
    other = ", ".join(p for p in (w.doc_number, w.numbering) if p)
    title = f"{w.title}: {other}" if other else w.title
    dated = f"({w.date})" if w.date else ""
    head = f"{author}. " if author else ""
    return f"{head}{title}[EB/OL]. {dated}[{w.accessed}]. {w.url}."


def _bibtex_key(w: Work) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", w.id).strip("_")


def _bibtex_value(value: str) -> str:
    return "{" + value.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}") + "}"


def to_bibtex(w: Work) -> str:
    """A BibTeX ``@misc`` entry (corporate authors in double braces, so they are not split into names)."""
    fields = {
        "author": "{" + " and ".join("{" + i + "}" for i in w.issuers) + "}" if w.issuers else "",
        "title": w.title,
        "number": w.doc_number,
        "type": w.legal_rank,
        "year": w.year,
        "date": w.date,
        "note": ", ".join(p for p in (w.numbering, f"{w.dataset}, release {w.release}") if p),
        "url": w.url,
        "urldate": w.accessed,
        "language": "chinese",
    }
    body = ",\n".join(
        f"  {name} = {value if name == 'author' else _bibtex_value(value)}" for name, value in fields.items() if value
    )
    return f"@misc{{{_bibtex_key(w)},\n{body}\n}}\n"


def to_ris(w: Work) -> str:
    """An RIS record: ``STAT`` for a law, ``GOVDOC`` otherwise."""
    lines = [("TY", "STAT" if w.kind == "law" else "GOVDOC")]
    lines += [("AU", issuer) for issuer in w.issuers]
    lines += [("TI", w.title), ("T2", w.numbering), ("M1", w.doc_number), ("PY", w.year)]
    if w.date:
        parts = [*w.date.split("-"), "", ""]
        lines.append(("DA", "/".join(parts[:3]) + "/"))
    lines += [
        ("UR", w.url),
        ("Y2", w.accessed),
        ("DB", f"{w.dataset}, release {w.release}"),
        ("ID", w.id),
        ("LA", "zh"),
        ("N1", w.title_en),
    ]
    if w.source_url:
        lines.append(("L2", w.source_url))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines if value) + "ER  - \r\n"


def csl_item(w: Work) -> dict[str, object]:
    """A CSL-JSON item: ``legislation``, ``regulation`` or ``document``."""
    item: dict[str, object] = {
        "id": w.id,
        "type": {"law": "legislation", "regulation": "regulation"}.get(w.kind, "document"),
        "title": w.title,
        "author": [{"literal": issuer} for issuer in w.issuers],
        "number": w.doc_number,
        "section": w.numbering,
        "genre": w.legal_rank,
        "URL": w.url,
        "accessed": {"date-parts": [_date_parts(w.accessed)]},
        "archive": f"{w.dataset}, release {w.release}",
        "language": "zh-CN",
        "note": w.title_en,
    }
    if w.date:
        item["issued"] = {"date-parts": [_date_parts(w.date)]}
    return {k: v for k, v in item.items() if v not in ("", [], None)}


def to_csl_json(w: Work) -> str:
    return json.dumps([csl_item(w)], ensure_ascii=False, indent=2) + "\n"


def to_text(w: Work) -> str:
    """``《title》（文号）numbering [id]. Dataset, release X.Y.Z. URL``."""
    source = f"《{w.title}》" + (f"（{w.doc_number}）" if w.doc_number else "")
    return f"{source}{w.numbering} [{w.id}]. {w.dataset}, release {w.release}. {w.url}"


RENDERERS = {"gbt7714": to_gbt7714, "bibtex": to_bibtex, "ris": to_ris, "csl-json": to_csl_json, "text": to_text}


def render(w: Work, fmt: str) -> str:
    return RENDERERS[fmt](w)
