"""Stage 2: clean raw source lines and join text fragments. Pure functions over strings."""

from __future__ import annotations

import re
import unicodedata

BOOKMARK_RE = re.compile(r"\[bookmark: [^\]]*\]")
MD_HEADING_RE = re.compile(r"^\s*#{1,6}\s+")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
#: Sentence-final punctuation: a line ending with one of these may end a paragraph.
TERMINATORS = "。！？；：…!?;:"
#: Closing marks that may follow the terminator (。” or 。）).
CLOSERS = "”’」』）)】〕》\"'"

_CJK_RANGES = (
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),  # full-width forms
    (0x2010, 0x2027),  # dashes, quotes, ellipsis
)


def is_cjk(ch: str) -> bool:
    """True for Chinese characters and full-width punctuation."""
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in _CJK_RANGES)


def is_ideograph(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def clean_line(raw: str) -> str:
    """Strip extraction debris from one source line: Word bookmarks, markdown marks, edge whitespace."""
    line = BOOKMARK_RE.sub("", raw)
    line = MD_HEADING_RE.sub("", line)
    line = BOLD_RE.sub(r"\1", line)
    return line.strip(" \t\u3000\u00a0\r")


def normalize_spaces(text: str) -> str:
    """Remove spaces that text extraction puts between Chinese and Latin/digits.

    A space between two Chinese characters is kept: official titles use it to
    separate joint issuers (中共中央 国务院) or title parts.
    """
    text = re.sub(r"[ \t\u00a0\u3000]+", " ", text)
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == " ":
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if not before or not after:
                continue
            if (is_cjk(before) or is_cjk(after)) and not (is_ideograph(before) and is_ideograph(after)):
                continue
        out.append(ch)
    return "".join(out)


def join_fragments(left: str, right: str) -> str:
    """Join two pieces of one paragraph split by a line or page break."""
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def ends_sentence(line: str) -> bool:
    """True when a line ends with sentence-final punctuation (possibly followed by a closing quote)."""
    stripped = line.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINATORS


def has_terminator(text: str) -> bool:
    return any(ch in TERMINATORS for ch in text)


def display_width(line: str) -> float:
    """Printed width in full-width character cells: Latin letters and digits count half."""
    return sum(0.5 if unicodedata.east_asian_width(ch) in "NaH" else 1.0 for ch in line)


def lead_sentence(text: str, limit: int = 40) -> str:
    """The first sentence of an item when it is a short title (指导思想。以…), else ''."""
    end = text.find("。")
    if 0 < end <= limit:
        return text[:end]
    return ""
