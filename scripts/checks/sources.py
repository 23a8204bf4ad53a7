"""The checks of what the package is built from: metadata records, raw sources, and a rebuild that equals the
committed files. Errors of the pipeline are typed (:class:`scripts.errors.LocatedError`) and reported as raised."""

from __future__ import annotations

import contextlib
import csv
import json
from typing import Any, ClassVar

from scripts.checks.base import SOURCES, Check, Context
from scripts.checks.package import record_lines
from scripts.checks.problems import Problem, from_error
from scripts.errors import LocatedError
from scripts.source_integrity import NOT_SOURCES

REBUILD_FIX = (
    "run `python -m scripts.build` and commit the result; the files in datapackage/data are never edited "
    "by hand: correct a typo through datapackage/errata.csv and a tag through "
    "datapackage/vocab/topic_curation.csv"
)


class MetadataCheck(Check):
    name = "metadata"
    description = (
        "every metadata record in datapackage/sources/ has its fields, values from the vocabularies and "
        "dates as YYYY[-MM[-DD]]; every source file has a record"
    )
    errors: ClassVar[dict[str, str]] = {
        "record": "a metadata record that does not load",
        "no-record": "a source file without a record",
    }
    needs_sources = True
    needs_package = False

    def start(self, ctx: Context) -> str | None:
        from scripts.sources import SourceError, load_meta

        named: set[str] = set()
        metas: list[Any] = []
        for path in sorted((ctx.root / SOURCES).glob("*.json")):
            try:
                meta = load_meta(path)
            except SourceError as exc:
                ctx.add(from_error(self.name, "record", exc, ctx.root))
                with contextlib.suppress(ValueError, AttributeError):  # a broken record still claims its source
                    named.add(str(json.loads(path.read_text(encoding="utf-8")).get("source_file")))
                continue
            metas.append(meta)
            named.add(meta.source_file)
        ctx.shared["metas"] = metas
        for path in sorted((ctx.root / SOURCES).iterdir()):
            rel = path.relative_to(ctx.root).as_posix()
            if path.is_file() and path.suffix != ".json" and rel not in named and path.name not in NOT_SOURCES:
                ctx.add(
                    self.problem(
                        "no-record",
                        rel,
                        "no metadata record names this source file",
                        f"add a record datapackage/sources/<document id>.json whose `source_file` is "
                        f"{rel!r} (CONTRIBUTING.md, 'Add a document'), or remove the file if "
                        f"{path.stem} is not meant to be published",
                    )
                )
        return None


class SourcesCheck(Check):
    name = "sources"
    description = "every raw source matches its recorded SHA-256 and is UTF-8 without BOM, with LF line endings"
    errors: ClassVar[dict[str, str]] = {"source": "a raw source that is changed, missing or badly encoded"}
    needs_sources = True
    needs_package = False

    def start(self, ctx: Context) -> str | None:
        from scripts.source_integrity import released_source_errors
        from scripts.sources import SourceError, read_source

        metas = ctx.shared.get("metas", [])
        for meta in metas:
            try:
                read_source(meta, ctx.root)
            except SourceError as exc:
                ctx.add(from_error(self.name, "source", exc, ctx.root))
        for error in released_source_errors(ctx.root, metas):
            ctx.add(from_error(self.name, "released-source", error, ctx.root))
        return None


class RebuildCheck(Check):
    name = "rebuild"
    description = "a rebuild from the sources (segmentation, errata, tags) succeeds and equals the committed files"
    errors: ClassVar[dict[str, str]] = {
        "build": "the build fails",
        "stale": "a committed file differs from the rebuild",
        "missing": "a file the build writes is missing",
    }
    needs_sources = True
    needs_package = False

    def skip_reason(self, ctx: Context) -> str | None:
        if any(p.check in ("metadata", "sources") for p in ctx.report.problems):
            return "fix the metadata and source errors first"
        return None

    def start(self, ctx: Context) -> str | None:
        from scripts.build import BuildError, build
        from scripts.errata import ErrataError
        from scripts.package import current_version
        from scripts.tagging import TaggingError

        try:
            result = build(ctx.root, ctx.root / SOURCES, version=current_version(ctx.root))
        except BuildError as exc:
            cause = exc.__cause__
            if isinstance(cause, LocatedError):
                check, type_ = {ErrataError: ("errata", "errata-file"), TaggingError: ("topics", "rules")}.get(
                    type(cause), (self.name, "build")
                )
                ctx.add(from_error(check, type_, cause, ctx.root))
            else:
                ctx.add(self.problem("build", ".", str(exc), REBUILD_FIX))
            return None
        for rel, data in sorted(result.files.items()):
            path = ctx.root / rel
            if not path.is_file():
                ctx.add(self.problem("missing", rel, "missing: the build writes this file", REBUILD_FIX))
            elif (committed := path.read_bytes()) != data and not (
                rel.endswith(".parquet") and same_parquet(committed, data)
            ):
                ctx.add(self.difference(rel, committed, data))
        return None

    def difference(self, rel: str, committed: bytes, rebuilt: bytes) -> Problem:
        if rel.endswith(".parquet"):
            return self.problem("stale", rel, "differs from a rebuild of the sources (its schema or rows)", REBUILD_FIX)
        if rel.endswith(".csv"):
            return self.csv_difference(rel, committed, rebuilt)
        a_lines, b_lines = committed.decode("utf-8", "replace").split("\n"), rebuilt.decode("utf-8").split("\n")
        n = next(
            (i for i, (a, b) in enumerate(zip(a_lines, b_lines, strict=False)) if a != b),
            min(len(a_lines), len(b_lines)),
        )
        shown = (
            f": {_short(a_lines[n].strip())} here, {_short(b_lines[n].strip())} in the rebuild"
            if n < min(len(a_lines), len(b_lines))
            else ""
        )
        return self.problem("stale", rel, "differs from a rebuild of the sources" + shown, REBUILD_FIX, None, n + 1)

    def csv_difference(self, rel: str, committed: bytes, rebuilt: bytes) -> Problem:
        old = list(csv.reader(committed.decode("utf-8", "replace").splitlines(keepends=True)))
        new = list(csv.reader(rebuilt.decode("utf-8").splitlines(keepends=True)))
        lines = record_lines(committed.decode("utf-8", "replace"))
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            if a == b:
                continue
            header, line = new[0], lines[i] if i < len(lines) else None
            fields = [header[k] for k in range(min(len(a), len(b), len(header))) if a[k] != b[k]]
            fld = fields[0] if fields else None
            if fld is None:
                what = "the row differs"
            elif fld == header[0]:
                return self.problem(
                    "stale",
                    rel,
                    f"differs from a rebuild of the sources: row {i + 1} is {a[0]} here "
                    f"and {b[0]} in the rebuild (a row added, removed or changed by hand)",
                    REBUILD_FIX,
                    i + 1,
                    line,
                    fld,
                )
            else:
                k = header.index(fld)
                what = f"`{fld}` is {_short(a[k])} here and {_short(b[k])} in the rebuild"
            ident = f" ({b[0]})" if i and b else ""
            return self.problem(
                "stale",
                rel,
                f"differs from a rebuild of the sources: row {i + 1}{ident}: {what}",
                REBUILD_FIX,
                i + 1,
                line,
                fld,
            )
        which = "more" if len(old) > len(new) else "fewer"
        return self.problem(
            "stale",
            rel,
            f"differs from a rebuild of the sources: {which} rows ({len(old) - 1} here, {len(new) - 1} in the rebuild)",
            REBUILD_FIX,
            min(len(old), len(new)) + 1,
        )


def same_parquet(a: bytes, b: bytes) -> bool:
    """Two Parquet files hold the same typed table (schema, field metadata and rows), whatever wrote them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        ta, tb = pq.read_table(pa.BufferReader(a)), pq.read_table(pa.BufferReader(b))
    except (pa.ArrowException, OSError):
        return False
    return bool(ta.schema.equals(tb.schema, check_metadata=True) and ta.equals(tb))


def _short(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")
