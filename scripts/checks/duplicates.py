"""The duplicates check: no clause text repeated within a document."""

from __future__ import annotations

from typing import ClassVar

from scripts.checks.base import Check, Context, Row

#: Texts shorter than this may legitimately repeat (例如 "（一）商业银行；" under two articles).
DUPLICATE_MIN_CHARS = 20
DUPLICATE_FIX = ("the source holds this passage twice (a duplicated copy, a repeated paragraph at a page break, a "
                 "news release around the text): for a document being added, remove the repetition from the source "
                 "or set body.start/body.end in its metadata record to one copy; then run `python -m scripts.build`")


class DuplicatesCheck(Check):
    name = "duplicates"
    description = "no clause text repeated within a document"
    errors: ClassVar[dict[str, str]] = {
        "repeated": "a text repeated in one document",
    }
    tables = ("clauses",)

    def __init__(self) -> None:
        self.doc: str | None = None
        self.texts: dict[str, tuple[int, str]] = {}

    def row(self, ctx: Context, row: Row) -> None:
        c = ctx.current
        if c is None:
            return
        if c.document_id != self.doc:
            self.doc = c.document_id
            self.texts.clear()
        text = row["text"]
        if len(text) >= DUPLICATE_MIN_CHARS:
            first = self.texts.setdefault(text, (row.row, c.id))
            if first[0] != row.row:
                self.at(ctx, "repeated", row, f"{c.id} repeats the text of {first[1]} (row {first[0]})",
                        DUPLICATE_FIX, "text")
