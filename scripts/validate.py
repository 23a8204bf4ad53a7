"""Validate the data package: ``python -m scripts.validate [PACKAGE] [--json | --github] [--list-checks]``.

Frictionless validation plus what Frictionless cannot check: every row of every table against its Table
Schema, clause IDs derived from the structure and stable against every past release, topics in the
vocabulary, parents that exist and kinds that nest, consecutive numbering, no extraction debris, no
duplicated clause, raw sources that match their recorded SHA-256, and a rebuild from the sources that
equals the committed files. The checks are the units of :mod:`scripts.checks`.

Every error has one format, ``file:line: what is wrong`` then ``how to fix: …``. The exit status is 1
when there is any error. Nothing is ever written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scripts import vocab
from scripts.checks.frictionless import FULL_LIMIT
from scripts.checks.problems import Problem, Report
from scripts.checks.runner import CHECKS, NAMES, validate

__all__ = ["CHECKS", "Problem", "Report", "main", "validate"]


def list_checks() -> str:
    lines = []
    for check in CHECKS:
        lines.append(f"{check.name:12} {check.description}")
        lines += [f"{'':12}   {kind}: {what}" for kind, what in check.errors.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "package",
        nargs="?",
        type=Path,
        default=vocab.ROOT,
        help="directory holding datapackage.json (default: the repository)",
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the report as JSON")
    out.add_argument("--github", action="store_true", help="also print GitHub Actions error annotations")
    parser.add_argument("--skip", default="", help="comma-separated checks to skip")
    parser.add_argument(
        "--frictionless",
        choices=("auto", "full", "sample"),
        default="auto",
        help=f"Frictionless on every row (full), on a sample (sample), or full up to "
        f"{FULL_LIMIT // 2**20} MB of CSV (auto, the default)",
    )
    parser.add_argument("--list-checks", action="store_true", help="list the checks and their error types, and exit")
    args = parser.parse_args(argv)
    if args.list_checks:
        print(list_checks())
        return 0
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(NAMES)
    if unknown:
        parser.error(f"unknown check(s) {', '.join(sorted(unknown))}; see --list-checks")
    report: Report = validate(args.package, skip, args.frictionless)
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
