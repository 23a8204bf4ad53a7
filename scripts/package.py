"""Stage 6: write the data package: CSV and JSON files and datapackage.json, byte-for-byte deterministic."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from scripts import schemas, vocab

DATA_DIR = "datapackage/data"
RELEASES_DIR = "releases"
#: Version of the working package before the first release.
INITIAL_VERSION = "0.1.0"
RELEASE_VERSION_RE = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
LIST_FIELDS = {"issuers": ";", "topics": ",", "date_revised": ";"}
#: Resources derived from the clauses by scripts.derived.
DERIVED = ("clause_similar", "citations", "measures")

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
    found = [p.name for p in base.iterdir()
             if p.is_dir() and RELEASE_VERSION_RE.match(p.name) and (p / "datapackage.json").is_file()]
    return sorted(found, key=version_key)


def current_version(root: Path = vocab.ROOT) -> str:
    """The working package carries the version of the latest release (INITIAL_VERSION before the first)."""
    versions = released_versions(root)
    return versions[-1] if versions else INITIAL_VERSION


VERSION = current_version()


def csv_bytes(rows: list[dict[str, Any]], fields: list[str]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_cell(row[f], f) for f in fields])
    return buf.getvalue().encode("utf-8")


def _cell(value: Any, field: str) -> str:
    if isinstance(value, list):
        return LIST_FIELDS[field].join(value)
    return "" if value is None else str(value)


def json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def resource(name: str, title: str, description: str, fmt: str = "csv") -> dict[str, Any]:
    return {
        "name": name if fmt == "csv" else f"{name}-{fmt}",
        "title": title,
        "description": description,
        "path": f"{DATA_DIR}/{name}.{fmt}",
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else "application/json",
        "encoding": "utf-8",
        "schema": f"schemas/{name}.json",
    }


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
        "resources": [
            resource("documents", "Documents", "One row per policy document: metadata and provenance of its source."),
            resource("clauses", "Clauses", "One row per node of each document's structure, in document order."),
            resource("topics", "Topics", "The controlled topic vocabulary."),
            resource("clause_topics", "Clause topics",
                     "One row per topic tag of a clause, with where the tag came from."),
            resource("errata", "Errata",
                     "Typos of the official sources corrected in clauses.csv, one row per correction; the raw "
                     "sources are never edited."),
            resource("clause_similar", "Similar clauses",
                     "Pairs of clauses from different documents whose wording overlaps (text reuse), both directions."),
            resource("citations", "Citations",
                     "References to other documents inside clauses (by title or document number), resolved to a "
                     "document of the dataset where there is one."),
            resource("measures", "Measures",
                     "Quantitative content of clauses: money amounts, rates, caps, ranges, multiples, targets, counts, "
                     "deadlines, time limits and effective dates, "
                     "with the exact span of text."),
        ],
    }


def write_package(out: Path, files: dict[str, bytes]) -> None:
    """Write relative-path → bytes under ``out`` (a fresh directory)."""
    for rel, data in sorted(files.items()):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def package_files(documents: list[dict[str, Any]], clauses: list[dict[str, Any]],
                  clause_topics: list[dict[str, Any]], version: str = VERSION,
                  errata: list[dict[str, Any]] | None = None,
                  derived: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, bytes]:
    """Every published file, path → bytes. ``derived`` holds the clause_similar, citations and measures rows."""
    derived = derived or {}
    topics = [{"slug": t.slug, "label_zh": t.label_zh, "label_en": t.label_en, "scope": t.scope}
              for t in vocab.topics()]
    return {
        "datapackage.json": json_bytes(descriptor(documents, version)),
        f"{DATA_DIR}/documents.csv": csv_bytes(documents, schemas.field_names("documents")),
        f"{DATA_DIR}/clauses.csv": csv_bytes(clauses, schemas.field_names("clauses")),
        f"{DATA_DIR}/clauses.json": json_bytes(clauses),
        f"{DATA_DIR}/topics.csv": csv_bytes(topics, schemas.field_names("topics")),
        f"{DATA_DIR}/clause_topics.csv": csv_bytes(clause_topics, schemas.field_names("clause_topics")),
        f"{DATA_DIR}/errata.csv": csv_bytes(errata or [], schemas.field_names("errata")),
        **{f"{DATA_DIR}/{name}.csv": csv_bytes(derived.get(name, []), schemas.field_names(name))
           for name in DERIVED},
        **{f"schemas/{name}.json": schemas.render(name).encode("utf-8") for name in schemas.SCHEMAS},
    }
