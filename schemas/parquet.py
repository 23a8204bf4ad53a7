"""Parquet copies of the tables, typed from the registry.

Types: ``integer`` → int64, ``number`` → float64, ``list`` → list<string> (the CSV cell split on the field's
declared delimiter; an empty cell is an empty list), ``string`` → string. Dates stay strings: they may be
partial (``YYYY-MM``, ``YYYY``), and a date32 column would have to invent the missing day. A required field
is a non-nullable column; an empty optional value is null. Each field's title and description are its
Parquet field metadata, the table's description the schema metadata.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.registry import Field, Table

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "list": pa.list_(pa.string()),
}


def arrow_field(f: Field) -> pa.Field:
    return pa.field(
        f.name, ARROW_TYPES[f.type], nullable=not f.required, metadata={"title": f.title, "description": f.description}
    )


def arrow_schema(t: Table) -> pa.Schema:
    return pa.schema(
        [arrow_field(f) for f in t.fields], metadata={"name": t.name, "title": t.title, "description": t.description}
    )


def typed(f: Field, value: Any) -> Any:
    """One cell as its field's Python value: a CSV string or a value of the build's rows."""
    if f.type == "list":
        if isinstance(value, list):
            return [str(v) for v in value]
        return str(value).split(f.delimiter) if value not in ("", None) else []
    if value is None or value == "":
        if f.required:
            raise ValueError(f"{f.name} is required but empty")
        return None
    if f.type == "integer":
        return int(value)
    if f.type == "number":
        return float(value)
    return str(value)


def table(t: Table, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """The rows as an Arrow table of typed columns, in the registry's field order."""
    columns: dict[str, list[Any]] = {f.name: [] for f in t.fields}
    for row in rows:
        for f in t.fields:
            columns[f.name].append(typed(f, row[f.name]))
    schema = arrow_schema(t)
    return pa.table([pa.array(columns[f.name], schema.field(f.name).type) for f in t.fields], schema=schema)


def parquet_bytes(t: Table, rows: Iterable[Mapping[str, Any]]) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table(t, rows), sink, compression="zstd")
    return bytes(sink.getvalue().to_pybytes())


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
