"""Quantified measures in clause text: money, rates, counts, targets and deadlines. Pure functions.

A measure is a number written in Arabic digits (full-width digits count) together with its unit:
money (元, 万元, 亿元 …), a percentage, a count of things (家, 个, 人, 名, 项, 次, 届, 期, 台 …), a
number of years, or a year that is a deadline. What is not a measure:

- plain dates and years that are not deadlines: 2017年3月, 于2019年启动, 自2016年起, 截至2021年底
  (an as-of date), 2022年4月以来, 预计2022年底 (a forecast), 20世纪80年代, and plan periods such as
  明确2019年至2021年…; these record history, not commitments;
- numbers inside titles in 《》 and document numbers (2019-2021年, 银发〔2019〕209号);
- numbers in names: 5G, B2B, O2O, G60科创走廊, 1:N, 毕马威2021…“双50”, 峰会2020;
- quantities in Chinese numerals (三批, 十届, 六部委, 三年多, 七个首创, 一次性): in these texts they
  are enumerations, names and slogans.

Quantities reported as facts (园区常驻人员2236名, 收入达57.5亿元) are measures: they are the data
the documents give.

Kinds:

- ``subsidy``: money granted: a subsidy, award, prize or funding (给予300万元一次性落户补助,
  合计1000万元的奖金支持, 安排1亿元资金…专项支持, 发放…专项资金6.2亿元).
- ``cap``: an upper limit on money or a quantity (最高不超过500万元, 总计不超过400万元).
- ``rate``: a percentage: a share of a base (按照实缴注册资本的2%) or a change (同比增长40.8%).
- ``threshold``: a quantity in a condition of eligibility (估值在5亿元以上的).
- ``target``: a quantity set as a goal (形成5个左右…园区, 集聚培育10家以上…企业, 增至5家,
  达到1000人).
- ``deadline``: the year by which something is to be achieved (到2021年, 力争到2025年); value is the
  year and unit 年.
- ``count``: any other number of things, people, events or years (23家企业入选, 共组织了4次一级考试,
  分5年).
- ``amount``: any other sum of money, such as reported revenue or tax (收入达57.5亿元).

Output rows (``extract_measures``), in this column order, in clause order and then by position:

- ``clause_id``: ID of the clause.
- ``seq``: 1-based number of the measure within the clause, in order of position.
- ``kind``: one of the kinds above.
- ``value``: the number with half-width digits and without thousands separators or unit
  ("300", "2", "57.5"; 1,000元 gives "1000").
- ``unit``: the unit as written: 元, 万元, 亿元, %, 家, 个, 人, 名, 项, 次, 届, 期, 台, 年 ….
- ``qualifier``: the words next to the number that qualify it, as written (以上, 以下, 左右, 余,
  最高不超过, 总计不超过, 合计, 共计, 达, 达到, 增至, 超, 同比增长, +, 到, 力争到, and 底 / 前 / 底前
  after a deadline year); words on both sides are joined with ``…`` (共计…余, 到…底前); empty when
  there are none.
- ``text``: the exact span of the clause text: qualifiers, number and unit (最高不超过500万元).
- ``start``: 0-based offset of the span in the clause's ``text``.
- ``end``: offset just past the span, so ``text[start:end]`` of the clause is ``text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from schemas import registry
from scripts import vocab
from scripts.citations import find_references

Row = dict[str, Any]

COLUMNS = tuple(registry.field_names("measures"))
KINDS = tuple(vocab.MEASURE_KINDS)

# Full-width digits and signs folded one character for one character, so offsets stay valid.
FOLD = str.maketrans("０１２３４５６７８９．％＋", "0123456789.%+")

PREFIXES = (
    "最高不超过", "总计不超过", "合计不超过", "累计不超过", "不超过", "不高于", "不低于", "不少于",
    "最高", "最多", "最低", "至少", "合计", "总计", "共计", "累计", "共",
    "力争到", "争取到", "确保到", "提高到", "提高至", "提升到", "提升至", "增至",
    "达到", "达", "超过", "超", "逾", "约", "近",
    "同比增长", "同比下降", "增长", "下降", "到",
)
MONEY = r"(?:万亿|亿|万|千)?元"
COUNTERS = r"(?:万|亿)?(?:家|个|人|名|项|次|届|期|台|所|座|位|户|笔|件|场|款|套|种|批|条)"
NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MEASURE_RE = re.compile(
    rf"(?P<pre>{'|'.join(PREFIXES)})?"
    rf"(?<![0-9A-Za-z.,:：\-—–－~～])(?P<num>{NUMBER})(?P<plus>\+)?(?P<approx>余|多)?"
    rf"(?P<unit>{MONEY}|%|‰|{COUNTERS}|年(?!代))"
    r"(?P<post>以上|以下|以内|左右|上下)?"
    r"(?![A-Za-z])"
)

CAP_WORDS = ("不超过", "最高", "最多", "不高于")
BOUND_WORDS = ("以上", "以下", "以内")
CONDITION_PREFIXES = ("超过", "不低于", "不少于", "达到", "达", "高于", "低于")
GOAL_PREFIXES = ("增至", "达到", "提高到", "提高至", "提升到", "提升至", "不少于", "不低于", "至少")
DEADLINE_PREFIXES = ("到", "力争到", "争取到", "确保到")
SUBSIDY_RE = re.compile(r"补助|补贴|奖励|奖金|资助|经费|专项资金|扶持资金|资金支持|专项支持|给予|安排|发放|拨付")
GOAL_RE = re.compile(r"形成|培育|集聚|力争|争取|打造|建成|新增|引进|增至|达到|提高到|提升至|突破")
FACT_RE = re.compile(r"已|截至|累计|共计|共有|成功|产生|以来|先后|同比|入选|此前|目前|(?<!共)共(?=\d|组织|举办)")
SENTENCE_END = "。；;！？!?\n"
PHRASE_END = SENTENCE_END + "，,、："


def _sentence_before(text: str, start: int) -> str:
    cut = max(text.rfind(ch, 0, start) for ch in SENTENCE_END)
    return text[cut + 1:start]


def _phrase_around(text: str, start: int, end: int) -> str:
    before = max(text.rfind(ch, 0, start) for ch in PHRASE_END)
    after = min((i for i in (text.find(ch, end) for ch in PHRASE_END) if i >= 0), default=len(text))
    return text[before + 1:after]


def _is_year(num: str) -> bool:
    return num.isdigit() and len(num) == 4 and 1900 <= int(num) <= 2100


def classify(text: str, m: re.Match[str]) -> str:
    """Kind of one match (see module docstring); empty when the match is not a measure."""
    pre, post, unit, num = m["pre"] or "", m["post"] or "", m["unit"], m["num"]
    if unit == "年":
        if _is_year(num):
            after = text[m.end("unit"):m.end("unit") + 2]
            if pre in DEADLINE_PREFIXES or after.startswith(("前", "底前", "末前")):
                return "deadline"
            return ""
        return "count"
    if unit in ("%", "‰"):
        return "rate"
    if any(word in pre for word in CAP_WORDS):
        return "cap"
    followed_by_de = text[m.end():m.end() + 1] == "的"
    if (post in BOUND_WORDS or pre in CONDITION_PREFIXES) and (followed_by_de or text[:m.start()].endswith("在")):
        return "threshold"
    if unit.endswith("元") and SUBSIDY_RE.search(_phrase_around(text, m.start(), m.end())):
        return "subsidy"
    before = _sentence_before(text, m.start())
    if (pre in GOAL_PREFIXES or GOAL_RE.search(before)) and not FACT_RE.search(before):
        return "target"
    return "amount" if unit.endswith("元") else "count"


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    return [(start, end) for _, start, end, _, _ in find_references(text)]


def find_measures(text: str) -> list[Row]:
    """Measures in one text: dicts with kind, value, unit, qualifier, text, start, end."""
    folded = text.translate(FOLD)
    excluded = _excluded_spans(folded)
    found: list[Row] = []
    for m in MEASURE_RE.finditer(folded):
        if any(a <= m.start("num") < b for a, b in excluded):
            continue
        kind = classify(folded, m)
        if not kind:
            continue
        end = m.end()
        after = "".join(x for x in (m["plus"], m["approx"], m["post"]) if x)
        if kind == "deadline":
            tail = re.match(r"底前|末前|底|末|前", folded[end:])
            if tail:
                end += tail.end()
                after += tail.group()
        qualifier = "…".join(q for q in (m["pre"] or "", after) if q)
        found.append({
            "kind": kind,
            "value": m["num"].replace(",", ""),
            "unit": m["unit"],
            "qualifier": qualifier,
            "text": text[m.start():end],
            "start": m.start(),
            "end": end,
        })
    return found


def extract_measures(clauses: Iterable[Mapping[str, Any]]) -> list[Row]:
    """Rows (see module docstring) for every measure in the clauses' text, in input order."""
    rows: list[Row] = []
    for clause in clauses:
        text = str(clause.get("text") or "")
        if not any(ch.isdigit() for ch in text):
            continue
        for seq, measure in enumerate(find_measures(text), start=1):
            rows.append({"clause_id": clause["id"], "seq": seq, **measure})
    return rows


def derive(documents: Iterable[Mapping[str, Any]], clauses: Iterable[Mapping[str, Any]]) -> list[Row]:
    """The ``measures`` table (the extractor the registry names)."""
    return extract_measures(clauses)
