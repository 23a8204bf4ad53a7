"""Quantified measures (scripts/measures.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from scripts.evaluate_measures import LABELLED, document_of, key, per_kind, scored
from scripts.measures import COLUMNS, KINDS, extract_measures, find_measures
from tests.helpers import read_csv

ROOT = Path(__file__).resolve().parents[1]
CLAUSES = ROOT / "datapackage" / "data" / "clauses.csv"
GOLD = ROOT / "tests" / "fixtures" / "measures_gold.csv"

# Overall and per kind on the labelled documents of the data (the gold list names them; a document without
# labels is not scored). Time limits and penalty ranges, the commonest content of regulations, must reach
# 0.9 each.
MIN_PRECISION = 0.95
MIN_RECALL = 0.95
KEY_KINDS = {"time_limit": 0.9, "range": 0.9, "multiple": 0.9}


@pytest.fixture(scope="module")
def clauses() -> list[dict[str, str]]:
    return read_csv(CLAUSES)


@pytest.fixture(scope="module")
def measures(clauses: list[dict[str, str]]) -> list[dict]:
    return extract_measures(clauses)


@pytest.fixture(scope="module")
def gold(clauses: list[dict[str, str]]) -> list[dict[str, str]]:
    """The gold rows of the labelled documents that the data holds (a document not yet in the data is not scored)."""
    present = {c["document_id"] for c in clauses}
    return [g for g in read_csv(GOLD) if document_of(g["clause_id"]) in present]


def precision_recall(predicted: Counter, expected: Counter) -> tuple[float, float]:
    hits = sum((predicted & expected).values())
    return hits / max(1, sum(predicted.values())), hits / max(1, sum(expected.values()))


# --- exact rows ------------------------------------------------------------------------------


def test_rate_and_cap_of_the_settlement_subsidy() -> None:
    text = "对金融机构总部在青新设立或迁入的金融科技子公司，按照实缴注册资本的2%给予一次性落户补助，最高不超过500万元。"
    rows = extract_measures([{"id": "qingdao-2021.2.4", "text": text}])
    blank = {"value_max": "", "base": "", "runs_from": "", "date": ""}
    assert rows == [
        {
            "clause_id": "qingdao-2021.2.4",
            "seq": 1,
            "kind": "rate",
            "value": "2",
            "unit": "%",
            "qualifier": "",
            "text": "2%",
            "start": 33,
            "end": 35,
            **blank,
        },
        {
            "clause_id": "qingdao-2021.2.4",
            "seq": 2,
            "kind": "cap",
            "value": "500",
            "unit": "万元",
            "qualifier": "最高不超过",
            "text": "最高不超过500万元",
            "start": 45,
            "end": 55,
            **blank,
        },
    ]
    assert text.index("2%") == 33 and text.index("最高不超过500万元") == 45
    assert all(tuple(r) == COLUMNS for r in rows)


def test_threshold_subsidy_and_counts() -> None:
    text = (
        "对新引进的获得B轮及以上风险投资、估值在5亿元以上的金融科技企业，给予300万元一次性落户补助。"
        "在全市形成5个左右金融科技园区，集聚培育10家以上领军企业，平台增至5家。"
    )
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


def _short(rows: list[dict]) -> list[tuple[str, ...]]:
    return [tuple(str(m[c]) for c in ("kind", "value", "value_max", "unit", "qualifier", "text")) for m in rows]


def test_penalty_ranges_multiples_and_thresholds() -> None:
    text = (
        "没收违法所得，违法所得50万元以上的，并处违法所得1倍以上5倍以下罚款；没有违法所得或者违法所得不足50万元的，"
        "单处或者并处50万元以上200万元以下罚款。对个人处1万元以下的罚款。"
    )
    rows = find_measures(text)
    assert _short(rows) == [
        ("threshold", "50", "", "万元", "以上", "50万元以上"),
        ("multiple", "1", "5", "倍", "以上…以下", "1倍以上5倍以下"),
        ("threshold", "50", "", "万元", "不足", "不足50万元"),
        ("range", "50", "200", "万元", "以上…以下", "50万元以上200万元以下"),
        ("cap", "1", "", "万元", "以下", "1万元以下"),
    ]
    assert rows[1]["base"] == "违法所得"
    assert all(text[m["start"] : m["end"]] == m["text"] for m in rows)


def test_chinese_numerals_in_laws() -> None:
    text = (
        "情节严重的，处五十万元以上五百万元以下罚款；造成损失的，并处所造成直接经济损失一倍以上五倍以下罚款。"
        "涉及金额一千万元以上的，处涉及金额百分之二十以上二倍以下罚款。调查人员不得少于二人。"
    )
    rows = find_measures(text)
    assert _short(rows) == [
        ("range", "50", "500", "万元", "以上…以下", "五十万元以上五百万元以下"),
        ("multiple", "1", "5", "倍", "以上…以下", "一倍以上五倍以下"),
        ("threshold", "1000", "", "万元", "以上", "一千万元以上"),
        ("multiple", "0.2", "2", "倍", "以上…以下", "百分之二十以上二倍以下"),
        ("threshold", "2", "", "人", "不得少于", "不得少于二人"),
    ]
    assert [m["base"] for m in rows if m["kind"] == "multiple"] == ["所造成直接经济损失", "涉及金额"]


def test_time_limits_and_what_they_run_from() -> None:
    text = (
        "中国人民银行应当自受理申请之日起6个月内作出决定。金融机构应当在十五日内进行处理。应当在事件发生后二十四小时内报告。"
        "备案机关应当在45个工作日内办结。客户身份资料应当至少保存十年。申请人1年内不得再次申请。最近3年无重大违法违规记录。"
    )
    rows = find_measures(text)
    assert [(m["value"], m["unit"], m["qualifier"], m["runs_from"]) for m in rows] == [
        ("6", "个月", "内", "受理申请之日"),
        ("15", "日", "内", ""),
        ("24", "小时", "内", "事件发生"),
        ("45", "工作日", "内", ""),
        ("10", "年", "", ""),
        ("1", "年", "内", ""),
        ("3", "年", "最近", ""),
    ]
    assert {m["kind"] for m in rows} == {"time_limit"}


def test_effective_date() -> None:
    rows = find_measures("本条例自2024年5月1日起施行。")
    assert _short(rows) == [("effective_date", "2024", "", "年", "", "自2024年5月1日起施行")]
    assert rows[0]["date"] == "2024-05-01"


def test_caps_of_a_limit_and_shares_per_myriad() -> None:
    text = "存款保险实行限额偿付，最高偿付限额为人民币50万元。未作约定的，按照每日利率万分之五支付逾期利息，不得低于1年期贷款市场报价利率。"
    assert _short(find_measures(text)) == [
        ("cap", "50", "", "万元", "", "50万元"),
        ("rate", "0.05", "", "%", "", "万分之五"),
    ]
    rows = find_measures("应当在前款规定情形发生之日起7个工作日内足额偿付；付款期限最长不得超过60日。")
    assert [(m["runs_from"], m["qualifier"], m["text"]) for m in rows] == [
        ("前款规定情形发生之日", "内", "7个工作日内"),
        ("", "最长不得超过", "最长不得超过60日"),
    ]


def test_ranges_across_money_units_fine_caps_and_asset_conditions() -> None:
    assert _short(find_measures("对直接负责的主管人员处五千元以上五万元以下罚款。")) == [
        ("range", "5000", "50000", "元", "以上…以下", "五千元以上五万元以下")
    ]
    assert _short(find_measures("并处五千万元以下或者上一年度营业额百分之五以下罚款")) == [
        ("cap", "5000", "", "万元", "以下", "五千万元以下"),
        ("rate", "5", "", "%", "以下", "百分之五以下"),
    ]
    assert [m["kind"] for m in find_measures("一次性实缴货币资本不低于人民币三千万元；固定资产五十万元以上；")] == [
        "threshold",
        "threshold",
    ]


def test_chinese_numerals_of_plans_are_not_measures() -> None:
    text = (
        "第二十条规定的三批试点、十届峰会、六部委联合发文、三年多来的七个首创，一次性奖励，第十四个五年规划，前两项。"
    )
    assert find_measures(text) == []


def test_names_titles_and_document_numbers_are_not_measures() -> None:
    text = (
        "根据《金融科技（FinTech）发展规划（2019-2021年）》（银发〔2019〕209号），推动5G、B2B、O2O和G60科创走廊，"
        "突破1:N人脸辨识，毕马威2021中国金融科技“双50”榜单，起步于20世纪80年代，明确2019年至2021年的任务。"
    )
    assert find_measures(text) == []


def test_facts_amounts_and_width_folding() -> None:
    text = (
        "截至2021年底，园区常驻人员2236名，园区企业主营业务收入达57.5亿元，同比增长40.8%。"
        "按其实缴注册资本的１％给予奖励，最高不超过２００万元；补助标准为每人每月1,000元；共计50余家、6000+台。"
    )
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
    assert all(text[m["start"] : m["end"]] == m["text"] for m in rows)


# --- real data -------------------------------------------------------------------------------


def test_offsets_kinds_and_seq_on_real_data(clauses: list[dict[str, str]], measures: list[dict]) -> None:
    text = {c["id"]: c["text"] for c in clauses}
    assert measures
    seqs: dict[str, list[int]] = {}
    for m in measures:
        assert tuple(m) == COLUMNS
        assert m["kind"] in KINDS
        assert text[m["clause_id"]][m["start"] : m["end"]] == m["text"]
        seqs.setdefault(m["clause_id"], []).append(m["seq"])
    assert all(s == list(range(1, len(s) + 1)) for s in seqs.values())


def test_gold_file_is_well_formed(clauses: list[dict[str, str]], gold: list[dict[str, str]]) -> None:
    text = {c["id"]: c["text"] for c in clauses}
    assert len(gold) >= 40
    for g in gold:
        assert g["kind"] in KINDS, g
        assert g["clause_id"] in text, f"gold row names no clause of the data: {g}"
        assert g["text"] in text[g["clause_id"]], g
        if g["kind"] == "range":
            assert g["value_max"], g
        if g["value_max"]:
            assert g["kind"] in ("range", "multiple") and float(g["value_max"]) > float(g["value"]), g
        assert (g["base"] != "") <= (g["kind"] == "multiple") and (g["runs_from"] != "") <= (g["kind"] == "time_limit")
        assert (g["date"] != "") == (g["kind"] == "effective_date"), g


def test_gold_rows_are_of_labelled_documents() -> None:
    assert {document_of(g["clause_id"]) for g in read_csv(GOLD)} <= LABELLED


def test_precision_and_recall_against_gold(clauses: list[dict[str, str]], gold: list[dict[str, str]]) -> None:
    predicted, expected = scored(clauses, gold)
    precision, recall = precision_recall(predicted, expected)
    assert precision >= MIN_PRECISION, sorted((predicted - expected).elements())
    assert recall >= MIN_RECALL, sorted((expected - predicted).elements())


@pytest.mark.parametrize("kind", sorted(KEY_KINDS))
def test_time_limits_ranges_and_multiples_per_kind(
    clauses: list[dict[str, str]], gold: list[dict[str, str]], kind: str
) -> None:
    hits, predicted, expected = per_kind(*scored(clauses, gold))[kind]
    if not expected:
        pytest.skip(f"no labelled {kind} in the documents the data holds yet")
    assert hits / max(1, predicted) >= KEY_KINDS[kind] and hits / expected >= KEY_KINDS[kind], (
        hits,
        predicted,
        expected,
    )


def test_base_runs_from_and_date_agree_with_gold(measures: list[dict], gold: list[dict[str, str]]) -> None:
    found = {key(m): m for m in measures}
    for g in gold:
        m = found.get(key(g))
        if m is not None:
            assert (m["base"], m["runs_from"], m["date"]) == (g["base"], g["runs_from"], g["date"]), g


def test_every_qingdao_and_shenzhen_money_amount(measures: list[dict], gold: list[dict[str, str]]) -> None:
    money = [
        g for g in gold if g["unit"].endswith("元") and g["clause_id"].startswith(("qingdao-2021.", "shenzhen-2023."))
    ]
    found = Counter((m["clause_id"], m["value"], m["unit"], m["kind"]) for m in measures)
    wanted = Counter((g["clause_id"], g["value"], g["unit"], g["kind"]) for g in money)
    assert not wanted - found, sorted((wanted - found).elements())
    values = sorted((g["value"], g["unit"]) for g in money)
    for amount in [("300", "万元"), ("500", "万元"), ("5", "亿元"), ("1000", "万元"), ("400", "万元"), ("200", "万元")]:
        assert amount in values
    box6 = [(m["kind"], m["value"], m["unit"]) for m in measures if m["clause_id"] == "shenzhen-2023.3.8.box6"]
    assert box6 == [
        ("rate", "50", "%"),
        ("cap", "300", "万元"),
        ("subsidy", "1000", "万元"),
        ("rate", "50", "%"),
        ("cap", "400", "万元"),
        ("rate", "50", "%"),
        ("cap", "200", "万元"),
    ]


def test_deadlines_on_real_data(measures: list[dict]) -> None:
    deadlines = [(m["clause_id"], m["text"]) for m in measures if m["kind"] == "deadline"]
    assert deadlines == [("pboc-2019.2.3.p1", "到2021年"), ("shenzhen-2023.2.3.p1", "力争到2025年")]


def test_an_unlabelled_document_is_not_scored(clauses: list[dict[str, str]], gold: list[dict[str, str]]) -> None:
    extra = {
        "id": "beijing-2030.art1",
        "document_id": "beijing-2030",
        "text": "处五十万元以上五百万元以下罚款，自2030年1月1日起施行。",
    }
    assert "beijing-2030" not in LABELLED
    assert scored([*clauses, extra], gold) == scored(clauses, gold)
    assert [m["kind"] for m in extract_measures([extra])] == ["range", "effective_date"]


def test_explorer_writes_ranges_multiples_and_time_limits() -> None:
    from api.explorer.measure_text import measure_details, measure_value
    from api.models import Measure

    def measure(kind: str, value: float, unit: str, **extra: object) -> Measure:
        fields: dict = {"value_max": None, "qualifier": "", "base": None, "runs_from": None, "date": None, **extra}
        return Measure(
            clause_id="x.art1",
            document_id="x",
            city="national",
            seq=1,
            kind=kind,
            value=value,
            unit=unit,
            text="",
            start=0,
            end=1,
            **fields,
        )

    assert measure_value(measure("range", 50, "万元", value_max=200.0, qualifier="以上…以下")) == "50–200 万元"
    multiple = measure("multiple", 1, "倍", value_max=5.0, qualifier="以上…以下", base="违法所得")
    assert (measure_value(multiple), measure_details(multiple)) == ("1–5 倍", [("基数", "of", "违法所得")])
    period = measure("time_limit", 6, "个月", qualifier="内", runs_from="受理申请之日")
    assert (measure_value(period), measure_details(period)) == ("6 个月（内）", [("起算", "from", "受理申请之日")])
    assert measure_value(measure("effective_date", 2024, "年", date="2024-05-01")) == "2024-05-01"
    assert measure_value(measure("cap", 0.05, "%", qualifier="最高不超过")) == "0.05 %（最高不超过）"
