"""The segmenter on small inputs: one behaviour per test."""

import pytest

from scripts.segment import SegmentError
from tests.helpers import outline, segment_text

PLAN = """为促进发展，现提出以下意见。

一、总体思路

（一）指导思想。以新思想为指导。

（二）基本原则。坚持创新。

二、重点任务

（一）推动研发。推动技术研发。
"""


def test_plan_with_restarting_item_numbers() -> None:
    assert outline(segment_text(PLAN)) == [
        (0, "preamble", "", "", "为促进发展，现提出以下意见。"),
        (0, "part", "一", "总体思路", ""),
        (1, "item", "（一）", "指导思想", "指导思想。以新思想为指导。"),
        (1, "item", "（二）", "基本原则", "基本原则。坚持创新。"),
        (0, "part", "二", "重点任务", ""),
        (1, "item", "（一）", "推动研发", "推动研发。推动技术研发。"),
    ]


def test_item_numbers_running_on_across_parts() -> None:
    src = "一、甲\n（一）甲一。内容。\n（二）甲二。内容。\n二、乙\n（三）乙一。内容。\n"
    labels = [(d, k, lab) for d, k, lab, _, _ in outline(segment_text(src))]
    assert labels == [
        (0, "part", "一"),
        (1, "item", "（一）"),
        (1, "item", "（二）"),
        (0, "part", "二"),
        (1, "item", "（三）"),
    ]


def test_run_on_document_cannot_then_restart() -> None:
    src = "一、甲\n（一）甲一。内容。\n二、乙\n（二）乙一。内容。\n三、丙\n（一）丙一。内容。\n"
    with pytest.raises(SegmentError) as err:
        segment_text(src, "runon.txt")
    assert str(err.value).splitlines()[0] == "runon.txt:6: numbering: expected （三） under 三, found （一）"


def test_a_line_that_looks_like_a_heading_inside_a_sentence_is_text() -> None:
    src = "一、总体\n（一）统计。助力“统\n一、全面、共享”的体系建设。\n（二）下一项。内容。\n"
    out = outline(segment_text(src))
    assert out[1] == (1, "item", "（一）", "统计", "统计。助力“统一、全面、共享”的体系建设。")
    assert [o[2] for o in out] == ["一", "（一）", "（二）"]


def test_page_break_inside_a_word_is_joined() -> None:
    src = "一、总体\n\n（一）原则。促进金融服务提\n\n质增效、规范运行。\n\n（二）目标。内容。\n"
    assert outline(segment_text(src))[1][4] == "原则。促进金融服务提质增效、规范运行。"


def test_skipped_number_is_an_error_naming_file_line_and_expectation() -> None:
    src = "一、总体\n（一）甲。内容。\n（三）丙。内容。\n"
    with pytest.raises(SegmentError) as err:
        segment_text(src, "skip.txt")
    assert err.value.line == 3
    assert str(err.value) == (
        "skip.txt:3: numbering: expected （二） under 一, found （三）\n"
        "  how to fix: a number is skipped, repeated or out of order; check the source against the official text "
        "and correct the source file's numbering (or the line break before it)"
    )


def test_heading_without_body_is_an_error() -> None:
    with pytest.raises(SegmentError) as err:
        segment_text("一、总体思路\n二、重点任务\n（一）甲。内容。\n", "empty.txt")
    assert str(err.value).splitlines()[0] == "empty.txt:1: heading 一 总体思路 has no body"


def test_signature_block_inside_body_is_an_error() -> None:
    with pytest.raises(SegmentError) as err:
        segment_text("一、总体\n（一）甲。内容。\n2021年7月23日\n", "sig.txt")
    assert str(err.value).startswith("sig.txt:3: signature, date or distribution line inside the body")


def test_sections_items_boxes_and_bullets() -> None:
    src = (
        "前 言\n开篇。\n一、总体思路\n（一）基本原则\n——坚持创新。创新驱动。\n——坚持开放。开放合作。\n"
        "二、主要任务\n（一）机构集聚\n1.吸引主体。内容一。\n\t专栏1：湾区城\n案例第一段。\n一是政府指导。\n\n\n"
        "2.建设功能区。内容二。\n"
    )
    assert outline(segment_text(src)) == [
        (0, "preamble", "", "前言", "开篇。"),
        (0, "part", "一", "总体思路", ""),
        (1, "section", "（一）", "基本原则", ""),
        (2, "bullet", "•1", "坚持创新", "坚持创新。创新驱动。"),
        (2, "bullet", "•2", "坚持开放", "坚持开放。开放合作。"),
        (0, "part", "二", "主要任务", ""),
        (1, "section", "（一）", "机构集聚", ""),
        (2, "item", "1", "吸引主体", "吸引主体。内容一。"),
        (2, "box", "专栏1", "湾区城", "案例第一段。\n一是政府指导。"),
        (2, "item", "2", "建设功能区", "建设功能区。内容二。"),
    ]


def test_regulation_with_chapters_articles_paragraphs_and_items() -> None:
    src = (
        "第一章 总则\n第一条 为了规范金融科技创新活动，制定本办法。\n第二条 本办法适用于下列机构：\n"
        "（一）商业银行；\n（二）支付机构。\n金融控股公司参照本办法执行。\n第二章 监督管理\n第三条 人民银行负责监督管理。\n"
    )
    assert outline(segment_text(src)) == [
        (0, "part", "第一章", "总则", ""),
        (1, "item", "第一条", "", "为了规范金融科技创新活动，制定本办法。"),
        (1, "item", "第二条", "", "本办法适用于下列机构："),
        (2, "item", "（一）", "", "商业银行；"),
        (2, "item", "（二）", "", "支付机构。"),
        (2, "paragraph", "¶1", "", "金融控股公司参照本办法执行。"),
        (0, "part", "第二章", "监督管理", ""),
        (1, "item", "第三条", "", "人民银行负责监督管理。"),
    ]


def test_hard_wrapped_text_with_footnote_in_the_middle_of_a_paragraph() -> None:
    width = "金融科技是技术驱动的金融创新1，旨在运用现代科技成"
    src = "\n\n".join(
        [
            "第一章 发展形势",
            "第一节 重要意义",
            width,
            "果改造或创新金融产品、经营模式、业务流程等，推动金融",
            "1 该定义由金融稳定理事会（FSB）于 2016 年提出。",
            " 发展提质增效。在新一轮科技革命和产业变革的背景下，金",
            "融科技蓬勃发展。",
            "金融科技成为推动金融转型升级的新引擎。金融科技的",
            "核心是利用现代科技成果优化或创新金融产品、经营模式和",
            "业务流程。",
        ]
    )
    assert outline(segment_text(src)) == [
        (0, "part", "第一章", "发展形势", ""),
        (1, "section", "第一节", "重要意义", ""),
        (
            2,
            "paragraph",
            "¶1",
            "",
            "金融科技是技术驱动的金融创新，旨在运用现代科技成果改造或创新金融产品、经营模式、"
            "业务流程等，推动金融发展提质增效。在新一轮科技革命和产业变革的背景下，金融科技蓬勃发展。",
        ),
        (3, "footnote", "注1", "", "该定义由金融稳定理事会（FSB）于2016年提出。"),
        (
            2,
            "paragraph",
            "¶2",
            "",
            "金融科技成为推动金融转型升级的新引擎。金融科技的核心是利用现代科技成果优化或创新金融"
            "产品、经营模式和业务流程。",
        ),
    ]
