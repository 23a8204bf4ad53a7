"""Chinese full-text search: what gets indexed, how ``q`` becomes FTS5 queries, and highlighting.

Two FTS5 indexes cover every query length:

* ``fts_trigram`` (FTS5 ``trigram`` tokenizer) over each clause's heading and text
  matches any term of three or more characters as a substring (数字人民币, 区块链技术).
* ``fts_bigram`` (FTS5 ``ascii`` tokenizer) over the character bigrams of each run of
  letters and digits, plus the run's last character on its own, matches two-character
  terms exactly (人才, 沙盒, 5G) and single characters as a prefix query (``"才"*``).

Relevance order is BM25 over the query's bigrams (:mod:`api.ranking`), not either index's own rank.

Terms of one or two characters that contain punctuation fall back to a LIKE scan.
Several whitespace-separated terms must all match; ``q`` also takes ``"exact phrases"``,
``OR``, ``-exclusions`` and parentheses (:mod:`api.search_syntax`), and traditional
characters (:mod:`api.chinese_variants`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

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


def bigram_document(text: str) -> str:
    """Space-separated bigrams of every letter/digit run of ``text``, each run's last character alone."""
    tokens: list[str] = []
    for run in RUN_RE.findall(text.lower()):
        tokens.extend([a + b for a, b in pairwise(run)])
        tokens.append(run[-1])
    return " ".join(tokens)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class QueryError(ValueError):
    """A ``q`` parameter that cannot be searched for."""


def _index(term: str) -> str:
    """Which index finds ``term``: ``fts_trigram`` (3+ characters), ``fts_bigram`` (a 1-2 character word) or LIKE."""
    if len(term) >= 3:
        return "fts_trigram"
    return "fts_bigram" if RUN_RE.fullmatch(term) else "like"


def _fts_expr(term: str) -> str:
    term = term.lower()
    return _quote(term) + ("*" if len(term) == 1 and _index(term) == "fts_bigram" else "")


def _single_index_alternatives(node: syntax.Node) -> tuple[str, str] | None:
    """(index, FTS5 expression) when ``node`` is a term, or an OR of terms, that one index answers alone."""
    terms = [node] if isinstance(node, syntax.Term) else list(node.nodes) if isinstance(node, syntax.AnyOf) else []
    if not terms or not all(isinstance(t, syntax.Term) for t in terms):
        return None
    texts = [t.text for t in terms if isinstance(t, syntax.Term)]
    indexes = {_index(t) for t in texts}
    if len(indexes) != 1 or "like" in indexes:
        return None
    exprs = [_fts_expr(t) for t in texts]
    return indexes.pop(), exprs[0] if len(exprs) == 1 else "(" + " OR ".join(exprs) + ")"


def _condition(node: syntax.Node, params: list[object]) -> str:
    """A SQL condition on ``f.n`` (a clause number) that holds where ``node`` matches."""
    if isinstance(node, syntax.Term):
        index = _index(node.text)
        if index == "like":
            params += [like_pattern(node.text)] * 2
            return "f.n IN (SELECT c.n FROM clauses c WHERE c.heading LIKE ? ESCAPE '\\' OR c.text LIKE ? ESCAPE '\\')"
        params.append(_fts_expr(node.text))
        return f"f.n IN (SELECT rowid FROM {index} WHERE {index} MATCH ?)"
    if isinstance(node, syntax.Not):
        return f"NOT ({_condition(node.node, params)})"
    joiner = " AND " if isinstance(node, syntax.AllOf) else " OR "
    return "(" + joiner.join(_condition(child, params) for child in node.nodes) + ")"


@dataclass(frozen=True)
class SearchQuery:
    """A parsed ``q``: FTS5 match expressions for each index, further conditions, and the terms to highlight.

    The parts every match must have that one index answers (a word, a phrase, an OR of words of one
    length class) become ``trigram_match``/``bigram_match`` and ``like_terms``, read first; the rest
    (exclusions, mixed OR groups) become ``filter_sql`` on ``f.n``. ``converted`` is the query in
    simplified characters when ``q`` held traditional ones (both forms are searched for).
    """

    terms: tuple[str, ...]
    trigram_match: str | None
    bigram_match: str | None
    like_terms: tuple[str, ...]
    filter_sql: str = ""
    filter_params: tuple[object, ...] = ()
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
        return cls._compile(tree, converted)

    @classmethod
    def _compile(cls, tree: syntax.Node, converted: str | None) -> SearchQuery:
        matches: dict[str, list[str]] = {"fts_trigram": [], "fts_bigram": []}
        like: list[str] = []
        rest: list[str] = []
        params: list[object] = []
        for part in syntax.conjuncts(tree):
            single = _single_index_alternatives(part)
            if single is not None:
                matches[single[0]].append(single[1])
            elif isinstance(part, syntax.Term):
                like.append(part.text.lower())
            else:
                rest.append(_condition(part, params))
        highlight = [t.text.lower() for t in syntax.positive_terms(tree)]
        return cls(
            terms=tuple(dict.fromkeys(highlight)),
            trigram_match=" AND ".join(matches["fts_trigram"]) or None,
            bigram_match=" AND ".join(matches["fts_bigram"]) or None,
            like_terms=tuple(dict.fromkeys(like)),
            filter_sql="".join(f" AND {c}" for c in rest),
            filter_params=tuple(params),
            converted=converted,
        )

    @property
    def single_bigram(self) -> str | None:
        """The term when ``q`` is one two-character word (ranked by how often clauses say it)."""
        match = self.bigram_match
        if match and not self.trigram_match and not self.like_terms and not self.filter_sql and len(self.terms) == 1:
            return self.terms[0] if len(self.terms[0]) == 2 and match == _quote(self.terms[0]) else None
        return None

    @property
    def pattern(self) -> re.Pattern[str]:
        alternatives = sorted(self.terms, key=len, reverse=True)
        return re.compile("|".join(re.escape(t) for t in alternatives), re.IGNORECASE)


@lru_cache(maxsize=1024)
def _parse(q: str) -> SearchQuery:
    return SearchQuery._parse(q)


def like_pattern(term: str) -> str:
    """A LIKE pattern (with ``\\`` as escape) matching ``term`` anywhere."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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
