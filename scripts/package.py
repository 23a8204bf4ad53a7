"""Stage 6: write the data package: CSV, JSON and Parquet files and datapackage.json, byte-for-byte deterministic."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from schemas import registry
from scripts import codebook, vocab

DATA_DIR = registry.DATA_DIR
RELEASES_DIR = "releases"
#: Version of the working package before the first release.
INITIAL_VERSION = "0.1.0"
RELEASE_VERSION_RE = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")

DESCRIPTION = (
    "Chinese fintech policy documents, clause by clause: the PBoC FinTech Development Plan (2019-2021) and the "
    "local guidance of Shanghai, Chongqing, Qingdao and Shenzhen, segmented into their own structure (parts, "
    "sections, numbered items, bullets, boxed case studies, paragraphs, footnotes), with stable citable clause IDs, "
    "topic tags and provenance back to the raw source line."
)


def version_key(version: str) -> tuple[int, int, int]:
    m = RELEASE_VERSION_RE.match(version)
    if not m:
        raise ValueError(f"not a release version (X.Y.Z): {version!r}")
    return int(m[1]), int(m[2]), int(m[3])


def released_versions(root: Path = vocab.ROOT) -> list[str]:
    """Versions cut under ``releases/``, oldest first."""
    base = root / RELEASES_DIR
    if not base.is_dir():
        return []
    found = [
        p.name
        for p in base.iterdir()
        if p.is_dir() and RELEASE_VERSION_RE.match(p.name) and (p / "datapackage.json").is_file()
    ]
    return sorted(found, key=version_key)


def current_version(root: Path = vocab.ROOT) -> str:
    """The working package carries the version of the latest release (INITIAL_VERSION before the first)."""
    versions = released_versions(root)
    return versions[-1] if versions else INITIAL_VERSION


VERSION = current_version()


def csv_bytes(rows: list[dict[str, Any]], table: registry.Table) -> bytes:
    """One table as CSV: list fields joined with their declared delimiter, None as an empty cell."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.field_names)
    delimiters = [f.delimiter for f in table.fields]
    names = table.field_names
    for row in rows:
        writer.writerow([_cell(row[f], d) for f, d in zip(names, delimiters, strict=True)])
    return buf.getvalue().encode("utf-8")


def _cell(value: Any, delimiter: str | None) -> str:
    if isinstance(value, list):
        assert delimiter is not None, "a list value in a field the registry does not declare a list"
        return delimiter.join(value)
    return "" if value is None else str(value)


def json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def descriptor(documents: list[dict[str, Any]], version: str = VERSION) -> dict[str, Any]:
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "china-fintech-policy",
        "title": "Chinese fintech policy, clause by clause",
        "description": DESCRIPTION,
        "version": version,
        "keywords": ["fintech", "金融科技", "policy", "China", "clauses", "PBoC"],
        "licenses": [
            {
                "name": "CC0-1.0",
                "path": "https://creativecommons.org/publicdomain/zero/1.0/",
                "title": "CC0 1.0 for the data. The policy texts themselves are official documents of state organs, "
                "outside copyright under Article 5 of the Copyright Law of the PRC.",
            }
        ],
        "sources": [
            {"title": f"{d['title']} ({d['id']})", "path": d["source_url"] or d["source_file"]} for d in documents
        ],
        "contributors": [{"title": "china-fintech-policy maintainers", "roles": ["creator"]}],
        "resources": registry.resources(parquet=True),
    }


def write_package(out: Path, files: dict[str, bytes]) -> None:
    """Write relative-path → bytes under ``out`` (a fresh directory)."""
    for rel, data in sorted(files.items()):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def package_files(
    documents: list[dict[str, Any]],
    clauses: list[dict[str, Any]],
    clause_topics: list[dict[str, Any]],
    version: str = VERSION,
    errata: list[dict[str, Any]] | None = None,
    derived: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, bytes]:
    """Every published file, path → bytes. ``derived`` holds the rows of the tables of the ``derive`` stage."""
    from schemas import parquet  # PyArrow is a build dependency: the API, which uses this module too, runs without

    topics = [
        {"slug": t.slug, "label_zh": t.label_zh, "label_en": t.label_en, "scope": t.scope} for t in vocab.topics()
    ]
    rows = {
        "documents": documents,
        "clauses": clauses,
        "topics": topics,
        "clause_topics": clause_topics,
        "errata": errata or [],
        **(derived or {}),
    }
    files = {"datapackage.json": json_bytes(descriptor(documents, version))}
    for table in registry.TABLES:
        files[table.csv_path] = csv_bytes(rows.get(table.name, []), table)
        files[table.parquet_path] = parquet.parquet_bytes(table, rows.get(table.name, []))
        if table.json_copy:
            files[f"{DATA_DIR}/{table.name}.json"] = json_bytes(rows.get(table.name, []))
    files[f"{DATA_DIR}/{codebook.CODEBOOK_NAME}"] = codebook.codebook_markdown().encode("utf-8")
    return {**files, **registry.schema_files()}
