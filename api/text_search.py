"""Chinese full-text search: what a clause is found by, how ``q`` is read, and highlighting.

A term matches the clauses whose heading and text (:func:`search_text`), lower-cased, hold it: a letter or
digit, a two-character word (人才, 沙盒, 5G), answered from the store's posting lists of character bigrams
(:mod:`api.search_index`), or any longer text (数字人民币, 区块链技术), answered from the positions of its
bigrams in those lists (:mod:`api.text_match`). A term with punctuation or spaces is looked up by its runs of
letters and digits, then found in the text of the clauses holding them.

Relevance order is BM25 over the query's bigrams (:mod:`api.ranking`).

Several whitespace-separated terms must all match; ``q`` also takes ``"exact phrases"``,
``OR``, ``-exclusions`` and parentheses (:mod:`api.search_syntax`), and traditional
characters (:mod:`api.chinese_variants`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from api import search_syntax as syntax
from api.chinese_variants import simplified

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
SNIPPET_CHARS = 120
SNIPPET_LEAD = 30

RUN_RE = re.compile(r"[^\W_]+")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_HTML_SPECIAL_RE = re.compile("[&<>]")


def search_text(heading: str, text: str) -> str:
    """The text a clause is found by: its heading (when not already the start of its text) and its text."""
    if heading and not text.startswith(heading):
        return f"{heading}\n{text}" if text else heading
    return text


class QueryError(ValueError):
    """A ``q`` parameter that cannot be searched for."""


def reads_text(term: str) -> bool:
    """Whether a term has characters other than letters and digits: its clauses are found by reading their text
    (the posting lists hold runs of letters and digits only)."""
    return not RUN_RE.fullmatch(term)


def term_class(term: str) -> str:
    """How a term is found: ``text`` (three or more characters), ``word`` (one or two letters or digits) or
    ``like`` (one or two characters with punctuation, a scan)."""
    if len(term) >= 3:
        return "text"
    return "word" if RUN_RE.fullmatch(term) else "like"


def _ranks_by(part: syntax.Node) -> bool:
    """Whether a part every match must have is a term, or an OR of terms of one class other than ``like``: a query
    with such a part is ranked by relevance (one without, by document order)."""
    terms = [part] if isinstance(part, syntax.Term) else list(part.nodes) if isinstance(part, syntax.AnyOf) else []
    if not terms or not all(isinstance(t, syntax.Term) for t in terms):
        return False
    classes = {term_class(t.text) for t in terms if isinstance(t, syntax.Term)}
    return len(classes) == 1 and "like" not in classes


@dataclass(frozen=True)
class SearchQuery:
    """A parsed ``q``: its tree of terms (traditional characters with their simplified forms), the terms to
    highlight, and whether it is ranked by relevance. ``converted`` is the query in simplified characters when
    ``q`` held traditional ones (both forms are searched for)."""

    terms: tuple[str, ...]
    tree: syntax.Node
    ranked: bool
    converted: str | None = None

    @classmethod
    def parse(cls, q: str) -> SearchQuery:
        """The query ``q`` (parsed once per distinct text: a request may ask twice)."""
        return _parse(q)

    @classmethod
    def _parse(cls, q: str) -> SearchQuery:
        q = _CONTROL_RE.sub(" ", q).strip()
        if not q:
            raise QueryError("q must contain at least one non-space character")
        if len(q) > MAX_QUERY_CHARS:
            raise QueryError(f"q must be at most {MAX_QUERY_CHARS} characters long")
        try:
            tree = syntax.parse(q)
        except syntax.SyntaxProblem as exc:
            raise QueryError(f'{exc} (search syntax: words, "exact phrase", OR, -exclude, parentheses)') from None
        terms = syntax.all_terms(tree)
        if len({t.text for t in terms}) > MAX_TERMS:
            raise QueryError(f"q may hold at most {MAX_TERMS} terms")
        variants = {t.text: simplified(t.text) for t in terms}
        converted = simplified(q) if any(v != k for k, v in variants.items()) else None
        tree = syntax.with_variants(tree, variants)
        highlight = [t.text.lower() for t in syntax.positive_terms(tree)]
        return cls(
            terms=tuple(dict.fromkeys(highlight)),
            tree=tree,
            ranked=any(_ranks_by(part) for part in syntax.conjuncts(tree)),
            converted=converted,
        )

    @property
    def single_bigram(self) -> str | None:
        """The term when ``q`` is one two-character word (ranked by how often clauses say it)."""
        tree = self.tree
        if isinstance(tree, syntax.Term) and len(tree.text) == 2 and term_class(tree.text) == "word":
            return tree.text.lower()
        return None

    @property
    def scans(self) -> bool:
        """Whether a term has characters other than letters and digits: found by reading clauses' text."""
        return any(reads_text(t.text) for t in syntax.all_terms(self.tree))

    @property
    def pattern(self) -> re.Pattern[str]:
        alternatives = sorted(self.terms, key=len, reverse=True)
        return re.compile("|".join(re.escape(t) for t in alternatives), re.IGNORECASE)


@lru_cache(maxsize=1024)
def _parse(q: str) -> SearchQuery:
    return SearchQuery._parse(q)


def _as_is(text: str, quote: bool = False) -> str:
    return text


def snippet(text: str, pattern: re.Pattern[str], width: int = SNIPPET_CHARS) -> str:
    """An HTML passage of ``text`` around its first match, every match wrapped in ``<mark>``."""
    found = pattern.search(text)
    first = found.start() if found else 0
    start = max(0, first - SNIPPET_LEAD)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    # Escaping leaves a passage without &, < and > as it is: most passages need no escaping at all.
    escape = html.escape if _HTML_SPECIAL_RE.search(text, start, end) else _as_is
    parts = ["…"] if start > 0 else []
    pos = start
    # No match starts before the first: reading from the passage's start finds the same matches.
    for m in pattern.finditer(text, start) if found else ():
        if m.start() >= end:
            break
        m_start, m_end = max(m.start(), start), min(m.end(), end)
        if m_start >= m_end or m_start < pos:
            continue
        parts += [escape(text[pos:m_start], quote=False), "<mark>", escape(text[m_start:m_end], quote=False)]
        parts.append("</mark>")
        pos = m_end
    parts.append(escape(text[pos:end], quote=False))
    if end < len(text):
        parts.append("…")
    return "".join(parts)
