"""Source repairs: defects of a transcription, repaired at build without editing the raw source.

An erratum (scripts.errata) corrects the official text of a clause. A repair corrects the *copy*:
a heading number, an item marker or a line break the transcription lost, so that the structure
can be read at all. It is addressed by source line, because the clause does not exist until the
repair is applied. ``datapackage/sources/repairs.csv`` has one line per repair::

    document_id,line,original,corrected,reason
    shenzhen-data-2021,315,市场培育,### 第二节 市场培育,"the copy lost the section number: …"

The build replaces ``original`` (which must occur exactly once on that line of the raw source)
with ``corrected`` before the lines are cleaned and segmented, and publishes every applied repair
in ``datapackage/data/errata.csv`` with kind ``source-repair``, the line, and the clause the
repaired line belongs to, so it is listed in the provenance and shown by ``GET /clauses/{id}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.errata import ErrataError, checked_reader

REPAIRS_FILE = "datapackage/sources/repairs.csv"
#: Its name inside the sources directory.
REPAIRS_NAME = "repairs.csv"
FIELDS = ("document_id", "line", "original", "corrected", "reason")
#: The published errata rows' ``kind``.
KIND_ERRATUM, KIND_REPAIR = "erratum", "source-repair"


@dataclass(frozen=True)
class Repair:
    document_id: str
    line: int
    original: str
    corrected: str
    reason: str
    file_line: int  # the line of repairs.csv

    def fail(self, field: str, message: str, hint: str) -> ErrataError:
        return ErrataError(self.file_line, field, message, hint, file=REPAIRS_FILE)


def load_repairs(path: Path) -> list[Repair]:
    """Read and check the repairs file; a missing file means no repairs."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        reader = checked_reader(f, FIELDS, REPAIRS_FILE)
        repairs = [_repair(row, reader.line_num) for row in reader]
    seen: dict[tuple[str, int], int] = {}
    for r in repairs:
        if (r.document_id, r.line) in seen:
            raise r.fail(
                "line",
                f"line {r.line} of {r.document_id} is already repaired on line {seen[(r.document_id, r.line)]}",
                "keep one repair per source line",
            )
        seen[(r.document_id, r.line)] = r.file_line
    return repairs


def _repair(row: dict[str, Any], file_line: int) -> Repair:
    if None in row or any(row.get(k) is None for k in FIELDS):
        raise ErrataError(
            file_line,
            "document_id",
            f"the line does not have the {len(FIELDS)} fields {', '.join(FIELDS)}",
            "quote a field that holds a comma with double quotes",
            file=REPAIRS_FILE,
        )
    if not row["line"].strip().isdigit() or int(row["line"]) < 1:
        raise ErrataError(
            file_line,
            "line",
            f"{row['line']!r} is not a line number",
            "write the 1-based line number of the raw source file",
            file=REPAIRS_FILE,
        )
    r = Repair(
        row["document_id"].strip(),
        int(row["line"]),
        row["original"],
        row["corrected"],
        row["reason"].strip(),
        file_line,
    )
    if not r.original or not r.corrected or r.original == r.corrected:
        raise r.fail(
            "corrected",
            "`original` and `corrected` must both be given and differ",
            "copy the defective characters exactly into `original` and write the repaired ones",
        )
    if not r.reason:
        raise r.fail("reason", "empty", "say what the transcription lost and the evidence (the official text)")
    return r


def apply_repairs(document_id: str, lines: list[str], repairs: list[Repair]) -> list[str]:
    """The source lines with this document's repairs applied (a new list; the input is unchanged)."""
    fixed = list(lines)
    for r in repairs:
        if r.document_id != document_id:
            continue
        if r.line > len(lines):
            raise r.fail("line", f"{document_id}'s source has {len(lines)} lines", "check the line number")
        count = lines[r.line - 1].count(r.original)
        if count != 1:
            raise r.fail(
                "original",
                f"{r.original!r} occurs {count} times on line {r.line} of {document_id}'s source",
                "copy the characters exactly, with enough context to occur once",
            )
        fixed[r.line - 1] = lines[r.line - 1].replace(r.original, r.corrected)
    return fixed


def check_documents(repairs: list[Repair], document_ids: set[str]) -> None:
    for r in repairs:
        if r.document_id not in document_ids:
            raise r.fail(
                "document_id",
                f"there is no document {r.document_id!r}",
                "use the `id` of a record in datapackage/sources/",
            )


def repair_rows(repairs: list[Repair], clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Published rows: each repair with the clause its line belongs to (the innermost one whose lines hold it)."""
    rows: list[dict[str, Any]] = []
    for r in repairs:
        owner = None
        for c in clauses:
            if c["document_id"] != r.document_id:
                continue
            if c["line_start"] <= r.line <= c["line_end"] or (owner is None and c["line_start"] > r.line):
                owner = c
            if c["line_start"] > r.line:
                break
        if owner is None:
            raise r.fail("line", f"line {r.line} of {r.document_id} is in no clause", "repair a line of the body")
        rows.append(
            {
                "clause_id": owner["id"],
                "original": r.original,
                "corrected": r.corrected,
                "reason": r.reason,
                "kind": KIND_REPAIR,
                "source_line": r.line,
            }
        )
    return rows
