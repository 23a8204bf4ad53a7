"""Numbering systems of Chinese policy and legal texts: recognise a marker at the start of a line."""

from __future__ import annotations

import re
from typing import NamedTuple

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "[零〇一二三四五六七八九十百千两]+"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

#: Marker styles, in the order they are tried, with the label shown in numbering paths.
#: Which style nests inside which is learnt from each document, not fixed here.
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("bian", re.compile(rf"^第({CN_NUM}|\d+)编[\s　]*(.*)$")),
    ("zhang", re.compile(rf"^第({CN_NUM}|\d+)章[\s　]*(.*)$")),
    ("jie", re.compile(rf"^第({CN_NUM}|\d+)节[\s　]*(.*)$")),
    ("tiao", re.compile(rf"^第({CN_NUM}|\d+)条[\s　]*(.*)$")),
    ("cn", re.compile(rf"^({CN_NUM})[、．.][\s　]*(.*)$")),
    ("pcn", re.compile(rf"^[（(][\s　]*({CN_NUM})[\s　]*[）)][\s　]*(.*)$")),
    ("num", re.compile(r"^(\d{1,3})(?:[.．](?!\d)|、)[\s　]*(.*)$")),
    ("pnum", re.compile(r"^[（(][\s　]*(\d{1,3})[\s　]*[）)][\s　]*(.*)$")),
    ("circ", re.compile(rf"^([{CIRCLED}])[\s　]*(.*)$")),
]
BOX_RE = re.compile(rf"^专栏[\s　]*(\d+|{CN_NUM})[\s　]*[：:]?[\s　]*(.*)$")
BULLET_RE = re.compile(r"^(?:——|—{2}|--)[\s　]*(.+)$")
PREAMBLE_RE = re.compile(r"^(前[\s　]*言|序[\s　]*言|引[\s　]*言)$")


class Marker(NamedTuple):
    style: str
    number: int
    label: str  # as shown in a numbering path: 二, （四）, 第三章, 1, （2）, ①
    rest: str  # the text after the marker


def cn_to_int(s: str) -> int:
    """Chinese numerals to int: 一 → 1, 十 → 10, 二十七 → 27, 一百零三 → 103."""
    if all(ch in CN_DIGITS for ch in s) and len(s) > 1:  # positional: 二〇二一
        return int("".join(str(CN_DIGITS[ch]) for ch in s))
    total, current = 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (current or 1) * CN_UNITS[ch]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + current


def _number(token: str) -> int:
    if token in CIRCLED:
        return CIRCLED.index(token) + 1
    if token.isascii() and token.isdigit():
        return int(token)
    return cn_to_int(token)


def _label(style: str, token: str) -> str:
    return {
        "bian": f"第{token}编",
        "zhang": f"第{token}章",
        "jie": f"第{token}节",
        "tiao": f"第{token}条",
        "cn": token,
        "pcn": f"（{token}）",
        "num": token,
        "pnum": f"（{token}）",
        "circ": token,
    }[style]


def parse_marker(line: str) -> Marker | None:
    """The numbering marker a cleaned line starts with, if any. Context decides whether it is a heading."""
    for style, pattern in MARKERS:
        m = pattern.match(line)
        if m:
            token = m.group(1)
            return Marker(style, _number(token), _label(style, token), m.group(2).strip())
    return None


def describe(style: str, number: int) -> str:
    """How a marker of this style and number is written, for error messages."""
    if style in ("num", "pnum", "circ"):
        token = CIRCLED[number - 1] if style == "circ" and number <= len(CIRCLED) else str(number)
    else:
        token = int_to_cn(number)
    return {"num": f"{token}.", "cn": f"{token}、"}.get(style, _label(style, token))


def int_to_cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n >= 1000:
        thousands, rest = divmod(n, 1000)
        if rest == 0:
            return digits[thousands] + "千"
        gap = "零" if rest < 100 else ""
        return digits[thousands] + "千" + gap + (int_to_cn(rest) if rest >= 20 or rest < 10 else "一" + int_to_cn(rest))
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + digits[rest]
    else:
        tail = int_to_cn(rest) if rest >= 20 else "一" + int_to_cn(rest)
    return digits[hundreds] + "百" + tail
