"""Stage 3 for legal texts: segment laws and regulations into 编/分编/章/节/条/款/项/目.

A document is a legal text when its body has articles, lines that start ``第N条`` followed by a
space (:func:`is_legal`). Such texts are laid out one paragraph per line, so every line is one
paragraph; what a line is follows from its marker alone, never from the punctuation of the
line before:

* ``第N编`` / ``第N分编`` / ``第N章`` / ``第N节`` open a heading (Markdown ``#`` marks, read before
  the cleaner strips them, say that a line is a heading: an unnumbered ``#`` line is an error);
* ``第N条`` (or ``第N条之M``) opens an article; articles are numbered through the document;
* ``（N）`` opens an item (项) of the current 款, ``N.`` a sub-item (目) of the current item;
* any other line is the next 款 (paragraph) of the current article.

Every number must be the next one expected; a number that breaks the sequence is an error that
names the file and the line and points to ``datapackage/sources/repairs.csv``, where a defect of the
transcription is repaired as data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scripts.clean import clean_line, ends_sentence, normalize_spaces
from scripts.numbering import CN_NUM, cn_to_int, int_to_cn
from scripts.segment import SegmentError

_NUM = rf"({CN_NUM}|[0-9]+)"
_GAP = r"(?:[\s\u3000]+(.*)|$)"
HEADING_RE = re.compile(rf"^第{_NUM}(编|分编|章|节){_GAP}")
#: A Markdown heading may glue its title to the number (## 第一章总则).
MD_HEADING_TEXT_RE = re.compile(rf"^第{_NUM}(编|分编|章|节)[\s\u3000]*(.*)$")
ARTICLE_RE = re.compile(rf"^第{_NUM}条(?:之{_NUM})?{_GAP}")
ITEM_RE = re.compile(rf"^[（(][\s\u3000]*({CN_NUM})[\s\u3000]*[）)][\s\u3000]*(.*)$")
SUBITEM_RE = re.compile(r"^([0-9]{1,3})(?:[.．](?![0-9])|、)[\s\u3000]*(.*)$")
FULLWIDTH_DIGIT_RE = re.compile(r"^[（(]?[０-９]+[）)．.、]")
MD_HEADING_RE = re.compile(r"^\s*(#{1,6})\s")
PREAMBLE_TITLES = {"序言", "前言"}
#: Zero-width characters a transcription leaves at the edges of a line (a line of only these is empty).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

#: Heading markers: the kind of row, the ID prefix, and the heading levels they may sit under.
HEADINGS = {"编": ("bk", ()), "分编": ("sbk", ("编",)), "章": ("ch", ("编", "分编")), "节": ("sec", ("章",))}
#: A 款 this short without final punctuation reads like a heading's title.
TITLE_MAX_CHARS = 20
REPAIR_HINT = (
    "if the source copy is defective (a heading number, an item marker or a line missing), repair it "
    "as data: add a line to datapackage/sources/repairs.csv with the document, this line, the original "
    "characters, the corrected ones and the reason (the raw file is never edited)"
)


def is_legal(raw_lines: list[str], start: int, end: int) -> bool:
    """True when the body has articles: lines that start 第N条 and a space."""
    return any(
        ARTICLE_RE.match(clean_line(raw_lines[i - 1])) and _article_gap(clean_line(raw_lines[i - 1]))
        for i in range(start, end + 1)
    )


def _article_gap(text: str) -> bool:
    m = ARTICLE_RE.match(text)
    return m is not None and (m.group(3) is not None or m.end() == len(text))


def to_int(token: str) -> int:
    return int(token) if token.isascii() and token.isdigit() else cn_to_int(token)


@dataclass
class Para:
    """A 款: its text, its line, and its items (项), each with sub-items (目)."""

    text: str
    line: int
    items: list[Item] = field(default_factory=list)
    item_style: str = ""  # "（一）" or "1." for a list of items; "1." under （一） items is a 目


@dataclass
class Item:
    number: int
    text: str
    line: int
    subitems: list[Item] = field(default_factory=list)


@dataclass
class Article:
    number: int
    sub: int  # 之M, 0 when none
    line: int
    paras: list[Para] = field(default_factory=list)

    @property
    def segment(self) -> str:
        return f"art{self.number}" + (f"-{self.sub}" if self.sub else "")

    @property
    def citation(self) -> str:
        return f"第{int_to_cn(self.number)}条" + (f"之{int_to_cn(self.sub)}" if self.sub else "")


@dataclass
class Heading:
    """A 编, 分编, 章 or 节 (or the document root, marker '')."""

    marker: str
    number: int = 0
    title: str = ""
    line: int = 0
    line_end: int = 0
    children: list[Heading | Article] = field(default_factory=list)
    parent: Heading | None = None
    preamble: list[tuple[int, str]] = field(default_factory=list)

    @property
    def segment(self) -> str:
        return f"{HEADINGS[self.marker][0]}{self.number}"

    @property
    def citation(self) -> str:
        return f"第{int_to_cn(self.number)}{self.marker}"

    def headings(self, marker: str) -> list[Heading]:
        return [c for c in self.children if isinstance(c, Heading) and c.marker == marker]


class LegalSegmenter:
    def __init__(self, source: str, lines: list[tuple[int, str, bool]]) -> None:
        self.source = source
        self.lines = lines  # (line number, cleaned text, was a Markdown heading)
        self.root = Heading("")
        self.open: Heading = self.root
        self.article: Article | None = None
        self.last_article: tuple[int, int] | None = None
        self.chapters_run_on: bool | None = None
        self.last_chapter = 0

    def fail(self, line: int, message: str, hint: str = REPAIR_HINT) -> SegmentError:
        return SegmentError(self.source, line, message, hint)

    def run(self) -> Heading:
        for ln, text, md in self.lines:
            self._line(ln, text, md)
        self._check_headings(self.root)
        return self.root

    def _line(self, ln: int, text: str, md: bool) -> None:
        if FULLWIDTH_DIGIT_RE.match(text):
            raise self.fail(
                ln,
                f"full-width digits in a numbering marker: {text[:12]!r}",
                "numbering markers use ASCII digits (1. not １．); " + REPAIR_HINT,
            )
        heading = HEADING_RE.match(text) or (MD_HEADING_TEXT_RE.match(text) if md else None)
        if heading:
            self._open_heading(ln, heading.group(2), to_int(heading.group(1)), heading.group(3) or "")
            return
        article = ARTICLE_RE.match(text)
        if article and _article_gap(text):
            self._open_article(ln, article)
            return
        if md:
            if not self.article and normalize_spaces(text).replace(" ", "") in PREAMBLE_TITLES:
                return  # 序言: the text that follows is the preamble
            raise self.fail(ln, f"a Markdown heading without a 第N编/章/节 number: {text!r}")
        if self.article is None:
            self._text_outside_articles(ln, text)
            return
        para = self.article.paras[-1]
        item = ITEM_RE.match(text)
        if item:
            self._open_item(ln, to_int(item.group(1)), item.group(2), "（一）")
            return
        sub = SUBITEM_RE.match(text)
        if sub and para.item_style == "（一）":
            self._open_subitem(ln, int(sub.group(1)), sub.group(2))
            return
        if sub and (para.item_style == "1." or int(sub.group(1)) == 1):
            self._open_item(ln, int(sub.group(1)), sub.group(2), "1.")
            return
        self.article.paras.append(Para(normalize_spaces(text), ln))

    def _text_outside_articles(self, ln: int, text: str) -> None:
        if self.open is self.root and not self.root.children:
            self.root.preamble.append((ln, normalize_spaces(text)))
            return
        heading = self.open
        if heading is not self.root and not heading.children and not ends_sentence(text):
            # A heading's title on the next line, or wrapped onto it: 第三章 / 总 则
            heading.title = (
                f"{heading.title} {text}".strip() if heading.title and text[0].isascii() else heading.title + text
            )
            heading.line_end = ln
            return
        where = self.open.citation if self.open is not self.root else "the document"
        raise self.fail(ln, f"text under {where} outside any article (第N条): {text[:30]!r}")

    # -- headings --------------------------------------------------------------------------------
    def _open_heading(self, ln: int, marker: str, number: int, title: str) -> None:
        parent = self.open
        allowed = HEADINGS[marker][1]
        while parent is not self.root and parent.marker not in allowed:
            parent = parent.parent  # type: ignore[assignment]
        if marker == "节" and parent is self.root:
            raise self.fail(ln, f"第{int_to_cn(number)}节 outside any chapter (第N章)")
        siblings = parent.headings(marker)
        expected = self._expected_heading(marker, siblings)
        if number == 1 and self.last_article is None and siblings and number not in expected:
            self._drop_contents()
            parent, siblings, expected = self.root, [], [1]
        if number not in expected:
            wanted = " or ".join(f"第{int_to_cn(n)}{marker}" for n in expected)
            where = f"under {parent.citation}" if parent is not self.root else "at the top level"
            message = f"numbering: expected {wanted} {where}, found 第{int_to_cn(number)}{marker}"
            suspect = self._lost_heading(siblings[-1] if siblings else None)
            if suspect is not None and number == expected[0] + 1:
                raise self.fail(
                    suspect.line,
                    f"{message} (line {ln}): this line, {suspect.text!r}, has no final "
                    f"punctuation and looks like the heading 第{int_to_cn(expected[0])}{marker} "
                    "without its number",
                )
            if expected == [1] and parent is self.root and self.last_article is not None:
                raise self.fail(
                    ln,
                    f"{message}: the articles before it (from line {self._first_article_line()}) "
                    "have no 第一" + marker + " heading",
                )
            raise self.fail(ln, message)
        if marker == "章":
            if siblings == [] and self.last_chapter and self.chapters_run_on is None:
                self.chapters_run_on = number != 1
            self.last_chapter = number
        node = Heading(marker, number, title.strip(" \t\u3000"), ln, ln, parent=parent)
        parent.children.append(node)
        self.open = node
        self.article = None

    def _first_article_line(self) -> int:
        return next((c.line for c in self.root.children if isinstance(c, Article)), 0)

    def _lost_heading(self, previous: Heading | None) -> Para | None:
        """The first 款 after the first in the previous heading's articles that reads like a title, if any."""
        if previous is None:
            return None
        for child in previous.children:
            if isinstance(child, Article):
                for para in child.paras[1:]:
                    if not para.items and len(para.text) <= TITLE_MAX_CHARS and not ends_sentence(para.text):
                        return para
        return None

    def _drop_contents(self) -> None:
        """Headings before any article that restart at 第一X were a table of contents (目录): not the body."""
        self.root.children = []
        self.last_chapter = 0
        self.chapters_run_on = None

    def _expected_heading(self, marker: str, siblings: list[Heading]) -> list[int]:
        if siblings:
            return [siblings[-1].number + 1]
        if marker == "章" and self.last_chapter:  # the first chapter of a later 编: restarts or runs on
            mode = self.chapters_run_on
            return [1] if mode is False else [self.last_chapter + 1] if mode else [1, self.last_chapter + 1]
        return [1]

    # -- articles, 款, items ------------------------------------------------------------------------
    def _open_article(self, ln: int, m: re.Match[str]) -> None:
        number, sub = to_int(m.group(1)), to_int(m.group(2)) if m.group(2) else 0
        last = self.last_article
        if last is not None:
            expected = [(last[0] + 1, 0), (last[0], last[1] + 1)]
            if (number, sub) not in expected:
                wanted = " or ".join(Article(n, s, 0).citation for n, s in expected)
                raise self.fail(ln, f"numbering: expected {wanted}, found {Article(number, sub, 0).citation}")
        self.last_article = (number, sub)
        rest = (m.group(3) or "").strip()
        if not rest:
            raise self.fail(
                ln,
                f"{Article(number, sub, 0).citation} has no text on its line",
                "join the article's marker to its first paragraph with a repair; " + REPAIR_HINT,
            )
        self.article = Article(number, sub, ln, [Para(normalize_spaces(rest), ln)])
        self.open.children.append(self.article)

    def _open_item(self, ln: int, number: int, text: str, style: str) -> None:
        assert self.article is not None
        para = self.article.paras[-1]
        if para.item_style and para.item_style != style:
            raise self.fail(ln, f"{self.article.citation}: an item marked {style} in a list marked {para.item_style}")
        expected = para.items[-1].number + 1 if para.items else 1
        if number != expected and not para.items and self._resume_list(number, style):
            para = self.article.paras[-1]
            expected = number
        if number != expected:
            raise self.fail(
                ln,
                f"numbering: expected {_marker(style, expected)} in {self.article.citation}, "
                f"found {_marker(style, number)}",
                self._lost_markers_hint(number, expected),
            )
        para.item_style = style
        para.items.append(Item(number, normalize_spaces(text), ln))

    def _resume_list(self, number: int, style: str) -> bool:
        """An item list goes on after unnumbered paragraphs: they continue its last item (True if so)."""
        assert self.article is not None
        paras = self.article.paras
        k = len(paras) - 1
        while k > 0 and not paras[k].items:
            k -= 1
        if not paras[k].items or paras[k].item_style != style or paras[k].items[-1].number != number - 1:
            return False
        last = paras[k].items[-1]
        target = last.subitems[-1] if last.subitems else last
        target.text += "".join(f"\n{p.text}" for p in paras[k + 1 :])
        del paras[k + 1 :]
        return True

    def _lost_markers_hint(self, number: int, expected: int) -> str:
        """Where items lost their markers: the unnumbered paragraphs just before a list that starts late."""
        assert self.article is not None
        paras = self.article.paras
        missing = number - expected
        if expected == 1 and len(paras) > missing and paras[-missing - 1].text.endswith(("：", ":")):
            lines = ", ".join(str(p.line) for p in paras[-missing:])
            return (
                f"the {missing} paragraph(s) after the lead-in ending in '：' (line(s) {lines}) look like items "
                f"that lost their markers; " + REPAIR_HINT
            )
        return REPAIR_HINT

    def _open_subitem(self, ln: int, number: int, text: str) -> None:
        assert self.article is not None
        item = self.article.paras[-1].items[-1]
        expected = item.subitems[-1].number + 1 if item.subitems else 1
        if number != expected:
            raise self.fail(
                ln,
                f"numbering: expected {expected}. in {self.article.citation} "
                f"（{int_to_cn(item.number)}）, found {number}.",
            )
        item.subitems.append(Item(number, normalize_spaces(text), ln))

    def _check_headings(self, node: Heading) -> None:
        for child in node.children:
            if isinstance(child, Heading):
                if not child.children:
                    raise self.fail(
                        child.line,
                        f"heading {child.citation} {child.title} has no articles",
                        "a heading must be followed by articles (第N条); " + REPAIR_HINT,
                    )
                self._check_headings(child)


def _marker(style: str, number: int) -> str:
    return f"（{int_to_cn(number)}）" if style == "（一）" else f"{number}."


def legal_lines(raw_lines: list[str], start: int, end: int) -> list[tuple[int, str, bool]]:
    """Cleaned, non-empty body lines with their numbers and whether the source marked them as a heading."""
    out: list[tuple[int, str, bool]] = []
    for i in range(start, end + 1):
        raw = raw_lines[i - 1]
        text = clean_line(raw).strip(ZERO_WIDTH)
        if text:
            out.append((i, text, bool(MD_HEADING_RE.match(raw))))
    return out


def segment_legal(source: str, raw_lines: list[str], start: int, end: int) -> Heading:
    """Segment lines start..end (1-based, inclusive) of a legal text into its structure."""
    return LegalSegmenter(source, legal_lines(raw_lines, start, end)).run()


#: One unit of a legal citation and the ID segment it maps to (项 and 目 are plain numbers).
CITATION_UNIT_RE = re.compile(rf"第({CN_NUM})(分编|编|章|节|条(?:之{CN_NUM})?|款|项|目)")
CITATION_SEGMENT = {"编": "bk", "分编": "sbk", "章": "ch", "节": "sec", "款": "p", "项": "", "目": ""}
#: The first ID segment of a legal clause: a 编, a 章 or an article (the preamble aside).
LEGAL_PATH_RE = re.compile(r"^(?:bk|ch|art)[1-9]")


def citation_path(citation: str) -> tuple[str, ...] | None:
    """The ID path a legal citation maps to: 第二十一条第二款第三项 → (art21, p2, 3); None if it is not one."""
    if citation == "序言":
        return ("preamble",)
    path: list[str] = []
    pos = 0
    for m in CITATION_UNIT_RE.finditer(citation):
        if m.start() != pos:
            return None
        pos = m.end()
        number, unit = cn_to_int(m.group(1)), m.group(2)
        if unit.startswith("条"):
            sub = unit.partition("之")[2]
            path.append(f"art{number}" + (f"-{cn_to_int(sub)}" if sub else ""))
        else:
            path.append(f"{CITATION_SEGMENT[unit]}{number}")
    return tuple(path) if path and pos == len(citation) else None


#: An ID segment only legal texts have: bk1, sbk2, ch3, sec1, art21, art17-1.
LEGAL_SEGMENT_RE = re.compile(r"^(?:bk|sbk|ch|sec|art)[1-9]")


def citation_of_segment(segment: str) -> str:
    """第二十一条 for art21, 第十七条之一 for art17-1."""
    number, _, sub = segment.removeprefix("art").partition("-")
    return f"第{int_to_cn(int(number))}条" + (f"之{int_to_cn(int(sub))}" if sub else "")


def own_label(citation: str) -> str:
    """The last unit of a legal citation, as printed: 第二章, 第七条, 第二款, （三） for a 项, 1. for a 目."""
    units = list(CITATION_UNIT_RE.finditer(citation))
    if not units:
        return citation
    number, unit = units[-1].group(1), units[-1].group(2)
    if unit == "项":
        return f"（{number}）"
    if unit == "目":
        return f"{cn_to_int(number)}."
    return units[-1].group(0)
