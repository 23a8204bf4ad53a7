"""Errata: typos of the official sources, corrected at build without editing the raw sources.

``datapackage/errata.csv`` has one line per correction::

    clause_id,original,corrected,reason
    qingdao-2021.2.4,提值增效,提质增效,"typo in the signed PDF; the issuer's web edition reads 提质增效"

The build applies each line to the clause's ``text`` (and ``heading``, where
the typo is in the heading) after the clause rows are derived and before they
are tagged, and publishes the applied lines as ``datapackage/data/errata.csv``
so every correction stays visible next to the data.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from scripts.errors import LocatedError
from scripts.ids import split_clause_id

ERRATA_FILE = "datapackage/errata.csv"
FIELDS = ("clause_id", "original", "corrected", "reason")
#: Clause fields an erratum may correct.
TEXT_FIELDS = ("heading", "text")


class ErrataError(LocatedError):
    """An erratum that cannot be applied; names the file, line and field, and how to fix it."""

    def __init__(self, line: int, field: str, message: str, hint: str, file: str = ERRATA_FILE) -> None:
        super().__init__(file, message, hint, line or None, field)


def checked_reader(f: TextIO, fields: tuple[str, ...], file: str) -> csv.DictReader[str]:
    """A CSV reader over ``f`` whose header must be exactly ``fields`` (else an error on line 1 of ``file``)."""
    reader = csv.DictReader(f)
    if tuple(reader.fieldnames or ()) != fields:
        raise ErrataError(
            1,
            "header",
            f"the header is {','.join(reader.fieldnames or [])!r}",
            f"the first line must be exactly: {','.join(fields)}",
            file=file,
        )
    return reader


@dataclass(frozen=True)
class Erratum:
    clause_id: str
    original: str
    corrected: str
    reason: str
    line: int

    def row(self) -> dict[str, Any]:
        return {
            "clause_id": self.clause_id,
            "original": self.original,
            "corrected": self.corrected,
            "reason": self.reason,
            "kind": "erratum",
            "source_line": None,
        }


def load_errata(path: Path) -> list[Erratum]:
    """Read and check the errata file; a missing file means no errata."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        reader = checked_reader(f, FIELDS, ERRATA_FILE)
        errata: list[Erratum] = []
        seen: dict[tuple[str, str], int] = {}
        for row in reader:
            line = reader.line_num
            if None in row or any(row[k] is None for k in FIELDS):
                raise ErrataError(
                    line,
                    "clause_id",
                    f"the line does not have the {len(FIELDS)} fields {', '.join(FIELDS)}",
                    "quote a field that holds a comma with double quotes",
                )
            erratum = Erratum(row["clause_id"].strip(), row["original"], row["corrected"], row["reason"].strip(), line)
            check_erratum(erratum)
            key = (erratum.clause_id, erratum.original)
            if key in seen:
                raise ErrataError(
                    line,
                    "original",
                    f"the same correction of {erratum.clause_id} is already on line {seen[key]}",
                    "keep one line per correction",
                )
            seen[key] = line
            errata.append(erratum)
    return errata


def check_erratum(e: Erratum) -> None:
    try:
        split_clause_id(e.clause_id)
    except ValueError:
        raise ErrataError(
            e.line,
            "clause_id",
            f"{e.clause_id!r} is not a clause ID",
            "copy the `id` of the clause from datapackage/data/clauses.csv, e.g. qingdao-2021.2.4",
        ) from None
    if not e.original:
        raise ErrataError(e.line, "original", "empty", "copy the wrong characters exactly as the clause has them")
    if not e.corrected:
        raise ErrataError(
            e.line,
            "corrected",
            "empty",
            "write the corrected characters; to delete characters, include the characters around them "
            "in both `original` and `corrected`",
        )
    if e.corrected == e.original:
        raise ErrataError(e.line, "corrected", "the same as `original`", "write the corrected characters")
    if not e.reason:
        raise ErrataError(
            e.line,
            "reason",
            "empty",
            "say why the official source is wrong and give the evidence (e.g. the issuer's printed or web edition)",
        )


def apply_errata(clauses: list[dict[str, Any]], errata: list[Erratum]) -> list[dict[str, Any]]:
    """Correct the clause rows in place; return the published errata rows (in file order)."""
    by_id = {c["id"]: c for c in clauses} if errata else {}
    for e in errata:
        clause = by_id.get(e.clause_id)
        if clause is None:
            raise ErrataError(
                e.line,
                "clause_id",
                f"there is no clause {e.clause_id}",
                "copy the `id` of the clause from datapackage/data/clauses.csv",
            )
        found = False
        for field in TEXT_FIELDS:
            value = clause[field]
            count = value.count(e.original)
            if count > 1:
                raise ErrataError(
                    e.line,
                    "original",
                    f"{e.original!r} occurs {count} times in the {field} of {e.clause_id}",
                    "include a few characters around the typo so that `original` occurs once",
                )
            if count:
                clause[field] = value.replace(e.original, e.corrected, 1)
                found = True
        if not found:
            raise ErrataError(
                e.line,
                "original",
                f"{e.original!r} is not in the heading or text of {e.clause_id}",
                "copy the characters exactly as the clause has them in datapackage/data/clauses.csv "
                "(without this erratum; an earlier line may already have corrected them)",
            )
    return [e.row() for e in errata]
