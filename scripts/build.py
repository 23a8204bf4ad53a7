"""Build the data package from the raw sources: ``python -m scripts.build``.

read source → clean → segment into a clause tree → derive IDs → apply errata → tag → derive
(text reuse, citations, measures) → write.
Everything is written to a fresh temporary directory and validated there;
only then are the published files moved into place, so a failed build leaves
the previous package untouched.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts import vocab
from scripts.derived import derive
from scripts.errata import ERRATA_FILE, ErrataError, apply_errata, load_errata
from scripts.interrupts import deferred_signals, sweep, terminate_cleanly
from scripts.legal import is_legal, segment_legal
from scripts.package import VERSION, package_files, write_package
from scripts.repairs import REPAIRS_NAME, Repair, apply_repairs, check_documents, load_repairs, repair_rows
from scripts.rows import Row, clause_rows, document_row, legal_rows
from scripts.segment import SegmentError, segment_lines
from scripts.source_integrity import check_source_set
from scripts.sources import SOURCES_DIR, DocumentMeta, SourceError, load_all_meta, read_source
from scripts.tagging import TaggingError, tag_clauses


@dataclass
class BuildResult:
    documents: list[dict[str, Any]]
    clauses: list[dict[str, Any]]
    clause_topics: list[dict[str, Any]]
    files: dict[str, bytes]
    errata: list[dict[str, Any]] = field(default_factory=list)
    derived: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


#: The staging directory of a build (``.build-<pid>-<random>``), and its marker of a complete, valid package.
STAGING_RE = re.compile(r"\.build-(?P<pid>[0-9]+)-[A-Za-z0-9_]+")
READY = ".ready"
READY_TMP = ".ready.tmp"


class BuildError(Exception):
    """Any error that stops a build; its message names the file and line and says how to fix it."""


#: The fix of a pipeline message that does not give its own (CONTRIBUTING.md explains each message).
DEFAULT_FIX = (
    "check the source text around this line against the official document; CONTRIBUTING.md, "
    "'When the build fails', explains each message"
)


def with_fix(message: str) -> str:
    """``message`` in the one error format: every error ends with a ``how to fix:`` line."""
    return message if "\n  how to fix: " in message else f"{message}\n  how to fix: {DEFAULT_FIX}"


def build(root: Path = vocab.ROOT, sources_dir: Path = SOURCES_DIR, version: str = VERSION) -> BuildResult:
    """Run the pipeline in memory; no file is written."""
    try:
        metas = load_all_meta(sources_dir)
        check_source_set(root, metas, sources_dir)
        repairs = load_repairs(sources_dir / REPAIRS_NAME)
        check_documents(repairs, {m.id for m in metas})
        documents = [document_row(meta) for meta in metas]
        clauses = [row for meta in metas for row in document_clauses(meta, root, repairs)]
        errata = apply_errata(clauses, load_errata(root / ERRATA_FILE)) + repair_rows(repairs, clauses)
        clause_topics = tag_clauses(clauses)
    except (SourceError, SegmentError, TaggingError, ErrataError) as exc:
        raise BuildError(with_fix(str(exc))) from exc
    derived = derive(documents, clauses)
    files = package_files(documents, clauses, clause_topics, version, errata, derived)
    return BuildResult(documents, clauses, clause_topics, files, errata, derived)


def document_clauses(meta: DocumentMeta, root: Path, repairs: list[Repair]) -> list[Row]:
    """Read, repair, clean, segment and derive the rows of one document."""
    lines = apply_repairs(meta.id, read_source(meta, root), repairs)
    if is_legal(lines, meta.body.start, meta.body.end):
        return legal_rows(meta, segment_legal(meta.source_file, lines, meta.body.start, meta.body.end))
    return clause_rows(meta, segment_lines(meta.source_file, lines, meta.body.start, meta.body.end))


def publish(result: BuildResult, root: Path = vocab.ROOT, validate: bool = True) -> None:
    """Write to a temporary directory, validate it, then move the files into place.

    The staging directory ``.build-<pid>-*`` is removed however the build ends; one left by a killed
    build is swept by the next (:func:`sweep_staging`). Once complete and valid it is marked ready,
    and signals wait while its files are moved: the committed package is the old one or the new one.
    """
    root.mkdir(parents=True, exist_ok=True)
    sweep_staging(root)
    with tempfile.TemporaryDirectory(prefix=f".build-{os.getpid()}-", dir=root) as tmp:
        staging = Path(tmp)
        write_package(staging, result.files)
        if validate:
            report = frictionless_errors(staging / "datapackage.json")
            if report:
                raise BuildError(
                    "the built package does not validate:\n"
                    + "\n".join(e.text() for e in report)
                    + "\n  how to fix: a generated table breaks its Table Schema: run `./run check` "
                    "for the file, row and field, and correct the source or vocabulary that produced the "
                    "value"
                )
        (staging / READY_TMP).write_text("\n".join(sorted(result.files)) + "\n", encoding="utf-8")
        (staging / READY_TMP).replace(staging / READY)
        with deferred_signals():
            move_into_place(staging, root)


def move_into_place(staging: Path, root: Path) -> None:
    """Move the files a ready staging directory lists into ``root`` (each by an atomic rename)."""
    for rel in (staging / READY).read_text(encoding="utf-8").splitlines():
        source = staging / rel
        if source.is_file():  # a file already moved by an interrupted build is not there any more
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            source.replace(target)


def sweep_staging(root: Path) -> list[Path]:
    """Remove the staging directories of builds that were killed; finish moving those that were ready."""

    def finish(path: Path) -> bool:
        if not (path / READY).is_file():
            return False
        move_into_place(path, root)
        shutil.rmtree(path, ignore_errors=True)
        return True

    return sweep(root, STAGING_RE, finish)


@dataclass(frozen=True)
class FrictionlessError:
    """One error of Frictionless validation, as Frictionless types it."""

    resource: str  # a resource name, or "datapackage.json" for the descriptor
    type: str
    message: str
    row: int | None = None
    field: str | None = None

    def text(self) -> str:
        where = (
            self.resource + (f" row {self.row}" if self.row else "") + (f" field {self.field}" if self.field else "")
        )
        return f"{where}: {self.type}: {self.message}"


def frictionless_errors(descriptor: Path) -> list[FrictionlessError]:
    """Frictionless validation of a package's CSV resources (empty when valid)."""
    from frictionless import Package, system

    from schemas.registry import csv_only

    try:
        value = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [FrictionlessError("datapackage.json", "package-error", f"cannot read {descriptor.name}: {exc}")]
    with system.use_context(trusted=True):
        source = csv_only(value) if isinstance(value, dict) else value
        report = Package(source, basepath=str(descriptor.parent)).validate()
    errors = [
        FrictionlessError(
            task.name or "", err.type, err.message, getattr(err, "row_number", None), getattr(err, "field_name", None)
        )
        for task in report.tasks
        for err in task.errors
    ]
    return errors + [FrictionlessError("datapackage.json", err.type, err.message) for err in report.errors]


def summary(result: BuildResult, seconds: float) -> str:
    kinds = Counter(c["kind"] for c in result.clauses)
    per_doc = Counter(c["document_id"] for c in result.clauses)
    lines = [
        f"built {len(result.documents)} documents, {len(result.clauses)} clauses, "
        f"{len(result.clause_topics)} topic tags in {seconds:.2f} s"
    ]
    lines.append("  per kind: " + ", ".join(f"{k} {kinds[k]}" for k in vocab.KINDS if kinds[k]))
    lines.append("  per document: " + ", ".join(f"{d} {n}" for d, n in sorted(per_doc.items())))
    lines.append("  derived: " + ", ".join(f"{name} {len(rows)}" for name, rows in result.derived.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None, root: Path = vocab.ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="build in memory and fail if any committed file differs; write nothing"
    )
    parser.add_argument("--no-validate", action="store_true", help="skip Frictionless validation before publishing")
    parser.add_argument(
        "--root",
        type=Path,
        default=root,
        help="the repository to build (default: this one); its datapackage/ holds the sources",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with terminate_cleanly():
        return _run(args, args.root, started)


def _run(args: argparse.Namespace, root: Path, started: float) -> int:
    try:
        result = build(root, root / SOURCES_DIR.relative_to(vocab.ROOT))
        if args.check:
            stale = [
                rel
                for rel, data in sorted(result.files.items())
                if not (root / rel).is_file() or (root / rel).read_bytes() != data
            ]
            if stale:
                print("error: the committed package differs from a rebuild of the sources:", file=sys.stderr)
                for rel in stale:
                    print(f"  {rel}: run `python -m scripts.build` and commit the result", file=sys.stderr)
                return 1
        else:
            publish(result, root, validate=not args.no_validate)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("the previous package was left unchanged", file=sys.stderr)
        return 1
    print(summary(result, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
