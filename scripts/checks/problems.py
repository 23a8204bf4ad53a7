"""What a check reports: a :class:`Problem` (where, what is wrong, how to fix it) and the :class:`Report`.

One format for every error (the build's too, see :mod:`scripts.errors`)::

    file:line: field `f`: what is wrong [check/type, row N]
      how to fix: …
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scripts.errors import LocatedError, located

#: At most this many errors of one check in one file are listed; the rest are counted.
MAX_PER_FILE = 20

GENERATED_FIX = (
    "the files in datapackage/data are written by the build: fix what they are built from (the raw "
    "source's metadata, datapackage/errata.csv for a typo, datapackage/vocab/topic_curation.csv for a "
    "tag) and run `python -m scripts.build`; never edit them by hand"
)
BUILD_FIX = "run `python -m scripts.build`"


@dataclass(frozen=True)
class Problem:
    """One error: where it is, what is wrong and how to fix it."""

    check: str
    type: str  # one of the error types the check declares
    file: str
    message: str
    fix: str
    row: int | None = None  # CSV row as Frictionless counts it (header = 1)
    line: int | None = None  # physical line in the file
    field: str | None = None

    def location(self) -> str:
        return located(self.file, self.line, self.field)

    def text(self) -> str:
        tag = self.check + (f"/{self.type}" if self.type != self.check else "")
        if self.row is not None:
            tag += f", row {self.row}"
        return f"{self.location()}: {self.message} [{tag}]\n  how to fix: {self.fix}"

    def github(self) -> str:
        def esc(s: str, prop: bool = False) -> str:
            s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return s.replace(":", "%3A").replace(",", "%2C") if prop else s

        props = f"file={esc(self.file, True)},line={self.line or 1},title={esc('validate ' + self.check, True)}"
        return f"::error {props}::{esc(self.location() + ': ' + self.message + ' — how to fix: ' + self.fix)}"


def from_error(check: str, type_: str, exc: LocatedError, root: Path) -> Problem:
    """A typed pipeline error, reported as it is (its file relative to the package checked)."""
    file = Path(exc.file)
    if file.is_absolute() and file.resolve().is_relative_to(root.resolve()):
        file = file.resolve().relative_to(root.resolve())
    return Problem(check, type_, file.as_posix(), exc.message, exc.fix, None, exc.line, exc.field)


@dataclass
class CheckRun:
    name: str
    description: str
    status: str = "ok"  # ok | failed | skipped
    seconds: float = 0.0
    note: str = ""


@dataclass
class Report:
    package: str
    problems: list[Problem] = field(default_factory=list)
    checks: dict[str, CheckRun] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    _per_file: Counter[tuple[str, str]] = field(default_factory=Counter, repr=False)
    _hidden: Counter[tuple[str, str]] = field(default_factory=Counter, repr=False)
    #: (file, row) pairs with an error of a specific check: Frictionless's error on the same row is not repeated.
    flagged: set[tuple[str, int]] = field(default_factory=set, repr=False)
    #: Checks skipped on request: their errors are not reported.
    ignored: set[str] = field(default_factory=set, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        if problem.check in self.ignored:
            return
        if problem.row is not None and problem.check != "frictionless":
            self.flagged.add((problem.file, problem.row))
        key = (problem.check, problem.file)
        self._per_file[key] += 1
        if self._per_file[key] > MAX_PER_FILE:
            self._hidden[key] += 1
            return
        self.problems.append(problem)

    def finish(self, order: list[str]) -> None:
        for (check, file), n in sorted(self._hidden.items()):
            self.problems.append(
                Problem(
                    check,
                    "more",
                    file,
                    f"{n} more errors of this check in this file are not listed",
                    "fix the errors listed above and run the validation again",
                )
            )
        self._hidden.clear()
        failed = {p.check for p in self.problems}
        for name, run in self.checks.items():
            if name in failed:
                run.status = "failed"
        self.checks = dict(sorted(self.checks.items(), key=lambda kv: order.index(kv[0])))
        self.problems.sort(key=lambda p: order.index(p.check))

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "package": self.package,
            "errors": [dict(asdict(p).items()) | {"text": p.text()} for p in self.problems],
            "checks": [
                {
                    "name": r.name,
                    "description": r.description,
                    "status": r.status,
                    "seconds": round(r.seconds, 3),
                    "note": r.note,
                }
                for r in self.checks.values()
            ],
            "counts": self.counts,
            "seconds": round(self.seconds, 3),
        }

    def summary(self) -> str:
        skipped = [r for r in self.checks.values() if r.status == "skipped"]
        lines = [f"  note: {r.name} skipped: {r.note}" for r in skipped]
        lines += [f"  note: {r.name}: {r.note}" for r in self.checks.values() if r.status != "skipped" and r.note]
        counts = ", ".join(f"{n} {k[:-1] if n == 1 else k}" for k, n in self.counts.items())
        ran = len(self.checks) - len(skipped)
        if self.ok:
            lines.append(f"validate: ok: {ran} checks passed on {self.package} ({counts}) in {self.seconds:.2f} s")
        else:
            by_check = Counter(p.check for p in self.problems)
            lines.append(
                f"validate: {len(self.problems)} error(s) ("
                + ", ".join(f"{c} {n}" for c, n in by_check.items())
                + f") in {self.package} ({counts}), {self.seconds:.2f} s"
            )
        return "\n".join(lines)
