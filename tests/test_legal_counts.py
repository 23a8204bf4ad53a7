"""Every legal text against its own raw body: structure counted by markers, and every character kept.

The counts are taken from the raw source lines (with the source repairs of
``datapackage/sources/repairs.csv`` applied, as the build applies them) by a few regular
expressions that know nothing of the segmenter, and compared with the rows the build derived.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest

from scripts.build import BuildResult, build
from scripts.clean import clean_line
from scripts.legal import is_legal
from scripts.repairs import REPAIRS_NAME, apply_repairs, load_repairs
from scripts.sources import SOURCES_DIR, DocumentMeta, load_all_meta, read_source

CN = "[零〇一二三四五六七八九十百千]+"
CHAPTER = re.compile(rf"^第{CN}[编章]")
SECTION = re.compile(rf"^第{CN}节")
ARTICLE = re.compile(rf"^第{CN}条(之{CN})?[\s\u3000]")
ITEM = re.compile(rf"^[（(]{CN}[）)]")
SUB_ITEM = re.compile(r"^[0-9]{1,3}[.．、]")
MARKERS = re.compile(rf"^(第{CN}[编章节]|第{CN}条(之{CN})?|[（(]{CN}[）)]|[0-9]{{1,3}}[.．、])")


@cache
def built() -> BuildResult:
    return build()


@cache
def legal_documents() -> dict[str, tuple[DocumentMeta, list[str]]]:
    repairs = load_repairs(SOURCES_DIR / REPAIRS_NAME)
    docs = {}
    for meta in load_all_meta():
        lines = apply_repairs(meta.id, read_source(meta), repairs)
        if is_legal(lines, meta.body.start, meta.body.end):
            docs[meta.id] = (meta, [clean_line(x) for x in lines[meta.body.start - 1 : meta.body.end]])
    return docs


def raw_counts(lines: list[str]) -> Counter[str]:
    """Chapters (and 编), sections, articles, 款 of articles with two or more, and items, by marker."""
    counts: Counter[str] = Counter()
    paras = 0

    def close_article() -> None:
        counts["paragraph"] += paras if paras >= 2 else 0

    for line in filter(None, lines):
        if CHAPTER.match(line) or SECTION.match(line):
            close_article()
            paras = 0
            counts["part" if CHAPTER.match(line) else "section"] += 1
        elif ARTICLE.match(line):
            close_article()
            counts["article"] += 1
            paras = 1
        elif ITEM.match(line) or SUB_ITEM.match(line):
            counts["item"] += 1
        elif paras:
            paras += 1
    close_article()
    return counts


def rows(doc: str) -> list[dict]:
    return [c for c in built().clauses if c["document_id"] == doc]


def test_the_legal_texts_are_found() -> None:
    assert len(legal_documents()) >= 23 and "nonbank-payment-2023" in legal_documents()


@pytest.mark.parametrize("doc", sorted(legal_documents()))
def test_structure_counted_in_the_raw_body_equals_the_rows(doc: str) -> None:
    _, lines = legal_documents()[doc]
    derived = Counter(c["kind"] for c in rows(doc) if c["kind"] != "preamble")
    assert derived == raw_counts(lines)


@pytest.mark.parametrize("doc", sorted(legal_documents()))
def test_body_rebuilt_from_the_rows_equals_the_raw_body(doc: str) -> None:
    """Headings and texts in reading order give back the body, whitespace and numbering markers aside."""
    _, lines = legal_documents()[doc]
    body = "".join(re.sub(r"\s", "", MARKERS.sub("", line)) for line in lines)
    rebuilt = "".join(re.sub(r"\s", "", c["heading"] + c["text"]) for c in rows(doc))
    assert rebuilt == body
