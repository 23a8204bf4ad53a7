"""Text reuse across documents (scripts/similarity.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from scripts import similarity
from scripts.similarity import COLUMNS, THRESHOLD, common_passages, comparison_text, similar_pairs
from tests.helpers import read_csv

ROOT = Path(__file__).resolve().parents[1]
CLAUSES = ROOT / "datapackage" / "data" / "clauses.csv"
CHECKED = ROOT / "tests" / "fixtures" / "similar_pairs_checked.csv"


@pytest.fixture(scope="module")
def clauses() -> list[dict[str, str]]:
    return read_csv(CLAUSES)


@pytest.fixture(scope="module")
def pairs(clauses: list[dict[str, str]]) -> list[dict]:
    return similar_pairs(clauses)


def clause(cid: str, doc: str, text: str, heading: str = "", kind: str = "item") -> dict[str, str]:
    return {"id": cid, "document_id": doc, "kind": kind, "heading": heading, "text": text}


def grams(text: str) -> set[str]:
    return {text[i:i + 4] for i in range(len(text) - 3)}


# --- real data -------------------------------------------------------------------------------


def test_qingdao_credit_item_first_match_is_shanghai(pairs: list[dict]) -> None:
    rows = [r for r in pairs if r["clause_id"] == "qingdao-2021.3.7"]
    assert rows, "qingdao-2021.3.7 has no similar clause"
    first = rows[0]
    assert first["similar_id"] == "shanghai-2019.2.8"
    assert first["similar_document_id"] == "shanghai-2019"
    assert first["score"] == max(r["score"] for r in rows)
    assert first["shared"].split("|")[0] == "提升企业融资精准化服务水平。引导金融机构使用金融科技手段"


def test_rows_have_fixed_columns_and_both_directions(pairs: list[dict]) -> None:
    assert pairs
    index = {(r["clause_id"], r["similar_id"]): r for r in pairs}
    for row in pairs:
        assert tuple(row) == COLUMNS
        assert row["document_id"] != row["similar_document_id"]
        assert row["score"] >= THRESHOLD
        assert row["score"] == round(row["score"], 4)
        back = index[(row["similar_id"], row["clause_id"])]
        assert back["score"] == row["score"]
        assert back["document_id"] == row["similar_document_id"]
        shared = [p for p in row["shared"].split("|") if p]
        assert len(shared) <= 5
        assert all(len(p) >= 8 for p in shared)
        assert [len(p) for p in shared] == sorted((len(p) for p in shared), reverse=True)


def test_shared_passages_are_cut_from_the_clause(clauses: list[dict[str, str]], pairs: list[dict]) -> None:
    by_id = {c["id"]: c for c in clauses}
    for row in pairs:
        source = comparison_text(by_id[row["clause_id"]])
        for passage in filter(None, row["shared"].split("|")):
            assert passage in source


def test_order_is_clause_then_score_then_similar(pairs: list[dict]) -> None:
    assert pairs == sorted(pairs, key=lambda r: (r["clause_id"], -r["score"], r["similar_id"]))


def test_deterministic_and_independent_of_input_order(clauses: list[dict[str, str]], pairs: list[dict]) -> None:
    assert similar_pairs(clauses) == pairs
    shuffled = list(clauses)
    random.Random(7).shuffle(shuffled)
    assert similar_pairs(shuffled) == pairs


def test_lsh_finds_every_pair_above_threshold(clauses: list[dict[str, str]], pairs: list[dict]) -> None:
    usable = [c for c in clauses if similarity.eligible(c)]
    sets = [similarity.shingles(similarity.normalise(comparison_text(c))[0]) for c in usable]
    expected = set()
    for i in range(len(usable)):
        for j in range(i + 1, len(usable)):
            if usable[i]["document_id"] == usable[j]["document_id"]:
                continue
            if round(similarity.jaccard(sets[i], sets[j]), 4) >= THRESHOLD:
                expected.add(frozenset((usable[i]["id"], usable[j]["id"])))
    assert {frozenset((r["clause_id"], r["similar_id"])) for r in pairs} == expected


def test_checked_sample_supports_threshold() -> None:
    checked = read_csv(CHECKED)
    assert len(checked) >= 50
    assert {r["same_content"] for r in checked} <= {"yes", "no"}
    kept = [r for r in checked if float(r["score"]) >= THRESHOLD]
    precision = sum(r["same_content"] == "yes" for r in kept) / len(kept)
    assert precision >= 0.85
    below = [r for r in checked if float(r["score"]) < THRESHOLD]
    assert sum(r["same_content"] == "yes" for r in below) / len(below) < 0.5


def test_runs_fast(clauses: list[dict[str, str]]) -> None:
    import time

    # About 2 s for the 3,200 clauses of 28 documents (10,000 rows, shared passages included) on one core.
    start = time.perf_counter()
    similar_pairs(clauses)
    assert time.perf_counter() - start < 6.0


# --- synthetic -------------------------------------------------------------------------------


def test_tiny_corpus_exact_rows() -> None:
    a_text = "支持金融机构运用大数据技术提升风险管理能力，推动普惠金融发展。"
    b_text = "鼓励金融机构运用大数据技术提升风险管理能力，服务实体经济。"
    corpus = [
        clause("a.1", "a", a_text),
        clause("b.1", "b", b_text),
        clause("b.2", "b", "完善人才培养机制，建设高水平专家队伍，营造良好环境氛围。"),
        clause("a.2", "a", a_text),  # same document as a.1: never paired with it
        clause("c.1", "c", "太短的文本"),  # under 20 characters: skipped
        clause("c.2", "c", "", heading="支持金融机构运用大数据技术提升风险管理能力", kind="part"),  # not prose
    ]
    score = round(len(grams(a_text) & grams(b_text)) / len(grams(a_text) | grams(b_text)), 4)
    assert score >= THRESHOLD
    shared = "金融机构运用大数据技术提升风险管理能力，"
    assert similar_pairs(corpus) == [
        {"clause_id": "a.1", "similar_id": "b.1", "document_id": "a", "similar_document_id": "b",
         "score": score, "shared": shared},
        {"clause_id": "a.2", "similar_id": "b.1", "document_id": "a", "similar_document_id": "b",
         "score": score, "shared": shared},
        {"clause_id": "b.1", "similar_id": "a.1", "document_id": "b", "similar_document_id": "a",
         "score": score, "shared": shared},
        {"clause_id": "b.1", "similar_id": "a.2", "document_id": "b", "similar_document_id": "a",
         "score": score, "shared": shared},
    ]


def test_heading_counts_once_and_width_is_folded() -> None:
    assert comparison_text(clause("x", "d", "标题。正文内容", heading="标题")) == "标题。正文内容"
    assert comparison_text(clause("x", "d", "正文内容", heading="标题", kind="box")) == "标题。正文内容"
    corpus = [
        clause("a.1", "a", "根据《金融科技（FinTech）发展规划（2019-2021年）》等文件精神，提出如下意见。"),
        clause("b.1", "b", "根据《金融科技(FinTech)发展规划(2019-2021年)》等文件精神，提出如下指导意见。"),
    ]
    rows = similar_pairs(corpus)
    assert [r["clause_id"] for r in rows] == ["a.1", "b.1"]
    # each side's passage is cut from its own text, brackets as written there
    assert rows[0]["shared"].startswith("根据《金融科技（FinTech）发展规划（2019-2021年）》等文件精神，提出如下")
    assert rows[1]["shared"].startswith("根据《金融科技(FinTech)发展规划(2019-2021年)》等文件精神，提出如下")


def test_common_passages_are_maximal_and_deduplicated() -> None:
    a = "一二三四五六七八九十甲乙丙丁一二三四五六七八"
    b = "一二三四五六七八九十子丑寅卯一二三四五六七八"
    spans = common_passages(a, b, min_len=8)
    assert [a[s:e] for s, e in spans] == ["一二三四五六七八九十"]
    assert common_passages("短文本", "短文本") == []


def test_no_pairs_within_one_document() -> None:
    text = "引导金融机构使用金融科技手段完善中小微企业的信贷流程和信用评级模型。"
    assert similar_pairs([clause("a.1", "a", text), clause("a.2", "a", text)]) == []
    assert similar_pairs([]) == []
