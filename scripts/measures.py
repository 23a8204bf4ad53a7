"""Quantified measures in clause text: money, rates, counts, targets, deadlines, time limits, ranges,
multiples and effective dates. Pure functions.

A measure is a number together with its unit: money (元, 万元, 亿元 …), a percentage (5%, 百分之五),
a multiple (倍), a period of time (日, 工作日, 个月, 小时, 年), a count of things (家, 个, 人, 名, 项, 次
…), or a year that is a deadline. Numbers are written in Arabic digits (full-width digits count) or,
as laws write them, in Chinese numerals (五十万元, 十五日, 百分之二十); a Chinese numeral counts only with
a unit of money, a percentage, a multiple, a period in a time-limit context (十五日内, 至少保存十年) or a
count with a bound (不得少于二人, 两个及以上, 每年两次). What is not a measure:

- plain dates and years that are not deadlines: 2017年3月, 于2019年启动, 自2016年起, 截至2021年底
  (an as-of date), 2022年4月以来, 预计2022年底 (a forecast), 20世纪80年代, and plan periods such as
  明确2019年至2021年…; these record history, not commitments;
- numbers inside titles in 《》 and document numbers (2019-2021年, 银发〔2019〕209号);
- numbers in names: 5G, B2B, O2O, G60科创走廊, 1:N, 毕马威2021…“双50”, 峰会2020;
- other quantities in Chinese numerals (三批, 十届, 六部委, 三年多, 七个首创, 一次性, 第二十条, 前两项): in
  these texts they are enumerations, names, slogans and references.

Quantities reported as facts (园区常驻人员2236名, 收入达57.5亿元) are measures: they are the data
the documents give.

Kinds (``scripts.vocab.MEASURE_KINDS``):

- ``subsidy``: money granted: a subsidy, award, prize or funding (给予300万元一次性落户补助).
- ``cap``: an upper limit on money or a quantity (最高不超过500万元, 最高偿付限额为人民币50万元; a fine up
  to: 处二十万元以下罚款).
- ``rate``: a percentage: a share of a base (按照实缴注册资本的2%, 百分之五十以上股权) or a change.
- ``threshold``: a quantity in a condition or a minimum (估值在5亿元以上的, 违法所得50万元以上的,
  不足50万元的, 注册资本不少于人民币5000万元, 固定资产五十万元以上, 不得少于二人, 两个及以上).
- ``target``: a quantity set as a goal (形成5个左右…园区, 集聚培育10家以上…企业, 增至5家).
- ``deadline``: the year by which something is to be achieved (到2021年, 力争到2025年); value is the
  year and unit 年.
- ``time_limit``: a period within which something is done or for which it holds (自受理申请之日起6个月内,
  十五日内, 满30日, 最近3年, 不得超过四十八小时); unit 日, 工作日, 个月, 小时, 天, 周 or 年; ``runs_from``
  is the event it runs from where the text says it (自X起, 在X后).
- ``range``: a lower and an upper bound of one quantity stated together (50万元以上200万元以下): ``value``
  is the lower bound, ``value_max`` the upper one, both in the lower bound's unit (五千元以上五万元以下 is
  5000 to 50000 元).
- ``multiple``: a multiple of a base (并处违法所得1倍以上5倍以下罚款): value (and value_max for a range)
  in 倍, ``base`` the amount it multiplies (违法所得, 涉及金额); a percentage lower bound of a multiple
  range is converted to 倍 (百分之二十以上二倍以下 → 0.2 to 2).
- ``effective_date``: the date a text takes effect (本条例自2024年5月1日起施行): value the year, unit 年,
  ``date`` the ISO date.
- ``count``: any other number of things, people, events or years (23家企业入选, 分5年).
- ``amount``: any other sum of money, such as reported revenue or tax (收入达57.5亿元).

Output rows (``extract_measures``), in this column order, in clause order and then by position:

- ``clause_id``: ID of the clause.
- ``seq``: 1-based number of the measure within the clause, in order of position.
- ``kind``: one of the kinds above.
- ``value``: the number with half-width digits, without thousands separators or unit ("300", "2",
  "57.5"; 1,000元 gives "1000", 二百五十万元 "250"); the lower bound of a range.
- ``value_max``: the upper bound of a range or multiple range; empty otherwise.
- ``unit``: the unit as written: 元, 万元, 亿元, %, 倍, 日, 工作日, 个月, 小时, 家, 个, 人, 年 …
  (百分之 gives %; 千分之 and 万分之 are converted to %: 万分之五 is 0.05 %; 个工作日 gives 工作日).
- ``qualifier``: the words next to the number that qualify it, as written (以上, 以下, 内, 左右, 余,
  最高不超过, 不足, 合计, 达到, 增至, 同比增长, +, 到, 力争到, 最近, 满, and 底 / 前 / 底前 after a
  deadline year); words on both sides are joined with ``…`` (共计…余, 到…底前); a range has
  以上…以下; empty when there are none.
- ``base``: what a multiple multiplies (违法所得); empty for other kinds.
- ``runs_from``: what a time limit runs from, as written (受理申请之日); empty when not stated.
- ``date``: the effective date, ISO (2024-05-01); empty for other kinds.
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
    "最高不超过",
    "总计不超过",
    "合计不超过",
    "累计不超过",
    "最长不得超过",
    "最长不超过",
    "不得超过",
    "不超过",
    "不高于",
    "不低于",
    "不得少于",
    "不少于",
    "少于",
    "不足",
    "最高",
    "最多",
    "最低",
    "至少",
    "最近",
    "连续",
    "合计",
    "总计",
    "共计",
    "累计",
    "共",
    "每年",
    "力争到",
    "争取到",
    "确保到",
    "提高到",
    "提高至",
    "提升到",
    "提升至",
    "增至",
    "达到",
    "达",
    "超过",
    "超",
    "逾",
    "约",
    "近",
    "满",
    "同比增长",
    "同比下降",
    "增长",
    "下降",
    "到",
)


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


UNITS = vocab.MEASURE_UNIT_GROUPS
MONEY = _alternatives(UNITS["money"])
COUNTERS = rf"(?:{_alternatives(vocab.COUNT_SCALES)})?(?:{_alternatives(UNITS['count'])})"
TIME_UNITS = _alternatives([u for u in UNITS["time"] if u != "年"] + ["个工作日"])
NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CHINESE = r"[零〇一二三四五六七八九十百千两]+"
MEASURE_RE = re.compile(
    rf"(?:(?P<pre>{'|'.join(PREFIXES)})(?:人民币)?)?"
    rf"(?<![0-9A-Za-z.,:：\-—–－~～第前零〇一二三四五六七八九十百千两])"
    rf"(?:(?P<per>百分之|千分之|万分之)(?P<pct>{NUMBER}|{CHINESE})"
    rf"|(?P<num>{NUMBER}|{CHINESE})(?P<plus>\+)?(?P<approx>余|多)?"
    rf"(?P<unit>{MONEY}|{_alternatives(UNITS['share'] + UNITS['multiple'])}|{TIME_UNITS}|{COUNTERS}|年(?!代|期)))"
    r"(?P<post>及以上|以上|以下|以内|之内|内|左右|上下)?"
    r"(?![A-Za-z])"
)
EFFECTIVE_RE = re.compile(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起施行")

CAP_WORDS = ("不超过", "不得超过", "最高", "最多", "不高于")
BOUND_WORDS = ("以上", "以下", "以内")
CONDITION_PREFIXES = ("超过", "不低于", "不少于", "达到", "达", "高于", "低于")
MINIMUM_PREFIXES = ("不足", "少于", "不得少于")
GOAL_PREFIXES = ("增至", "达到", "提高到", "提高至", "提升到", "提升至", "不少于", "不低于", "至少")
DEADLINE_PREFIXES = ("到", "力争到", "争取到", "确保到")
PERIOD_PREFIXES = ("最近", "连续", "满", "超过", "不得超过", "不超过", "最长不得超过", "最长不超过", "至少")
PERIOD_POSTS = ("内", "以内", "之内", "以上")
PERIOD_WORDS = re.compile(r"保存|期限|为期|届满")
SUBSIDY_RE = re.compile(r"补助|补贴|奖励|奖金|资助|经费|专项资金|扶持资金|资金支持|专项支持|给予|安排|发放|拨付")
GOAL_RE = re.compile(r"形成|培育|集聚|力争|争取|打造|建成|新增|引进|增至|达到|提高到|提升至|突破")
FACT_RE = re.compile(r"已|截至|累计|共计|共有|成功|产生|以来|先后|同比|入选|此前|目前|(?<!共)共(?=\d|组织|举办)")
FINE_RE = re.compile(r"[^，,。；;]*罚款")
CAPITAL_RE = re.compile(r"资本|资产")
MONEY_SCALE = {"元": 1, "千元": 10**3, "万元": 10**4, "亿元": 10**8, "万亿元": 10**12}
RUNS_FROM_RE = re.compile(r"[自在](?P<a>[^自在，,。；;]+?)起为?$|在(?P<b>[^在，,。；;]+)后$")
LIMIT_RE = re.compile(r"(?P<side>最高|最低)[^，,。；;]*限额为?(?:人民币)?$")
BASE_RE = re.compile(r"(?:[，,；;。：]|单处|并处|处)(?:处以)?(?P<base>[^，,；;。：处]*)$")
SENTENCE_END = "。；;！？!?\n"
CLAUSE_END = SENTENCE_END + "，,："
PHRASE_END = CLAUSE_END + "、"
PER = {"百分之": 1, "千分之": 10, "万分之": 100}
DIGITS = dict(zip("零〇一二三四五六七八九两", (0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2), strict=True))
POWERS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int:
    """Value of a Chinese numeral below 10,000 (十五 → 15, 二百五十 → 250, 一千 → 1000, 两 → 2)."""
    total, digit = 0, 0
    for ch in text:
        if ch in POWERS:
            total += (digit or 1) * POWERS[ch]
            digit = 0
        else:
            digit = DIGITS[ch]
    return total + digit


def plain(value: float) -> str:
    """A number without exponent or trailing zeros (0.05, 50000)."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def number_value(num: str) -> str:
    """The number half-width without separators; a Chinese numeral in Arabic digits."""
    if num[0].isdigit():
        return num.replace(",", "")
    return str(chinese_number(num))


def _sentence_before(text: str, start: int) -> str:
    cut = max(text.rfind(ch, 0, start) for ch in SENTENCE_END)
    return text[cut + 1 : start]


def _clause_before(text: str, start: int) -> str:
    cut = max(text.rfind(ch, 0, start) for ch in CLAUSE_END)
    return text[cut + 1 : start]


def _phrase_around(text: str, start: int, end: int) -> str:
    before = max(text.rfind(ch, 0, start) for ch in PHRASE_END)
    after = min((i for i in (text.find(ch, end) for ch in PHRASE_END) if i >= 0), default=len(text))
    return text[before + 1 : after]


def _is_year(num: str) -> bool:
    return num.isdigit() and len(num) == 4 and 1900 <= int(num) <= 2100


def runs_from(text: str, start: int) -> str:
    """What a period starting at ``start`` runs from: X of 自X起 or 在X后 just before it; empty if none."""
    m = RUNS_FROM_RE.search(_clause_before(text, start))
    return (m["a"] or m["b"]) if m else ""


def multiple_base(text: str, start: int) -> str:
    """The amount a multiple at ``start`` multiplies: the words between 处 (or a comma) and the number."""
    m = BASE_RE.search(text[:start])
    return m["base"] if m else ""


def _year_kind(text: str, m: re.Match[str]) -> str:
    num, pre = m["num"], m["pre"] or ""
    if _is_year(num):
        after = text[m.end("unit") : m.end("unit") + 2]
        if pre in DEADLINE_PREFIXES or after.startswith(("前", "底前", "末前")):
            return "deadline"
        return ""
    if _is_period(text, m):
        return "time_limit"
    return "count" if num[0].isdigit() else ""


def _is_period(text: str, m: re.Match[str]) -> bool:
    return (
        (m["post"] or "") in PERIOD_POSTS
        or (m["pre"] or "") in PERIOD_PREFIXES
        or bool(runs_from(text, m.start()))
        or bool(PERIOD_WORDS.search(text[max(0, m.start() - 4) : m.start()]))
    )


def _bounded_kind(text: str, m: re.Match[str]) -> str:
    """cap or threshold for a quantity with a bound or a condition word; empty when it has neither."""
    pre, post = m["pre"] or "", m["post"] or ""
    after = text[m.end() : m.end() + 3]
    if any(word in pre for word in CAP_WORDS) or (post in ("以下", "以内") and FINE_RE.match(text, m.end())):
        return "cap"
    if pre in MINIMUM_PREFIXES or post == "及以上":
        return "threshold"
    if (post in BOUND_WORDS or pre in CONDITION_PREFIXES) and (after[:1] == "的" or text[: m.start()].endswith("在")):
        return "threshold"
    limit = LIMIT_RE.search(_clause_before(text, m.start()))
    if limit:
        return "cap" if limit["side"] == "最高" else "threshold"
    if m["unit"].endswith("元") and CAPITAL_RE.search(_sentence_before(text, m.start())):
        return "threshold"
    return ""


def classify(text: str, m: re.Match[str]) -> str:
    """Kind of one match (see module docstring); empty when the match is not a measure."""
    if m["pct"] is not None or m["unit"] in ("%", "‰"):
        return "rate"
    unit, chinese = m["unit"], not m["num"][0].isdigit()
    if unit == "倍":
        return "multiple"
    if unit == "年":
        return _year_kind(text, m)
    if re.fullmatch(TIME_UNITS, unit):
        if unit in ("日", "天") and text[: m.start()].endswith("月"):
            return ""  # a calendar date: 3月5日
        return "time_limit" if not chinese or _is_period(text, m) else ""
    bounded = _bounded_kind(text, m)
    if bounded or (chinese and not unit.endswith("元") and m["pre"] != "每年"):
        return bounded
    if unit.endswith("元") and SUBSIDY_RE.search(_phrase_around(text, m.start(), m.end())):
        return "subsidy"
    before = _sentence_before(text, m.start())
    if (m["pre"] in GOAL_PREFIXES or GOAL_RE.search(before)) and not FACT_RE.search(before):
        return "target"
    return "amount" if unit.endswith("元") else "count"


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    return [(start, end) for _, start, end, _, _ in find_references(text)]


def _unit(m: re.Match[str]) -> str:
    if m["pct"] is not None:
        return "%"
    return m["unit"][1:] if m["unit"] == "个工作日" else m["unit"]


def _value(m: re.Match[str]) -> str:
    """The number of a match; a share written 千分之N or 万分之N as a percentage (万分之五 → 0.05)."""
    if m["pct"] is None:
        return number_value(m["num"])
    value = number_value(m["pct"])
    return value if m["per"] == "百分之" else plain(float(value) / PER[m["per"]])


def _measure(text: str, folded: str, m: re.Match[str], kind: str) -> Row:
    end = m.end()
    after = "".join(x for x in (m["plus"], m["approx"], m["post"]) if x)
    if kind == "deadline":
        tail = re.match(r"底前|末前|底|末|前", folded[end:])
        if tail:
            end += tail.end()
            after += tail.group()
    return {
        "kind": kind,
        "value": _value(m),
        "value_max": "",
        "unit": _unit(m),
        "qualifier": "…".join(q for q in (m["pre"] or "", after) if q),
        "base": multiple_base(folded, m.start()) if kind == "multiple" else "",
        "runs_from": runs_from(folded, m.start()) if kind == "time_limit" else "",
        "date": "",
        "text": text[m.start() : end],
        "start": m.start(),
        "end": end,
    }


def _joins(low: re.Match[str], high: re.Match[str]) -> bool:
    """``low`` and ``high`` are the two bounds of one range: X以上Y以下, same unit (or 百分之X以上Y倍以下)."""
    if low.end() != high.start() or low["post"] != "以上" or high["post"] != "以下" or high["pre"]:
        return False
    if low["pct"] is not None:
        return high["pct"] is not None or high["unit"] == "倍"
    return _unit(low) == _unit(high) or (_unit(low) in MONEY_SCALE and _unit(high) in MONEY_SCALE)


def _range(text: str, folded: str, low: re.Match[str], high: re.Match[str]) -> Row:
    row = _measure(text, folded, high, "multiple" if high["unit"] == "倍" else "range")
    value, value_max = _value(low), _value(high)
    if low["pct"] is not None and high["unit"] == "倍":
        value = plain(float(value) / 100)
    elif _unit(low) != _unit(high):  # 五千元以上五万元以下: both bounds in the lower bound's unit
        scale = MONEY_SCALE[_unit(high)] / MONEY_SCALE[_unit(low)]
        value_max, row["unit"] = plain(float(value_max) * scale), _unit(low)
    row.update(
        value=value, value_max=value_max, qualifier="以上…以下", text=text[low.start() : high.end()], start=low.start()
    )
    if row["kind"] == "multiple":
        row["base"] = multiple_base(folded, low.start())
    return row


def _effective_dates(text: str, folded: str) -> list[Row]:
    return [
        {
            "kind": "effective_date",
            "value": m[1],
            "value_max": "",
            "unit": "年",
            "qualifier": "",
            "base": "",
            "runs_from": "",
            "date": f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}",
            "text": text[m.start() : m.end()],
            "start": m.start(),
            "end": m.end(),
        }
        for m in EFFECTIVE_RE.finditer(folded)
    ]


def find_measures(text: str) -> list[Row]:
    """Measures in one text: dicts with the columns of a row after ``seq``, in order of position."""
    folded = text.translate(FOLD)
    found = _effective_dates(text, folded)
    excluded = _excluded_spans(folded) + [(r["start"], r["end"]) for r in found]
    matches = [
        m
        for m in MEASURE_RE.finditer(folded)
        if not any(a <= m.start("pct" if m["pct"] is not None else "num") < b for a, b in excluded)
    ]
    i = 0
    while i < len(matches):
        m = matches[i]
        if i + 1 < len(matches) and _joins(m, matches[i + 1]):
            found.append(_range(text, folded, m, matches[i + 1]))
            i += 2
            continue
        kind = classify(folded, m)
        if kind:
            found.append(_measure(text, folded, m, kind))
        i += 1
    return sorted(found, key=lambda r: r["start"])


def extract_measures(clauses: Iterable[Mapping[str, Any]]) -> list[Row]:
    """Rows (see module docstring) for every measure in the clauses' text, in input order."""
    rows: list[Row] = []
    for clause in clauses:
        text = str(clause.get("text") or "")
        if not any(ch.isdigit() or ch in DIGITS or ch in POWERS for ch in text):
            continue
        for seq, measure in enumerate(find_measures(text), start=1):
            rows.append({"clause_id": clause["id"], "seq": seq, **measure})
    return rows


def derive(documents: Iterable[Mapping[str, Any]], clauses: Iterable[Mapping[str, Any]]) -> list[Row]:
    """The ``measures`` table (the extractor the registry names)."""
    return extract_measures(clauses)
