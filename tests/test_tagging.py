"""Topic tagging: rule matching, curation, errors, and the score against the hand-labelled clauses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from scripts import codebook, vocab
from scripts.background import Background, background_reasons, parse_background
from scripts.evaluate_tags import (
    HELDOUT_FILE,
    LABELS_FILE,
    Label,
    build_clauses,
    evaluate,
    in_package,
    load_labels,
    predict,
    report,
)
from scripts.explain_tags import main as explain_main
from scripts.tagging import (
    Curation,
    Pattern,
    Rule,
    TaggingError,
    apply_tags,
    listed,
    load_curation,
    load_rules,
    rule_matches,
    tag_text,
)

# Quality floors, measured on the labelled documents only (a document without labels is not scored).
# The seeds are the five plans and guidance documents of the first release; their every clause is labelled by the
# codebook in tests/fixtures/topic_labels.csv. Floors of the issue (15): micro-F1 >= 0.90 on the seeds and recall
# >= 0.75 for every topic labelled on them (in-sample: the rules were changed to follow the codebook with these
# labels in view; measured 0.937 and a lowest topic recall of 0.75, rural: 3 of 4).
SEED_DOCUMENTS = ("chongqing-2020", "pboc-2019", "qingdao-2021", "shanghai-2019", "shenzhen-2023")
SEED_MICRO_F1_FLOOR = 0.90
SEED_TOPIC_RECALL_FLOOR = 0.75
# Every labelled document (seeds and the regulations labelled in-sample), published tags and rules alone, as
# measured after the codebook change (0.8978 and 0.8931), rounded down. A change that scores lower fails here:
# improve the rules, or, if the labels were wrong, fix them with a note and lower the floor in the same commit.
MICRO_F1_FLOOR = 0.89
RULES_ONLY_MICRO_F1_FLOOR = 0.88
# tests/fixtures/topic_labels_heldout.csv was labelled and committed before any rule was changed for the codebook.
# The rules then scored 0.655; after the change 0.8027 (chongqing-2020 is also in the in-sample set; the two
# regulations are not). This floor keeps that figure from slipping; it is not a target to tune the rules to.
HELDOUT_MICRO_F1_FLOOR = 0.80

VALID = ", ".join(sorted(vocab.topic_slugs()))


def rule(
    topic: str = "talent",
    include: tuple[Any, ...] = ("人才",),
    exclude: tuple[str, ...] = (),
    min_score: float = 1.0,
    list_weight: float = 1.0,
) -> Rule:
    pats = tuple(
        Pattern(re.compile(p), 1.0, p) if isinstance(p, str) else Pattern(re.compile(p[0]), p[1], p[0]) for p in include
    )
    return Rule(topic, pats, tuple(re.compile(p) for p in exclude), min_score, list_weight)


def clause(cid: str, kind: str = "item", heading: str = "", text: str = "") -> dict[str, Any]:
    return {"id": cid, "kind": kind, "heading": heading, "text": text, "topics": []}


# --- rule_matches -----------------------------------------------------------------------------------------------


def test_include_matches_are_returned() -> None:
    assert rule_matches(rule(), "拓宽人才引进渠道，加强人才引进") == ["人才", "人才"]
    assert rule_matches(rule(), "加强金融科技基础设施建设") == []


def test_include_inside_an_exclude_match_does_not_count() -> None:
    r = rule(exclude=("人才洽谈会",))
    assert rule_matches(r, "用好重庆国际人才洽谈会等平台") == []
    # only matches lying wholly inside an exclude match are dropped
    assert rule_matches(r, "用好重庆国际人才洽谈会等平台，加强人才培养") == ["人才"]
    # an exclude match that merely overlaps the include match does not suppress it
    assert rule_matches(rule(exclude=("才洽",)), "人才洽谈会") == ["人才"]


def test_weights_and_min_score() -> None:
    weak = rule(include=(("人才", 0.5),))
    assert rule_matches(weak, "企业与人才双向流动") == []
    assert rule_matches(weak, "引进人才，培育人才") == ["人才", "人才"]
    assert rule_matches(rule(min_score=2), "人才") == []


def test_overlapping_matches_count_once() -> None:
    r = rule(include=(("人才", 0.5), ("人才培养", 0.5)))
    assert rule_matches(r, "加强人才培养") == []


def test_list_entries_count_less() -> None:
    r = rule(list_weight=0.5)
    assert listed("在人才、技术、标准等方面开展合作", 1, 3)
    assert rule_matches(r, "在人才、技术、标准等方面开展合作") == []
    assert rule_matches(r, "加强人才队伍建设") == ["人才"]
    # a long phrase before a separator is not a passing list entry
    text = "龙头企业比较欠缺，复合型人才培养体系、自主可控软硬件基础设施建设等还需加强"
    assert not listed(text, text.index("人才"), text.index("人才") + 2)


def test_parts_and_sections_are_tagged_from_their_heading_only() -> None:
    r = rule()
    part = clause("d.1", "part", heading="总体思路", text="加强人才队伍建设")
    section = clause("d.2", "section", heading="加强人才队伍建设")
    item = clause("d.1.1", "item", heading="总体思路", text="总体思路。加强人才队伍建设")
    assert tag_text(part) == "总体思路"
    apply_tags([part, section, item], (r,), ())
    assert part["topics"] == [] and section["topics"] == ["talent"] and item["topics"] == ["talent"]


def test_item_heading_repeated_in_text_is_read_once() -> None:
    assert (
        tag_text(clause("d.1", heading="加强人才队伍建设", text="加强人才队伍建设。拓宽渠道"))
        == "加强人才队伍建设。拓宽渠道"
    )
    assert tag_text(clause("d.box1", "box", heading="专栏", text="正文")) == "专栏\n正文"


def test_heading_matches_count_double() -> None:
    r = rule(include=(("人才", 0.5),))
    assert apply_tags([clause("a", heading="人才", text="人才。其他")], (r,), ()) != []
    assert apply_tags([clause("b", heading="其他", text="其他。人才")], (r,), ()) == []


# --- curation ---------------------------------------------------------------------------------------------------


def test_curation_removes_and_adds_over_the_rules() -> None:
    cs = [clause("x.1", text="加强人才队伍建设"), clause("x.2", text="完善信用体系")]
    rows = apply_tags(
        cs,
        (rule(),),
        (
            Curation("x.1", "talent", "remove", "passing mention", 2),
            Curation("x.2", "credit-system", "add", "credit system", 3),
        ),
    )
    assert cs[0]["topics"] == [] and cs[1]["topics"] == ["credit-system"]
    assert rows == [{"clause_id": "x.2", "topic": "credit-system", "source": "curated", "matched": "credit system"}]


def test_rule_tags_record_their_source_and_words() -> None:
    rows = apply_tags([clause("x.1", text="加强人才队伍建设，引进人才")], (rule(),), ())
    assert rows == [{"clause_id": "x.1", "topic": "talent", "source": "rule:talent", "matched": "人才"}]


def test_curation_of_an_unknown_clause_is_refused() -> None:
    with pytest.raises(TaggingError, match=r"topic_curation.csv:2: field `clause_id`: no clause 'x.9'"):
        apply_tags([clause("x.1")], (), (Curation("x.9", "talent", "add", "why", 2),))


# --- errors -----------------------------------------------------------------------------------------------------


def test_unknown_topic_in_rules(tmp_path: Path) -> None:
    path = tmp_path / "topic_rules.json"
    path.write_text(json.dumps({"topics": {"talnet": {"include": ["人才"]}}}), encoding="utf-8")
    with pytest.raises(TaggingError) as err:
        load_rules(path)
    assert (err.value.file, err.value.message) == (path.as_posix(), "unknown topic 'talnet'")
    assert err.value.fix == f"topics are defined in datapackage/vocab/topics.csv ({VALID})"


def test_unknown_topic_in_curation(tmp_path: Path) -> None:
    path = tmp_path / "topic_curation.csv"
    path.write_text("clause_id,topic,action,reason\nqingdao-2021.2.6,talnet,add,why\n", encoding="utf-8")
    with pytest.raises(TaggingError) as err:
        load_curation(path)
    assert str(err.value) == (
        f"{path.as_posix()}:2: field `topic`: unknown topic 'talnet'\n  how to fix: use one of {VALID}"
    )


def test_a_curation_reason_cannot_hold_the_list_separator(tmp_path: Path) -> None:
    path = tmp_path / "topic_curation.csv"
    path.write_text("clause_id,topic,action,reason\nqingdao-2021.2.6,talent,add,a|b\n", encoding="utf-8")
    with pytest.raises(TaggingError) as err:
        load_curation(path)
    assert (err.value.line, err.value.field, err.value.fix) == (2, "reason", "write the reason without `|`")


def test_bad_rule_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "topic_rules.json"
    cases = {
        '{"topics": {"talent": {"include": ["{NOPE}"]}}}': "unknown name {NOPE}",
        '{"topics": {"talent": {"include": ["("]}}}': "bad pattern '('",
        '{"topics": {"talent": {"inclde": ["人才"]}}}': "unknown key(s) inclde",
        '{"topics": {"talent": {"include": [{"pattern": "人才", "weight": 0}]}}}': "is not a pattern",
        '{"topics": {"talent": {"list_weight": 2}}}': "`list_weight` is 2",
        '{"topics": ': "not valid JSON",
    }
    for content, message in cases.items():
        path.write_text(content, encoding="utf-8")
        with pytest.raises(TaggingError, match=re.escape(message)):
            load_rules(path)


def test_defines_expand_in_patterns(tmp_path: Path) -> None:
    path = tmp_path / "topic_rules.json"
    path.write_text(
        json.dumps(
            {
                "defines": {"T": "(?:大数据|区块链)", "TL": "{T}(?:、{T})+"},
                "topics": {"blockchain": {"include": ["区块链"], "exclude": ["{TL}"]}},
            }
        ),
        encoding="utf-8",
    )
    (r,) = load_rules(path)
    assert rule_matches(r, "运用大数据、区块链等技术") == []
    assert rule_matches(r, "建设区块链平台") == ["区块链"]


def test_duplicate_curation_lines_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "topic_curation.csv"
    path.write_text("clause_id,topic,action,reason\nq.1,talent,add,a\nq.1,talent,remove,b\n", encoding="utf-8")
    with pytest.raises(TaggingError, match="already corrected on line 2"):
        load_curation(path)


# --- the shipped rules, curation and labels ---------------------------------------------------------------------


def test_every_vocabulary_topic_has_a_rule() -> None:
    assert {r.topic for r in load_rules()} == set(vocab.topic_slugs())


def test_curation_lines_are_few_and_explained() -> None:
    lines = load_curation()
    assert len(lines) <= 15
    assert all(len(c.reason) >= 30 for c in lines)


def test_every_seed_clause_is_labelled() -> None:
    labels = load_labels()
    clauses = build_clauses()
    seeds = [c for c in clauses if c["document_id"] in SEED_DOCUMENTS]
    assert {c["id"] for c in seeds} <= set(labels)
    assert {c["kind"] for c in seeds} <= {c["kind"] for c in clauses if c["id"] in labels}
    assert LABELS_FILE.name == "topic_labels.csv"


def test_a_document_without_labels_is_not_scored_and_labels_of_an_absent_document_are_listed() -> None:
    clauses = [{"id": "d-2020.1", "document_id": "d-2020"}, {"id": "e-2020.1", "document_id": "e-2020"}]
    labels = {
        "d-2020.1": Label("d-2020.1", frozenset({"talent"}), ""),
        "x-2024.art1": Label("x-2024.art1", frozenset(), ""),
    }
    scored, absent = in_package(labels, clauses)
    assert set(scored) == {"d-2020.1"} and absent == {"x-2024": 1}
    with pytest.raises(TaggingError, match=re.escape("no clause 'd-2020.9' in document 'd-2020'")):
        in_package({"d-2020.9": Label("d-2020.9", frozenset(), "")}, clauses)


@pytest.fixture(scope="module")
def fixture_report() -> dict[str, Any]:
    return report()


def test_seed_quality_floors(fixture_report: dict[str, Any]) -> None:
    labels, clauses = load_labels(), build_clauses()
    seed_labels = {k: v for k, v in labels.items() if k.split(".", 1)[0] in SEED_DOCUMENTS}
    ev = evaluate(seed_labels, predict(clauses, load_rules(), load_curation()))
    assert ev.micro.f1 >= SEED_MICRO_F1_FLOOR, ev.micro.as_dict()
    low = {t: round(s.recall, 3) for t, s in ev.per_topic.items() if s.tp + s.fn and s.recall < SEED_TOPIC_RECALL_FLOOR}
    assert not low, f"topics below recall {SEED_TOPIC_RECALL_FLOOR} on the seeds: {low}"


def test_micro_f1_does_not_drop_below_the_floor(fixture_report: dict[str, Any]) -> None:
    rep = fixture_report
    assert rep["published"]["micro"]["f1"] >= MICRO_F1_FLOOR, rep["published"]["micro"]
    assert rep["rules_only"]["micro"]["f1"] >= RULES_ONLY_MICRO_F1_FLOOR, rep["rules_only"]["micro"]


def test_heldout_f1_does_not_drop_below_the_floor() -> None:
    rep = report(labels_file=HELDOUT_FILE)
    assert rep["labelled_clauses"] == len(load_labels(HELDOUT_FILE)), rep["not_scored"]
    assert rep["published"]["micro"]["f1"] >= HELDOUT_MICRO_F1_FLOOR, rep["published"]["micro"]


def test_evaluation_arithmetic() -> None:
    labels = load_labels()
    perfect = {cid: lb.topics for cid, lb in labels.items()}
    assert evaluate(labels, perfect).micro_f1 == 1.0
    empty = {cid: frozenset() for cid in labels}
    assert evaluate(labels, empty).micro.recall == 0.0


def test_every_built_tag_is_traceable() -> None:
    clauses = build_clauses()
    rules, curation = load_rules(), load_curation()
    rows = apply_tags([dict(c) for c in clauses], rules, curation)
    curated = {(c.clause_id, c.topic) for c in curation if c.action == "add"}
    for row in rows:
        if row["source"] == "curated":
            assert (row["clause_id"], row["topic"]) in curated
        else:
            assert row["source"] == f"rule:{row['topic']}" and row["matched"]
    assert predict(clauses, rules, curation) == {c["id"]: frozenset(c["topics"]) for c in clauses}


# --- background nodes, framing articles, the published codebook -------------------------------------------------


def test_technology_named_in_a_background_node_makes_no_tag() -> None:
    tech = rule("ai", include=("人工智能",))
    tech = Rule(tech.topic, tech.include, tech.exclude, background=False)
    bg = parse_background({"kinds": ["box"], "headings": ["发展基础"]}, "test")
    cs = [
        clause("d.1", "part", heading="发展基础"),
        {**clause("d.1.1", text="运用人工智能优化风控"), "parent_id": "d.1"},
        clause("d.box1", "box", text="运用人工智能优化风控"),
        clause("d.2.1", text="运用人工智能优化风控"),
    ]
    assert set(background_reasons(cs, bg)) == {"d.1", "d.1.1", "d.box1"}
    apply_tags(cs, (tech,), (), bg)
    assert [c["topics"] for c in cs] == [[], [], [], ["ai"]]


def test_framing_articles_get_no_rule_tag() -> None:
    bg = Background(framing=(re.compile("^本条例自[^。]*施行。"),))
    cs = [
        clause("r.art60", "article", text="本条例自2024年5月1日起施行。人才"),
        clause("r.art2", "article", text="人才"),
    ]
    apply_tags(cs, (rule(),), (), bg)
    assert [c["topics"] for c in cs] == [[], ["talent"]]


def test_bad_background_entries_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        parse_background({"kinds": ["chapter"]}, "topic_rules.json")
    with pytest.raises(ValueError, match="bad pattern"):
        parse_background({"framing": ["("]}, "topic_rules.json")


def test_the_published_codebook_has_the_rules_and_every_topic() -> None:
    text = codebook.codebook_markdown()
    assert text.startswith("# Topic codebook") and "## 1. Technology topics" in text
    for t in vocab.topics():
        assert f"| `{t.slug}` | {t.label_zh} | {t.label_en} |" in text
    built = (vocab.ROOT / "datapackage" / "data" / codebook.CODEBOOK_NAME).read_text(encoding="utf-8")
    assert built == text
    descriptor = json.loads((vocab.ROOT / "datapackage.json").read_text(encoding="utf-8"))
    topics = next(r for r in descriptor["resources"] if r["name"] == "topics")
    assert codebook.CODEBOOK_NAME in topics["description"]


def test_explain_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert explain_main(["qingdao-2021.2.6", "shanghai-2019.1.5"]) == 0
    out = capsys.readouterr().out
    assert "talent: rule:talent" in out and "[人才队伍]" in out
    assert "removed by curation (topic_curation.csv line" in out
    assert explain_main(["pboc-2019.1.1.p1", "credit-reporting-2013.art47"]) == 0
    out = capsys.readouterr().out
    assert "background node (under the background heading “重要意义”" in out
    assert "framing article" in out
    assert explain_main(["no-such.clause"]) == 1
