"""Run every check on a package: whole-file checks once, row checks over one streamed pass per table."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from schemas import registry
from scripts import vocab
from scripts.checks.base import Check, Context, Row
from scripts.checks.debris import DebrisCheck
from scripts.checks.descriptor import DescriptorCheck
from scripts.checks.duplicates import DuplicatesCheck
from scripts.checks.errata import ErrataCheck
from scripts.checks.frictionless import FrictionlessCheck
from scripts.checks.ids import IdsCheck
from scripts.checks.nesting import NestingCheck
from scripts.checks.numbering import NumberingCheck
from scripts.checks.package import Package, records
from scripts.checks.problems import GENERATED_FIX, CheckRun, Report
from scripts.checks.readme import ReadmeCheck
from scripts.checks.releases import ReleasesCheck
from scripts.checks.schema import SchemaCheck, TableRules
from scripts.checks.sources import MetadataCheck, RebuildCheck, SourcesCheck
from scripts.checks.topics import TopicsCheck

#: Every check, in the order it runs and reports.
CHECKS: tuple[type[Check], ...] = (
    DescriptorCheck,
    MetadataCheck,
    SourcesCheck,
    RebuildCheck,
    FrictionlessCheck,
    SchemaCheck,
    IdsCheck,
    NestingCheck,
    NumberingCheck,
    DebrisCheck,
    DuplicatesCheck,
    TopicsCheck,
    ErrataCheck,
    ReleasesCheck,
    ReadmeCheck,
)
NAMES = [c.name for c in CHECKS]


def streams(check: Check) -> bool:
    return bool(check.tables) or isinstance(check, SchemaCheck)


class Runner:
    def __init__(self, ctx: Context, skip: set[str]) -> None:
        self.ctx, self.skip = ctx, skip
        self.checks = [cls() for cls in CHECKS]

    def runnable(self, check: Check) -> bool:
        """Whether the check runs; a skipped one is marked with why."""
        reason = (
            "skipped on request (--skip)"
            if check.name in self.skip
            else f"no {Path('datapackage/sources').as_posix()}/ beside the package"
            if check.needs_sources and not self.ctx.has_sources
            else "datapackage.json cannot be read"
            if check.needs_package and not self.ctx.pkg.loaded
            else check.skip_reason(self.ctx)
        )
        if reason:
            self.ctx.report.checks[check.name] = CheckRun(check.name, check.description, "skipped", 0.0, reason)
        return reason is None

    def timed(self, check: Check, hook: str) -> None:
        started = time.perf_counter()
        note = getattr(check, hook)(self.ctx) or ""
        run = self.ctx.report.checks.setdefault(check.name, CheckRun(check.name, check.description))
        run.seconds += time.perf_counter() - started
        run.note = run.note or note

    def run(self) -> None:
        streamed = False
        for check in self.checks:
            if not streams(check):
                if self.runnable(check):
                    self.timed(check, "start")
                    if not check.reports_last:
                        self.timed(check, "end")
            elif not streamed:
                streamed = True
                # a row check skipped on request still reads its rows (others rely on them); its errors are dropped
                wanted = [c for c in self.checks if streams(c) and (self.runnable(c) or c.name in self.skip)]
                self.stream(wanted if self.ctx.pkg.loaded else [])
        for check in self.checks:
            if (
                check.reports_last
                and check.name in self.ctx.report.checks
                and self.ctx.report.checks[check.name].status != "skipped"
            ):
                self.timed(check, "end")

    def stream(self, checks: list[Check]) -> None:
        """One pass over each table of the registry; every row through its Table Schema, then the checks."""
        if not checks:
            return
        for check in checks:
            self.timed(check, "start")
        started = time.perf_counter()
        owned: dict[str, set[tuple[str, str]]] = {}
        for check in self.checks:
            for name, fld, constraint in check.owns:
                owned.setdefault(name, set()).add((fld, constraint))
        for table in registry.TABLES:
            readers = [c for c in checks if table.name in c.tables]
            self.table(table, readers, owned.get(table.name, set()))
        seconds = time.perf_counter() - started
        for check in checks:
            self.timed(check, "end")
        self.ctx.report.checks["schema"].seconds += seconds

    def table(self, table: registry.Table, readers: list[Check], owned: set[tuple[str, str]]) -> None:
        ctx = self.ctx
        key = table.primary_key[0] if len(table.primary_key) == 1 else None
        keys: set[str] = set()
        if key is not None:
            ctx.keys[table.name] = ctx.clauses if table.name == "clauses" else keys
        path = ctx.pkg.path(table.name)
        if path is None:
            return
        rules = TableRules(ctx, table.name, owned)
        index = {name: i for i, name in enumerate(rules.fields)}
        file = ctx.pkg.rel(table.name)
        try:
            for number, line, cells in records(path):
                row = Row(table.name, number, line, cells, index)
                if number == 1:
                    if not rules.header(row):
                        return
                    continue
                if not rules.row(row):
                    continue
                if key is not None:
                    keys.add(cells[index[key]])
                for check in readers:
                    check.row(ctx, row)
        except UnicodeDecodeError as exc:
            ctx.add(
                SchemaCheck().problem(
                    "encoding", file, f"not valid UTF-8 ({exc.reason} at byte {exc.start})", GENERATED_FIX
                )
            )
        except csv.Error as exc:
            ctx.add(SchemaCheck().problem("encoding", file, f"not a readable CSV file: {exc}", GENERATED_FIX))


def validate(
    package: Path = vocab.ROOT, skip: set[str] | frozenset[str] = frozenset(), frictionless: str = "auto"
) -> Report:
    """Run every check on the package at ``package`` (a directory or its datapackage.json); write nothing."""
    started = time.perf_counter()
    package = package.resolve()
    root = package.parent if package.name == "datapackage.json" else package
    report = Report(root.as_posix() if root != vocab.ROOT else ".")
    report.ignored = set(skip)
    ctx = Context(root, Package(root), report, frictionless)
    Runner(ctx, set(skip)).run()
    report.counts = {"documents": len(ctx.documents), "clauses": len(ctx.clauses), "tags": ctx.shared.get("tags", 0)}
    report.finish(NAMES)
    report.seconds = time.perf_counter() - started
    return report
