"""The errata check: datapackage/errata.csv applies (each original text is in its clause, once; reported by the
rebuild) and every published erratum's corrected text is in its clause."""

from __future__ import annotations

import csv
from typing import ClassVar

from scripts.checks.base import Check, Context, Row
from scripts.checks.package import records


class ErrataCheck(Check):
    name = "errata"
    description = (
        "datapackage/errata.csv applies (each original text is in its clause, once) and every published "
        "erratum's corrected text is in its clause"
    )
    errors: ClassVar[dict[str, str]] = {
        "not-applied": "a corrected text is not in its clause",
        "errata-file": "datapackage/errata.csv does not apply (raised by the build)",
    }
    tables = ("clauses",)

    def __init__(self) -> None:
        self.corrections: dict[str, list[tuple[int, int, str]]] = {}  # clause id -> (row, line, corrected)

    def start(self, ctx: Context) -> str | None:
        """Read the published errata first: the clauses are checked against them as they stream by."""
        path = ctx.pkg.path("errata")
        if path is None:
            return None
        try:
            for row, line, cells in records(path):
                # a source repair corrects the source line before segmentation, not the clause text
                if row > 1 and len(cells) >= 3 and cells[0] and (len(cells) < 5 or cells[4] != "source-repair"):
                    self.corrections.setdefault(cells[0], []).append((row, line, cells[2]))
        except (UnicodeDecodeError, csv.Error):
            pass  # reported by the schema check
        return None

    def row(self, ctx: Context, row: Row) -> None:
        if ctx.current is None or ctx.current.id not in self.corrections:
            return
        for e_row, e_line, corrected in self.corrections.pop(ctx.current.id):
            if corrected and corrected not in row["text"] and corrected not in row["heading"]:
                ctx.add(
                    self.problem(
                        "not-applied",
                        ctx.pkg.rel("errata"),
                        f"the corrected text {corrected!r} is not in {ctx.current.id}",
                        "run `python -m scripts.build`, which applies datapackage/errata.csv to the clauses",
                        e_row,
                        e_line,
                        "corrected",
                    )
                )

    def end(self, ctx: Context) -> str | None:
        self.corrections.clear()  # what is left names no clause: the schema check reported it (foreign key)
        return None
