"""The releases check: past releases are unmodified, and every clause ID of every release still exists with the
same numbering or is retired in datapackage/retired.csv."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, ClassVar

from scripts.checks.base import Check, Context
from scripts.checks.package import records
from scripts.ids import CLAUSE_ID_RE
from scripts.package import released_versions
from scripts.release_integrity import manifest_problems
from scripts.sources import file_sha256

RETIRED_FILE = "datapackage/retired.csv"
RETIRED_FIELDS = ("clause_id", "reason", "replaced_by")
RELEASE_INFO = "release.json"
STABILITY_FIX = (
    "a released clause ID must keep naming the same clause: restore what derived it (the document's "
    "`id`, `body` lines and numbering); if the clause is really gone, add it to datapackage/retired.csv "
    "(clause_id, reason, replaced_by) and cut a major release"
)
NOTHING_TO_RETIRE = "remove the line: only the ID of a released clause is retired"


class ReleasesCheck(Check):
    name = "releases"
    description = (
        "past releases are unmodified, and every clause ID of every release still exists with the same "
        "numbering or is retired in datapackage/retired.csv"
    )
    errors: ClassVar[dict[str, str]] = {
        "retired-file": "datapackage/retired.csv is malformed",
        "not-released": "a retired ID in no release",
        "reused": "a retired ID used again",
        "file": 'a release"s file changed, missing or added',
        "gone": "a released clause or document no longer exists",
        "renumbered": "a released ID renumbered",
        "manifest": "a release.json differs from releases/SHA256SUMS, or a table's copies differ",
    }

    def start(self, ctx: Context) -> str | None:
        versions = released_versions(ctx.root)
        retired = self.retired(ctx)
        released: set[str] = set()
        for version in versions:
            self.files(ctx, version)
            self.ids(ctx, version, retired, released)
        for problem in manifest_problems(ctx.root / "releases"):  # releases/SHA256SUMS and the copies of each table
            ctx.add(self.problem("manifest", problem.file, problem.message, problem.fix))
        for cid, (row, line) in retired.items():
            if cid in ctx.clauses:
                ctx.add(
                    self.problem(
                        "reused",
                        RETIRED_FILE,
                        f"{cid} is retired but the package has a clause with "
                        f"this ID again (clauses.csv row {ctx.clauses[cid].row})",
                        "a retired ID is never "
                        "reused: give the document a new document ID (e.g. with a -v2 suffix) if its "
                        "structure changed, or remove the line if the clause is back unchanged",
                        row,
                        line,
                        "clause_id",
                    )
                )
            elif cid not in released:
                ctx.add(
                    self.problem(
                        "not-released",
                        RETIRED_FILE,
                        f"{cid} is in no release; nothing to retire",
                        NOTHING_TO_RETIRE,
                        row,
                        line,
                        "clause_id",
                    )
                )
        return f"{len(versions)} release(s): {', '.join(versions)}" if versions else "no release yet"

    def retired(self, ctx: Context) -> dict[str, tuple[int, int]]:
        path = ctx.root / RETIRED_FILE
        out: dict[str, tuple[int, int]] = {}
        if not path.is_file():
            return out
        for row, line, cells in records(path):
            if row == 1:
                if tuple(cells) != RETIRED_FIELDS:
                    ctx.add(
                        self.problem(
                            "retired-file",
                            RETIRED_FILE,
                            f"the header is {','.join(cells)!r}",
                            f"the first line must be exactly: {','.join(RETIRED_FIELDS)}",
                            1,
                            1,
                        )
                    )
                    return out
                continue
            cid = cells[0] if cells else ""
            if not CLAUSE_ID_RE.match(cid):
                ctx.add(
                    self.problem(
                        "retired-file",
                        RETIRED_FILE,
                        f"{cid!r} is not a clause ID",
                        "copy the ID from the release's clauses.csv",
                        row,
                        line,
                        "clause_id",
                    )
                )
            elif len(cells) < 2 or not cells[1].strip():
                ctx.add(
                    self.problem(
                        "retired-file",
                        RETIRED_FILE,
                        f"no reason is given for retiring {cid}",
                        "say why the clause is gone (e.g. 'the body now ends before the signature block')",
                        row,
                        line,
                        "reason",
                    )
                )
            out[cid] = (row, line)
        return out

    def files(self, ctx: Context, version: str) -> None:
        """Every file of the release is as release.json records it, and there is no other."""
        base, rel_base = ctx.root / "releases" / version, f"releases/{version}"
        restore = f"a release never changes: restore it with `git checkout -- {rel_base}`"
        try:
            info = json.loads((base / RELEASE_INFO).read_text(encoding="utf-8"))
            files = {f["path"]: f for f in info["files"]}
        except FileNotFoundError:
            ctx.add(self.problem("file", f"{rel_base}/{RELEASE_INFO}", "missing", restore))
            return
        except (ValueError, KeyError, TypeError) as exc:
            ctx.add(self.problem("file", f"{rel_base}/{RELEASE_INFO}", f"unreadable: {exc}", restore))
            return
        archive = info.get("archive")  # the zip of the whole release (scripts.archive), when one was written
        if isinstance(archive, dict) and isinstance(archive.get("path"), str):
            files = {**files, archive["path"]: archive}
        for rel, entry in files.items():
            path = base / rel
            if not path.is_file():
                ctx.add(self.problem("file", f"{rel_base}/{rel}", "missing from the release", restore))
            elif (digest := file_sha256(path)) != entry.get("sha256"):
                ctx.add(
                    self.problem(
                        "file",
                        f"{rel_base}/{rel}",
                        f"SHA-256 is {digest} but {RELEASE_INFO} records "
                        f"{entry.get('sha256')}: the file was changed after the release was cut",
                        restore,
                    )
                )
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(base).as_posix()
            if path.is_file() and rel != RELEASE_INFO and rel not in files:
                ctx.add(
                    self.problem(
                        "file",
                        f"{rel_base}/{rel}",
                        "not part of the release (not in release.json)",
                        "remove it: a release never changes; changes go into the next release "
                        "(`python -m scripts.release X.Y.Z`)",
                    )
                )
        try:
            descriptor = json.loads((base / "datapackage.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if descriptor.get("version") != version:
            ctx.add(
                self.problem(
                    "file",
                    f"{rel_base}/datapackage.json",
                    f"version is {descriptor.get('version')!r} in release {version}",
                    restore,
                    field="version",
                )
            )

    def ids(self, ctx: Context, version: str, retired: dict[str, Any], released: set[str]) -> None:
        """Every clause ID of the release exists with the same numbering, or is retired."""
        path = ctx.root / "releases" / version / "datapackage" / "data" / "clauses.csv"
        if not path.is_file():
            return
        missing: dict[str, list[tuple[int, int, str, str]]] = {}
        per_doc: Counter[str] = Counter()
        index: dict[str, int] = {}
        for row, line, cells in records(path):
            if row == 1:
                index = {name: cells.index(name) for name in ("id", "numbering", "document_id")}
                continue
            cid, numbering, doc = cells[index["id"]], cells[index["numbering"]], cells[index["document_id"]]
            released.add(cid)
            per_doc[doc] += 1
            now = ctx.clauses.get(cid)
            if now is None:
                if cid not in retired:
                    missing.setdefault(doc, []).append((row, line, cid, numbering))
            elif now.numbering != numbering:
                ctx.add(
                    self.problem(
                        "renumbered",
                        ctx.pkg.rel("clauses"),
                        f"{cid} is numbered {now.numbering} but was {numbering} in release {version}",
                        STABILITY_FIX,
                        now.row,
                        None,
                        "numbering",
                    )
                )
        self.gone(ctx, version, missing, per_doc)

    def gone(
        self, ctx: Context, version: str, missing: dict[str, list[tuple[int, int, str, str]]], per_doc: Counter[str]
    ) -> None:
        rel = f"releases/{version}/datapackage/data/clauses.csv"
        for doc, rows in missing.items():
            if len(rows) == per_doc[doc] and doc not in ctx.documents:
                row, line, cid, _ = rows[0]
                ctx.add(
                    self.problem(
                        "gone",
                        rel,
                        f"document {doc} of release {version} is gone: none of its "
                        f"{len(rows)} clause IDs ({cid} …) exists any more",
                        "a document ID is part of "
                        "every clause ID and never changes: restore its metadata record "
                        f"datapackage/sources/{doc}.json (file name and `id`); a new edition of a "
                        "document is added as a new document beside the old one",
                        row,
                        line,
                        "id",
                    )
                )
                continue
            for row, line, cid, numbering in rows:
                ctx.add(
                    self.problem(
                        "gone",
                        rel,
                        f"clause {cid} ({numbering}) of release {version} no longer exists",
                        STABILITY_FIX,
                        row,
                        line,
                        "id",
                    )
                )
