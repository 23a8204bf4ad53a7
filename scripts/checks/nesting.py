"""The nesting check: every parent exists, comes before its children, and kinds nest."""

from __future__ import annotations

from typing import ClassVar

from scripts.checks.base import Check, Context, Row
from scripts.checks.problems import GENERATED_FIX

#: Which kinds a clause of each kind may sit in ("" is the top level).
NEST: dict[str, frozenset[str]] = {
    "preamble": frozenset({""}),
    "part": frozenset({"", "part"}),  # 编 > 分编 > 章 in a legal text
    "section": frozenset({"part", "section", "item"}),
    "item": frozenset({"", "part", "section", "item", "article", "paragraph"}),
    "bullet": frozenset({"", "part", "section", "item"}),
    "box": frozenset({"", "part", "section", "item"}),
    "paragraph": frozenset({"part", "section", "item", "article"}),
    "article": frozenset({"", "part", "section"}),
    "footnote": frozenset({"preamble", "item", "bullet", "box", "paragraph"}),
}


def nest_fix(kind: str) -> str:
    where = ", ".join(k or "the top level" for k in sorted(NEST[kind]))
    return f"a {kind} belongs in: {where}; the segmenter decides this from the source's numbering; " + GENERATED_FIX


class NestingCheck(Check):
    name = "nesting"
    description = (
        "every parent exists, comes before its children, and kinds nest (a section in a part, a footnote under text)"
    )
    errors: ClassVar[dict[str, str]] = {
        "kind": "a kind inside a kind it cannot be in",
        "no-parent": "the parent does not exist",
        "order": "the parent comes after its child",
    }
    tables = ("clauses",)
    owns = frozenset({("clauses", "parent_id", "foreignKey")})

    def __init__(self) -> None:
        self.pending: list[tuple[Row, str, str]] = []  # rows whose parent was not seen yet: row, id, parent_id

    def row(self, ctx: Context, row: Row) -> None:
        c = ctx.current
        if c is None:
            return
        if not c.parent_id:
            if "" not in NEST[c.kind]:
                self.at(ctx, "kind", row, f"a {c.kind} cannot be at the top level", nest_fix(c.kind), "kind")
            return
        parent = ctx.clauses.get(c.parent_id)
        if parent is None:
            self.pending.append((row, c.id, c.parent_id))
        elif parent.kind not in NEST[c.kind]:
            self.at(
                ctx,
                "kind",
                row,
                f"a {c.kind} cannot be inside a {parent.kind} ({c.parent_id})",
                nest_fix(c.kind),
                "kind",
            )

    def end(self, ctx: Context) -> str | None:
        for row, cid, parent_id in self.pending:
            parent = ctx.clauses.get(parent_id)
            if parent is None:
                self.at(
                    ctx,
                    "no-parent",
                    row,
                    f"the parent {parent_id} of {cid} does not exist",
                    "every clause's parent is a clause of the same document; " + GENERATED_FIX,
                    "parent_id",
                )
            else:
                self.at(
                    ctx,
                    "order",
                    row,
                    f"the parent {parent_id} (row {parent.row}) comes after its child {cid}",
                    "clauses are in reading order, a heading before its content; " + GENERATED_FIX,
                    "parent_id",
                )
        return None
