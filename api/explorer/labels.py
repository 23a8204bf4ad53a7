"""Chinese and English labels of the vocabularies, as the explorer shows them."""

from __future__ import annotations

from api import vocab
from api.records import documents, topics
from api.store import Release

Label = tuple[str, str]

CITIES: dict[str, Label] = dict(vocab.vocab.CITIES)
LEVELS: dict[str, Label] = {
    "national": ("国家级", "National"),
    "provincial": ("省级", "Provincial"),
    "municipal": ("市级", "Municipal"),
}
KINDS: dict[str, Label] = {
    "preamble": ("前言", "Preamble"),
    "part": ("部分", "Part"),
    "section": ("节", "Section"),
    "item": ("条目", "Item"),
    "article": ("条", "Article"),
    "bullet": ("列项", "Bullet"),
    "box": ("专栏", "Box"),
    "paragraph": ("段落", "Paragraph"),
    "footnote": ("脚注", "Footnote"),
}
MEASURE_KINDS: dict[str, Label] = {
    "subsidy": ("补贴", "Subsidy"),
    "cap": ("上限", "Cap"),
    "rate": ("比例", "Rate"),
    "threshold": ("门槛", "Threshold"),
    "target": ("目标", "Target"),
    "deadline": ("期限", "Deadline"),
    "time_limit": ("时限", "Time limit"),
    "range": ("区间", "Range"),
    "multiple": ("倍数", "Multiple"),
    "effective_date": ("施行日期", "Effective date"),
    "count": ("数量", "Count"),
    "amount": ("金额", "Amount"),
}
#: Legal ranks: the Chinese name that opens each rank's description in the vocabulary, and the slug in words.
LEGAL_RANKS: dict[str, Label] = {
    slug: (about.split(":")[0], slug.replace("-", " ").capitalize()) for slug, about in vocab.vocab.LEGAL_RANKS.items()
}
#: The dates a law's text states, in the order of its life, as a document page lists them.
DATES: dict[str, Label] = {
    "date_adopted": ("通过日期", "Adopted"),
    "date_approved": ("批准日期", "Approved"),
    "date_promulgated": ("公布日期", "Promulgated"),
    "date_revised": ("修订日期", "Revised"),
    "date_effective": ("施行日期", "Effective"),
}
#: The filters of a clause list, with their headings, in the order the search page shows them.
FILTERS: dict[str, Label] = {
    "city": ("城市", "City"),
    "topic": ("主题", "Topic"),
    "document": ("文件", "Document"),
    "level": ("层级", "Level"),
    "kind": ("类型", "Kind"),
}


def release_labels(rel: Release) -> dict[str, dict[str, Label]]:
    """Labels of every filter value of ``rel``: the fixed vocabularies, its topics and its documents' titles."""
    _, docs = documents(rel, (), (), (), len(rel.documents), 0)
    return {
        "city": CITIES,
        "level": LEVELS,
        "kind": KINDS,
        "measure": MEASURE_KINDS,
        "legal_rank": LEGAL_RANKS,
        "date": DATES,
        "topic": {t.slug: (t.label_zh, t.label_en) for t in topics(rel)},
        "document": {d.id: (d.title, d.id) for d in docs},
    }


def label(labels: dict[str, Label], value: str) -> Label:
    return labels.get(value, (value, value))
