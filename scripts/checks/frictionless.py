"""The frictionless check: Frictionless validation of the package against its Table Schemas.

Up to ``FULL_LIMIT`` bytes of CSV Frictionless reads every row; above, a sample (the first ``SAMPLE_ROWS``
clauses, every document and topic, and the rows that refer to the sampled clauses), its rows mapped back to the
package's. The schema check covers every row of every table either way. Frictionless's errors are typed
(:class:`scripts.build.FrictionlessError`); one on a row another check already reported is not repeated.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from schemas import registry
from scripts.checks.base import Check, Context
from scripts.checks.package import Package, records, row_lines
from scripts.checks.problems import BUILD_FIX, GENERATED_FIX, Problem

FULL_LIMIT = 32 * 1024 * 1024
SAMPLE_ROWS = 20_000


class FrictionlessCheck(Check):
    name = "frictionless"
    description = "Frictionless validation of the package against its Table Schemas (types, constraints, keys)"
    errors: ClassVar[dict[str, str]] = {
        "frictionless": "an error Frictionless reports (its type is in the message)",
        "unreadable": "Frictionless cannot read the package",
    }
    reports_last = True

    def __init__(self) -> None:
        from scripts.build import FrictionlessError

        self.found: list[FrictionlessError] = []
        self.rowmap: dict[str, list[int]] = {}

    def start(self, ctx: Context) -> str | None:
        from scripts.build import frictionless_errors

        paths = [ctx.pkg.path(t.name) for t in registry.TABLES]
        sizes = sum(p.stat().st_size for p in paths if p is not None)
        mode = ctx.frictionless_mode
        if mode == "auto":
            mode = "full" if sizes <= FULL_LIMIT else "sample"
        note = None
        try:
            if mode == "full":
                self.found = frictionless_errors(ctx.pkg.descriptor_path)
            else:
                with tempfile.TemporaryDirectory(prefix="validate-sample-") as tmp:
                    self.rowmap = sample(ctx.pkg, Path(tmp), SAMPLE_ROWS)
                    self.found = frictionless_errors(Path(tmp) / "datapackage.json")
                note = (
                    f"{sizes / 2**20:.0f} MB of CSV: Frictionless checked the first {SAMPLE_ROWS} clauses and "
                    "the rows that refer to them; the schema check covered every row"
                )
        except Exception as exc:  # Frictionless raises on a descriptor it cannot read at all
            ctx.add(
                self.problem(
                    "unreadable", "datapackage.json", f"Frictionless cannot read the package: {exc}", BUILD_FIX
                )
            )
        return note

    def end(self, ctx: Context) -> str | None:
        """Add Frictionless's errors that no specific check reported on the same row (run after every check)."""
        files = {t.name: ctx.pkg.rel(t.name) for t in registry.TABLES}
        wanted: dict[str, list[Problem]] = {}
        for err in self.found:
            row = err.row
            if row is not None and err.resource in self.rowmap:
                kept = self.rowmap[err.resource]
                row = kept[row - 1] if row - 1 < len(kept) else row
            file = files.get(err.resource, err.resource)
            if row is not None and (file, row) in ctx.report.flagged:
                continue
            fix = GENERATED_FIX if file != "datapackage.json" else BUILD_FIX
            wanted.setdefault(file, []).append(
                self.problem("frictionless", file, f"{err.type}: {err.message}", fix, row, None, err.field)
            )
        for file, problems in wanted.items():
            rows = {p.row for p in problems if p.row}
            lines = row_lines(ctx.root / file, rows) if rows and (ctx.root / file).is_file() else {}
            for p in problems:
                ctx.add(Problem(p.check, p.type, p.file, p.message, p.fix, p.row, lines.get(p.row or 0), p.field))
        return None


def sample(pkg: Package, tmp: Path, limit: int) -> dict[str, list[int]]:
    """A copy of the package with the first clauses, every document and topic, and the rows that refer to the
    sampled clauses; for each table, the package row of each sample row."""
    shutil.copy(pkg.descriptor_path, tmp / "datapackage.json")
    for res in pkg.descriptor.get("resources", []):
        if isinstance(res.get("schema"), str) and (pkg.root / res["schema"]).is_file():
            (tmp / res["schema"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(pkg.root / res["schema"], tmp / res["schema"])
    ids: set[str] = set()

    def first_clauses(cells: list[str]) -> bool:
        if len(ids) >= limit:
            return False
        ids.add(cells[0])
        return True

    rowmap = {"clauses": _copy(pkg, tmp, "clauses", first_clauses, ordered=True)}
    for table in registry.TABLES:
        if table.name == "clauses":
            continue
        refs = [table.field_names.index(fk.field) for fk in table.foreign_keys if fk.resource == "clauses"]
        keep = _refers_to(refs, ids) if refs else (lambda cells: True)
        rowmap[table.name] = _copy(pkg, tmp, table.name, keep, ordered=table.name == "clause_topics")
    return rowmap


def _refers_to(positions: list[int], ids: set[str]) -> Callable[[list[str]], bool]:
    def keep(cells: list[str]) -> bool:
        return all(len(cells) > i and (cells[i] in ids or cells[i] == "") for i in positions)

    return keep


def _copy(pkg: Package, tmp: Path, name: str, keep: Callable[[list[str]], bool], ordered: bool = False) -> list[int]:
    """Copy the header and the rows to keep; ``ordered``: the kept rows come first, stop after them."""
    src = pkg.path(name)
    if src is None:
        return []
    dst = tmp / pkg.rel(name)
    dst.parent.mkdir(parents=True, exist_ok=True)
    kept: list[int] = []
    with dst.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        for row, _, cells in records(src):
            if row == 1 or keep(cells):
                writer.writerow(cells)
                kept.append(row)
            elif ordered and len(kept) > 1:
                break
    return kept
