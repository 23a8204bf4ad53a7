"""Stage 3: segment a document's cleaned lines into a clause tree.

One pass over the lines with a stack of open numbered nodes. A line that starts
with a numbering marker is taken as a heading only in context: it must follow
the end of a sentence or a heading (not the middle of a wrapped sentence), and
its number must be the one expected next at that level (the next sibling, 1 for
a new level, or the run-on number where the document numbers items across
parts). A marker that is at a boundary but carries the wrong number is an
error, reported with the file, the line and what was expected.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from scripts.clean import (
    clean_line,
    display_width,
    ends_sentence,
    has_terminator,
    join_fragments,
    lead_sentence,
    normalize_spaces,
)
from scripts.errors import LocatedError
from scripts.numbering import BOX_RE, BULLET_RE, PREAMBLE_RE, Marker, describe, parse_marker

SIGNATURE_DATE_RE = re.compile(
    r"^(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(印发|发布)?$"
)
TRAILER_RE = re.compile(r"^(抄送|印发|抄报|主送)[：:]|印发$")
FOOTNOTE_LINE_RE = re.compile(r"^(\d{1,2}) (\S.*)$")
TITLE_MAX_CHARS = 60
#: Articles (第X条) open with a sentence, not a title.
NO_LEAD_TITLE_STYLES = {"tiao"}


class SegmentError(LocatedError):
    """A document does not fit the expected structure; names file, line and what was expected."""

    def __init__(self, source: str, line: int, message: str, hint: str = "") -> None:
        super().__init__(source, message, hint or SEGMENT_FIX, line)


SEGMENT_FIX = (
    "check the source text around this line against the official document; CONTRIBUTING.md, "
    "'When the build fails', explains each message"
)


@dataclass
class Node:
    style: str  # marker style, or preamble / paragraph / bullet / box / footnote / root
    number: int = 0
    label: str = ""
    title: str = ""
    title_only: bool = False
    paras: list[str] = field(default_factory=list)
    line_start: int = 0
    line_end: int = 0
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None

    @property
    def kind(self) -> str:
        if self.style in ("preamble", "paragraph", "bullet", "box", "footnote"):
            return self.style
        if self.title_only:
            return "part" if self.parent is not None and self.parent.style == "root" else "section"
        return "item"

    def add(self, child: Node) -> Node:
        child.parent = self
        self.children.append(child)
        return child

    def count(self, style: str) -> int:
        return sum(1 for c in self.children if c.style == style)


@dataclass
class Layout:
    """How a source lays out paragraphs: hard-wrapped at a fixed width, or one line per paragraph."""

    hard_wrapped: bool
    width: float

    @classmethod
    def detect(cls, lines: list[str]) -> Layout:
        texts = [t for t in lines if t]
        if not texts:
            return cls(False, 0.0)
        wrapped = [t for t in texts if not ends_sentence(t)]
        if len(wrapped) / len(texts) <= 0.5:
            return cls(False, 0.0)
        # Lines broken inside a sentence run to the margin: their commonest width is the line width.
        widths = Counter(round(display_width(t)) for t in wrapped)
        width = widths.most_common(1)[0][0]
        at_margin = sum(n for w, n in widths.items() if abs(w - width) <= 1)
        if at_margin < 3 or at_margin / len(wrapped) < 0.5:
            return cls(False, 0.0)  # short headings, not a wrapped text
        return cls(True, float(width))

    def is_full(self, line: str) -> bool:
        """True when a hard-wrapped line runs to the right margin, so its paragraph may go on."""
        return self.hard_wrapped and display_width(line) > self.width - 1.5


class Segmenter:
    def __init__(self, source: str, numbered_lines: list[tuple[int, str]]) -> None:
        self.source = source
        self.lines = numbered_lines
        self.layout = Layout.detect([t for _, t in numbered_lines])
        self.root = Node("root")
        self.stack: list[Node] = [self.root]
        self.current: Node | None = None  # the node whose text the next continuation line extends
        self.prev_line = ""
        self.prev_was_title = False
        self.last_number: dict[str, int] = {}  # last number seen per style, document-wide
        self.run_on: dict[str, bool] = {}  # per style: numbers run on across parents (True) or restart (False)
        self.last_box = 0
        self.footnotes: dict[int, tuple[int, str]] = {}

    # -- errors ---------------------------------------------------------------------------------
    def fail(self, line: int, message: str, hint: str = "") -> SegmentError:
        return SegmentError(self.source, line, message, hint)

    # -- the pass -------------------------------------------------------------------------------
    def run(self) -> Node:
        body = self._take_footnotes(self.lines)
        for ln, text in body:
            self._line(ln, text)
        self._check_tree(self.root)
        self._attach_footnotes()
        return self.root

    def _take_footnotes(self, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Pull out footnote lines ("1 该定义…") whose number is referenced by a digit glued to a word."""
        joined = "".join(t for _, t in lines)
        kept: list[tuple[int, str]] = []
        for ln, text in lines:
            m = FOOTNOTE_LINE_RE.match(text)
            if m and re.search(rf"[\u4e00-\u9fff]{m.group(1)}(?=[，。、；：）])", joined):
                self.footnotes[int(m.group(1))] = (ln, normalize_spaces(m.group(2)))
            else:
                kept.append((ln, text))
        return kept

    def _continues(self) -> bool:
        """Does the current line continue the paragraph of the previous one?"""
        if self.current is None or self.prev_was_title:
            return False
        return not ends_sentence(self.prev_line) or self.layout.is_full(self.prev_line)

    def _line(self, ln: int, text: str) -> None:
        if SIGNATURE_DATE_RE.match(text) or TRAILER_RE.search(text):
            raise self.fail(
                ln,
                f"signature, date or distribution line inside the body: {text!r}",
                "end the document's body before it: set body.end in its metadata file "
                "to the last line of the policy text",
            )
        unterminated = self.current is not None and not self.prev_was_title and not ends_sentence(self.prev_line)
        if not unterminated and self._try_structure(ln, text):
            self.prev_line = text
            return
        if self._continues():
            assert self.current is not None
            self.current.paras[-1] = join_fragments(self.current.paras[-1], text)
            self.current.line_end = ln
        else:
            self._new_paragraph(ln, text)
        self.prev_line = text
        self.prev_was_title = False

    def _try_structure(self, ln: int, text: str) -> bool:
        """Open a node if the line starts a heading, item, bullet or box here; False if it is plain text."""
        if PREAMBLE_RE.match(text) and self.root.children == [] and self.current is None:
            node = self.root.add(Node("preamble", title="前言", line_start=ln, line_end=ln))
            self.current = node
            self.prev_was_title = True
            return True
        box = BOX_RE.match(text)
        if box:
            self._open_box(ln, box.group(1), box.group(2))
            return True
        bullet = BULLET_RE.match(text)
        if bullet:
            self._open_bullet(ln, bullet.group(1))
            return True
        marker = parse_marker(text)
        if marker is None:
            return False
        # A full-width line ending in 。 is usually mid-paragraph; only a well-numbered marker breaks it.
        mid_paragraph = self.layout.is_full(self.prev_line) and not self.prev_was_title and self.current is not None
        if mid_paragraph and not self._expected(marker)[0]:
            return False
        self._open_numbered(ln, text, marker)
        return True

    # -- numbered nodes -------------------------------------------------------------------------
    def _expected(self, m: Marker) -> tuple[bool, list[int], int, Node]:
        """Whether the marker's number fits here; the numbers that would; stack depth; parent."""
        for depth in range(len(self.stack) - 1, 0, -1):
            node = self.stack[depth]
            if node.style == m.style:
                expected = [node.number + 1]
                return m.number in expected, expected, depth, self.stack[depth - 1]
        parent = self.stack[-1]
        if m.style not in self.last_number:
            expected = [1]
        else:
            mode = self.run_on.get(m.style)
            restart, run_on = 1, self.last_number[m.style] + 1
            expected = [restart] if mode is False else [run_on] if mode else [restart, run_on]
        return m.number in expected, expected, len(self.stack), parent

    def _open_numbered(self, ln: int, line: str, m: Marker) -> None:
        ok, expected, depth, parent = self._expected(m)
        if not ok:
            wanted = " or ".join(describe(m.style, n) for n in expected)
            where = f"under {self._path_label(parent)}" if parent is not self.root else "at the top level"
            raise self.fail(
                ln,
                f"numbering: expected {wanted} {where}, found {describe(m.style, m.number)}",
                "a number is skipped, repeated or out of order; check the source against the official text "
                "and correct the source file's numbering (or the line break before it)",
            )
        if depth == len(self.stack) and m.style in self.last_number and m.style not in self.run_on:
            self.run_on[m.style] = m.number != 1
        del self.stack[depth:]
        node = parent.add(Node(m.style, m.number, m.label, line_start=ln, line_end=ln))
        self.stack.append(node)
        self.last_number[m.style] = m.number
        rest = normalize_spaces(m.rest)
        if rest and not has_terminator(rest) and len(rest) <= TITLE_MAX_CHARS and not self.layout.is_full(line):
            node.title, node.title_only = rest, True
            self.current = node
            self.prev_was_title = True
        else:
            if not rest:
                raise self.fail(
                    ln, f"{m.label} has no title and no text", "join the marker to the line that follows it"
                )
            node.paras.append(rest)
            self.current = node
            self.prev_was_title = False

    def _path_label(self, node: Node) -> str:
        labels: list[str] = []
        while node is not None and node.style != "root":
            labels.append(node.label)
            node = node.parent  # type: ignore[assignment]
        return "/".join(reversed(labels))

    # -- unnumbered nodes -----------------------------------------------------------------------
    def _text_parent(self) -> Node:
        """Where an unnumbered paragraph, bullet or box goes: the innermost heading or item."""
        return self.stack[-1]

    def _open_box(self, ln: int, token: str, title: str) -> None:
        number = int(token) if token.isdigit() else parse_marker(f"{token}、").number  # type: ignore[union-attr]
        if number != self.last_box + 1:
            raise self.fail(
                ln,
                f"boxes: expected 专栏{self.last_box + 1}, found 专栏{token}",
                "boxes (专栏) are numbered 1, 2, 3… through the document",
            )
        self.last_box = number
        top = self.stack[-1]
        parent = top.parent if (top.kind == "item" and top.parent is not None) else top
        node = parent.add(
            Node("box", number, f"专栏{number}", title=normalize_spaces(title), line_start=ln, line_end=ln)
        )
        self.current = node
        self.prev_was_title = True

    def _open_bullet(self, ln: int, text: str) -> None:
        parent = self._text_parent()
        if self.current is not None and self.current.style == "bullet" and self.current.parent is not None:
            parent = self.current.parent
        node = parent.add(Node("bullet", parent.count("bullet") + 1, line_start=ln, line_end=ln))
        node.label = f"•{node.number}"
        node.paras.append(text)
        self.current = node
        self.prev_was_title = False

    def _new_paragraph(self, ln: int, text: str) -> None:
        cur = self.current
        if cur is not None and cur.kind == "item" and cur.parent is not None and cur.parent.kind == "item":
            # Text after a list inside an article is the article's next paragraph (款), not the last entry's.
            del self.stack[self.stack.index(cur) :]
            self._add_paragraph(cur.parent, ln, text)
            return
        if (cur is not None and cur.style in ("preamble", "box")) or (cur is not None and cur.kind == "item"):
            cur.paras.append(text)
            cur.line_end = ln
            return
        if self.root.children == [] and cur is None:
            self.current = self.root.add(Node("preamble", line_start=ln, line_end=ln, paras=[text]))
            return
        parent = self._text_parent()
        if cur is not None and cur.style in ("paragraph", "bullet") and cur.parent is not None:
            parent = cur.parent
        if parent is self.root:
            raise self.fail(
                ln,
                "unnumbered text between top-level headings",
                "check that the heading before it is numbered as the document expects",
            )
        self._add_paragraph(parent, ln, text)

    def _add_paragraph(self, parent: Node, ln: int, text: str) -> None:
        node = parent.add(Node("paragraph", parent.count("paragraph") + 1, line_start=ln, line_end=ln, paras=[text]))
        node.label = f"¶{node.number}"
        self.current = node

    # -- checks ---------------------------------------------------------------------------------
    def _check_tree(self, node: Node) -> None:
        for child in node.children:
            if child.title_only and not child.children:
                raise self.fail(
                    child.line_start,
                    f"heading {child.label} {child.title} has no body",
                    "a heading must be followed by text or numbered items before the next heading",
                )
            self._check_tree(child)

    def _attach_footnotes(self) -> None:
        for number, (ln, text) in sorted(self.footnotes.items()):
            owner = self._find_ref(self.root, number)
            if owner is None:
                raise self.fail(ln, f"footnote {number} is not referenced by any clause")
            fn = owner.add(Node("footnote", number, f"注{number}", line_start=ln, line_end=ln, paras=[text]))
            fn.label = f"注{number}"

    def _find_ref(self, node: Node, number: int) -> Node | None:
        pattern = re.compile(rf"(?<=[\u4e00-\u9fff]){number}(?=[，。、；：）])")
        for i, para in enumerate(node.paras):
            if pattern.search(para):
                node.paras[i] = pattern.sub("", para, count=1)
                return node
        for child in node.children:
            found = self._find_ref(child, number)
            if found is not None:
                return found
        return None


def segment_lines(source: str, raw_lines: list[str], start: int, end: int) -> Node:
    """Clean lines start..end (1-based, inclusive) of a source and segment them into a tree."""
    numbered = [(i, clean_line(raw_lines[i - 1])) for i in range(start, end + 1)]
    return Segmenter(source, [(i, t) for i, t in numbered if t]).run()


def node_text(node: Node) -> str:
    return "\n".join(normalize_spaces(p) for p in node.paras)


def node_heading(node: Node) -> str:
    if node.title:
        return node.title
    if node.kind in ("item", "bullet") and node.style not in NO_LEAD_TITLE_STYLES:
        text = node_text(node)
        lead = lead_sentence(text)
        return lead if lead and len(lead) + 1 < len(text) else ""
    return ""
