"""The package on disk as the checks read it: its descriptor, its resources' files and their CSV records."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class Package:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.descriptor_path = root / "datapackage.json"
        self.descriptor: dict[str, Any] = {}
        self.loaded = False

    def resource(self, name: str) -> dict[str, Any] | None:
        for res in self.descriptor.get("resources") or []:
            if isinstance(res, dict) and res.get("name") == name:
                return res
        return None

    def path(self, name: str) -> Path | None:
        res = self.resource(name)
        if res is None or not isinstance(res.get("path"), str):
            return None
        path = self.root / res["path"]
        return path if path.is_file() else None

    def rel(self, name: str) -> str:
        res = self.resource(name) or {}
        return str(res.get("path", f"{name}.csv"))

    def schema(self, name: str) -> dict[str, Any]:
        res = self.resource(name) or {}
        schema = res.get("schema", {})
        if isinstance(schema, str):
            schema = json.loads((self.root / schema).read_text(encoding="utf-8"))
        return schema if isinstance(schema, dict) else {}

    def schema_rel(self, name: str) -> str:
        res = self.resource(name) or {}
        return res["schema"] if isinstance(res.get("schema"), str) else "datapackage.json"


def records(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    """(row, first physical line, cells) of every record of a CSV file, header included as row 1."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        prev = 0
        for row, cells in enumerate(reader, start=1):
            yield row, prev + 1, cells
            prev = reader.line_num


def record_lines(text: str) -> list[int]:
    """First physical line of every CSV record."""
    reader = csv.reader(text.splitlines(keepends=True))
    out, prev = [], 0
    for _ in reader:
        out.append(prev + 1)
        prev = reader.line_num
    return out


def row_lines(path: Path, rows: set[int]) -> dict[int, int]:
    """The first physical line of each of these rows."""
    out: dict[int, int] = {}
    last = max(rows)
    try:
        for row, line, _ in records(path):
            if row in rows:
                out[row] = line
            if row >= last:
                break
    except (UnicodeDecodeError, csv.Error):
        pass
    return out
