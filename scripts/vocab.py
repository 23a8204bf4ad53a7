"""The one definition of every controlled vocabulary.

Kinds, levels, cities, document types and topics are defined here and nowhere
else (jurisdictions and topics are read from their CSV files in ``datapackage/vocab/``):
the Table Schemas (``schemas/registry.py``), the msgspec types of the API and its query
validation all read them from this module.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOPICS_CSV = ROOT / "datapackage" / "vocab" / "topics.csv"
JURISDICTIONS_CSV = ROOT / "datapackage" / "vocab" / "jurisdictions.csv"

#: Node kinds of a document's clause tree, with what each one is.
KINDS: dict[str, str] = {
    "preamble": "Text before the first numbered heading (前言, 序言 or an unheaded opening paragraph).",
    "part": "A top-level heading that carries only a title (一、…, 第一章 …).",
    "section": "A nested heading that carries only a title (（一）…, 第一节 …).",
    "item": "A numbered clause with body text (（一）…, 1. …); in a legal text an item (项) or sub-item (目).",
    "article": "An article (条) of a legal text, 第N条 or 第N条之M; its text is empty when it has two or more 款.",
    "bullet": "An unnumbered list entry introduced by a dash (——…).",
    "box": "A boxed case study or panel (专栏N) printed between numbered items.",
    "paragraph": "An unnumbered paragraph directly under a heading; in a legal text a 款 of an article of two or more.",
    "footnote": "A footnote, attached to the clause that references it.",
}

#: Administrative levels of the issuing authority.
LEVELS: dict[str, str] = {
    "national": "Issued by a national authority for the whole country.",
    "provincial": "Issued by or for a province-level jurisdiction (incl. province-level municipalities).",
    "municipal": "Issued by or for a city below province level (incl. sub-provincial cities).",
}


def _jurisdictions() -> dict[str, tuple[str, str]]:
    with JURISDICTIONS_CSV.open(encoding="utf-8", newline="") as f:
        return {row["slug"]: (row["name_zh"], row["name_en"]) for row in csv.DictReader(f)}


#: Jurisdictions, as URL slugs, with their Chinese and English names, in the order of
#: ``datapackage/vocab/jurisdictions.csv`` (national, the first cities in the data, then every other
#: province-level division and separately planned city).
CITIES: dict[str, tuple[str, str]] = _jurisdictions()

#: Document types.
DOC_TYPES: dict[str, str] = {
    "guidance": "指导意见: guiding opinions.",
    "plan": "规划 / 计划 / 方案: a development plan or programme.",
    "measures": "措施 / 办法: measures or implementing rules.",
    "regulation": "条例 / 规定: regulations numbered by article (第X条).",
    "law": "法: a law adopted by the National People's Congress or its Standing Committee.",
    "notice": "通知: a notice.",
    "other": "Any other type of document.",
}

#: Legal rank (效力层级) of a document: where it stands in the hierarchy of legal norms.
LEGAL_RANKS: dict[str, str] = {
    "law": "法律: adopted by the National People's Congress or its Standing Committee.",
    "administrative-regulation": "行政法规: issued by the State Council (国务院令).",
    "departmental-rule": "部门规章: issued by a ministry or agency under the State Council.",
    "local-regulation": "地方性法规: adopted by a provincial or municipal people's congress or its standing committee.",
    "normative-document": "规范性文件: guidance, notices or opinions of a government body.",
    "plan": "规划: a development plan or programme.",
}

#: Kinds of quantitative measure (the ``measures`` resource).
MEASURE_KINDS: dict[str, str] = {
    "subsidy": "money granted",
    "cap": "upper limit",
    "rate": "percentage",
    "threshold": "condition or minimum",
    "target": "quantity set as a goal",
    "deadline": "year by which",
    "time_limit": "period within which or for which (日, 工作日, 个月, 小时, 年)",
    "range": "lower and upper bound (value to value_max)",
    "multiple": "multiple (倍) of a base",
    "effective_date": "date of entry into force",
    "count": "other number of things",
    "amount": "other sum of money",
}

#: Units of measures, by what they measure, as the ``measures`` resource writes them (个工作日 is 工作日,
#: 百分之 is %); counters also take 万 or 亿 before them (万人). The extractor reads exactly these.
MEASURE_UNIT_GROUPS: dict[str, tuple[str, ...]] = {
    "money": ("元", "千元", "万元", "亿元", "万亿元"),
    "share": ("%", "‰"),
    "multiple": ("倍",),
    "time": ("小时", "日", "天", "周", "工作日", "个月", "年"),
    "count": (
        "家",
        "个",
        "人",
        "名",
        "项",
        "次",
        "届",
        "期",
        "台",
        "所",
        "座",
        "位",
        "户",
        "笔",
        "件",
        "场",
        "款",
        "套",
        "种",
        "批",
        "条",
    ),
}
COUNT_SCALES = ("万", "亿")


def measure_units() -> tuple[str, ...]:
    """Every unit a measure can have, in group order (counters plain, then with 万 and 亿)."""
    counts = MEASURE_UNIT_GROUPS["count"]
    scaled = tuple(f"{scale}{unit}" for scale in COUNT_SCALES for unit in counts)
    return tuple(u for units in MEASURE_UNIT_GROUPS.values() for u in units) + scaled


#: Kinds of reference to another document (the ``citations`` resource).
CITATION_KINDS: dict[str, str] = {
    "title": "a title in 《》",
    "doc_number": "a document number such as 银发〔2019〕209号",
    "title+doc_number": "a title followed by its number in brackets",
}


@dataclass(frozen=True, slots=True)
class Topic:
    slug: str
    label_zh: str
    label_en: str
    scope: str


@cache
def topics() -> tuple[Topic, ...]:
    """The topic vocabulary, in the order of ``datapackage/vocab/topics.csv``."""
    with TOPICS_CSV.open(encoding="utf-8", newline="") as f:
        return tuple(Topic(**row) for row in csv.DictReader(f))


def topic_slugs() -> tuple[str, ...]:
    return tuple(t.slug for t in topics())
