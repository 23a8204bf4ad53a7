"""Numbering labels: their style and number (第三章 → 第N章, 3), and the ID segment a clause's label derives."""

from __future__ import annotations

import re
from functools import lru_cache

from scripts.ids import SEGMENT_PREFIX
from scripts.numbering import CIRCLED, CN_NUM, cn_to_int, int_to_cn

LABEL_RE = re.compile(rf"^(第?)([（(]?)({CN_NUM}|[0-9]+|[{CIRCLED}])([）)]?)([编章节条]?)$")
UNNUMBERED_LABEL_RE = re.compile(r"^(¶|•|专栏|注)([1-9][0-9]*)$")
UNNUMBERED_KIND = {"¶": "paragraph", "•": "bullet", "专栏": "box", "注": "footnote"}
NUMBERED_KINDS = {"part", "section", "item"}


@lru_cache(maxsize=8192)
def parse_label(label: str) -> tuple[str, int] | None:
    """A numbering label's style (its shape with the number as N, D or R) and its number: 第三章 → (第N章, 3)."""
    m = LABEL_RE.match(label)
    if not m:
        return None
    first, opening, token, closing, unit = m.groups()
    if bool(opening) != bool(closing) or (first and not unit) or (unit and not first):
        return None
    if token.isascii() and token.isdigit():
        kind, number = "D", int(token)
    elif token in CIRCLED:
        kind, number = "R", CIRCLED.index(token) + 1
    else:
        kind, number = "N", cn_to_int(token)
    return f"{first}{'（' if opening else ''}{kind}{'）' if closing else ''}{unit}", number


def render_label(style: str, number: int) -> str:
    if "D" in style:
        return style.replace("D", str(number))
    if "R" in style:
        return style.replace("R", CIRCLED[number - 1] if 0 < number <= len(CIRCLED) else str(number))
    return style.replace("N", int_to_cn(number))


@lru_cache(maxsize=8192)
def expected_segment(kind: str, label: str) -> str | None:
    """The last ID segment a clause of this kind with this numbering label must have."""
    if kind == "preamble":
        return "preamble" if label in ("前言", "序言") else None
    if kind in NUMBERED_KINDS:
        parsed = parse_label(label)
        return str(parsed[1]) if parsed and parsed[1] > 0 else None
    m = UNNUMBERED_LABEL_RE.match(label)
    if not m or UNNUMBERED_KIND[m[1]] != kind:
        return None
    return f"{SEGMENT_PREFIX[kind]}{m[2]}"
