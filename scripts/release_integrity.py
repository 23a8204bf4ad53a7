"""Verification of a cut release: its ``release.json``, every file it lists, and the copies of each table.

``releases/SHA256SUMS`` records the SHA-256 of every release's ``release.json`` (the line
``<hex>  <version>/release.json``, as ``sha256sum`` writes it: ``cd releases && sha256sum -c SHA256SUMS``
checks them by hand). ``release.json`` in turn records the SHA-256, size and row count of every
file of the release. So a release verifies only when its ``release.json`` has the recorded checksum
and every listed file has the recorded one, and when the CSV, JSON and Parquet copies of each
table hold the same rows. The manifest is written when a release is cut and never rewritten: the
line of a release is added once, and git history shows every change to it.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

CHECKSUMS = "SHA256SUMS"
RELEASE_INFO = "release.json"
RESTORE = "a release never changes: restore it from git (`git checkout -- releases/{version}`)"


def read_checksums(releases_dir: Path) -> dict[str, str]:
    """The recorded SHA-256 of each release's ``release.json``, by version."""
    path = releases_dir / CHECKSUMS
    out: dict[str, str] = {}
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        version, _, file = name.partition("/")
        if file == RELEASE_INFO and len(digest) == 64:
            out[version] = digest
    return out


def record_checksum(releases_dir: Path, version: str, release_info: bytes, replace: bool = False) -> None:
    """Add the line of a new release to ``releases/SHA256SUMS`` (atomically); a recorded line never changes.

    ``replace`` is for generated scratch releases only (benchmark corpora regenerated in place).
    """
    from scripts.package import version_key

    recorded = read_checksums(releases_dir)
    digest = hashlib.sha256(release_info).hexdigest()
    if recorded.get(version, digest) != digest and not replace:
        raise ValueError(f"releases/{CHECKSUMS}: release {version} is recorded with another checksum")
    recorded[version] = digest
    text = "".join(f"{recorded[v]}  {v}/{RELEASE_INFO}\n" for v in sorted(recorded, key=version_key))
    tmp = releases_dir / f".{CHECKSUMS}.{os.getpid()}.tmp"
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(releases_dir / CHECKSUMS)


def seal(base: Path) -> None:
    """Write ``release.json`` listing every file of a generated release directory, and record its checksum."""
    from scripts.release import dump, file_entries

    files = {
        p.relative_to(base).as_posix(): p.read_bytes()
        for p in sorted(base.rglob("*"))
        if p.is_file() and p.name != RELEASE_INFO
    }
    info = dump({"version": base.name, "files": file_entries(files)})
    (base / RELEASE_INFO).write_bytes(info)
    record_checksum(base.parent, base.name, info, replace=True)


class IntegrityProblem(str):
    """A problem of a release as text (for logs and /health) that keeps its file, message and fix (for the check)."""

    file: str
    message: str
    fix: str

    def __new__(cls, file: str, message: str, fix: str) -> IntegrityProblem:
        obj = super().__new__(cls, f"{file}: {message}\n  how to fix: {fix}")
        obj.file, obj.message, obj.fix = file, message, fix
        return obj


def _problem(where: str, what: str, version: str) -> IntegrityProblem:
    return IntegrityProblem(where, what, RESTORE.format(version=version))


def verify_release(base: Path, recorded: dict[str, str]) -> list[str]:
    """Every reason the release in ``base`` cannot be trusted (empty when it verifies)."""
    version = base.name
    where = f"releases/{version}/{RELEASE_INFO}"
    info_path = base / RELEASE_INFO
    if not info_path.is_file():
        return [_problem(where, "missing: the release cannot be verified", version)]
    data = info_path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if version not in recorded:
        return [_problem(where, f"no checksum of it is recorded in releases/{CHECKSUMS}", version)]
    if digest != recorded[version]:
        return [_problem(where, f"SHA-256 is {digest} but releases/{CHECKSUMS} records {recorded[version]}", version)]
    try:
        info = json.loads(data)
        entries = [f for f in info["files"] if isinstance(f, dict) and isinstance(f.get("path"), str)]
    except (ValueError, KeyError, TypeError) as exc:
        return [_problem(where, f"unreadable: {exc}", version)]
    archive = info.get("archive")  # the zip of the whole release (scripts.archive), when one was written
    checked = [*entries, archive] if isinstance(archive, dict) and isinstance(archive.get("path"), str) else entries
    problems: list[str] = [p for entry in checked if (p := _file_problem(base, entry, version))]
    if not problems:
        problems = list(table_copy_problems(base, entries))
    return problems


def _file_problem(base: Path, entry: dict[str, Any], version: str) -> str | None:
    rel = entry["path"]
    where = f"releases/{version}/{rel}"
    path = (base / rel).resolve()
    if not path.is_relative_to(base.resolve()) or not path.is_file():
        return _problem(where, "missing from the release", version)
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() != entry.get("sha256"):
        return _problem(
            where,
            f"SHA-256 is {h.hexdigest()} but {RELEASE_INFO} records {entry.get('sha256')}: "
            "the file was changed after the release was cut",
            version,
        )
    return None


def table_copy_problems(base: Path, entries: list[dict[str, Any]]) -> list[IntegrityProblem]:
    """The CSV, JSON and Parquet copies of a table must hold the same rows (typed by its Table Schema)."""
    by_table: dict[str, list[str]] = {}
    for entry in entries:
        stem, dot, ext = entry["path"].rpartition(".")
        if dot and ext in ("csv", "json", "parquet") and "/data/" in f"/{stem}":
            by_table.setdefault(stem, []).append(entry["path"])
    problems = []
    for stem, paths in sorted(by_table.items()):
        csv_path = f"{stem}.csv"
        if len(paths) < 2 or csv_path not in paths:
            continue
        schema = _schema(base, stem.rsplit("/", 1)[-1])
        if schema is None:
            continue
        reference = (
            _typed_rows(
                [dict(zip([n for n, _, _ in schema], r, strict=False)) for r in _csv_rows(base / csv_path)], schema
            )
            or []
        )
        for rel in sorted(p for p in paths if p != csv_path):
            if rel.endswith(".parquet") and not parquet_readable():
                continue  # a serving install has no PyArrow; the file's SHA-256 is verified all the same
            rows = _parquet_rows(base / rel, schema) if rel.endswith(".parquet") else _json_rows(base / rel, schema)
            if rows != reference:
                what = f"{_difference(reference, rows)} than {csv_path}"
                problems.append(_problem(f"releases/{base.name}/{rel}", what, base.name))
    return problems


def _difference(reference: list[tuple[str, ...]], rows: list[tuple[str, ...]] | None) -> str:
    if rows is None:
        return "unreadable: it holds other fields"
    if len(rows) != len(reference):
        return f"holds {len(rows)} rows, not {len(reference)},"
    row = next(i for i, (a, b) in enumerate(zip(reference, rows, strict=True)) if a != b)
    return f"row {row + 1} differs from row {row + 1} of the CSV copy (different data)"


def _schema(base: Path, name: str) -> list[tuple[str, str, str]] | None:
    try:
        schema = json.loads((base / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
        return [(f["name"], f.get("type", "string"), f.get("delimiter", ",")) for f in schema["fields"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _csv_rows(path: Path) -> list[tuple[str, ...]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [tuple(r) for r in list(csv.reader(f))[1:]]


def _cell(value: Any, kind: str, delimiter: str) -> str:
    if value is None:
        return ""
    if kind == "list" and isinstance(value, list):
        return delimiter.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind == "number" and value != "":
        return str(float(value))  # 300 in a CSV, 300.0 in a typed Parquet copy: the same number
    return str(value)


def _typed_rows(records: list[dict[str, Any]], schema: list[tuple[str, str, str]]) -> list[tuple[str, ...]] | None:
    names = {name for name, _, _ in schema}
    if any(set(r) - names for r in records):
        return None
    return [tuple(_cell(r.get(name), kind, delim) for name, kind, delim in schema) for r in records]


def _json_rows(path: Path, schema: list[tuple[str, str, str]]) -> list[tuple[str, ...]] | None:
    try:
        records = json.loads(path.read_bytes())
    except ValueError:
        return None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return None
    return _typed_rows(records, schema)


@cache
def parquet_readable() -> bool:
    """Whether PyArrow is installed (a build dependency: `./run serve` installs no PyArrow)."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def _parquet_rows(path: Path, schema: list[tuple[str, str, str]]) -> list[tuple[str, ...]] | None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        records = pq.read_table(pa.BufferReader(path.read_bytes())).to_pylist()
    except (pa.ArrowException, OSError):
        return None
    return _typed_rows(records, schema)


def manifest_problems(releases_dir: Path) -> list[IntegrityProblem]:
    """What ``./run check`` adds to its own file checks: the checksum of each ``release.json`` and the copies."""
    recorded = read_checksums(releases_dir)
    problems: list[IntegrityProblem] = []
    for base in sorted(releases_dir.iterdir()) if releases_dir.is_dir() else []:
        info = base / RELEASE_INFO
        if not info.is_file() or not (base / "datapackage.json").is_file():
            continue
        where, digest = f"releases/{base.name}/{RELEASE_INFO}", hashlib.sha256(info.read_bytes()).hexdigest()
        if base.name not in recorded:
            problems.append(_problem(where, f"no checksum of it is recorded in releases/{CHECKSUMS}", base.name))
        elif digest != recorded[base.name]:
            problems.append(
                _problem(
                    where, f"SHA-256 is {digest} but releases/{CHECKSUMS} records {recorded[base.name]}", base.name
                )
            )
        else:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                entries = [f for f in json.loads(info.read_bytes())["files"] if isinstance(f.get("path"), str)]
                if not any(_file_problem(base, entry, base.name) for entry in entries):  # (reported by the check)
                    problems += table_copy_problems(base, entries)
    return problems


def verify_releases(releases_dir: Path) -> dict[str, list[str]]:
    """The problems of every release under ``releases_dir`` that does not verify, by version."""
    recorded = read_checksums(releases_dir)
    out = {}
    for base in sorted(releases_dir.iterdir()) if releases_dir.is_dir() else []:
        if base.is_dir() and (base / "datapackage.json").is_file() and (problems := verify_release(base, recorded)):
            out[base.name] = problems
    return out
