"""The measured steps, each run in its own process so its time and peak memory are its own.

``python -m bench.tasks store <release dir> <store file>``     build the API's SQLite store
``python -m bench.tasks datasette <release dir> <db file>``     build the SQLite file Datasette serves
``python -m bench.tasks validate <release dir>``                run every check of ``scripts.validate``

Each prints one JSON line: what it did, and its seconds.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import time
from pathlib import Path

csv.field_size_limit(sys.maxsize)

DATASETTE_INDEXES = (
    "CREATE INDEX clauses_city ON clauses (city)",
    "CREATE INDEX clauses_level ON clauses (level)",
    "CREATE INDEX clauses_kind ON clauses (kind)",
    "CREATE INDEX clauses_document ON clauses (document_id)",
    "CREATE INDEX clause_topics_topic ON clause_topics (topic)",
)


def build_store(release_dir: Path, path: Path) -> dict[str, object]:
    from api.package import SourcePackage
    from api.store_builder import build

    package = SourcePackage.load(release_dir / "datapackage.json", "release")
    started = time.perf_counter()
    build(package, path)
    return {"seconds": time.perf_counter() - started, "bytes": path.stat().st_size}


def _csv_rows(path: Path):
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        yield header
        yield from reader


def build_datasette_db(release_dir: Path, path: Path) -> dict[str, object]:
    """The package as a Datasette user would load it: one table per CSV, topics as a JSON array, the usual
    indexes for the facets and filters, and a trigram FTS5 index over heading and text for ``_search``."""
    started = time.perf_counter()
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    data = release_dir / "datapackage" / "data"
    for name, pk in (("documents", "id"), ("topics", "slug"), ("clauses", "id"), ("clause_topics", None)):
        rows = _csv_rows(data / f"{name}.csv")
        header = next(rows)
        columns = ", ".join(f'"{c}" TEXT' + (" PRIMARY KEY" if c == pk else "") for c in header)
        db.execute(f'CREATE TABLE "{name}" ({columns})')
        marks = ", ".join("?" * len(header))
        if name == "clauses":
            i_topics = header.index("topics")
            rows = (
                [*r[:i_topics], json.dumps([t for t in r[i_topics].split(",") if t]), *r[i_topics + 1 :]] for r in rows
            )
        db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
    db.execute("COMMIT")
    for sql in DATASETTE_INDEXES:
        db.execute(sql)
    db.execute('CREATE VIRTUAL TABLE clauses_fts USING fts5(heading, text, content="clauses", tokenize="trigram")')
    db.execute("INSERT INTO clauses_fts (rowid, heading, text) SELECT rowid, heading, text FROM clauses")
    db.execute("ANALYZE")
    db.close()
    return {"seconds": time.perf_counter() - started, "bytes": path.stat().st_size}


def validate(release_dir: Path) -> dict[str, object]:
    from scripts.validate import validate as run_checks

    started = time.perf_counter()
    report = run_checks(release_dir)
    return {
        "seconds": time.perf_counter() - started,
        "ok": report.ok,
        "checks": {name: run.status for name, run in report.checks.items()},
        "problems": len(report.problems),
    }


def main(argv: list[str]) -> int:
    task, *paths = argv
    if task == "store":
        result = build_store(Path(paths[0]), Path(paths[1]))
    elif task == "datasette":
        result = build_datasette_db(Path(paths[0]), Path(paths[1]))
    elif task == "validate":
        result = validate(Path(paths[0]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
