"""Two texts side by side with the changed characters marked: segments for a template. Pure."""

from __future__ import annotations

import difflib
from typing import NamedTuple


class Segment(NamedTuple):
    text: str
    changed: bool


def side_by_side(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """(old, new) as runs of unchanged and changed characters (deleted in old, inserted in new)."""
    left: list[Segment] = []
    right: list[Segment] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if a2 > a1:
            left.append(Segment(old[a1:a2], op != "equal"))
        if b2 > b1:
            right.append(Segment(new[b1:b2], op != "equal"))
    return left, right
