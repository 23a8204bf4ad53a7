"""The store keeps every table of the registry as the registry declares it (api/store_tables.py).

A table added to schemas/registry.py must say how the API's SQLite file keeps it (``store=Store(...)``) or
why it does not (``unstored="..."``); the columns of each stored table are its fields' as declared, and a
store built from a package holds each of its rows.
"""

from __future__ import annotations

import csv
import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from api import clause_text, release_changes, store_builder, store_tables
from api.package import SourcePackage
from schemas import registry
from schemas.registry import Field, Store, Table
from tests.helpers import API_FIXTURE


def undeclared(tables: tuple[Table, ...]) -> list[str]:
    """The tables that neither say how the store keeps them nor why it does not (or say both)."""
    return [t.name for t in tables if (t.store is None) == (not t.unstored)]


def declaration_errors(t: Table) -> list[str]:
    """Names in a table's store declaration that are not its fields or columns."""
    store = t.store
    assert store is not None
    fields = set(t.field_names)
    named = [o.field for o in store.ordinals] + list(store.checked) + list(store.numeric)
    named += [name for name, _ in store.defaults] + [name for name, _ in store.omitted]
    errors = [f"{t.name}: {name!r} is not a field" for name in named if name not in fields]
    errors += [f"{t.name}: numeric {n!r} is not a number" for n in store.numeric if t.field(n).type != "number"]
    errors += [f"{t.name}: {name!r} omitted without a reason" for name, why in store.omitted if not why.strip()]
    columns = {c.name for c in store_tables.columns(t)}
    errors += [
        f"{t.name}: index {i.name} names {c!r}, not a column"
        for i in store.indexes
        for c in i.columns
        if c not in columns
    ]
    if store.rowid is not None and store.rowid not in columns:
        errors.append(f"{t.name}: rowid {store.rowid!r} is not a column")
    return errors


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    package = SourcePackage.load(API_FIXTURE / "datapackage.json", "working")
    path = store_builder.build(package, tmp_path_factory.mktemp("store") / "fixture.sqlite")
    db = sqlite3.connect(path)
    clause_text.register(db)  # the clauses view decodes headings and texts with the store's dictionary
    yield db
    db.close()


def test_every_table_says_how_the_store_keeps_it_or_why_not() -> None:
    assert undeclared(registry.TABLES) == []
    stored = [t.store.table for t in registry.TABLES if t.store is not None]
    assert len(stored) == len(set(stored)), "two tables kept in one SQLite table"


def test_a_new_table_without_a_store_declaration_is_caught() -> None:
    new = Table("throwaway", "Throwaway", "A table added for the test.", "derived", "derive", (), ("id",))
    assert undeclared((*registry.TABLES, new)) == ["throwaway"]
    assert undeclared((dataclasses.replace(new, unstored="not served"),)) == []
    assert undeclared((dataclasses.replace(new, store=Store("throwaway"), unstored="both"),)) == ["throwaway"]


@pytest.mark.parametrize("t", [t for t in registry.TABLES if t.store is not None], ids=lambda t: t.name)
def test_store_declaration_names_real_fields(t: Table) -> None:
    assert declaration_errors(t) == []


def test_a_misspelled_declaration_is_caught() -> None:
    works = registry.table("works")
    wrong = dataclasses.replace(works, store=Store("works", checked=("latest_id",), omitted=(("title", ""),)))
    assert declaration_errors(wrong) == [
        "works: 'latest_id' is not a field",
        "works: 'title' omitted without a reason",
    ]


def _columns(db: sqlite3.Connection, table: str) -> list[tuple[str, str, bool]]:
    """(name, type, NOT NULL) of each column of a table of the built store."""
    return [(name, type_, bool(notnull)) for _, name, type_, notnull, _, _ in db.execute(f"PRAGMA table_info({table})")]


@pytest.mark.parametrize("t", store_tables.generated(), ids=lambda t: t.name)
def test_generated_table_has_the_registry_fields_as_columns(built: sqlite3.Connection, t: Table) -> None:
    assert t.store is not None
    expected = [(c.name, c.sql.split()[0], "NOT NULL" in c.sql) for c in store_tables.columns(t)]
    assert _columns(built, t.store.table) == expected
    kept = {c.field.name for c in store_tables.columns(t) if c.field is not None}
    omitted = {name for name, _ in t.store.omitted}
    assert kept | omitted == set(t.field_names) and not kept & omitted


@pytest.mark.parametrize(
    "t", [t for t in registry.TABLES if t.store and t.store.layout == "search"], ids=lambda t: t.name
)
def test_search_table_has_a_column_for_each_field(built: sqlite3.Connection, t: Table) -> None:
    assert t.store is not None
    have = {name for name, _, _ in _columns(built, t.store.table)}
    assert [c.name for c in store_tables.columns(t) if c.name not in have] == []


def _csv_rows(name: str) -> list[dict[str, str]]:
    path = API_FIXTURE / "data" / f"{name}.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("t", store_tables.generated(), ids=lambda t: t.name)
def test_store_holds_every_row_of_the_package(built: sqlite3.Connection, t: Table) -> None:
    assert t.store is not None
    rows = _csv_rows(t.name)
    stored = built.execute(f"SELECT count(*) FROM {t.store.table}").fetchone()[0]
    if t.name == "topics":  # the vocabulary's topics are kept even where the package lacks them
        assert stored >= len(rows)
    else:
        assert stored == len(rows) > 0


def test_values_are_stored_as_declared(built: sqlite3.Connection) -> None:
    doc = _csv_rows("documents")[0]
    issuers = built.execute("SELECT issuers FROM documents WHERE id = ?", (doc["id"],)).fetchone()[0]
    assert store_tables.list_items("documents", "issuers", issuers) == [
        s.strip() for s in doc["issuers"].split(";") if s.strip()
    ]
    citation = next(r for r in _csv_rows("citations") if r["document_id"])
    cited = built.execute(
        "SELECT d.id FROM citations c JOIN documents d ON d.ord = c.cited_doc"
        " JOIN clauses k ON k.n = c.clause_n WHERE k.id = ? AND c.seq = ?",
        (citation["clause_id"], int(citation["seq"])),
    ).fetchone()
    assert cited == (citation["document_id"],)
    pair = _csv_rows("clause_similar")[0]
    shared = built.execute(
        "SELECT s.shared FROM similar s JOIN clauses a ON a.n = s.clause_n JOIN clauses b ON b.n = s.similar_n"
        " WHERE a.id = ? AND b.id = ?",
        (pair["clause_id"], pair["similar_id"]),
    ).fetchone()[0]
    assert store_tables.list_items("clause_similar", "shared", shared) == [p for p in pair["shared"].split("|") if p]


def test_an_unknown_reference_is_a_build_error(tmp_path: Path) -> None:
    t = registry.table("measures")
    db = sqlite3.connect(":memory:")
    db.executescript(store_tables.create_sql(t))
    refs = store_tables.Refs({"a.1": 1}, {})
    row: dict[str, Any] = {f.name: "" for f in t.fields} | {
        "clause_id": "a.2",
        "seq": "1",
        "value": "5",
        "text": "5万元",
        "start": "0",
        "end": "3",
    }
    with pytest.raises(store_tables.BuildError, match=r"measures.csv row 1: clause_id 'a.2' is not a clause"):
        store_tables.insert(db, t, [("measures.csv row 1", row)], refs)
    with pytest.raises(store_tables.BuildError, match=r"row 1: seq 'x' is not an integer"):
        store_tables.insert(db, t, [("measures.csv row 1", row | {"clause_id": "a.1", "seq": "x"})], refs)
    store_tables.insert(db, t, [("measures.csv row 1", row | {"clause_id": "a.1"})], refs)
    assert db.execute("SELECT clause_n, value, value_max FROM measures").fetchall() == [(1, 5, None)]


def test_an_optional_id_not_given_is_null_and_a_given_one_must_exist() -> None:
    t = registry.table("citations")
    db = sqlite3.connect(":memory:")
    db.executescript(store_tables.create_sql(t))
    refs = store_tables.Refs({"a.1": 1}, {"doc-2020": 7})
    row = {f.name: "" for f in t.fields} | {"clause_id": "a.1", "kind": "title", "text": "《x》", "start": "0"}
    rows = [
        (f"citations.csv row {i}", row | {"seq": str(i), "end": "3", "document_id": d})
        for i, d in ((1, ""), (2, "doc-2020"))
    ]
    store_tables.insert(db, t, rows, refs)
    assert db.execute("SELECT seq, cited_doc FROM citations ORDER BY seq").fetchall() == [(1, None), (2, 7)]
    with pytest.raises(store_tables.BuildError, match=r"row 3: document_id 'doc-2099' is not a document"):
        store_tables.insert(
            db, t, [("citations.csv row 3", row | {"seq": "3", "end": "3", "document_id": "doc-2099"})], refs
        )


def _release(tmp_path: Path, name: str, header: list[str]) -> Any:
    path = tmp_path / name / "documents.csv"
    path.parent.mkdir()
    path.write_text(",".join(header) + "\n", encoding="utf-8")
    return SimpleNamespace(package=SimpleNamespace(resource_path=lambda _: path))


def test_release_changes_compare_the_fields_both_releases_have(tmp_path: Path) -> None:
    content = [f.name for f in registry.table("documents").fields if f.content and f.name != "id"]
    assert list(release_changes.DOCUMENT_COLUMNS) == [*content, "clause_count"]
    old = _release(tmp_path, "old", ["id", "title", "issuers"])
    new = _release(tmp_path, "new", ["id", "title", "issuers", "legal_rank"])
    compared = release_changes.compared(release_changes.DOCUMENT_COLUMNS, old, new, "documents")
    assert compared == ("title", "issuers", "clause_count")
    assert "line_start" not in release_changes.CLAUSE_COLUMNS and "text" in release_changes.CLAUSE_COLUMNS


def test_list_fields_read_back_as_lists() -> None:
    lists = [(t, f) for t in registry.TABLES if t.store is not None for f in t.fields if f.type == "list"]
    assert lists, "the registry declares list fields"
    for t, f in lists:
        assert isinstance(f, Field) and f.delimiter
        stored = '["a", "b"]' if t.store is not None and t.store.json_lists else f"a{f.delimiter}b"
        assert store_tables.list_items(t.name, f.name, stored) == ["a", "b"]
