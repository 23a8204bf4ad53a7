"""Validate the data package: ``python -m scripts.validate [PACKAGE] [--json | --github]``.

Frictionless validation plus what Frictionless cannot check: clause IDs derived
from the structure and stable against every past release, topics in the
vocabulary, parents that exist and kinds that nest, consecutive numbering, no
extraction debris, no duplicated clause, raw sources that match their recorded
SHA-256, and a rebuild from the sources that equals the committed files.

Every error names the file, the row (CSV rows are counted as Frictionless
counts them: the header is row 1) or line, and the field, and says how to fix
it. The exit status is 1 when there is any error. Nothing is ever written.

The data files are streamed: one pass per CSV file, with memory for the clause
IDs only, so a package of a million clauses validates in well under a minute.
Above ``FRICTIONLESS_FULL_LIMIT`` bytes of CSV, Frictionless checks a sample
(the first ``FRICTIONLESS_SAMPLE_ROWS`` clauses and the rows that refer to
them) while the streamed Table Schema checks cover every row.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import operator
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from scripts import vocab
from scripts.clean import BOLD_RE, BOOKMARK_RE, MD_HEADING_RE, normalize_spaces
from scripts.ids import CLAUSE_ID_RE, SEGMENT_PREFIX
from scripts.legal import LEGAL_PATH_RE, citation_path
from scripts.repairs import REPAIRS_NAME
from scripts.repeats import RepeatTracker
from scripts.numbering import CIRCLED, CN_NUM, cn_to_int, int_to_cn
from scripts.package import RELEASE_VERSION_RE, current_version, released_versions
from scripts.release_integrity import manifest_problems
from scripts.sources import file_sha256

#: The checks, in the order they run, with what each one guarantees.
CHECKS: dict[str, str] = {
    "descriptor": "datapackage.json is readable, lists every resource and carries a version",
    "metadata": "every metadata record in datapackage/sources/ has its fields, values from the vocabularies and "
                "dates as YYYY[-MM[-DD]]; every source file has a record",
    "sources": "every raw source matches its recorded SHA-256 and is UTF-8 without BOM, with LF line endings",
    "rebuild": "a rebuild from the sources (segmentation, errata, tags) succeeds and equals the committed files",
    "frictionless": "Frictionless validation of the package against its Table Schemas (types, constraints, keys)",
    "schema": "every row against its Table Schema (types, required, enums, patterns, keys), streamed",
    "ids": "clause IDs are derived from document, parent, kind and numbering; depth, seq and the denormalised "
           "city, level and source_file agree",
    "nesting": "every parent exists, comes before its children, and kinds nest (a section in a part, a footnote "
               "under text)",
    "numbering": "numbers are consecutive within each parent; boxes and footnotes through the document",
    "debris": "no extraction debris in heading or text: Word bookmarks, markdown marks, digits glued after words, "
              "stray whitespace",
    "duplicates": "no duplicated copy of the source: no run of repeated texts, no long paragraph repeated",
    "topics": "the tag rules and curation load; every topic is in the vocabulary and clauses.topics agrees with "
              "clause_topics",
    "errata": "datapackage/errata.csv applies (each original text is in its clause, once) and every published "
              "erratum's corrected text is in its clause",
    "releases": "past releases are unmodified, and every clause ID of every release still exists with the same "
                "numbering or is retired in datapackage/retired.csv",
    "readme": "the README's data dictionary is generated from the current schemas",
}

RESOURCES = ("documents", "clauses", "topics", "clause_topics", "errata", "clause_similar", "citations", "measures")
#: Resources a package must have (errata came with the release tooling; older packages may lack it).
REQUIRED_RESOURCES = ("documents", "clauses", "topics", "clause_topics")
SOURCES = Path("datapackage/sources")
RETIRED_FILE = "datapackage/retired.csv"
RETIRED_FIELDS = ("clause_id", "reason", "replaced_by")
RELEASE_INFO = "release.json"

#: At most this many errors of one check in one file are listed; the rest are counted.
MAX_PER_FILE = 20
FRICTIONLESS_FULL_LIMIT = 32 * 1024 * 1024
FRICTIONLESS_SAMPLE_ROWS = 20_000
#: Texts shorter than this may legitimately repeat (例如 "（一）商业银行；" under two articles).
DUPLICATE_MIN_CHARS = 20

REBUILD_FIX = ("run `python -m scripts.build` and commit the result; the files in datapackage/data are never edited "
               "by hand: correct a typo through datapackage/errata.csv and a tag through "
               "datapackage/vocab/topic_curation.csv")
GENERATED_FIX = ("the files in datapackage/data are written by the build: fix what they are built from (the raw "
                 "source's metadata, datapackage/errata.csv for a typo, datapackage/vocab/topic_curation.csv for a "
                 "tag) and run `python -m scripts.build`; never edit them by hand")


# -- problems -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One error: where it is, what is wrong and how to fix it."""

    check: str
    file: str
    message: str
    fix: str
    row: int | None = None  # CSV row as Frictionless counts it (header = 1)
    line: int | None = None  # physical line in the file
    field: str | None = None

    def location(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        if self.row is not None:
            where += f" row {self.row}"
        if self.field:
            where += f" field `{self.field}`"
        return where

    def text(self) -> str:
        return f"error[{self.check}] {self.location()}: {self.message}\n  how to fix: {self.fix}"

    def github(self) -> str:
        def esc(s: str, prop: bool = False) -> str:
            s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return s.replace(":", "%3A").replace(",", "%2C") if prop else s

        props = f"file={esc(self.file, True)},line={self.line or 1},title={esc('validate ' + self.check, True)}"
        return f"::error {props}::{esc(self.location() + ': ' + self.message + ' — how to fix: ' + self.fix)}"


@dataclass
class CheckRun:
    name: str
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
    _per_file: Counter = field(default_factory=Counter, repr=False)
    _hidden: Counter = field(default_factory=Counter, repr=False)
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

    def skip(self, check: str, note: str) -> None:
        self.checks[check] = CheckRun(check, "skipped", 0.0, note)

    def finish(self) -> None:
        for (check, file), n in sorted(self._hidden.items()):
            self.problems.append(Problem(check, file, f"{n} more errors of this check in this file are not listed",
                                         "fix the errors listed above and run the validation again"))
        self._hidden.clear()
        failed = {p.check for p in self.problems}
        for name, run in self.checks.items():
            if name in failed:
                run.status = "failed"

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "package": self.package,
            "errors": [{k: v for k, v in asdict(p).items()} | {"text": p.text()} for p in self.problems],
            "checks": [{"name": r.name, "description": CHECKS[r.name], "status": r.status,
                        "seconds": round(r.seconds, 3), "note": r.note} for r in self.checks.values()],
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
            lines.append(f"validate: {len(self.problems)} error(s) ("
                         + ", ".join(f"{c} {n}" for c, n in by_check.items())
                         + f") in {self.package} ({counts}), {self.seconds:.2f} s")
        return "\n".join(lines)


# -- messages raised by the pipeline ------------------------------------------------------------------

LOCATED_RE = re.compile(r"^(?P<file>[^\s:]+?)(?::(?P<line>\d+))?: (?:field `(?P<field>[^`]+)`: )?(?P<rest>.*)$",
                        re.S)
MSGSPEC_RE = re.compile(r"^(?P<msg>.*?)(?: - at `\$\.(?P<at>[\w.\[\]]+)`)?(?: \(see an existing record.*\))?$", re.S)

DEFAULT_FIX = {
    "metadata": "correct the record; CONTRIBUTING.md lists every field and what it holds",
    "sources": "see CONTRIBUTING.md, 'Add a document'",
    "rebuild": "check the source text around this line against the official document; CONTRIBUTING.md, "
               "'When the build fails', explains each message",
}


def problem_from_message(check: str, text: str, root: Path) -> Problem:
    """Turn an error message of the pipeline (``file:line: field `f`: message``) into a Problem."""
    m = LOCATED_RE.match(text)
    if not m:
        return Problem(check, ".", text, DEFAULT_FIX.get(check, GENERATED_FIX))
    file = _repo_path(m["file"], root)
    line = int(m["line"]) if m["line"] else None
    fld, rest = m["field"], m["rest"]
    if "\n  how to fix: " in rest:
        message, fix = rest.split("\n  how to fix: ", 1)
    elif rest.startswith(("Object missing required field", "Object contains unknown field", "Expected `")):
        mm = MSGSPEC_RE.match(rest)
        assert mm is not None
        message = mm["msg"]
        named = re.search(r"field `([^`]+)`", message)
        fld = fld or (named.group(1) if named else mm["at"])
        message = message[0].lower() + message[1:]
        if message.startswith("object missing"):
            message = f"the record has no `{fld}`"
            fix = (f"add `{fld}` to the record (an empty string where the value is unknown, if the field allows it); "
                   "CONTRIBUTING.md lists every field")
        elif message.startswith("object contains unknown"):
            message = f"`{fld}` is not a field of a metadata record"
            fix = "remove it or correct its spelling; CONTRIBUTING.md lists every field"
        else:
            fix = "write the value as the type shown; CONTRIBUTING.md lists every field and its type"
    else:
        cuts = [i for i in (rest.find("; "), rest.find(": ")) if i > 0]
        if cuts:
            i = min(cuts)
            message, fix = rest[:i], rest[i + 2:]
            if fix.startswith("valid: "):
                fix = "use one of " + fix[len("valid: "):]
        else:
            message, fix = rest, DEFAULT_FIX.get(check, GENERATED_FIX)
    return Problem(check, file, message.strip(), fix.strip(), None, line, fld)


def _repo_path(name: str, root: Path) -> str:
    """A path as the repository names it: relative to the package root."""
    path = Path(name)
    if path.is_absolute():
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return name
    if "/" not in name:
        for folder in (SOURCES, Path("datapackage/vocab"), Path("datapackage")):
            if (root / folder / name).exists():
                return (folder / name).as_posix()
    return name


# -- the package on disk ------------------------------------------------------------------------------

class Package:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.descriptor_path = root / "datapackage.json"
        self.descriptor: dict[str, Any] = {}

    def load(self, report: Report) -> bool:
        rel = "datapackage.json"
        if not self.descriptor_path.is_file():
            report.add(Problem("descriptor", rel, "not found",
                               "run `python -m scripts.build`, or pass the directory that holds datapackage.json"))
            return False
        try:
            data = json.loads(self.descriptor_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            report.add(Problem("descriptor", rel, f"not valid JSON: {exc}", "run `python -m scripts.build`"))
            return False
        if not isinstance(data, dict):
            report.add(Problem("descriptor", rel, "not a JSON object", "run `python -m scripts.build`"))
            return False
        self.descriptor = data
        ok = True
        for name in REQUIRED_RESOURCES:
            res = self.resource(name)
            if res is None:
                report.add(Problem("descriptor", rel, f"no resource named {name!r}", "run `python -m scripts.build`",
                                   field="resources"))
                ok = False
            elif self.path(name) is None:
                report.add(Problem("descriptor", str(res.get("path")), f"the file of resource {name!r} is missing",
                                   "run `python -m scripts.build`"))
                ok = False
        version = data.get("version")
        if not isinstance(version, str) or not RELEASE_VERSION_RE.match(version):
            report.add(Problem("descriptor", rel, f"version {version!r} is not X.Y.Z",
                               "run `python -m scripts.build`, which sets the version of the latest release",
                               field="version"))
        return ok

    def resource(self, name: str) -> dict[str, Any] | None:
        for res in self.descriptor.get("resources") or []:
            if isinstance(res, dict) and res.get("name") == name:
                return res
        return None

    def path(self, name: str) -> Path | None:
        res = self.resource(name)
        if res is None or not isinstance(res.get("path"), str):
            return None
        path = self.root / res["path"]
        return path if path.is_file() else None

    def rel(self, name: str) -> str:
        res = self.resource(name) or {}
        return str(res.get("path", f"{name}.csv"))

    def schema(self, name: str) -> dict[str, Any]:
        res = self.resource(name) or {}
        schema = res.get("schema", {})
        if isinstance(schema, str):
            schema = json.loads((self.root / schema).read_text(encoding="utf-8"))
        return schema

    def schema_rel(self, name: str) -> str:
        res = self.resource(name) or {}
        return res["schema"] if isinstance(res.get("schema"), str) else "datapackage.json"


def records(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    """(row, first physical line, cells) of every record of a CSV file, header included as row 1."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        prev = 0
        for row, cells in enumerate(reader, start=1):
            yield row, prev + 1, cells
            prev = reader.line_num


# -- Table Schema checks, streamed --------------------------------------------------------------------

INT_RE = re.compile(r"^[+-]?[0-9]+$")


class TableCheck:
    """The constraints of one Table Schema, applied row by row.

    ``owned`` names (field, constraint) pairs that a more specific check reports
    with a better message, so they are not reported twice.
    """

    def __init__(self, pkg: Package, name: str, report: Report, owned: set[tuple[str, str]] = frozenset(),
                 keys: dict[str, Any] | None = None) -> None:
        self.name, self.report, self.owned = name, report, owned
        self.file = pkg.rel(name)
        self.schema_file = pkg.schema_rel(name)
        schema = pkg.schema(name)
        self.fields = [f["name"] for f in schema.get("fields", [])]
        self.required_idx: list[int] = []
        self.integers: list[tuple[int, int | None]] = []
        self.enums: list[tuple[int, set[str]]] = []
        self.patterns: list[tuple[int, re.Pattern[str]]] = []
        self.uniques: list[tuple[int, dict[str, int]]] = []
        for i, f in enumerate(schema.get("fields", [])):
            c, name = f.get("constraints", {}), f["name"]
            if c.get("required"):
                self.required_idx.append(i)
            if f.get("type") == "integer":
                self.integers.append((i, c.get("minimum")))
            if "enum" in c and (name, "enum") not in owned:
                self.enums.append((i, set(c["enum"])))
            if "pattern" in c and (name, "pattern") not in owned:
                self.patterns.append((i, re.compile(c["pattern"])))
            if c.get("unique") and (name, "unique") not in owned:
                self.uniques.append((i, {}))
        self.required = bool(self.required_idx)
        self.required_get = (operator.itemgetter(*self.required_idx) if len(self.required_idx) > 1
                             else (lambda cells: (cells[self.required_idx[0]],)))
        self.fks: list[tuple[int, str, str, Any]] = []
        for fk in schema.get("foreignKeys", []):
            fields, ref = fk.get("fields"), fk.get("reference", {})
            fields = [fields] if isinstance(fields, str) else fields
            target = ref.get("resource") or name
            if len(fields) != 1 or (fields[0], "foreignKey") in owned or keys is None or target not in keys:
                continue
            self.fks.append((self.fields.index(fields[0]), fields[0], target, keys[target]))
        pk = schema.get("primaryKey") or []
        pk = [pk] if isinstance(pk, str) else pk
        self.pk = [self.fields.index(k) for k in pk] if len(pk) > 1 and ("*", "primaryKey") not in owned else []
        self.pk_seen: dict[tuple[str, ...], int] = {}

    def header(self, cells: list[str]) -> bool:
        if cells == self.fields:
            return True
        self.report.add(Problem("schema", self.file, f"the header is {','.join(cells)!r}; {self.schema_file} expects "
                                f"{','.join(self.fields)!r}", GENERATED_FIX, 1, 1))
        return False

    def fix(self, fld: str) -> str:
        return f"{GENERATED_FIX} (the rules of `{fld}` are in {self.schema_file})"

    def row(self, row: int, line: int, cells: list[str]) -> bool:
        """Check one row; False when it is too broken for the specific checks."""
        add = self.report.add
        if len(cells) != len(self.fields):
            add(Problem("schema", self.file, f"{len(cells)} cells where the header has {len(self.fields)}",
                        GENERATED_FIX + " (a text with a comma, quote or newline must be quoted)", row, line))
            return False
        ok = True
        if self.required and "" in self.required_get(cells):
            for i in self.required_idx:
                if cells[i] == "":
                    add(Problem("schema", self.file, "empty, but the field is required", self.fix(self.fields[i]),
                                row, line, self.fields[i]))
            ok = False
        for i, minimum in self.integers:
            value = cells[i]
            if value and not (value.isdigit() and value.isascii()) and not INT_RE.match(value):
                add(Problem("schema", self.file, f"{value!r} is not an integer", self.fix(self.fields[i]), row, line,
                            self.fields[i]))
                ok = False
            elif value and minimum is not None and int(value) < minimum:
                add(Problem("schema", self.file, f"{value} is less than the minimum {minimum}",
                            self.fix(self.fields[i]), row, line, self.fields[i]))
        for i, enum in self.enums:
            value = cells[i]
            if value and value not in enum:
                shown = ", ".join(sorted(enum)) if len(enum) <= 12 else ", ".join(sorted(enum)[:12]) + ", …"
                add(Problem("schema", self.file, f"{value!r} is not one of {shown}", self.fix(self.fields[i]), row,
                            line, self.fields[i]))
                ok = False
        for i, pattern in self.patterns:
            value = cells[i]
            if value and not pattern.match(value):
                add(Problem("schema", self.file, f"{value!r} does not match the pattern of the field",
                            self.fix(self.fields[i]), row, line, self.fields[i]))
                ok = False
        for i, unique in self.uniques:
            value = cells[i]
            if value:
                first = unique.setdefault(value, row)
                if first != row:
                    add(Problem("schema", self.file, f"{value!r} is also in row {first}; the field is unique",
                                self.fix(self.fields[i]), row, line, self.fields[i]))
        for i, name, target, keys in self.fks:
            value = cells[i]
            if value and value not in keys:
                add(Problem("schema", self.file, f"{value!r} is not in {target}", self.fix(name), row, line, name))
        if self.pk:
            key = tuple(cells[i] for i in self.pk)
            first = self.pk_seen.setdefault(key, row)
            if first != row:
                add(Problem("schema", self.file, f"the key {key!r} is also in row {first}", self.fix(self.fields[0]),
                            row, line, self.fields[self.pk[0]]))
        return ok


# -- numbering labels ---------------------------------------------------------------------------------

LABEL_RE = re.compile(rf"^(第?)([（(]?)({CN_NUM}|[0-9]+|[{CIRCLED}])([）)]?)([编章节条]?)$")
UNNUMBERED_LABEL_RE = re.compile(r"^(¶|•|专栏|注)([1-9][0-9]*)$")
UNNUMBERED_KIND = {"¶": "paragraph", "•": "bullet", "专栏": "box", "注": "footnote"}
NUMBERED_KINDS = {"part", "section", "item"}
#: Which kinds a clause of each kind may sit in ("" is the top level).
NEST: dict[str, frozenset[str]] = {
    "preamble": frozenset({""}),
    "part": frozenset({"", "part"}),  # 编 > 分编 > 章 in a legal text
    "section": frozenset({"part", "section", "item"}),
    "item": frozenset({"", "part", "section", "item", "article", "paragraph"}),
    "bullet": frozenset({"", "part", "section", "item"}),
    "box": frozenset({"", "part", "section", "item"}),
    "paragraph": frozenset({"part", "section", "item", "article"}),
    "article": frozenset({"", "part", "section"}),
    "footnote": frozenset({"preamble", "item", "bullet", "box", "paragraph"}),
}


@lru_cache(maxsize=8192)
def parse_label(label: str) -> tuple[str, int] | None:
    """A numbering label's style (its shape with the number as N, D or R) and its number: 第三章 → (第N章, 3)."""
    m = LABEL_RE.match(label)
    if not m:
        return None
    first, opening, token, closing, unit = m.groups()
    if bool(opening) != bool(closing) or (first and not unit) or (unit and not first):
        return None
    if token.isascii() and token.isdigit():
        kind, number = "D", int(token)
    elif token in CIRCLED:
        kind, number = "R", CIRCLED.index(token) + 1
    else:
        kind, number = "N", cn_to_int(token)
    return f"{first}{'（' if opening else ''}{kind}{'）' if closing else ''}{unit}", number


def render_label(style: str, number: int) -> str:
    if "D" in style:
        return style.replace("D", str(number))
    if "R" in style:
        return style.replace("R", CIRCLED[number - 1] if 0 < number <= len(CIRCLED) else str(number))
    return style.replace("N", int_to_cn(number))


@lru_cache(maxsize=8192)
def expected_segment(kind: str, label: str) -> str | None:
    """The last ID segment a clause of this kind with this numbering label must have."""
    if kind == "preamble":
        return "preamble" if label in ("前言", "序言") else None
    if kind in NUMBERED_KINDS:
        parsed = parse_label(label)
        return str(parsed[1]) if parsed and parsed[1] > 0 else None
    m = UNNUMBERED_LABEL_RE.match(label)
    if not m or UNNUMBERED_KIND[m[1]] != kind:
        return None
    return f"{SEGMENT_PREFIX[kind]}{m[2]}"


# -- debris -------------------------------------------------------------------------------------------

#: A footnote reference digit left glued to a word: 创新1， (not 第1、, 专栏1：, 附件2，, 图3。).
GLUED_DIGIT_RE = re.compile(r"([\u4e00-\u9fff])[0-9]{1,2}[，。、；：）]")
NOT_A_REFERENCE = set("第栏件表图")
MD_MARK_RE = re.compile(r"\*\*|__|(?m:^)#{1,6}\s|(?m:^)[>*] ")
DEBRIS_HINT = ("remove it where the text comes from: for a document being added, clean its source file before "
               "recording its SHA-256 (or teach scripts/clean.py this kind of debris); for a committed source, correct "
               "the clause through datapackage/errata.csv; then run `python -m scripts.build`")


#: Characters that may start debris other than a glued digit; most texts hold none of them.
RARE_RE = re.compile(r"[\[*_#>\t \u3000\u00a0]|\n\n|^\n|\n$")

DEBRIS_FIX = {
    "digit glued after a word": "if it is a footnote reference, keep the footnote's text in the source as a line "
                                "'1 …' (its number, a space, its text), which the build turns into a footnote clause, "
                                "removing the digit; otherwise " + DEBRIS_HINT,
}


def find_debris(value: str) -> tuple[str, str] | None:
    """The extraction debris a heading or text holds, if any: (what it is, the characters around it)."""
    m = GLUED_DIGIT_RE.search(value)
    if m is not None:
        for m in GLUED_DIGIT_RE.finditer(value):
            if m.group(1) not in NOT_A_REFERENCE:
                return "digit glued after a word", repr(value[max(0, m.start() - 5):m.end()])
    if RARE_RE.search(value) is None:
        return None
    if "[bookmark" in value:
        m = BOOKMARK_RE.search(value)
        return "Word bookmark mark", repr(m.group(0) if m else "[bookmark")
    if "*" in value or "_" in value or "#" in value or ">" in value:
        m = BOLD_RE.search(value) or MD_MARK_RE.search(value)
        if m or any(MD_HEADING_RE.match(p) for p in value.split("\n")):
            return "markdown mark", repr(m.group(0) if m else "#")
    if " " in value or "\t" in value or "\u3000" in value or "\u00a0" in value or "\n\n" in value:
        for para in value.split("\n"):
            if not para:
                return "empty paragraph", repr(value[:20] + "…" if len(value) > 20 else value)
            fixed = normalize_spaces(para).strip()
            if fixed != para:
                i = next((k for k, (a, b) in enumerate(zip(para, fixed, strict=False)) if a != b),
                         min(len(para), len(fixed)))
                return "whitespace inside Chinese text", repr(para[max(0, i - 8):i + 8])
    return None


#: Files of the sources directory that are not source texts.
NOT_SOURCES = {"README.md", REPAIRS_NAME}

#: A legal heading keeps the spacing of the official text between its characters (总　　则, 附  则).
SPACED_HEADING_RE = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")


# -- the checks ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class Clause:
    """What the later checks need of a clause, kept for every clause."""

    row: int
    kind: str
    numbering: str


class Validator:
    def __init__(self, root: Path, report: Report, skip: set[str], frictionless: str) -> None:
        self.root, self.report, self.skip_set, self.frictionless_mode = root, report, skip, frictionless
        self.pkg = Package(root)
        self.documents: dict[str, tuple[str, str, str]] = {}  # id -> city, level, source_file
        self.topic_slugs: set[str] = set(vocab.topic_slugs())
        self.clauses: dict[str, Clause] = {}
        self.tagged: dict[str, tuple[str, int, int]] = {}  # clause id -> topics, row, line (clauses.csv)
        self.errata_ids: dict[str, list[tuple[int, int, str]]] = {}  # clause id -> (row, line, corrected)
        self.metas: list[Any] = []
        self._tags = 0
        self.loaded = False

    # -- plumbing ---------------------------------------------------------------------------------------
    def run(self, name: str, fn: Callable[[], str | None]) -> None:
        if name in self.skip_set:
            self.report.skip(name, "skipped on request (--skip)")
            return
        if name in self.report.checks:  # already marked skipped
            return
        started = time.perf_counter()
        note = fn() or ""
        run = self.report.checks.setdefault(name, CheckRun(name))
        run.seconds += time.perf_counter() - started
        run.note = run.note or note

    def add(self, p: Problem) -> None:
        self.report.add(p)

    @property
    def has_sources(self) -> bool:
        return (self.root / SOURCES).is_dir() and any((self.root / SOURCES).glob("*.json"))

    # -- sources ----------------------------------------------------------------------------------------
    def check_metadata(self) -> str | None:
        from scripts.sources import SourceError, load_meta

        named: set[str] = set()
        for path in sorted((self.root / SOURCES).glob("*.json")):
            try:
                meta = load_meta(path)
            except SourceError as exc:
                self.add(problem_from_message("metadata", str(exc), self.root))
                with contextlib.suppress(ValueError, AttributeError):  # a broken record still claims its source
                    named.add(str(json.loads(path.read_text(encoding="utf-8")).get("source_file")))
                continue
            self.metas.append(meta)
            named.add(meta.source_file)
        for path in sorted((self.root / SOURCES).iterdir()):
            rel = path.relative_to(self.root).as_posix()
            if path.is_file() and path.suffix != ".json" and rel not in named and path.name not in NOT_SOURCES:
                stem = path.stem
                self.add(Problem("metadata", rel, "no metadata record names this source file",
                                 f"add a record datapackage/sources/<document id>.json whose `source_file` is "
                                 f"{rel!r} (CONTRIBUTING.md, 'Add a document'), or remove the file if {stem} is "
                                 "not meant to be published"))
        return None

    def check_sources(self) -> str | None:
        from scripts.source_integrity import released_source_errors
        from scripts.sources import SourceError, read_source

        for meta in self.metas:
            try:
                read_source(meta, self.root)
            except SourceError as exc:
                self.add(problem_from_message("sources", str(exc), self.root))
        for exc in released_source_errors(self.root, self.metas):
            self.add(problem_from_message("sources", str(exc), self.root))
        return None

    def check_rebuild(self) -> str | None:
        from scripts.build import BuildError, build
        from scripts.errata import ErrataError
        from scripts.tagging import TaggingError

        try:
            result = build(self.root, self.root / SOURCES, version=current_version(self.root))
        except BuildError as exc:
            check = {ErrataError: "errata", TaggingError: "topics"}.get(type(exc.__cause__), "rebuild")
            self.add(problem_from_message(check, str(exc), self.root))
            return None
        for rel, data in sorted(result.files.items()):
            path = self.root / rel
            if not path.is_file():
                self.add(Problem("rebuild", rel, "missing: the build writes this file", REBUILD_FIX))
                continue
            committed = path.read_bytes()
            if committed != data:
                self.add(self._difference(rel, committed, data))
        return None

    def _difference(self, rel: str, committed: bytes, rebuilt: bytes) -> Problem:
        fix = REBUILD_FIX
        if rel.endswith(".csv"):
            old = list(csv.reader(committed.decode("utf-8", "replace").splitlines(keepends=True)))
            new = list(csv.reader(rebuilt.decode("utf-8").splitlines(keepends=True)))
            lines = _record_lines(committed.decode("utf-8", "replace"))
            for i, (a, b) in enumerate(zip(old, new, strict=False)):
                if a != b:
                    header = new[0]
                    fields = [header[k] for k in range(min(len(a), len(b), len(header))) if a[k] != b[k]] or [None]
                    fld = fields[0]
                    ident = f" ({b[0]})" if i and b else ""
                    if fld is None:
                        what = "the row differs"
                    elif fld == header[0]:
                        return Problem("rebuild", rel, f"differs from a rebuild of the sources: row {i + 1} is {a[0]} "
                                       f"here and {b[0]} in the rebuild (a row added, removed or changed by hand)",
                                       fix, i + 1, lines[i] if i < len(lines) else None, fld)
                    else:
                        k = header.index(fld)
                        what = f"`{fld}` is {_short(a[k])} here and {_short(b[k])} in the rebuild"
                    return Problem("rebuild", rel, f"differs from a rebuild of the sources: row {i + 1}{ident}: {what}",
                                   fix, i + 1, lines[i] if i < len(lines) else None, fld)
            which = "more" if len(old) > len(new) else "fewer"
            return Problem("rebuild", rel, f"differs from a rebuild of the sources: {which} rows "
                           f"({len(old) - 1} here, {len(new) - 1} in the rebuild)", fix, min(len(old), len(new)) + 1)
        a_lines, b_lines = committed.decode("utf-8", "replace").split("\n"), rebuilt.decode("utf-8").split("\n")
        n = next((i for i, (a, b) in enumerate(zip(a_lines, b_lines, strict=False)) if a != b),
                 min(len(a_lines), len(b_lines)))
        return Problem("rebuild", rel, "differs from a rebuild of the sources"
                       + (f": {_short(a_lines[n].strip())} here, {_short(b_lines[n].strip())} in the rebuild"
                          if n < min(len(a_lines), len(b_lines)) else ""), fix, None, n + 1)

    # -- frictionless -----------------------------------------------------------------------------------
    def check_frictionless(self) -> str | None:
        from scripts.build import frictionless_errors

        sizes = sum(p.stat().st_size for name in RESOURCES if (p := self.pkg.path(name)) is not None)
        mode = self.frictionless_mode
        if mode == "auto":
            mode = "full" if sizes <= FRICTIONLESS_FULL_LIMIT else "sample"
        try:
            if mode == "full":
                lines, rowmap, note = frictionless_errors(self.pkg.descriptor_path), {}, None
            else:
                with tempfile.TemporaryDirectory(prefix="validate-sample-") as tmp:
                    rowmap = self._sample(Path(tmp))
                    lines = frictionless_errors(Path(tmp) / "datapackage.json")
                note = (f"{sizes / 2**20:.0f} MB of CSV: Frictionless checked the first {FRICTIONLESS_SAMPLE_ROWS} "
                        "clauses and the rows that refer to them; the schema check covered every row")
        except Exception as exc:  # Frictionless raises on a descriptor it cannot read at all
            self.report.add(Problem("frictionless", "datapackage.json", f"Frictionless cannot read the package: {exc}",
                                    "run `python -m scripts.build`"))
            return None
        self._frictionless_lines = (lines, rowmap)
        return note

    def _sample(self, tmp: Path) -> dict[str, list[int]]:
        """A copy of the package with the first clauses and the rows that refer to them; sample row → row."""
        pkg = self.pkg
        shutil.copy(pkg.descriptor_path, tmp / "datapackage.json")
        for res in pkg.descriptor.get("resources", []):
            if isinstance(res.get("schema"), str) and (pkg.root / res["schema"]).is_file():
                (tmp / res["schema"]).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(pkg.root / res["schema"], tmp / res["schema"])
        rowmap: dict[str, list[int]] = {}
        ids: set[str] = set()
        docs: set[str] = set()

        def copy(name: str, keep: Callable[[list[str]], bool], ordered: bool = False) -> None:
            """Copy the header and the rows to keep; ``ordered``: the kept rows come first, stop after them."""
            src = pkg.path(name)
            if src is None:
                return
            dst = tmp / pkg.rel(name)
            dst.parent.mkdir(parents=True, exist_ok=True)
            kept: list[int] = []
            with dst.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out, lineterminator="\n")
                for row, _, cells in records(src):
                    if row == 1 or keep(cells):
                        writer.writerow(cells)
                        kept.append(row)
                    elif ordered and len(kept) > 1:
                        break
            rowmap[name] = kept

        def first_clauses(cells: list[str]) -> bool:
            if len(ids) >= FRICTIONLESS_SAMPLE_ROWS:
                return False
            ids.add(cells[0])
            if len(cells) > 1:
                docs.add(cells[1])
            return True

        copy("clauses", first_clauses, ordered=True)
        copy("documents", lambda c: bool(c) and c[0] in docs)
        copy("topics", lambda c: True)
        copy("clause_topics", lambda c: bool(c) and c[0] in ids, ordered=True)
        copy("errata", lambda c: bool(c) and c[0] in ids)
        copy("clause_similar", lambda c: len(c) > 1 and c[0] in ids and c[1] in ids)
        copy("citations", lambda c: bool(c) and c[0] in ids)
        copy("measures", lambda c: bool(c) and c[0] in ids)
        return rowmap

    def report_frictionless(self) -> None:
        """Add Frictionless's errors that no specific check reported on the same row."""
        lines, rowmap = getattr(self, "_frictionless_lines", ([], {}))
        files = {name: self.pkg.rel(name) for name in RESOURCES}
        wanted: dict[str, list[Problem]] = {}
        for text in lines:
            m = re.match(r"^(?P<res>[^\s:]+)(?: row (?P<row>\d+))?(?: field (?P<field>\S+))?: (?P<type>[\w-]+): "
                         r"(?P<msg>.*)$", text, re.S)
            if not m:
                self.report.add(Problem("frictionless", "datapackage.json", text, GENERATED_FIX))
                continue
            res, row = m["res"], int(m["row"]) if m["row"] else None
            if row is not None and res in rowmap:
                row = rowmap[res][row - 1] if row - 1 < len(rowmap[res]) else row
            file = files.get(res, "datapackage.json" if res == "datapackage.json" else res)
            if row is not None and (file, row) in self.report.flagged:
                continue
            fix = GENERATED_FIX if file != "datapackage.json" else "run `python -m scripts.build`"
            wanted.setdefault(file, []).append(Problem("frictionless", file, f"{m['type']}: {m['msg']}", fix, row,
                                                       None, m["field"]))
        for file, problems in wanted.items():
            rows = {p.row for p in problems if p.row}
            lines_of = _row_lines(self.root / file, rows) if rows and (self.root / file).is_file() else {}
            for p in problems:
                self.report.add(Problem(p.check, p.file, p.message, p.fix, p.row, lines_of.get(p.row or 0), p.field))

    # -- the data files ---------------------------------------------------------------------------------
    def check_data(self) -> str | None:
        """One pass per CSV file: Table Schema checks and the clause checks Frictionless cannot do."""
        keys: dict[str, Any] = {}
        self.read_topics(keys)
        self.read_documents(keys)
        self.read_errata_input()
        self.read_clauses(keys)
        self.read_clause_topics(keys)
        self.read_errata(keys)
        self.report.counts = {"documents": len(self.documents), "clauses": len(self.clauses),
                              "tags": self._tags}
        return None

    def _table(self, name: str, keys: dict[str, Any], owned: set[tuple[str, str]] = frozenset()
               ) -> tuple[TableCheck, Path] | None:
        path = self.pkg.path(name)
        if path is None:
            return None
        return TableCheck(self.pkg, name, self.report, owned, keys), path

    def _stream(self, table: TableCheck, path: Path) -> Iterator[tuple[int, int, list[str]]]:
        try:
            it = records(path)
            for row, line, cells in it:
                if row == 1:
                    if not table.header(cells):
                        return
                    continue
                if table.row(row, line, cells):
                    yield row, line, cells
        except UnicodeDecodeError as exc:
            self.add(Problem("schema", table.file, f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
                             GENERATED_FIX))
        except csv.Error as exc:
            self.add(Problem("schema", table.file, f"not a readable CSV file: {exc}", GENERATED_FIX))

    def read_topics(self, keys: dict[str, Any]) -> None:
        t = self._table("topics", keys)
        slugs: dict[str, int] = {}
        if t:
            for row, line, cells in self._stream(*t):
                slugs[cells[0]] = row
                if cells[0] not in self.topic_slugs:
                    self.add(Problem("topics", t[0].file, f"topic {cells[0]!r} is not in the vocabulary",
                                     "topics.csv is copied from datapackage/vocab/topics.csv by the build: add the "
                                     "topic there and run `python -m scripts.build`", row, line, "slug"))
        keys["topics"] = slugs

    def read_documents(self, keys: dict[str, Any]) -> None:
        t = self._table("documents", keys)
        if t:
            f = t[0].fields
            i_city, i_level, i_src = f.index("city"), f.index("level"), f.index("source_file")
            for _, _, cells in self._stream(*t):
                self.documents[cells[0]] = (cells[i_city], cells[i_level], cells[i_src])
        keys["documents"] = self.documents

    def read_errata_input(self) -> None:
        path = self.pkg.path("errata")
        if path is None:
            return
        try:
            for row, line, cells in records(path):
                if row > 1 and len(cells) >= 3 and cells[0] and (len(cells) < 5 or cells[4] != "source-repair"):
                    self.errata_ids.setdefault(cells[0], []).append((row, line, cells[2]))
        except (UnicodeDecodeError, csv.Error):
            pass  # reported by read_errata

    def read_clauses(self, keys: dict[str, Any]) -> None:
        owned = {("id", "pattern"), ("id", "unique"), ("parent_id", "foreignKey"), ("kind", "enum")}
        t = self._table("clauses", keys, owned)
        keys["clauses"] = self.clauses
        if not t:
            return
        table, path = t
        file = table.file
        f = table.fields
        try:
            ix = {name: f.index(name) for name in ("id", "document_id", "seq", "kind", "depth", "numbering",
                                                   "parent_id", "heading", "text", "topics", "city", "level",
                                                   "source_file", "line_start", "line_end")}
        except ValueError:
            return
        (i_id, i_doc, i_seq, i_kind, i_depth, i_num, i_parent, i_head, i_text, i_topics, i_city, i_level, i_src,
         i_ls, i_le) = ix.values()
        add, clauses, documents = self.add, self.clauses, self.documents
        kinds = {k: k for k in vocab.KINDS}
        id_match = CLAUSE_ID_RE.match
        topic_slugs = self.topic_slugs
        pending: list[tuple[int, int, str, str, str]] = []  # row, line, id, kind, parent_id (parent not yet seen)
        doc = None
        seq_expected = 0
        seq_broken = False
        last_child: dict[tuple[str, str], tuple[int, str]] = {}
        last_style: dict[str, int] = {}
        last_box = last_fn = 0
        repeats, text_rows = RepeatTracker(), list[tuple[int, str]]()
        depths: dict[str, int] = {}
        for row, line, cells in self._stream(table, path):
            cid = cells[i_id]
            kind = kinds.get(cells[i_kind])
            document_id = cells[i_doc]
            if document_id != doc:  # per-document state
                doc, seq_expected, seq_broken, last_box, last_fn = document_id, 0, False, 0, 0
                last_child.clear()
                last_style.clear()
                repeats, text_rows = RepeatTracker(), []
            seq_expected += 1
            m = id_match(cid)
            if m is None:
                add(Problem("ids", file, f"{cid!r} is not a clause ID", "IDs are derived by the build (document ID, "
                            "then one segment per numbering level, see README 'Clause IDs'); " + GENERATED_FIX,
                            row, line, "id"))
                continue
            if cid in clauses:
                add(Problem("ids", file, f"{cid} is also the ID of row {clauses[cid].row}",
                            "two clauses derive the same ID: the numbering path is repeated; " + GENERATED_FIX,
                            row, line, "id"))
                continue
            if kind is None:
                add(Problem("ids", file, f"kind {cells[i_kind]!r} is not one of {', '.join(vocab.KINDS)}",
                            GENERATED_FIX, row, line, "kind"))
                continue
            numbering = cells[i_num]
            clauses[cid] = Clause(row, kind, numbering)
            path = m["path"].split(".")
            # ids: derived from document, parent, depth and numbering
            if m["document"] != document_id:
                add(Problem("ids", file, f"the ID {cid} is not in document {document_id!r}",
                            "the document ID is the first part of every clause ID; " + GENERATED_FIX,
                            row, line, "document_id"))
            parent_id = cells[i_parent]
            legal = bool(LEGAL_PATH_RE.match(path[0])) or numbering == "序言"
            derived_parent = cid.rsplit(".", 1)[0] if len(path) > 1 else ""
            if legal and path[-1].startswith("art"):
                derived_parent = parent_id  # articles are numbered through the document: the ID omits the chapter
            if parent_id != derived_parent:
                add(Problem("ids", file, f"parent_id is {parent_id!r} but the ID {cid} is inside "
                            f"{derived_parent or 'nothing (top level)'}",
                            "an ID is its parent's ID plus one segment; " + GENERATED_FIX, row, line, "parent_id"))
            want_depth = depths[parent_id] + 1 if parent_id in depths else 0 if not parent_id else None
            depths[cid] = int(cells[i_depth]) if want_depth is None and cells[i_depth].isdigit() else want_depth or 0
            if want_depth is not None and cells[i_depth] != str(want_depth):
                add(Problem("ids", file, f"depth is {cells[i_depth]} but {cid} has {want_depth} enclosing clauses",
                            GENERATED_FIX, row, line, "depth"))
            labels = numbering.split("/")
            if legal:
                if citation_path(numbering) != tuple(path):
                    add(Problem("ids", file, f"numbering {numbering!r} is not the legal citation of {cid}",
                                "a legal clause's ID maps one-to-one to its citation (第二十一条第二款第三项 is "
                                ".art21.p2.3); " + GENERATED_FIX, row, line, "numbering"))
            elif len(labels) != len(path):
                add(Problem("ids", file, f"numbering {numbering!r} has {len(labels)} levels but the ID {cid} has "
                            f"{len(path)}", GENERATED_FIX, row, line, "numbering"))
            else:
                seg = expected_segment(kind, labels[-1])
                if seg is None:
                    add(Problem("ids", file, f"{labels[-1]!r} is not the numbering of a {kind}", GENERATED_FIX,
                                row, line, "numbering"))
                elif seg != path[-1]:
                    add(Problem("ids", file, f"the ID ends in .{path[-1]} but the {kind} is numbered {labels[-1]} "
                                f"(.{seg})", "IDs are derived from the numbering, never assigned; " + GENERATED_FIX,
                                row, line, "id"))
            if not seq_broken and cells[i_seq] != str(seq_expected):
                seq_broken = True
                add(Problem("ids", file, f"seq is {cells[i_seq]} but this is clause {seq_expected} of "
                            f"{document_id} in file order", "seq numbers a document's clauses 1, 2, 3… in reading "
                            "order; " + GENERATED_FIX, row, line, "seq"))
            meta = documents.get(document_id)
            if meta is not None and (cells[i_city], cells[i_level], cells[i_src]) != meta:
                for i, name, want in ((i_city, "city", meta[0]), (i_level, "level", meta[1]),
                                      (i_src, "source_file", meta[2])):
                    if cells[i] != want:
                        add(Problem("ids", file, f"{name} is {cells[i]!r} but document {document_id} has {want!r}",
                                    GENERATED_FIX, row, line, name))
            line_start, line_end = cells[i_ls], cells[i_le]
            if line_start != line_end and line_start.isdigit() and line_end.isdigit() \
                    and int(line_end) < int(line_start):
                add(Problem("ids", file, f"line_end {line_end} is before line_start {line_start}", GENERATED_FIX,
                            row, line, "line_end"))
            # nesting
            if parent_id:
                parent = clauses.get(parent_id)
                if parent is None:
                    pending.append((row, line, cid, kind, parent_id))
                elif parent.kind not in NEST[kind]:
                    add(Problem("nesting", file, f"a {kind} cannot be inside a {parent.kind} ({parent_id})",
                                _nest_fix(kind), row, line, "kind"))
            elif "" not in NEST[kind]:
                add(Problem("nesting", file, f"a {kind} cannot be at the top level", _nest_fix(kind), row, line,
                            "kind"))
            # numbering
            label = labels[-1]
            if legal:
                pass  # the citation check above; numbers in sequence: see check_legal_numbering
            elif kind in NUMBERED_KINDS:
                parsed = parse_label(label)
                if parsed is not None:
                    style, number = parsed
                    prev = last_child.get((parent_id, style))
                    run_on = last_style.get(style, 0) + 1
                    ok = number == prev[0] + 1 if prev is not None else number in (1, run_on)
                    if not ok:
                        if prev is not None:
                            want = render_label(style, prev[0] + 1)
                        else:
                            want = render_label(style, 1) + (f" or {render_label(style, run_on)}" if run_on > 1 else "")
                        after = f"after {prev[1]} " if prev else ""
                        add(Problem("numbering", file, f"{label} comes {after}under {parent_id or 'the top level'}; "
                                    f"expected {want}", NUMBERING_FIX, row, line, "numbering"))
                    last_child[(parent_id, style)] = (number, label)
                    last_style[style] = number
            elif kind in ("paragraph", "bullet"):
                n = int(path[-1][1:])
                prev = last_child.get((parent_id, kind))
                want = prev[0] + 1 if prev else 1
                if n != want:
                    add(Problem("numbering", file, f"{label} under {parent_id}; expected {label[0]}{want}",
                                NUMBERING_FIX, row, line, "numbering"))
                last_child[(parent_id, kind)] = (n, label)
            elif kind in ("box", "footnote"):
                n = int(path[-1][3 if kind == "box" else 2:])
                want = (last_box if kind == "box" else last_fn) + 1
                if n != want:
                    mark = "专栏" if kind == "box" else "注"
                    add(Problem("numbering", file, f"{label} is {kind} {n} of {document_id}; expected {mark}{want} "
                                f"({kind}s are numbered through the document)", NUMBERING_FIX, row, line,
                                "numbering"))
                if kind == "box":
                    last_box = n
                else:
                    last_fn = n
            # debris
            heading, text = cells[i_head], cells[i_text]
            if heading and (found := find_debris(SPACED_HEADING_RE.sub("", heading) if legal else heading)):
                add(Problem("debris", file, f"{found[0]} in {cid}: {found[1]}", DEBRIS_FIX.get(found[0], DEBRIS_HINT),
                            row, line, "heading"))
            if text and (found := find_debris(text)):
                add(Problem("debris", file, f"{found[0]} in {cid}: {found[1]}", DEBRIS_FIX.get(found[0], DEBRIS_HINT),
                            row, line, "text"))
            # duplicates: a repeated run or a long repeated paragraph, not short boilerplate (scripts.repeats)
            if text:
                text_rows.append((row, cid))
                repeat = repeats.see(text)
                if repeat is not None:
                    first_row, first_id = text_rows[repeat.first]
                    what = f"and the {repeat.run - 1} texts before it repeat" if repeat.run > 1 else "repeats"
                    add(Problem("duplicates", file, f"{cid} {what} the text of {first_id} (row {first_row})",
                                "the source holds this passage twice (a duplicated copy, a repeated paragraph at a "
                                "page break, a news release around the text): for a document being added, remove "
                                "the repetition from the source or set body.start/body.end in its metadata record to "
                                "one copy; then run `python -m scripts.build`", row, line, "text"))
            # topics
            topics = cells[i_topics]
            if topics:
                unknown = [t for t in topics.split(",") if t not in topic_slugs]
                if unknown:
                    add(Problem("topics", file, f"unknown topic {unknown[0]!r} in {cid}", TOPIC_FIX, row, line,
                                "topics"))
                else:
                    self.tagged[cid] = (topics, row, line)
            # errata
            if cid in self.errata_ids:
                for e_row, e_line, corrected in self.errata_ids.pop(cid):
                    if corrected and corrected not in cells[i_text] and corrected not in cells[i_head]:
                        self.add(Problem("errata", self.pkg.rel("errata"), f"the corrected text {corrected!r} is not "
                                         f"in {cid}", "run `python -m scripts.build`, which applies "
                                         "datapackage/errata.csv to the clauses", e_row, e_line, "corrected"))
        for row, line, cid, _, parent_id in pending:
            parent = clauses.get(parent_id)
            if parent is None:
                add(Problem("nesting", file, f"the parent {parent_id} of {cid} does not exist",
                            "every clause's parent is a clause of the same document; " + GENERATED_FIX, row, line,
                            "parent_id"))
            else:
                add(Problem("nesting", file, f"the parent {parent_id} (row {parent.row}) comes after its child {cid}",
                            "clauses are in reading order, a heading before its content; " + GENERATED_FIX, row, line,
                            "parent_id"))

    def read_clause_topics(self, keys: dict[str, Any]) -> None:
        owned = {("topic", "enum"), ("*", "primaryKey")}
        t = self._table("clause_topics", keys, owned)
        if not t:
            return
        table, path = t
        file = table.file
        i_topic = table.fields.index("topic") if "topic" in table.fields else 1
        group_id: str | None = None
        group: list[str] = []
        group_row = group_line = 0
        last_clause_row = 0
        order_reported = False

        def close() -> None:
            nonlocal last_clause_row, order_reported
            if group_id is None:
                return
            clause = self.clauses.get(group_id)
            if clause is None:
                return  # reported by the schema check (foreign key)
            if clause.row <= last_clause_row and not order_reported:
                order_reported = True
                self.add(Problem("topics", file, f"the tags of {group_id} are not together, in clause order",
                                 GENERATED_FIX, group_row, group_line, "clause_id"))
            last_clause_row = max(last_clause_row, clause.row)
            listed, c_row, c_line = self.tagged.pop(group_id, ("", clause.row, None))
            have = ",".join(group)
            if listed != have and set(listed.split(",")) != set(group):
                self.add(Problem("topics", self.pkg.rel("clauses"), f"topics of {group_id} are {listed!r} but "
                                 f"clause_topics.csv tags it {have!r}", GENERATED_FIX, c_row, c_line, "topics"))

        for row, line, cells in self._stream(table, path):
            self._tags += 1
            cid, topic = cells[0], cells[i_topic]
            if topic not in self.topic_slugs:
                self.add(Problem("topics", file, f"unknown topic {topic!r}", TOPIC_FIX, row, line, "topic"))
            if cid != group_id:
                close()
                group_id, group, group_row, group_line = cid, [], row, line
            if topic in group:
                self.add(Problem("topics", file, f"{cid} is tagged {topic!r} twice", GENERATED_FIX, row, line,
                                 "topic"))
            group.append(topic)
        close()
        for cid, (topics, row, line) in self.tagged.items():
            self.add(Problem("topics", self.pkg.rel("clauses"), f"topics of {cid} are {topics!r} but clause_topics.csv "
                             "has no tag for it", GENERATED_FIX, row, line, "topics"))
        self.tagged.clear()

    def read_errata(self, keys: dict[str, Any]) -> None:
        t = self._table("errata", keys)
        if t:
            for _ in self._stream(*t):
                pass
        self.errata_ids.clear()  # what is left names no clause: the foreign key check reported it

    # -- releases ---------------------------------------------------------------------------------------
    def check_releases(self) -> str | None:
        versions = released_versions(self.root)
        retired = self._retired()
        if not versions:
            for cid, (row, line, _) in retired.items():
                self.add(Problem("releases", RETIRED_FILE, f"{cid} is in no release; nothing to retire",
                                 "remove the line: only the ID of a released clause is retired", row, line,
                                 "clause_id"))
            return "no release yet"
        released: set[str] = set()
        for version in versions:
            self._check_release_files(version)
            self._check_release_ids(version, retired, released)
        for text in manifest_problems(self.root / "releases"):  # scripts.release_integrity
            self.add(problem_from_message("releases", text, self.root))
        for cid, (row, line, _) in retired.items():
            if cid in self.clauses:
                self.add(Problem("releases", RETIRED_FILE, f"{cid} is retired but the package has a clause with this "
                                 f"ID again (clauses.csv row {self.clauses[cid].row})",
                                 "a retired ID is never reused: give the document a new document ID (e.g. with a "
                                 "-v2 suffix) if its structure changed, or remove the line if the clause is back "
                                 "unchanged", row, line, "clause_id"))
            elif cid not in released:
                self.add(Problem("releases", RETIRED_FILE, f"{cid} is in no release; nothing to retire",
                                 "remove the line: only the ID of a released clause is retired", row, line,
                                 "clause_id"))
        return f"{len(versions)} release(s): {', '.join(versions)}"

    def _retired(self) -> dict[str, tuple[int, int, str]]:
        path = self.root / RETIRED_FILE
        out: dict[str, tuple[int, int, str]] = {}
        if not path.is_file():
            return out
        for row, line, cells in records(path):
            if row == 1:
                if tuple(cells) != RETIRED_FIELDS:
                    self.add(Problem("releases", RETIRED_FILE, f"the header is {','.join(cells)!r}",
                                     f"the first line must be exactly: {','.join(RETIRED_FIELDS)}", 1, 1))
                    return out
                continue
            cid = cells[0] if cells else ""
            if not CLAUSE_ID_RE.match(cid):
                self.add(Problem("releases", RETIRED_FILE, f"{cid!r} is not a clause ID",
                                 "copy the ID from the release's clauses.csv", row, line, "clause_id"))
            elif len(cells) < 2 or not cells[1].strip():
                self.add(Problem("releases", RETIRED_FILE, f"no reason is given for retiring {cid}",
                                 "say why the clause is gone (e.g. 'the body now ends before the signature block')",
                                 row, line, "reason"))
            out[cid] = (row, line, cells[2] if len(cells) > 2 else "")
        return out

    def _check_release_files(self, version: str) -> None:
        base = self.root / "releases" / version
        rel_base = f"releases/{version}"
        info_path = base / RELEASE_INFO
        restore = f"a release never changes: restore it with `git checkout -- {rel_base}`"
        if not info_path.is_file():
            self.add(Problem("releases", f"{rel_base}/{RELEASE_INFO}", "missing", restore))
            return
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
            files = {f["path"]: f for f in info["files"]}
        except (ValueError, KeyError, TypeError) as exc:
            self.add(Problem("releases", f"{rel_base}/{RELEASE_INFO}", f"unreadable: {exc}", restore))
            return
        for rel, entry in files.items():
            path = base / rel
            if not path.is_file():
                self.add(Problem("releases", f"{rel_base}/{rel}", "missing from the release", restore))
                continue
            digest = file_sha256(path)
            if digest != entry.get("sha256"):
                self.add(Problem("releases", f"{rel_base}/{rel}", f"SHA-256 is {digest} but {RELEASE_INFO} records "
                                 f"{entry.get('sha256')}: the file was changed after the release was cut", restore))
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(base).as_posix()
            if path.is_file() and rel != RELEASE_INFO and rel not in files:
                self.add(Problem("releases", f"{rel_base}/{rel}", "not part of the release (not in release.json)",
                                 "remove it: a release never changes; changes go into the next release "
                                 "(`python -m scripts.release X.Y.Z`)"))
        try:
            descriptor = json.loads((base / "datapackage.json").read_text(encoding="utf-8"))
            if descriptor.get("version") != version:
                self.add(Problem("releases", f"{rel_base}/datapackage.json", f"version is {descriptor.get('version')!r}"
                                 f" in release {version}", restore, field="version"))
        except (OSError, ValueError):
            pass

    def _check_release_ids(self, version: str, retired: dict[str, Any], released: set[str]) -> None:
        base = self.root / "releases" / version
        path = base / "datapackage" / "data" / "clauses.csv"
        rel = f"releases/{version}/datapackage/data/clauses.csv"
        if not path.is_file():
            return
        clauses = self.clauses
        missing: dict[str, list[tuple[int, int, str, str]]] = {}
        per_doc: Counter = Counter()
        i_id = i_num = i_doc = 0
        for row, line, cells in records(path):
            if row == 1:
                i_id, i_num, i_doc = cells.index("id"), cells.index("numbering"), cells.index("document_id")
                continue
            cid, numbering, doc = cells[i_id], cells[i_num], cells[i_doc]
            released.add(cid)
            per_doc[doc] += 1
            now = clauses.get(cid)
            if now is None:
                if cid not in retired:
                    missing.setdefault(doc, []).append((row, line, cid, numbering))
            elif now.numbering != numbering:
                self.add(Problem("releases", self.pkg.rel("clauses"), f"{cid} is numbered {now.numbering} but was "
                                 f"{numbering} in release {version}", STABILITY_FIX, now.row, None, "numbering"))
        for doc, rows in missing.items():
            if len(rows) == per_doc[doc] and doc not in self.documents:
                row, line, cid, _ = rows[0]
                self.add(Problem("releases", rel, f"document {doc} of release {version} is gone: none of its "
                                 f"{len(rows)} clause IDs ({cid} …) exists any more",
                                 "a document ID is part of every clause ID and never changes: restore its metadata "
                                 f"record datapackage/sources/{doc}.json (file name and `id`); a new edition of a "
                                 "document is added as a new document beside the old one", row, line, "id"))
                continue
            for row, line, cid, numbering in rows:
                self.add(Problem("releases", rel, f"clause {cid} ({numbering}) of release {version} no longer "
                                 "exists", STABILITY_FIX, row, line, "id"))

    # -- readme -----------------------------------------------------------------------------------------
    def check_readme(self) -> str | None:
        from scripts import datadict

        readme = self.root / "README.md"
        if not readme.is_file() or datadict.START not in readme.read_text(encoding="utf-8"):
            self.report.skip("readme", "no README.md with a data dictionary")
            return None
        text = readme.read_text(encoding="utf-8")
        if datadict.updated(text) != text:
            line = text[: text.index(datadict.START)].count("\n") + 1
            self.add(Problem("readme", "README.md", "the data dictionary differs from the schemas",
                             "run `python -m scripts.datadict`", None, line))
        return None


NUMBERING_FIX = ("numbers come from the source: check the source against the official text (a skipped or repeated "
                 "number, or a line break before a number); " + GENERATED_FIX)
TOPIC_FIX = ("topics come from datapackage/vocab/topics.csv: to fix a tag, add a line to "
             "datapackage/vocab/topic_curation.csv (clause_id, topic, action, reason) with one of its slugs and run "
             "`python -m scripts.build`; never edit the data files")
STABILITY_FIX = ("a released clause ID must keep naming the same clause: restore what derived it (the document's "
                 "`id`, `body` lines and numbering); if the clause is really gone, add it to datapackage/retired.csv "
                 "(clause_id, reason, replaced_by) and cut a major release")


def _nest_fix(kind: str) -> str:
    where = ", ".join(k or "the top level" for k in sorted(NEST[kind]))
    return f"a {kind} belongs in: {where}; the segmenter decides this from the source's numbering; " + GENERATED_FIX


def _short(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _record_lines(text: str) -> list[int]:
    """First physical line of every CSV record."""
    reader = csv.reader(text.splitlines(keepends=True))
    out, prev = [], 0
    for _ in reader:
        out.append(prev + 1)
        prev = reader.line_num
    return out


def _row_lines(path: Path, rows: set[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    last = max(rows)
    try:
        for row, line, _ in records(path):
            if row in rows:
                out[row] = line
            if row >= last:
                break
    except (UnicodeDecodeError, csv.Error):
        pass
    return out


# -- entry points -------------------------------------------------------------------------------------

def validate(package: Path = vocab.ROOT, skip: set[str] | frozenset[str] = frozenset(),
             frictionless: str = "auto") -> Report:
    """Run every check on the package at ``package`` (a directory or its datapackage.json); write nothing."""
    started = time.perf_counter()
    package = package.resolve()
    root = package.parent if package.name == "datapackage.json" else package
    report = Report(root.resolve().as_posix() if root.resolve() != vocab.ROOT else ".")
    v = Validator(root, report, set(skip), frictionless)
    report.ignored = set(skip)

    def load_descriptor() -> None:
        v.loaded = v.pkg.load(report)

    v.run("descriptor", load_descriptor)
    if v.has_sources:
        v.run("metadata", v.check_metadata)
        v.run("sources", v.check_sources)
        if any(p.check in ("metadata", "sources") for p in report.problems):
            report.skip("rebuild", "fix the metadata and source errors first")
        else:
            v.run("rebuild", v.check_rebuild)
    else:
        for name in ("metadata", "sources", "rebuild"):
            report.skip(name, f"no {SOURCES.as_posix()}/ beside the package")
    data_checks = ("schema", "ids", "nesting", "numbering", "debris", "duplicates", "topics", "errata")
    if v.loaded:
        v.run("frictionless", v.check_frictionless)
        started_data = time.perf_counter()
        if not set(data_checks) <= v.skip_set:
            v.check_data()
        seconds = time.perf_counter() - started_data  # one streamed pass serves all the data checks
        for name in data_checks:
            if name in v.skip_set:
                report.skip(name, "skipped on request (--skip)")
            else:
                report.checks.setdefault(name, CheckRun(name, seconds=seconds if name == "schema" else 0.0))
        v.run("releases", v.check_releases)
        v.report_frictionless()
    else:
        for name in ("frictionless", *data_checks, "releases"):
            report.skip(name, "datapackage.json cannot be read")
    v.run("readme", v.check_readme)
    report.finish()
    order = list(CHECKS)
    report.checks = dict(sorted(report.checks.items(), key=lambda kv: order.index(kv[0])))
    report.problems.sort(key=lambda p: order.index(p.check))
    report.seconds = time.perf_counter() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", type=Path, default=vocab.ROOT,
                        help="directory holding datapackage.json (default: the repository)")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the report as JSON")
    out.add_argument("--github", action="store_true", help="also print GitHub Actions error annotations")
    parser.add_argument("--skip", default="", help="comma-separated checks to skip")
    parser.add_argument("--frictionless", choices=("auto", "full", "sample"), default="auto",
                        help=f"Frictionless on every row (full), on a sample (sample), or full up to "
                             f"{FRICTIONLESS_FULL_LIMIT // 2**20} MB of CSV (auto, the default)")
    parser.add_argument("--list-checks", action="store_true", help="list the checks and exit")
    args = parser.parse_args(argv)
    if args.list_checks:
        for name, what in CHECKS.items():
            print(f"{name:12} {what}")
        return 0
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(CHECKS)
    if unknown:
        parser.error(f"unknown check(s) {', '.join(sorted(unknown))}; see --list-checks")
    report = validate(args.package, skip, args.frictionless)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for p in report.problems:
            if args.github:
                print(p.github())
            print(p.text())
        print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
