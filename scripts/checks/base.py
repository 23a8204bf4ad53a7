"""A check is a small unit, in the habit of frictionless-py's checks.

It declares its name, what it guarantees and the types of error it reports, and implements hooks:

* ``start(ctx)`` once before any row (a check of whole files does all its work here);
* ``row(ctx, row)`` for each row of the table it names in ``table`` (streamed, one pass per file, rows
  the Table Schema check found too broken are not passed on);
* ``end(ctx)`` once after the rows.

Hooks return an optional note for the report. The runner (:mod:`scripts.checks.runner`) streams every
table of :mod:`schemas.registry` once and calls the hooks of the checks that read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from scripts import vocab
from scripts.checks.package import Package, records
from scripts.checks.problems import Problem, Report

__all__ = ["Check", "Clause", "Context", "ParsedClause", "Row", "records"]

SOURCES = Path("datapackage/sources")


@dataclass(slots=True)
class Row:
    """One CSV record: its row number (header = 1), first physical line and cells, with the fields' positions."""

    table: str
    row: int
    line: int
    cells: list[str]
    index: dict[str, int]

    def __getitem__(self, name: str) -> str:
        return self.cells[self.index[name]]


@dataclass(slots=True)
class Clause:
    """What the later checks need of a clause, kept for every clause."""

    row: int
    kind: str
    numbering: str


@dataclass
class ParsedClause:
    """The clause of the current row, parsed by the ids check for the checks that follow it."""

    id: str
    document_id: str
    kind: str
    path: list[str]
    labels: list[str]
    parent_id: str
    #: A clause of a law or regulation: its ID follows the legal citation (scripts.legal), not the label path.
    legal: bool = False


@dataclass
class Context:
    """What the checks share: the package, the report, and what earlier checks learnt."""

    root: Path
    pkg: Package
    report: Report
    frictionless_mode: str = "auto"
    documents: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id -> city, level, source_file
    topic_slugs: set[str] = field(default_factory=lambda: set(vocab.topic_slugs()))
    clauses: dict[str, Clause] = field(default_factory=dict)
    keys: dict[str, Any] = field(default_factory=dict)  # table -> its keys, for foreign keys
    current: ParsedClause | None = None
    shared: dict[str, Any] = field(default_factory=dict)  # state one check leaves for another

    @property
    def has_sources(self) -> bool:
        return (self.root / SOURCES).is_dir() and any((self.root / SOURCES).glob("*.json"))

    def add(self, problem: Problem) -> None:
        self.report.add(problem)


class Check:
    """Base of every check: declare ``name``, ``description``, ``errors`` (type → meaning), and the ``tables``
    whose rows it reads; ``owns`` the (table, field, constraint) it reports better than the schema check."""

    name: ClassVar[str]
    description: ClassVar[str]
    errors: ClassVar[dict[str, str]]
    tables: ClassVar[tuple[str, ...]] = ()
    owns: ClassVar[frozenset[tuple[str, str, str]]] = frozenset()
    #: Needs the sources beside the package (datapackage/sources/) …
    needs_sources: ClassVar[bool] = False
    #: … or a readable datapackage.json.
    needs_package: ClassVar[bool] = True
    #: Its ``end`` runs after every other check's (to leave out what they reported already).
    reports_last: ClassVar[bool] = False

    def skip_reason(self, ctx: Context) -> str | None:
        """Why the check cannot run on this package now, if it cannot."""
        return None

    def start(self, ctx: Context) -> str | None:
        return None

    def row(self, ctx: Context, row: Row) -> None:
        return None

    def end(self, ctx: Context) -> str | None:
        return None

    def problem(
        self,
        type_: str,
        file: str,
        message: str,
        fix: str,
        row: int | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> Problem:
        assert type_ in self.errors, f"{self.name} does not declare the error type {type_!r}"
        return Problem(self.name, type_, file, message, fix, row, line, field)

    def at(self, ctx: Context, type_: str, row: Row, message: str, fix: str, field: str | None = None) -> None:
        """Report an error on a row of one of this check's tables."""
        ctx.add(self.problem(type_, ctx.pkg.rel(row.table), message, fix, row.row, row.line, field))
