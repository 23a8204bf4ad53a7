"""Parquet copies of a release cut from the working package: real types, the same values as the CSV."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from schemas import parquet, registry
from scripts import vocab
from scripts.build import build, publish
from scripts.package import current_version, version_key
from scripts.release import release

ROOT = vocab.ROOT


@pytest.fixture(scope="module")
def cut(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working package copied to a scratch repository and released there as the next major version.

    The scratch copy holds no earlier release, so the cut never depends on what changed since the last one.
    """
    root = tmp_path_factory.mktemp("repo")
    for name in ("datapackage", "schemas"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("datapackage.json", "README.md", "CHANGELOG.md"):
        shutil.copy(ROOT / name, root / name)
    publish(build(root, root / "datapackage/sources", version=current_version(root)), root)  # as before a first release
    major, _, _ = version_key(current_version(root))
    return release(f"{major + 1}.0.0", root, date="2026-12-01")  # a major release is never understated


def test_types_of_the_released_parquet_files(cut: Path) -> None:
    schema = pq.read_schema(cut / "datapackage/data/measures.parquet")
    assert str(schema.field("value").type) == "double" and not schema.field("value").nullable
    assert str(pq.read_schema(cut / "datapackage/data/clause_similar.parquet").field("score").type) == "double"
    clauses = pq.read_schema(cut / "datapackage/data/clauses.parquet")
    assert str(clauses.field("topics").type) == "list<element: string>"
    assert str(clauses.field("seq").type) == "int64" and clauses.field("parent_id").nullable
    assert clauses.field("text").metadata[b"description"].decode().startswith("The clause's own body text")
    for table, name in (("clause_similar", "shared"), ("clause_topics", "matched"), ("documents", "issuers")):
        assert (
            str(pq.read_schema(cut / f"datapackage/data/{table}.parquet").field(name).type) == "list<element: string>"
        )
    # partial dates (YYYY-MM, YYYY) stay strings rather than invented days
    assert str(pq.read_schema(cut / "datapackage/data/documents.parquet").field("date_issued").type) == "string"


@pytest.mark.parametrize("table", registry.TABLES, ids=registry.NAMES)
def test_each_parquet_file_holds_the_values_of_its_csv(cut: Path, table: registry.Table) -> None:
    with (cut / table.csv_path).open(encoding="utf-8", newline="") as f:
        expected = [{fl.name: parquet.typed(fl, row[fl.name]) for fl in table.fields} for row in csv.DictReader(f)]
    rows = pq.read_table(cut / table.parquet_path).to_pylist()
    assert rows == expected
    assert [f.name for f in pq.read_schema(cut / table.parquet_path)] == table.field_names


def test_the_descriptor_lists_each_parquet_file(cut: Path) -> None:
    import json

    descriptor = json.loads((cut / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    for t in registry.TABLES:
        copy = resources[t.name]["parquet"]
        assert copy["path"] == t.parquet_path and copy["format"] == "parquet"
        assert resources[t.name]["schema"] == t.schema_path
        assert (cut / t.parquet_path).is_file()


def test_sums_in_pandas_and_duckdb(cut: Path) -> None:
    measures = cut / "datapackage/data/measures.parquet"
    similar = cut / "datapackage/data/clause_similar.parquet"
    with (cut / "datapackage/data/measures.csv").open(encoding="utf-8", newline="") as f:
        expected = sum(float(r["value"]) for r in csv.DictReader(f))
    assert expected > 0
    assert pd.read_parquet(measures)["value"].sum() == pytest.approx(expected)
    assert 0 < pd.read_parquet(similar)["score"].mean() <= 1
    con = duckdb.connect()
    (total,) = con.execute("SELECT sum(value) FROM read_parquet(?)", [str(measures)]).fetchone() or (None,)
    assert total == pytest.approx(expected)
    (nulls,) = con.execute("SELECT count(*) FROM read_parquet(?) WHERE qualifier = ''", [str(measures)]).fetchone() or (
        None,
    )
    assert nulls == 0  # an empty optional value is null, not ""
