"""The numbering check: numbers are consecutive within each parent; boxes and footnotes through the document."""

from __future__ import annotations

from typing import ClassVar

from scripts.checks.base import Check, Context, ParsedClause, Row
from scripts.checks.labels import NUMBERED_KINDS, parse_label, render_label
from scripts.checks.problems import GENERATED_FIX

NUMBERING_FIX = (
    "numbers come from the source: check the source against the official text (a skipped or repeated "
    "number, or a line break before a number); " + GENERATED_FIX
)


class NumberingCheck(Check):
    name = "numbering"
    description = "numbers are consecutive within each parent; boxes and footnotes through the document"
    errors: ClassVar[dict[str, str]] = {
        "skipped": "a number skipped or repeated",
    }
    tables = ("clauses",)

    def __init__(self) -> None:
        self.doc: str | None = None
        self.last_child: dict[tuple[str, str], tuple[int, str]] = {}
        self.last_style: dict[str, int] = {}
        self.last = {"box": 0, "footnote": 0}

    def row(self, ctx: Context, row: Row) -> None:
        c = ctx.current
        if c is None or c.legal or len(c.labels) != len(c.path):
            return  # a legal clause: the ids check compares its citation, the build its sequence
        if c.document_id != self.doc:
            self.doc, self.last = c.document_id, {"box": 0, "footnote": 0}
            self.last_child.clear()
            self.last_style.clear()
        if c.kind in NUMBERED_KINDS:
            self.numbered(ctx, row, c)
        elif c.kind in ("paragraph", "bullet"):
            self.unnumbered(ctx, row, c)
        elif c.kind in ("box", "footnote"):
            self.through_document(ctx, row, c)

    def numbered(self, ctx: Context, row: Row, c: ParsedClause) -> None:
        label = c.labels[-1]
        parsed = parse_label(label)
        if parsed is None:
            return
        style, number = parsed
        prev = self.last_child.get((c.parent_id, style))
        run_on = self.last_style.get(style, 0) + 1
        if not (number == prev[0] + 1 if prev is not None else number in (1, run_on)):
            if prev is not None:
                want = render_label(style, prev[0] + 1)
            else:
                want = render_label(style, 1) + (f" or {render_label(style, run_on)}" if run_on > 1 else "")
            after = f"after {prev[1]} " if prev else ""
            self.at(
                ctx,
                "skipped",
                row,
                f"{label} comes {after}under {c.parent_id or 'the top level'}; expected {want}",
                NUMBERING_FIX,
                "numbering",
            )
        self.last_child[(c.parent_id, style)] = (number, label)
        self.last_style[style] = number

    def unnumbered(self, ctx: Context, row: Row, c: ParsedClause) -> None:
        label, n = c.labels[-1], int(c.path[-1][1:])
        prev = self.last_child.get((c.parent_id, c.kind))
        want = prev[0] + 1 if prev else 1
        if n != want:
            self.at(
                ctx,
                "skipped",
                row,
                f"{label} under {c.parent_id}; expected {label[0]}{want}",
                NUMBERING_FIX,
                "numbering",
            )
        self.last_child[(c.parent_id, c.kind)] = (n, label)

    def through_document(self, ctx: Context, row: Row, c: ParsedClause) -> None:
        n = int(c.path[-1][3 if c.kind == "box" else 2 :])
        want = self.last[c.kind] + 1
        if n != want:
            mark = "专栏" if c.kind == "box" else "注"
            self.at(
                ctx,
                "skipped",
                row,
                f"{c.labels[-1]} is {c.kind} {n} of {c.document_id}; expected {mark}{want} "
                f"({c.kind}s are numbered through the document)",
                NUMBERING_FIX,
                "numbering",
            )
        self.last[c.kind] = n
