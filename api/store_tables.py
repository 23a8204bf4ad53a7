"""The store's tables that mirror the package's tables, laid out and loaded as :mod:`schemas.registry` declares.

Every table whose :class:`~schemas.registry.Store` has the ``generated`` layout gets its ``CREATE TABLE``
(:func:`create_sql`), its indexes (:func:`index_sql`) and its loader (:func:`insert`) from its declaration
here; nothing repeats its fields. The search tables (``clauses``, ``clause_topics``, ``facts`` …) are laid
out and filled by :mod:`api.store_builder` itself.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from schemas import registry
from schemas.registry import Field, Ordinal, Table

#: A row of a package's CSV file with where it is (``citations.csv row 3``), as the loaders take them.
Rows = Iterable[tuple[str, dict[str, str]]]


class BuildError(Exception):
    """The package's rows do not fit together (unknown references, values outside the vocabularies).

    The message is ``file: what is wrong``, then a ``how to fix:`` line.
    """

    FIX = (
        "the package's files are generated: rebuild them from the sources (`./run build`) and run `./run check`, "
        "which names the row and field; restore a cut release from git (`git checkout -- releases/<version>`)"
    )

    def __init__(self, message: str) -> None:
        super().__init__(f"{message}\n  how to fix: {self.FIX}")


def check_allowed(value: str, allowed: tuple[str, ...], what: str, where: str) -> None:
    if value not in allowed:
        raise BuildError(f"{where}: {what} {value!r} is not one of {', '.join(allowed)}")


def parse_int(value: str, what: str, where: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise BuildError(f"{where}: {what} {value!r} is not an integer") from None


def parse_float(value: str, what: str, where: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise BuildError(f"{where}: {what} {value!r} is not a number") from None


@dataclass(frozen=True)
class StoredColumn:
    """One column of a stored table: a field of the package (possibly as an ordinal) or one the store adds."""

    name: str
    sql: str
    field: Field | None = None  # None for a column the store adds
    ordinal: Ordinal | None = None
    default: int | str | None = None


def generated() -> tuple[Table, ...]:
    """The tables the store keeps as declared in the registry, in the registry's order."""
    return tuple(t for t in registry.TABLES if t.store is not None and t.store.layout == "generated")


def _store(t: Table) -> registry.Store:
    if t.store is None:
        raise LookupError(f"{t.name} is not kept in the store (schemas/registry.py: {t.unstored})")
    return t.store


def _sql_type(t: Table, f: Field) -> str:
    if f.type in ("string", "list"):
        return "TEXT NOT NULL"
    sql = {"integer": "INTEGER", "number": "NUMERIC" if f.name in _store(t).numeric else "REAL"}[f.type]
    return f"{sql} NOT NULL" if f.required else sql


def _field_columns(t: Table, f: Field) -> list[StoredColumn]:
    store = _store(t)
    if f.name in dict(store.omitted):
        return []
    o = store.ordinal(f.name)
    if o is None:
        return [StoredColumn(f.name, _sql_type(t, f), f)]
    number = StoredColumn(o.column, "INTEGER NOT NULL" if f.required else "INTEGER", f, o)
    return [number, StoredColumn(f.name, _sql_type(t, f), f)] if o.keep_id else [number]


def columns(t: Table) -> list[StoredColumn]:
    """The columns of a stored table in order: its rowid column, its fields', then those the store adds."""
    store = _store(t)
    out = [c for f in t.fields for c in _field_columns(t, f)]
    out += [StoredColumn(c.name, c.sql, default=c.default) for c in store.extra]
    if store.rowid is None:
        return out
    rowid = next(c for c in out if c.name == store.rowid)
    return [StoredColumn(rowid.name, "INTEGER PRIMARY KEY", rowid.field, rowid.ordinal)] + [
        c for c in out if c is not rowid
    ]


def key_columns(t: Table) -> list[str]:
    """The columns of the table's primary key (an ordinal's column for a field stored as one)."""
    store = _store(t)
    return [o.column if (o := store.ordinal(name)) else name for name in t.primary_key]


def create_sql(t: Table) -> str:
    store = _store(t)
    lines = [f'    "{c.name}" {c.sql}' for c in columns(t)]
    keys = ", ".join(f'"{k}"' for k in key_columns(t))
    if store.rowid is None:
        lines.append(f"    PRIMARY KEY ({keys})")
    elif key_columns(t) != [store.rowid]:
        lines.append(f"    UNIQUE ({keys})")
    body = ",\n".join(lines)
    return f"CREATE TABLE {store.table} (\n{body}\n){'' if store.rowid else ' WITHOUT ROWID'};\n"


def index_sql(t: Table) -> str:
    store = _store(t)
    return "".join(f"CREATE INDEX {i.name} ON {store.table} ({', '.join(i.columns)});\n" for i in store.indexes)


def schema() -> str:
    """The DDL of every generated table (read from the registry when called, so a table added is laid out)."""
    return "".join(create_sql(t) for t in generated())


def indexes() -> str:
    return "".join(index_sql(t) for t in generated())


class Refs:
    """The numbers the store gives clauses and documents: an ID is stored as one, or checked against them."""

    def __init__(self, clause_n: Mapping[str, int], document_ord: Mapping[str, int]) -> None:
        self.numbers = {"clause": clause_n, "document": document_ord}

    def number(self, of: str, value: str, field: str, where: str) -> int:
        n = self.numbers[of].get(value)
        if n is None:
            raise BuildError(f"{where}: {field} {value!r} is not a {of} of the package")
        return n


def _value(t: Table, c: StoredColumn, row: dict[str, str], where: str, refs: Refs) -> object:
    f = c.field
    if f is None:
        return c.default
    raw = row.get(f.name) or dict(_store(t).defaults).get(f.name, "")
    if (c.ordinal is not None or f.type not in ("string", "list")) and not raw and not f.required:
        return None  # an empty optional number, or an ID not given
    if c.ordinal is not None:
        return refs.number(c.ordinal.of, raw, f.name, where)
    if f.type == "integer":
        return parse_int(raw, f.name, where)
    if f.type == "number":
        return parse_float(raw, f.name, where)
    if f.type == "list" and _store(t).json_lists:
        return json.dumps([s.strip() for s in raw.split(f.delimiter) if s.strip()], ensure_ascii=False)
    return raw


def insert(
    db: sqlite3.Connection,
    t: Table,
    rows: Rows,
    refs: Refs,
    added: Callable[[dict[str, str]], dict[str, object]] | None = None,
) -> None:
    """Store the rows of one table; ``added`` gives the values of columns the store adds (else their default)."""
    store = _store(t)
    cols = columns(t)
    names = ", ".join(f'"{c.name}"' for c in cols)
    sql = f"INSERT INTO {store.table} ({names}) VALUES ({', '.join('?' * len(cols))})"
    for where, row in rows:
        for name in store.checked:
            if row.get(name):
                refs.number("clause", row[name], name, where)
        extra = added(row) if added is not None else {}
        db.execute(sql, [extra[c.name] if c.name in extra else _value(t, c, row, where, refs) for c in cols])


@cache
def _list_delimiter(table: str, field: str) -> str | None:
    t = registry.table(table)
    return None if _store(t).json_lists else t.field(field).delimiter


def list_items(table: str, field: str, value: str) -> list[str]:
    """The items of a list field as the store keeps it: a JSON array, or its CSV text and the registry's delimiter."""
    delimiter = _list_delimiter(table, field)
    if delimiter is None:
        items = json.loads(value or "[]")
        return [str(i) for i in items] if isinstance(items, list) else []
    return [item for item in value.split(delimiter) if item]
