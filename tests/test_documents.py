"""The documents: golden files of all of them; structure counts and text fidelity of the five plans.

A golden file is the parser's output for one document (``tests/golden/<id>.json``). After a reviewed
change of the parser or a new document, write them with ``UPDATE_GOLDEN=1 ./run test tests/test_documents.py``
and review the diff: the five seeds' files must not change.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from scripts.build import BuildResult, build
from scripts.clean import clean_line
from scripts.sources import load_all_meta, read_source
from tests.helpers import read_csv

GOLDEN = Path(__file__).parent / "golden"
DOCS = ["chongqing-2020", "pboc-2019", "qingdao-2021", "shanghai-2019", "shenzhen-2023"]
ALL_DOCS = sorted(m.id for m in load_all_meta())
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
GOLDEN_FIELDS = ("id", "kind", "numbering", "heading", "text", "line_start", "line_end")


@cache
def built() -> BuildResult:
    return build()


def clauses(doc: str) -> list[dict]:
    return [c for c in built().clauses if c["document_id"] == doc]


@pytest.mark.parametrize("doc", ALL_DOCS)
def test_parser_output_matches_golden_file(doc: str) -> None:
    path = GOLDEN / f"{doc}.json"
    actual = [{k: c[k] for k in GOLDEN_FIELDS} for c in clauses(doc)]
    if UPDATE and doc not in DOCS:
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert path.is_file(), f"no golden file for {doc}: write it with UPDATE_GOLDEN=1 and review it"
    assert actual == json.loads(path.read_text(encoding="utf-8"))


def test_shanghai_has_8_parts_and_40_items_numbered_through() -> None:
    rows = clauses("shanghai-2019")
    parts = [c for c in rows if c["kind"] == "part"]
    items = [c for c in rows if c["kind"] == "item"]
    assert len(parts) == 8 and len(items) == 40
    assert [c["id"].rsplit(".", 1)[1] for c in items] == [str(n) for n in range(1, 41)]
    assert items[7]["id"] == "shanghai-2019.2.8" and items[7]["heading"] == "提升企业融资精准化服务水平"


def test_pboc_chapter_3_has_27_key_tasks() -> None:
    tasks = [c for c in clauses("pboc-2019") if c["kind"] == "item" and c["id"].startswith("pboc-2019.3.")]
    assert len(tasks) == 27
    assert tasks[0]["numbering"] == "第三章/第一节/（一）" and tasks[-1]["numbering"] == "第三章/第六节/（二十七）"


def test_shenzhen_has_six_boxes_and_no_title_in_text() -> None:
    boxes = [c for c in clauses("shenzhen-2023") if c["kind"] == "box"]
    assert [b["id"] for b in boxes] == [
        "shenzhen-2023.3.1.box1",
        "shenzhen-2023.3.1.box2",
        "shenzhen-2023.3.2.box3",
        "shenzhen-2023.3.5.box4",
        "shenzhen-2023.3.7.box5",
        "shenzhen-2023.3.8.box6",
    ]
    assert boxes[0]["heading"] == "湾区国际金融科技城"


def test_kind_counts() -> None:
    assert Counter(c["kind"] for c in built().clauses if c["document_id"] in DOCS) == {
        "preamble": 5,
        "part": 29,
        "section": 32,
        "item": 159,
        "bullet": 19,
        "box": 6,
        "paragraph": 24,
        "footnote": 1,
    }


def test_hand_read_items() -> None:
    by_id = {c["id"]: c for c in built().clauses}
    # page break inside 提|质增效 (source lines 17-19)
    assert (
        by_id["qingdao-2021.1.2"]["text"].startswith("基本原则。一是坚持创新驱动")
        and "促进金融服务提质增效、规范运行。" in by_id["qingdao-2021.1.2"]["text"]
    )
    # half-width (四) with a space, page break inside 市|南
    assert by_id["qingdao-2021.2.3"]["text"].endswith(
        "打造金家岭金融科技中心、唐岛湾金融科技创新区、市南5G数字街区示范区、市北新金融产业园等产业园区，加强区市联动，"
        "引导金融科技企业聚集发展。"
    )
    # a line starting 一、 inside a sentence
    assert "助力“统一、全面、共享”的金融业综合统计体系建设" in by_id["pboc-2019.3.5.20"]["text"]
    # footnote digit removed, footnote kept as its own row
    assert by_id["pboc-2019.1.1.p1"]["text"].startswith("金融科技是技术驱动的金融创新，旨在运用现代科技成果改造")
    assert by_id["pboc-2019.1.1.p1.fn1"]["text"] == "该定义由金融稳定理事会（FSB）于2016年提出，目前已成为全球共识。"
    # item 40 of Shanghai comes from the clean copy, without the news release glued on
    assert by_id["shanghai-2019.8.40"]["text"].endswith("营造良好的金融科技生态环境。")
    # no signature block in the last Chongqing item
    assert by_id["chongqing-2020.8.4"]["text"].endswith("提升金融风险整体防控水平。")


@pytest.mark.parametrize("doc", DOCS)
def test_numbering_is_consecutive_within_every_parent(doc: str) -> None:
    children: dict[str, list[dict]] = {}
    for c in clauses(doc):
        children.setdefault(c["parent_id"], []).append(c)
    for siblings in children.values():
        for kind in ("paragraph", "bullet"):
            nums = [int(c["id"].rsplit(".", 1)[1][1:]) for c in siblings if c["kind"] == kind]
            assert nums == list(range(1, len(nums) + 1))
        numbered = [int(c["id"].rsplit(".", 1)[1]) for c in siblings if c["kind"] in ("part", "section", "item")]
        assert numbered == list(range(numbered[0], numbered[0] + len(numbered))) if numbered else True


MARKER = re.compile(
    r"^(第[一二三四五六七八九十]+[章节]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+\.|——|"
    r"前言|专栏\d：|1)$"
)


@pytest.mark.parametrize("doc", DOCS)
def test_every_character_of_the_body_is_in_a_clause(doc: str) -> None:
    """Rebuilding the body from headings and texts drops only numbering markers (and moves the footnote)."""
    meta = next(m for m in load_all_meta() if m.id == doc)
    lines = read_source(meta)
    body = re.sub(r"\s", "", "".join(clean_line(x) for x in lines[meta.body.start - 1 : meta.body.end]))
    rebuilt = "".join(
        (c["heading"] if c["kind"] in ("part", "section", "box") else "") + c["text"] for c in clauses(doc)
    )
    rebuilt = re.sub(r"\s", "", rebuilt)
    footnotes = {re.sub(r"\s", "", c["text"]) for c in clauses(doc) if c["kind"] == "footnote"}
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, body, rebuilt, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        dropped, added = body[a1:a2], rebuilt[b1:b2]
        if added:  # the only text that moves is a footnote, from the page foot to after its paragraph
            assert (op == "insert" and added.lstrip("。") + "。" in footnotes) or added in footnotes, added
        else:
            assert MARKER.match(dropped) or any(dropped == "1" + f for f in footnotes), dropped


def test_every_released_id_resolves_to_the_same_clause() -> None:
    """Adding documents changes no clause of release 1.0.0: same ID, same kind, numbering, heading and text."""
    released = read_csv(Path(__file__).parent.parent / "releases/1.0.0/datapackage/data/clauses.csv")
    by_id = {c["id"]: c for c in built().clauses}
    assert released
    for row in released:
        clause = by_id.get(row["id"])
        assert clause is not None, f"{row['id']} of release 1.0.0 no longer resolves"
        assert {k: str(clause[k]) for k in ("kind", "numbering", "heading", "text", "parent_id")} == {
            k: row[k] for k in ("kind", "numbering", "heading", "text", "parent_id")
        }, row["id"]
