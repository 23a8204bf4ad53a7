"""Text reuse across documents (scripts/similarity.py)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from scripts import similarity
from scripts.similarity import (
    COLUMNS,
    common_passages,
    comparison_text,
    derive,
    normalise,
    reused_pairs,
    shingle_matrix,
    shingles,
    similar_pairs,
)
from scripts.works import work_id
from tests.helpers import read_csv

ROOT = Path(__file__).resolve().parents[1]
CLAUSES = ROOT / "datapackage" / "data" / "clauses.csv"
DOCUMENTS = ROOT / "datapackage" / "data" / "documents.csv"
#: The documents every kept pair of which has been read (tests/fixtures/similar_pairs_*.csv).
READ_CORPUS = ROOT / "releases" / "2.1.0" / "datapackage" / "data" / "documents.csv"
CHECKED = ROOT / "tests" / "fixtures" / "similar_pairs_checked.csv"
JUDGED = ROOT / "tests" / "fixtures" / "similar_pairs_judged.csv"

# Targets (issue 15): precision >= 0.85 on hand-read pairs across the corpus, recall >= 0.9 on the 40 plan
# pairs confirmed by reading. Measured (``python -m scripts.evaluate_reuse``) on the whole corpus (28
# documents): 110 pairs kept, every one hand-read, 98 reuse (0.891 in sample: the thresholds were chosen on
# these readings; 0.879 on held-out halves, range 0.84-0.93); of the judged sample alone 72/82 (0.878).
# Recall 38/40 (0.95).
MIN_PRECISION = 0.85
TARGET_PLAN_RECALL = 0.9


@pytest.fixture(scope="module")
def clauses() -> list[dict[str, str]]:
    return read_csv(CLAUSES)


@pytest.fixture(scope="module")
def pairs(clauses: list[dict[str, str]]) -> list[dict]:
    return derive(read_csv(DOCUMENTS), clauses)


def pair_keys(pairs: list[dict]) -> set[frozenset[str]]:
    return {frozenset((r["clause_id"], r["similar_id"])) for r in pairs}


def clause(cid: str, doc: str, text: str, heading: str = "", kind: str = "item") -> dict[str, str]:
    return {"id": cid, "document_id": doc, "kind": kind, "heading": heading, "text": text}


def present(rows: list[dict[str, str]], clauses: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows of pairs whose two clauses the data holds."""
    ids = {c["id"] for c in clauses}
    return [r for r in rows if r["clause_id"] in ids and r["similar_id"] in ids]


# --- real data -------------------------------------------------------------------------------


def test_rows_have_fixed_columns_and_both_directions(pairs: list[dict]) -> None:
    assert pairs
    index = {(r["clause_id"], r["similar_id"]): r for r in pairs}
    for row in pairs:
        assert tuple(row) == COLUMNS
        assert 0 < row["score"] <= 1 and row["score"] == round(row["score"], 4)
        back = index[(row["similar_id"], row["clause_id"])]
        assert back["score"] == row["score"]
        assert back["document_id"] == row["similar_document_id"]
        shared = [p for p in row["shared"].split("|") if p]
        assert len(shared) <= 5
        assert all(len(p) >= 8 for p in shared)
        assert [len(p) for p in shared] == sorted((len(p) for p in shared), reverse=True)


def test_no_pair_between_versions_of_one_work(pairs: list[dict]) -> None:
    assert all(work_id(r["document_id"]) != work_id(r["similar_document_id"]) for r in pairs)
    assert work_id("aml-law-2006") == work_id("aml-law-2024") == "aml-law"
    assert work_id("shanghai-ifc-2009") == work_id("shanghai-ifc-2024") != work_id("shanghai-2019")


def test_shared_passages_are_cut_from_the_clause(clauses: list[dict[str, str]], pairs: list[dict]) -> None:
    by_id = {c["id"]: c for c in clauses}
    for row in pairs:
        source = comparison_text(by_id[row["clause_id"]])
        for passage in filter(None, row["shared"].split("|")):
            assert passage in source


def test_order_is_clause_then_score_then_similar(pairs: list[dict]) -> None:
    assert pairs == sorted(pairs, key=lambda r: (r["clause_id"], -r["score"], r["similar_id"]))


def test_deterministic_and_independent_of_input_order(clauses: list[dict[str, str]], pairs: list[dict]) -> None:
    shuffled = list(clauses)
    random.Random(7).shuffle(shuffled)
    assert derive(read_csv(DOCUMENTS), shuffled) == pairs


def test_candidate_cap_loses_no_pair(clauses: list[dict[str, str]]) -> None:
    usable = sorted((c for c in clauses if similarity.eligible(c)), key=lambda c: c["id"])
    texts = [normalise(comparison_text(c))[0] for c in usable]
    works = [work_id(c["document_id"]) for c in usable]
    ranks = {d["id"]: d["legal_rank"] for d in read_csv(DOCUMENTS)}
    policy = [ranks[c["document_id"]] in similarity.POLICY_RANKS for c in usable]
    kept = reused_pairs(texts, works, policy=policy)
    assert kept == reused_pairs(texts, works, max_posting=len(texts), policy=policy)
    assert reused_pairs(texts, works, max_posting=50, policy=policy) == kept


def test_precision_on_the_judged_sample(clauses: list[dict[str, str]], pairs: list[dict]) -> None:
    judged = {
        frozenset((r["clause_id"], r["similar_id"])): r["reuse"] == "yes" for r in present(read_csv(JUDGED), clauses)
    }
    if len(judged) < 100:
        pytest.skip("the judged sample needs the laws and regulations in the data")
    kept = [k for k in pair_keys(pairs) if k in judged]
    assert len(kept) >= 50
    assert sum(judged[k] for k in kept) / len(kept) >= MIN_PRECISION


def plan_recall(clauses: list[dict[str, str]], pairs: list[dict]) -> float:
    checked = present(read_csv(CHECKED), clauses)
    confirmed = {
        frozenset((r["clause_id"], r["similar_id"]))
        for r in checked
        if r["same_content"] == "yes" and float(r["score"]) >= 0.07
    }
    assert len(confirmed) == 40
    return len(confirmed & pair_keys(pairs)) / len(confirmed)


def test_plan_recall_target(clauses: list[dict[str, str]], pairs: list[dict]) -> None:
    assert plan_recall(clauses, pairs) >= TARGET_PLAN_RECALL


def test_precision_on_every_hand_read_pair(clauses: list[dict[str, str]], pairs: list[dict]) -> None:
    read = {frozenset((r["clause_id"], r["similar_id"])): r["same_content"] == "yes" for r in read_csv(CHECKED)}
    read.update({frozenset((r["clause_id"], r["similar_id"])): r["reuse"] == "yes" for r in read_csv(JUDGED)})
    kept = pair_keys(pairs)
    if len(present(read_csv(JUDGED), clauses)) < 100:
        pytest.skip("the judged sample needs the laws and regulations in the data")
    # The readings cover the corpus of release 2.1.0; a pair with a document added since is not read yet.
    labelled = {d["id"] for d in read_csv(READ_CORPUS)}
    kept = {k for k in kept if all(cid.split(".")[0] in labelled for cid in k)}
    assert kept <= set(read), f"unread kept pairs: {sorted(map(sorted, kept - set(read)))[:5]}"
    assert sum(read[k] for k in kept) / len(kept) >= MIN_PRECISION


def test_paraphrase_is_kept_only_between_policy_documents(clauses: list[dict[str, str]]) -> None:
    documents = read_csv(DOCUMENTS)
    pair = frozenset(("qingdao-2021.2.2", "shanghai-2019.3.14"))  # infrastructure item restated
    assert pair in pair_keys(derive(documents, clauses))
    as_laws = [{**d, "legal_rank": "law"} for d in documents]
    assert pair not in pair_keys(derive(as_laws, clauses))


def test_qingdao_credit_item_first_match_is_shanghai(pairs: list[dict]) -> None:
    rows = [r for r in pairs if r["clause_id"] == "qingdao-2021.3.7"]
    assert rows and rows[0]["similar_id"] == "shanghai-2019.2.8"
    assert rows[0]["shared"].split("|")[0] == "提升企业融资精准化服务水平。引导金融机构使用金融科技手段"


def test_boilerplate_is_not_reuse(pairs: list[dict]) -> None:
    keys = pair_keys(pairs)
    # the same public-order liability formula, and the same catch-all item, in two laws
    assert frozenset(("data-security-law-2021.art52.p2", "pipl-2021.art71")) not in keys
    assert frozenset(("shanghai-data-2021.art55.3", "shenzhen-data-2021.art67.3")) not in keys
    # a definition the Shanghai data regulation copies from the Data Security Law is
    assert frozenset(("data-security-law-2021.art3.p3", "shanghai-data-2021.art2.3")) in keys


def test_runs_fast(clauses: list[dict[str, str]]) -> None:
    import time

    start = time.perf_counter()
    similar_pairs(clauses)
    assert time.perf_counter() - start < 5.0


# --- synthetic -------------------------------------------------------------------------------

FILLER = [
    "完善人才培养机制，建设高水平专家队伍，营造良好环境氛围。",
    "加强统计监测分析，定期发布运行报告，提高透明程度。",
    "推进基础设施建设，优化城市空间布局，提升综合承载能力。",
    "健全工作协调机制，明确部门职责分工，强化督促检查落实。",
]


def corpus(*extra: dict[str, str]) -> list[dict[str, str]]:
    return [clause(f"f{k}.1", f"f{k}", text) for k, text in enumerate(FILLER)] + list(extra)


def test_weights_count_works_and_shared_weight_is_exact() -> None:
    texts = ["甲乙丙丁戊己庚", "甲乙丙丁子丑寅", "甲乙丙丁卯辰巳", "午未申酉戌亥天"]
    shingled = shingle_matrix(texts, ["a", "a", "b", "c"], common_share=1.0)
    codes = similarity.shingle_codes("甲乙丙丁")
    column = int(np.searchsorted(np.unique(np.concatenate([similarity.shingle_codes(t) for t in texts])), codes[0]))
    assert shingled.weights[column] == pytest.approx(np.log(3 / 2))  # in works a and b, of three works
    (i, j, shared), *_ = similarity.shared_weights(shingled)
    by_pair = dict(zip(zip(i.tolist(), j.tolist(), strict=True), shared.tolist(), strict=True))
    assert set(by_pair) == {(0, 1), (0, 2), (1, 2)}
    assert by_pair[(0, 2)] == pytest.approx(np.log(3 / 2))
    assert len(shingles("甲乙丙丁戊己庚")) == len(similarity.shingle_codes("甲乙丙丁戊己庚")) == 4


def test_tiny_corpus_exact_rows() -> None:
    a_text = "支持金融机构运用大数据技术提升风险管理能力，推动普惠金融发展。"
    b_text = "鼓励金融机构运用大数据技术提升风险管理能力，服务实体经济。"
    rows = similar_pairs(
        corpus(
            clause("a.1", "a-2020", a_text),
            clause("b.1", "b-2021", b_text),
            clause("a.2", "a-2020", a_text),  # same document as a.1: never paired with it
            clause("a.3", "a-2024", a_text),  # another version of work a: never paired with a.1 or a.2
            clause("c.1", "c", "太短的文本"),  # under 20 characters: skipped
            clause("c.2", "c", "", heading="支持金融机构运用大数据技术提升风险管理能力", kind="part"),  # not prose
        ),
        common_share=8.0,
    )
    shared = "金融机构运用大数据技术提升风险管理能力，"
    assert [(r["clause_id"], r["similar_id"], r["shared"]) for r in rows] == [
        ("a.1", "b.1", shared),
        ("a.2", "b.1", shared),
        ("a.3", "b.1", shared),
        ("b.1", "a.1", shared),
        ("b.1", "a.2", shared),
        ("b.1", "a.3", shared),
    ]
    assert len({r["score"] for r in rows}) == 1 and 0 < rows[0]["score"] < 1


def test_phrasing_of_half_the_works_weighs_nothing() -> None:
    formula = "违反本条例规定，构成犯罪的，依法追究刑事责任。"
    docs = corpus(*(clause(f"law{k}.1", f"law{k}", formula) for k in range(6)))
    assert similar_pairs(docs, common_share=0.5) == []


def test_heading_counts_once_and_width_is_folded() -> None:
    assert comparison_text(clause("x", "d", "标题。正文内容", heading="标题")) == "标题。正文内容"
    assert comparison_text(clause("x", "d", "正文内容", heading="标题", kind="box")) == "标题。正文内容"
    rows = similar_pairs(
        corpus(
            clause("a.1", "a", "根据《金融科技（FinTech）发展规划（2019-2021年）》等文件精神，提出如下意见。"),
            clause("b.1", "b", "根据《金融科技(FinTech)发展规划(2019-2021年)》等文件精神，提出如下指导意见。"),
        ),
        common_share=8.0,
    )
    assert [r["clause_id"] for r in rows] == ["a.1", "b.1"]
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
    assert similar_pairs(corpus(clause("a.1", "a", text), clause("a.2", "a", text)), common_share=8.0) == []
    assert similar_pairs([]) == []
