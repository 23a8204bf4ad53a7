"""The debris check: no extraction debris in heading or text (Word bookmarks, markdown marks, digits glued
after words, stray whitespace)."""

from __future__ import annotations

import re
from typing import ClassVar

from scripts.checks.base import Check, Context, Row
from scripts.clean import BOLD_RE, BOOKMARK_RE, MD_HEADING_RE, normalize_spaces

#: A footnote reference digit left glued to a word: 创新1， (not 第1、, 专栏1：, 附件2，, 图3。).
GLUED_DIGIT_RE = re.compile(r"([\u4e00-\u9fff])[0-9]{1,2}[，。、；：）]")
NOT_A_REFERENCE = set("第栏件表图")
MD_MARK_RE = re.compile(r"\*\*|__|(?m:^)#{1,6}\s|(?m:^)[>*] ")
#: Characters that may start debris other than a glued digit; most texts hold none of them.
RARE_RE = re.compile(r"[\[*_#>\t \u3000\u00a0]|\n\n|^\n|\n$")
DEBRIS_HINT = (
    "remove it where the text comes from: for a document being added, clean its source file before "
    "recording its SHA-256 (or teach scripts/clean.py this kind of debris); for a committed source, correct "
    "the clause through datapackage/errata.csv; then run `python -m scripts.build`"
)
DEBRIS_FIX = {
    "digit glued after a word": "if it is a footnote reference, keep the footnote's text in the source as a line "
    "'1 …' (its number, a space, its text), which the build turns into a footnote clause, "
    "removing the digit; otherwise " + DEBRIS_HINT,
}


def find_debris(value: str) -> tuple[str, str] | None:
    """The extraction debris a heading or text holds, if any: (what it is, the characters around it)."""
    for m in GLUED_DIGIT_RE.finditer(value):
        if m.group(1) not in NOT_A_REFERENCE:
            return "digit glued after a word", repr(value[max(0, m.start() - 5) : m.end()])
    if RARE_RE.search(value) is None:
        return None
    if "[bookmark" in value:
        found = BOOKMARK_RE.search(value)
        return "Word bookmark mark", repr(found.group(0) if found else "[bookmark")
    if "*" in value or "_" in value or "#" in value or ">" in value:
        found = BOLD_RE.search(value) or MD_MARK_RE.search(value)
        if found or any(MD_HEADING_RE.match(p) for p in value.split("\n")):
            return "markdown mark", repr(found.group(0) if found else "#")
    if " " in value or "\t" in value or "\u3000" in value or "\u00a0" in value or "\n\n" in value:
        return _whitespace(value)
    return None


def _whitespace(value: str) -> tuple[str, str] | None:
    for para in value.split("\n"):
        if not para:
            return "empty paragraph", repr(value[:20] + "…" if len(value) > 20 else value)
        fixed = normalize_spaces(para).strip()
        if fixed != para:
            i = next(
                (k for k, (a, b) in enumerate(zip(para, fixed, strict=False)) if a != b), min(len(para), len(fixed))
            )
            return "whitespace inside Chinese text", repr(para[max(0, i - 8) : i + 8])
    return None


#: A legal heading keeps the spacing of the official text between its characters (总　　则, 附  则).
SPACED_HEADING_RE = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")


class DebrisCheck(Check):
    name = "debris"
    description = (
        "no extraction debris in heading or text: Word bookmarks, markdown marks, digits glued after "
        "words, stray whitespace"
    )
    errors: ClassVar[dict[str, str]] = {
        "debris": "extraction debris in a heading or text",
    }
    tables = ("clauses",)

    def row(self, ctx: Context, row: Row) -> None:
        if ctx.current is None:
            return
        for name in ("heading", "text"):
            value = row[name]
            if name == "heading" and ctx.current.legal:
                value = SPACED_HEADING_RE.sub("", value)  # a legal heading keeps its own spacing (总  则)
            if value and (found := find_debris(value)):
                self.at(
                    ctx,
                    "debris",
                    row,
                    f"{found[0]} in {ctx.current.id}: {found[1]}",
                    DEBRIS_FIX.get(found[0], DEBRIS_HINT),
                    name,
                )
