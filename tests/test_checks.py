"""Every table is checked row by row, with Frictionless on the whole package and on a sample."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from schemas import registry
from scripts import vocab
from scripts.validate import validate

ROOT = vocab.ROOT

#: One deliberately corrupted value per table, in its last row: (field, bad value, what the error says).
CORRUPTIONS: dict[str, tuple[str, str, str]] = {
    "documents": ("city", "atlantis", "'atlantis' is not one of"),
    "clauses": ("line_start", "first", "'first' is not an integer"),
    "topics": ("slug", "Not A Slug", "does not match the pattern"),
    "clause_topics": ("source", "guessed", "does not match the pattern"),
    "errata": ("clause_id", "not a clause", "does not match the pattern"),
    "clause_similar": ("score", "high", "'high' is not a number"),
    "citations": ("kind", "rumour", "'rumour' is not one of"),
    "measures": ("kind", "bogus", "'bogus' is not one of"),
    "unresolved_citations": ("citations", "many", "'many' is not an integer"),
    "works": ("versions", "two", "'two' is not an integer"),
    "versions": ("in_force_from", "soon", "does not match the pattern"),
    "clause_changes": ("change", "rewritten", "'rewritten' is not one of"),
}


def test_every_table_has_a_corruption() -> None:
    assert set(CORRUPTIONS) == set(registry.NAMES)


def package_copy(root: Path) -> Path:
    """The committed package without its sources (no rebuild) and without releases."""
    for name in ("datapackage/data", "schemas"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "datapackage.json", root / "datapackage.json")
    return root


def corrupt(root: Path, table: registry.Table) -> int:
    """Set the corrupted value in the last row of the table (adding a row to an empty one); its row number."""
    path = root / table.csv_path
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    if len(rows) == 1:  # errata is empty in the working package: copy a valid-looking row
        rows.append(["x.1", "错", "对", "a reason"])
    field, value, _ = CORRUPTIONS[table.name]
    rows[-1][rows[0].index(field)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return len(rows)


@pytest.mark.parametrize("mode", ["full", "sample"])
@pytest.mark.parametrize("table", registry.TABLES, ids=registry.NAMES)
def test_a_corrupted_value_in_each_table_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: registry.Table, mode: str
) -> None:
    from scripts.checks import frictionless

    monkeypatch.setattr(frictionless, "SAMPLE_ROWS", 3)  # the corrupted row is outside the sample
    root = package_copy(tmp_path)
    row = corrupt(root, table)
    report = validate(root, frictionless=mode)
    field, _, says = CORRUPTIONS[table.name]
    found = [p for p in report.problems if p.file == table.csv_path and p.row == row and p.field == field]
    assert found, [p.text() for p in report.problems]
    assert any(says in p.message for p in found), [p.text() for p in found]
    if mode == "sample":
        assert re.match(r"\d+ MB of CSV: Frictionless checked the first 3 ", report.checks["frictionless"].note)
    # the sample brings no false error (a foreign key to a row outside it) in another file
    assert [p.text() for p in report.problems if p.check == "frictionless" and p.file != table.csv_path] == []
