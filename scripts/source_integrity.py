"""Checks of the set of raw sources as a whole, run by the build and by ``./run check``.

* Every source file in ``datapackage/sources/`` is named by one metadata record, and every
  record's source file exists (:func:`pairing_errors`): a build never silently drops a document.
* The source of a released document still has the SHA-256 recorded in every release that
  contains it (:func:`released_source_errors`): updating ``source_sha256`` in a record does not
  make an edited text pass. A text is corrected through ``datapackage/errata.csv``; a source
  that must really be replaced (a corrupted download, a wrong file) is a *source repair*, one
  reviewed line in ``datapackage/source_repairs.csv`` naming the released and the new checksum.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from scripts.repairs import REPAIRS_NAME
from scripts.sources import DocumentMeta, SourceError, SourceSetError
from scripts.sources import source_error as located

SOURCES = Path("datapackage/sources")
REPAIRS_FILE = Path("datapackage/source_repairs.csv")
REPAIRS_FIELDS = ("document_id", "released_sha256", "sha256", "reason")
#: Files of the sources folder that are not source texts (the line repairs of scripts.repairs).
NOT_SOURCES = {"README.md", REPAIRS_NAME}


def pairing_errors(root: Path, metas: list[DocumentMeta], folder: Path | None = None) -> list[SourceError]:
    """A source file no record names, and a record whose source file is missing, each naming both."""
    errors: list[SourceError] = []
    named = {meta.source_file: meta for meta in metas}
    folder = root / SOURCES if folder is None else folder
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        if path.is_file() and path.suffix != ".json" and path.name not in NOT_SOURCES and rel not in named:
            errors.append(
                located(
                    rel,
                    f"no metadata record names this source file (no {SOURCES.as_posix()}/*.json has "
                    f'"source_file": {json.dumps(rel)})',
                    f"add a record {SOURCES.as_posix()}/<document id>.json whose `source_file` is {rel!r} "
                    "(CONTRIBUTING.md, 'Add a document'), or remove the file if it is not meant to be published",
                )
            )
    for meta in metas:
        if not (root / meta.source_file).is_file():
            errors.append(
                located(
                    f"{SOURCES.as_posix()}/{meta.id}.json",
                    f"{meta.source_file} does not exist",
                    f"restore {meta.source_file} (e.g. `git checkout -- {meta.source_file}`), or correct `source_file` "
                    "to name the document's raw text",
                    field="source_file",
                )
            )
    return errors


@dataclass(frozen=True)
class ReleasedSource:
    """The source of one document as one release recorded it."""

    version: str
    where: str  # file:line of the document's row in the release's documents.csv
    source_file: str
    sha256: str


def released_sources(root: Path) -> dict[str, list[ReleasedSource]]:
    """Every released document's recorded source, by document ID, oldest release first."""
    from scripts.package import released_versions

    out: dict[str, list[ReleasedSource]] = {}
    for version in released_versions(root):
        path = _documents_csv(root / "releases" / version)
        if path is None:
            continue
        rel = path.relative_to(root).as_posix()
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            for row in reader:
                line = reader.line_num - sum(str(v).count("\n") for v in row.values())
                out.setdefault(row["id"], []).append(
                    ReleasedSource(version, f"{rel}:{line}", row.get("source_file", ""), row.get("source_sha256", ""))
                )
    return out


def _documents_csv(base: Path) -> Path | None:
    try:
        descriptor = json.loads((base / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for resource in descriptor.get("resources") or []:
        if isinstance(resource, dict) and resource.get("name") == "documents" and isinstance(resource.get("path"), str):
            path = base / resource["path"]
            return path if path.is_file() else None
    return None


def repairs(root: Path) -> set[tuple[str, str, str]]:
    """(document_id, released_sha256, sha256) of every recorded source repair."""
    path = root / REPAIRS_FILE
    if not path.is_file():
        return set()
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = tuple(next(reader, ()))
        if header != REPAIRS_FIELDS:
            raise located(
                REPAIRS_FILE.as_posix(),
                f"the header is {','.join(header)!r}",
                f"the first line must be exactly: {','.join(REPAIRS_FIELDS)}",
                1,
            )
        return {(cells[0], cells[1], cells[2]) for cells in reader if len(cells) >= 3}


def released_source_errors(root: Path, metas: list[DocumentMeta]) -> list[SourceError]:
    """A released document whose source (file or recorded checksum) differs from any release holding it."""
    released = released_sources(root)
    allowed = repairs(root)
    errors: list[SourceError] = []
    for meta in metas:
        path = root / meta.source_file
        if meta.id not in released or not path.is_file():
            continue
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        for rec in released[meta.id]:
            if actual == rec.sha256 or (meta.id, rec.sha256, actual) in allowed:
                continue
            errors.append(
                located(
                    meta.source_file,
                    f"SHA-256 is {actual} but release {rec.version} recorded {rec.sha256} for {meta.id} ({rec.where}); "
                    "the source of a released document never changes",
                    f"restore the released text (from git history: `git log -- {rec.source_file}`) and set "
                    f"`source_sha256` in {SOURCES.as_posix()}/{meta.id}.json back to {rec.sha256}; correct a typo "
                    "through datapackage/errata.csv; to replace a damaged source, add the line "
                    f"{meta.id},{rec.sha256},{actual},<why> to {REPAIRS_FILE.as_posix()} (CONTRIBUTING.md, 'Repair a "
                    "source')",
                )
            )
    return errors


def source_set_errors(root: Path, metas: list[DocumentMeta], folder: Path | None = None) -> list[SourceError]:
    """Every problem of the source set as a whole (the one hook of the build and of validation)."""
    return pairing_errors(root, metas, folder) + released_source_errors(root, metas)


def check_source_set(root: Path, metas: list[DocumentMeta], folder: Path | None = None) -> None:
    """Raise one SourceError listing every problem of :func:`source_set_errors`."""
    errors = source_set_errors(root, metas, folder)
    if errors:
        raise SourceSetError(errors)
