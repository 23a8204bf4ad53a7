"""References to other documents (scripts/citations.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.citations import (
    COLUMNS,
    cited_by,
    extract_citations,
    normalise_doc_number,
    normalise_title,
)
from scripts.works import work_id
from tests.helpers import read_csv

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "datapackage" / "data"

PBOC = {"id": "pboc-2019", "title": "金融科技（FinTech）发展规划（2019-2021年）", "doc_number": "银发〔2019〕209号"}
QINGDAO = {
    "id": "qingdao-2021",
    "title": "青岛市地方金融监管局 中国人民银行青岛市中心支行关于促进金融科技发展的指导意见",
    "doc_number": "青金监字〔2021〕179号",
}


def clause(cid: str, text: str) -> dict[str, str]:
    return {"id": cid, "document_id": cid.split(".")[0], "kind": "preamble", "heading": "", "text": text}


def row(cid, seq, kind, text, start, cited_title, cited_number, doc_id):
    return {
        "clause_id": cid,
        "seq": seq,
        "kind": kind,
        "text": text,
        "start": start,
        "end": start + len(text),
        "cited_title": cited_title,
        "cited_doc_number": cited_number,
        "document_id": doc_id,
        "work_id": work_id(doc_id) if doc_id else "",
        "cited_article": "",
        "cited_clause_id": "",
    }


# --- synthetic -------------------------------------------------------------------------------


def test_title_with_number_and_plain_title() -> None:
    text = "根据《金融科技（FinTech）发展规划（2019-2021年）》（银发〔2019〕209号）、《上海国际金融中心建设行动计划（2018-2020）》等文件精神"
    rows = extract_citations([clause("shanghai-2019.preamble", text)], [PBOC])
    assert rows == [
        row(
            "shanghai-2019.preamble",
            1,
            "title+doc_number",
            "《金融科技（FinTech）发展规划（2019-2021年）》（银发〔2019〕209号）",
            2,
            "金融科技（FinTech）发展规划（2019-2021年）",
            "银发〔2019〕209号",
            "pboc-2019",
        ),
        row(
            "shanghai-2019.preamble",
            2,
            "title",
            "《上海国际金融中心建设行动计划（2018-2020）》",
            48,
            "上海国际金融中心建设行动计划（2018-2020）",
            "",
            "",
        ),
    ]
    for r in rows:
        assert tuple(r) == COLUMNS
        assert text[r["start"] : r["end"]] == r["text"]


def test_half_width_brackets_and_em_dash_resolve_by_title() -> None:
    text = "为深入贯彻《金融科技(FinTech)发展规划(2019—2021年)》精神，结合《关于开展金融科技应用试点工作的通知》(银发〔2018〕325号)要求"
    rows = extract_citations([clause("chongqing-2020.preamble", text)], [PBOC])
    assert rows == [
        row(
            "chongqing-2020.preamble",
            1,
            "title",
            "《金融科技(FinTech)发展规划(2019—2021年)》",
            5,
            "金融科技(FinTech)发展规划(2019—2021年)",
            "",
            "pboc-2019",
        ),
        row(
            "chongqing-2020.preamble",
            2,
            "title+doc_number",
            "《关于开展金融科技应用试点工作的通知》(银发〔2018〕325号)",
            41,
            "关于开展金融科技应用试点工作的通知",
            "银发〔2018〕325号",
            "",
        ),
    ]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)


def test_bare_document_numbers_and_number_suffixes() -> None:
    text = (
        "按照银发[2019] 209号要求，落实国发〔2015〕5号文件，参照《促进大数据发展行动纲要》（国发〔2015〕50号文印发）。"
    )
    rows = extract_citations([clause("x-2020.1", text)], [PBOC])
    assert rows == [
        row("x-2020.1", 1, "doc_number", "银发[2019] 209号", 2, "", "银发〔2019〕209号", "pboc-2019"),
        row("x-2020.1", 2, "doc_number", "国发〔2015〕5号", 20, "", "国发〔2015〕5号", ""),
        row(
            "x-2020.1",
            3,
            "title+doc_number",
            "《促进大数据发展行动纲要》（国发〔2015〕50号文印发）",
            35,
            "促进大数据发展行动纲要",
            "国发〔2015〕50号",
            "",
        ),
    ]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)


def test_self_citation_nested_title_and_unresolved_are_kept() -> None:
    clauses = [
        clause("pboc-2019.4.1.p1", "本规划即《金融科技（FinTech）发展规划（2019-2021年）》。"),
        clause("y-2021.1", "转发《关于印发《某某办法》的通知》，不涉及文号。"),
        clause("y-2021.2", "没有引用。"),
    ]
    rows = extract_citations(clauses, [PBOC, QINGDAO])
    assert [(r["clause_id"], r["kind"], r["text"], r["document_id"]) for r in rows] == [
        ("pboc-2019.4.1.p1", "title", "《金融科技（FinTech）发展规划（2019-2021年）》", "pboc-2019"),
        ("y-2021.1", "title", "《关于印发《某某办法》的通知》", ""),
    ]
    assert cited_by(rows, "pboc-2019") == ["pboc-2019"]
    assert cited_by(rows, "qingdao-2021") == []


def test_normalisation() -> None:
    assert normalise_doc_number("银发（2019）209号") == "银发〔2019〕209号"
    assert normalise_doc_number("青金监字 [2021] 179 号") == "青金监字〔2021〕179号"
    assert normalise_doc_number("二〇一九年") == ""
    assert normalise_title("《金融科技(FinTech)发展规划(2019—2021年)》") == normalise_title(PBOC["title"])
    assert normalise_title("金融科技（fintech）发展规划（2019–2021年）") == normalise_title(PBOC["title"])


# --- real data -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> tuple[list[dict[str, str]], list[dict]]:
    clauses = read_csv(DATA / "clauses.csv")
    return clauses, extract_citations(clauses, read_csv(DATA / "documents.csv"))


def test_offsets_hold_on_real_data(real) -> None:
    clauses, rows = real
    text = {c["id"]: c["text"] for c in clauses}
    assert rows
    for r in rows:
        assert text[r["clause_id"]][r["start"] : r["end"]] == r["text"]
    seqs: dict[str, list[int]] = {}
    for r in rows:
        seqs.setdefault(r["clause_id"], []).append(r["seq"])
    assert all(s == list(range(1, len(s) + 1)) for s in seqs.values())


def test_shanghai_and_chongqing_cite_the_pboc_plan(real) -> None:
    _, rows = real
    shanghai = [r for r in rows if r["clause_id"] == "shanghai-2019.preamble" and r["document_id"] == "pboc-2019"]
    assert [(r["kind"], r["cited_doc_number"]) for r in shanghai] == [("title+doc_number", "银发〔2019〕209号")]
    chongqing = [r for r in rows if r["clause_id"] == "chongqing-2020.preamble" and r["document_id"] == "pboc-2019"]
    assert [(r["kind"], r["text"]) for r in chongqing] == [("title", "《金融科技(FinTech)发展规划(2019—2021年)》")]
    assert cited_by(rows, "pboc-2019") == ["chongqing-2020", "shanghai-2019"]


def test_shenzhen_cites_the_2022_plan_unresolved(real) -> None:
    _, rows = real
    hits = [r for r in rows if r["cited_doc_number"] == "银发〔2021〕335号"]
    assert len(hits) == 1
    hit = hits[0]
    assert hit["clause_id"] == "shenzhen-2023.preamble"
    assert hit["kind"] == "title+doc_number"
    assert hit["text"] == "《金融科技发展规划（2022—2025年）》（银发〔2021〕335号文印发）"
    assert hit["document_id"] == ""


def test_chongqing_pilot_notice_number_found(real) -> None:
    _, rows = real
    assert any(
        r["clause_id"] == "chongqing-2020.preamble" and r["cited_doc_number"] == "银发〔2018〕325号" for r in rows
    )
    assert any(r["clause_id"] == "pboc-2019.preamble" and r["cited_doc_number"] == "国发〔2015〕5号" for r in rows)
