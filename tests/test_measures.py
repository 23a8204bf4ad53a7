"""Quantified measures (scripts/measures.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from scripts.measures import COLUMNS, KINDS, extract_measures, find_measures
from tests.helpers import read_csv

ROOT = Path(__file__).resolve().parents[1]
CLAUSES = ROOT / "datapackage" / "data" / "clauses.csv"
GOLD = ROOT / "tests" / "fixtures" / "measures_gold.csv"

# Measured on the five documents: 50 of 50 gold measures found, no spurious ones.
MIN_PRECISION = 0.95
MIN_RECALL = 0.95


@pytest.fixture(scope="module")
def clauses() -> list[dict[str, str]]:
    return read_csv(CLAUSES)


@pytest.fixture(scope="module")
def measures(clauses: list[dict[str, str]]) -> list[dict]:
    return extract_measures(clauses)


@pytest.fixture(scope="module")
def gold() -> list[dict[str, str]]:
    return read_csv(GOLD)


def key(row: dict) -> tuple[str, str, str, str, str]:
    return (row["clause_id"], row["kind"], row["value"], row["unit"], row["text"])


# --- exact rows ------------------------------------------------------------------------------


def test_rate_and_cap_of_the_settlement_subsidy() -> None:
    text = "对金融机构总部在青新设立或迁入的金融科技子公司，按照实缴注册资本的2%给予一次性落户补助，最高不超过500万元。"
    rows = extract_measures([{"id": "qingdao-2021.2.4", "text": text}])
    assert rows == [
        {"clause_id": "qingdao-2021.2.4", "seq": 1, "kind": "rate", "value": "2", "unit": "%", "qualifier": "",
         "text": "2%", "start": 33, "end": 35},
        {"clause_id": "qingdao-2021.2.4", "seq": 2, "kind": "cap", "value": "500", "unit": "万元",
         "qualifier": "最高不超过", "text": "最高不超过500万元", "start": 45, "end": 55},
    ]
    assert text.index("2%") == 33 and text.index("最高不超过500万元") == 45
    assert all(tuple(r) == COLUMNS for r in rows)


def test_threshold_subsidy_and_counts() -> None:
    text = ("对新引进的获得B轮及以上风险投资、估值在5亿元以上的金融科技企业，给予300万元一次性落户补助。"
            "在全市形成5个左右金融科技园区，集聚培育10家以上领军企业，平台增至5家。")
    got = [(m["kind"], m["value"], m["unit"], m["qualifier"], m["text"]) for m in find_measures(text)]
    assert got == [
        ("threshold", "5", "亿元", "以上", "5亿元以上"),
        ("subsidy", "300", "万元", "", "300万元"),
        ("target", "5", "个", "左右", "5个左右"),
        ("target", "10", "家", "以上", "10家以上"),
        ("target", "5", "家", "增至", "增至5家"),
    ]


def test_deadlines_and_plain_dates() -> None:
    text = "2017年3月出台政策，自2016年起举办，截至2021年底已完成。力争到2025年，人数达到1000人；到2021年，建成体系；2023年底前完成改造。"
    got = [(m["kind"], m["value"], m["unit"], m["qualifier"], m["text"]) for m in find_measures(text)]
    assert got == [
        ("deadline", "2025", "年", "力争到", "力争到2025年"),
        ("target", "1000", "人", "达到", "达到1000人"),
        ("deadline", "2021", "年", "到", "到2021年"),
        ("deadline", "2023", "年", "底前", "2023年底前"),
    ]


def test_names_titles_and_document_numbers_are_not_measures() -> None:
    text = ("根据《金融科技（FinTech）发展规划（2019-2021年）》（银发〔2019〕209号），推动5G、B2B、O2O和G60科创走廊，"
            "突破1:N人脸辨识，毕马威2021中国金融科技“双50”榜单，起步于20世纪80年代，明确2019年至2021年的任务。")
    assert find_measures(text) == []


def test_facts_amounts_and_width_folding() -> None:
    text = ("截至2021年底，园区常驻人员2236名，园区企业主营业务收入达57.5亿元，同比增长40.8%。"
            "按其实缴注册资本的１％给予奖励，最高不超过２００万元；补助标准为每人每月1,000元；共计50余家、6000+台。")
    rows = find_measures(text)
    got = [(m["kind"], m["value"], m["unit"], m["qualifier"], m["text"]) for m in rows]
    assert got == [
        ("count", "2236", "名", "", "2236名"),
        ("amount", "57.5", "亿元", "达", "达57.5亿元"),
        ("rate", "40.8", "%", "同比增长", "同比增长40.8%"),
        ("rate", "1", "%", "", "１％"),
        ("cap", "200", "万元", "最高不超过", "最高不超过２００万元"),
        ("subsidy", "1000", "元", "", "1,000元"),
        ("count", "50", "家", "共计…余", "共计50余家"),
        ("count", "6000", "台", "+", "6000+台"),
    ]
    assert all(text[m["start"]:m["end"]] == m["text"] for m in rows)


# --- real data -------------------------------------------------------------------------------


def test_offsets_kinds_and_seq_on_real_data(clauses: list[dict[str, str]], measures: list[dict]) -> None:
    text = {c["id"]: c["text"] for c in clauses}
    assert measures
    seqs: dict[str, list[int]] = {}
    for m in measures:
        assert tuple(m) == COLUMNS
        assert m["kind"] in KINDS
        assert text[m["clause_id"]][m["start"]:m["end"]] == m["text"]
        seqs.setdefault(m["clause_id"], []).append(m["seq"])
    assert all(s == list(range(1, len(s) + 1)) for s in seqs.values())


def test_gold_file_is_well_formed(clauses: list[dict[str, str]], gold: list[dict[str, str]]) -> None:
    text = {c["id"]: c["text"] for c in clauses}
    assert len(gold) >= 40
    for g in gold:
        assert g["kind"] in KINDS
        assert g["text"] in text[g["clause_id"]], g
        assert g["value"] in g["text"].replace(",", "").translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def labelled(measures: list[dict], gold: list[dict[str, str]]) -> list[dict]:
    """The measures of the documents the gold file labels: a document without labels is not scored."""
    documents = {g["clause_id"].split(".", 1)[0] for g in gold}
    return [m for m in measures if m["clause_id"].split(".", 1)[0] in documents]


def test_precision_and_recall_against_gold(measures: list[dict], gold: list[dict[str, str]]) -> None:
    predicted, expected = Counter(map(key, labelled(measures, gold))), Counter(map(key, gold))
    hits = sum((predicted & expected).values())
    precision = hits / sum(predicted.values())
    recall = hits / sum(expected.values())
    assert precision >= MIN_PRECISION, sorted((predicted - expected).elements())
    assert recall >= MIN_RECALL, sorted((expected - predicted).elements())


def test_every_qingdao_and_shenzhen_money_amount(measures: list[dict], gold: list[dict[str, str]]) -> None:
    money = [g for g in gold if g["unit"].endswith("元") and g["clause_id"].startswith(("qingdao-2021.", "shenzhen-2023."))]
    found = Counter((m["clause_id"], m["value"], m["unit"], m["kind"]) for m in measures)
    wanted = Counter((g["clause_id"], g["value"], g["unit"], g["kind"]) for g in money)
    assert not wanted - found, sorted((wanted - found).elements())
    values = sorted((g["value"], g["unit"]) for g in money)
    for amount in [("300", "万元"), ("500", "万元"), ("5", "亿元"), ("1000", "万元"), ("400", "万元"), ("200", "万元")]:
        assert amount in values
    box6 = [(m["kind"], m["value"], m["unit"]) for m in measures if m["clause_id"] == "shenzhen-2023.3.8.box6"]
    assert box6 == [
        ("rate", "50", "%"), ("cap", "300", "万元"), ("subsidy", "1000", "万元"),
        ("rate", "50", "%"), ("cap", "400", "万元"), ("rate", "50", "%"), ("cap", "200", "万元"),
    ]


def test_deadlines_on_real_data(measures: list[dict]) -> None:
    deadlines = [(m["clause_id"], m["text"]) for m in measures if m["kind"] == "deadline"]
    assert deadlines == [("pboc-2019.2.3.p1", "到2021年"), ("shenzhen-2023.2.3.p1", "力争到2025年")]
