"""The duplicates check: no duplicated copy of the source (scripts.repeats tells it from boilerplate)."""

from __future__ import annotations

from typing import ClassVar

from scripts.checks.base import Check, Context, Row
from scripts.repeats import RepeatTracker

DUPLICATE_FIX = (
    "the source holds this passage twice (a duplicated copy, a repeated paragraph at a page break, a "
    "news release around the text): for a document being added, remove the repetition from the source "
    "or set body.start/body.end in its metadata record to one copy; then run `python -m scripts.build`"
)


class DuplicatesCheck(Check):
    name = "duplicates"
    description = (
        "no duplicated copy of the source: no run of repeated texts, no paragraph repeated right after "
        "itself, no long paragraph repeated (short boilerplate a law repeats is allowed)"
    )
    errors: ClassVar[dict[str, str]] = {
        "repeated": "a text repeated in one document",
    }
    tables = ("clauses",)

    def __init__(self) -> None:
        self.doc: str | None = None
        self.repeats = RepeatTracker()
        self.text_rows: list[tuple[int, str]] = []

    def row(self, ctx: Context, row: Row) -> None:
        c = ctx.current
        if c is None:
            return
        if c.document_id != self.doc:
            self.doc, self.repeats, self.text_rows = c.document_id, RepeatTracker(), []
        text = row["text"]
        if not text:
            return
        self.text_rows.append((row.row, c.id))
        repeat = self.repeats.see(text)
        if repeat is not None:
            first_row, first_id = self.text_rows[repeat.first]
            what = f"and the {repeat.run - 1} texts before it repeat" if repeat.run > 1 else "repeats"
            self.at(
                ctx, "repeated", row, f"{c.id} {what} the text of {first_id} (row {first_row})", DUPLICATE_FIX, "text"
            )
