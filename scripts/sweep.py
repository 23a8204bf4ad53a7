"""Generality sweep: run the read, clean, segment and row stages on a whole collection of legal texts.

    python -m scripts.sweep /path/to/LawRefBook-Laws [--failures failures.tsv] [--limit N]

Every Markdown file of the checkout whose body has articles (lines that start 第N条 and a space) is
read as the build reads a source (UTF-8, body after ``<!-- INFO END -->``), segmented by
``scripts.legal`` and turned into rows by ``scripts.rows.legal_rows``. A text *parses* when it
yields as many article rows as it has 第N条 lines; otherwise it either raises an error (which names
the file and the line) or *miscounts*. The summary gives the counts and the share that parse;
``--failures`` writes one line per text that does not, with its error.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from scripts.clean import clean_line
from scripts.legal import ARTICLE_RE, _article_gap, segment_legal
from scripts.rows import legal_rows
from scripts.segment import SegmentError
from scripts.sources import BodyLines, DocumentMeta

INFO_END = "<!-- INFO END -->"
#: Classes of errors, by a phrase of their message, for the summary.
ERROR_KINDS = (
    "numbering: expected",
    "a Markdown heading without",
    "outside any article",
    "has no text on its line",
    "has no articles",
    "full-width digits",
    "in a list marked",
    "outside any chapter",
    "not valid UTF-8",
)


@dataclass
class Outcome:
    path: str
    status: str  # parsed, error, miscount
    articles: int  # 第N条 lines of the body
    rows: int  # article rows derived
    message: str = ""


def body_range(lines: list[str]) -> tuple[int, int]:
    """1-based, inclusive: the lines after the header (``<!-- INFO END -->``), or after the title line."""
    start = lines.index(INFO_END) + 2 if INFO_END in lines else 2
    return start, len(lines)


def article_lines(lines: list[str], start: int, end: int) -> int:
    return sum(
        1
        for i in range(start, end + 1)
        if _article_gap(clean_line(lines[i - 1])) and ARTICLE_RE.match(clean_line(lines[i - 1]))
    )


def sweep_file(path: Path, root: Path) -> Outcome | None:
    """The outcome of one text, or None when it has no articles."""
    rel = path.relative_to(root).as_posix()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Outcome(rel, "error", 0, 0, f"{rel}: not valid UTF-8 at byte {exc.start}")
    lines = text.replace("\r\n", "\n").split("\n")
    start, end = body_range(lines)
    expected = article_lines(lines, start, end)
    if expected == 0:
        return None
    meta = DocumentMeta(
        id="sweep",
        title=lines[0],
        title_en="",
        doc_number="",
        issuers=[],
        city="national",
        level="national",
        doc_type="regulation",
        date_issued="",
        date_published="",
        source_url="",
        source_file=rel,
        source_sha256="",
        version_note="",
        body=BodyLines(start, end),
        legal_rank="law",
    )
    try:
        rows = legal_rows(meta, segment_legal(rel, lines, start, end))
    except (SegmentError, ValueError) as exc:
        return Outcome(rel, "error", expected, 0, str(exc).splitlines()[0])
    found = sum(1 for r in rows if r["kind"] == "article")
    return Outcome(
        rel,
        "parsed" if found == expected else "miscount",
        expected,
        found,
        "" if found == expected else f"{rel}: {found} article rows for {expected} 第N条 lines",
    )


def sweep(root: Path, limit: int = 0) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for path in sorted(root.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        outcome = sweep_file(path, root)
        if outcome is not None:
            outcomes.append(outcome)
            if limit and len(outcomes) >= limit:
                break
    return outcomes


def error_kind(message: str) -> str:
    """A short class of an error message, for the summary."""
    text = message.split(": ", 1)[1] if ": " in message else message
    for marker in ERROR_KINDS:
        if marker in text:
            return marker
    return text[:40]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path, help="a checkout of a collection of Markdown legal texts")
    parser.add_argument("--failures", type=Path, help="write the texts that do not parse (TSV) here")
    parser.add_argument("--limit", type=int, default=0, help="stop after this many texts with articles")
    args = parser.parse_args(argv)
    outcomes = sweep(args.checkout, args.limit)
    status = Counter(o.status for o in outcomes)
    total = len(outcomes)
    share = status["parsed"] / total if total else 0.0
    print(
        f"{total} texts with 第N条 articles: {status['parsed']} parse with exact article counts ({share:.1%}), "
        f"{status['error']} raise an error naming file and line, {status['miscount']} miscount"
    )
    for kind, n in Counter(error_kind(o.message) for o in outcomes if o.status != "parsed").most_common():
        print(f"  {n:5d}  {kind}")
    if args.failures:
        with args.failures.open("w", encoding="utf-8") as f:
            f.write("path\tstatus\tarticles\trows\tmessage\n")
            for o in outcomes:
                if o.status != "parsed":
                    f.write(f"{o.path}\t{o.status}\t{o.articles}\t{o.rows}\t{o.message}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
