"""Adding a derived table touches the registry, its extractor and its tests, nothing else.

The throw-away table ``clause_lengths`` is declared here (as it would be in schemas/registry.py) with its
extractor and how the API's store keeps it; the build, the Table Schema, datapackage.json, the Parquet copy,
validation, release changes and the store all pick it up without any other change.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from api import clause_text, store_builder
from api.package import SourcePackage
from schemas import registry
from scripts.build import build, publish
from scripts.package import current_version
from scripts.release import release
from scripts.validate import validate
from tests.test_validate import FIXTURES, fake_tags

CLAUSE_LENGTHS = registry.Table(
    "clause_lengths",
    "Clause lengths",
    "The number of characters of each clause's text.",
    role="derived",
    stage="derive",
    required=False,
    producer="tests.test_registry:clause_lengths",
    fields=(
        registry.Field("clause_id", "string", "Clause ID", "The clause.", required=True),
        registry.Field("chars", "integer", "Characters", "Characters of its text.", required=True, minimum=0),
    ),
    primary_key=("clause_id",),
    foreign_keys=(registry.ForeignKey("clause_id", "clauses", "id"),),
    store=registry.Store("clause_lengths", ordinals=(registry.Ordinal("clause_id", "clause_n", "clause"),)),
)


def clause_lengths(documents: list[dict[str, Any]], clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The extractor of the throw-away table."""
    return [{"clause_id": c["id"], "chars": len(c["text"])} for c in clauses]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(registry, "TABLES", (*registry.TABLES, CLAUSE_LENGTHS))
    monkeypatch.setattr("scripts.build.tag_clauses", fake_tags)
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "base", root)
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## Unreleased\n\nDemo.\n", encoding="utf-8")
    publish(build(root, root / "datapackage/sources", version=current_version(root)), root)
    return root


def test_a_new_derived_table_is_built_described_and_typed(repo: Path) -> None:
    rows = list(csv.DictReader((repo / "datapackage/data/clause_lengths.csv").open(encoding="utf-8")))
    assert len(rows) == 15 and rows[0].keys() == {"clause_id", "chars"}
    schema = json.loads((repo / "schemas/clause_lengths.json").read_text(encoding="utf-8"))
    assert schema["primaryKey"] == ["clause_id"] and schema["fields"][1]["type"] == "integer"
    resources = {r["name"]: r for r in json.loads((repo / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    assert resources["clause_lengths"]["parquet"]["path"] == "datapackage/data/clause_lengths.parquet"
    assert str(pq.read_schema(repo / "datapackage/data/clause_lengths.parquet").field("chars").type) == "int64"
    assert validate(repo).ok


def test_a_new_derived_table_is_kept_in_the_api_store(repo: Path, tmp_path: Path) -> None:
    package = SourcePackage.load(repo / "datapackage.json", "working")
    db = sqlite3.connect(store_builder.build(package, tmp_path / "store.sqlite"))
    clause_text.register(db)
    try:
        columns = [row[1] for row in db.execute("PRAGMA table_info(clause_lengths)")]
        stored = db.execute(
            "SELECT c.id, l.chars FROM clause_lengths l JOIN clauses c ON c.n = l.clause_n ORDER BY c.n"
        ).fetchall()
    finally:
        db.close()
    assert columns == ["clause_n", "chars"]
    rows = csv.DictReader((repo / "datapackage/data/clause_lengths.csv").open(encoding="utf-8"))
    assert sorted(stored) == sorted((r["clause_id"], int(r["chars"])) for r in rows)


def test_a_new_derived_table_is_validated_and_released(repo: Path) -> None:
    release("1.0.0", repo, date="2024-06-01")
    changes = json.loads((repo / "releases/1.0.0/changes.json").read_text(encoding="utf-8"))
    assert len(changes["tables"]["clause_lengths"]["added"]) == 15
    path = repo / "datapackage/data/clause_lengths.csv"
    cells = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    cells[-1][1] = "many"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(cells)
    path.write_text(buf.getvalue(), encoding="utf-8")
    problems = validate(repo, skip={"rebuild"}).problems
    assert [(p.check, p.type, p.row, p.field) for p in problems] == [("schema", "type", len(cells), "chars")]


def test_the_committed_descriptor_validates_as_published() -> None:
    """`frictionless validate datapackage.json`, as a user runs it: the whole descriptor, Parquet copies named."""
    from frictionless import Package, system

    root = Path(__file__).resolve().parents[1]
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    assert all(r["parquet"]["path"] == f"datapackage/data/{r['name']}.parquet" for r in descriptor["resources"])
    with system.use_context(trusted=True):
        report = Package(str(root / "datapackage.json"), basepath=str(root)).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type"])[:10]
