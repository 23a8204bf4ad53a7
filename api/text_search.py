"""Chinese full-text search: what gets indexed, how ``q`` becomes FTS5 queries, and highlighting.

Two FTS5 indexes cover every query length:

* ``fts_trigram`` (FTS5 ``trigram`` tokenizer) over each clause's heading and text
  matches any term of three or more characters as a substring (数字人民币, 区块链技术).
* ``fts_bigram`` (FTS5 ``ascii`` tokenizer) over the character bigrams of each run of
  letters and digits, plus the run's last character on its own, matches two-character
  terms exactly (人才, 沙盒, 5G) and single characters as a prefix query (``"才"*``).
  A bigram found k >= 2 times in a clause also adds the token ``<bigram><min(k, 5)>``,
  so relevance for a two-character word (how often the clause says it) is read from
  five small posting lists in clause order instead of scoring every match.

Terms of one or two characters that contain punctuation fall back to a LIKE scan.
Several whitespace-separated terms must all match.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
SNIPPET_CHARS = 120
SNIPPET_LEAD = 30

RELEVANCE_TIERS = 5

_RUN_RE = re.compile(r"[^\W_]+")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def search_text(heading: str, text: str) -> str:
    """The text a clause is found by: its heading (when not already the start of its text) and its text."""
    if heading and not text.startswith(heading):
        return f"{heading}\n{text}" if text else heading
    return text


def bigram_document(text: str) -> str:
    """Space-separated bigrams of every letter/digit run of ``text``, each run's last character alone."""
    tokens: list[str] = []
    for run in _RUN_RE.findall(text.lower()):
        tokens.extend([a + b for a, b in pairwise(run)])
        tokens.append(run[-1])
    repeated = Counter(t for t in tokens if len(t) == 2)
    tokens.extend(f"{gram}{min(k, RELEVANCE_TIERS)}" for gram, k in repeated.items() if k >= 2)
    return " ".join(tokens)


def tier_matches(bigram: str) -> list[tuple[int, str]]:
    """FTS5 expressions for the clauses that say ``bigram`` exactly k times (k = 5 meaning 5 or more), k = 5..1."""
    tiers = [(k, _quote(f"{bigram}{k}")) for k in range(RELEVANCE_TIERS, 1, -1)]
    return [*tiers, (1, f"{_quote(bigram)} NOT ({' OR '.join(expr for _, expr in tiers)})")]


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class QueryError(ValueError):
    """A ``q`` parameter that cannot be searched for."""


@dataclass(frozen=True)
class SearchQuery:
    """A parsed ``q``: FTS5 match expressions for each index and the terms to highlight."""

    terms: tuple[str, ...]
    trigram_match: str | None
    bigram_match: str | None
    like_terms: tuple[str, ...]

    @classmethod
    def parse(cls, q: str) -> SearchQuery:
        q = _CONTROL_RE.sub(" ", q).strip()
        if not q:
            raise QueryError("q must contain at least one non-space character")
        if len(q) > MAX_QUERY_CHARS:
            raise QueryError(f"q must be at most {MAX_QUERY_CHARS} characters long")
        terms = tuple(dict.fromkeys(t.lower() for t in q.split()))
        if len(terms) > MAX_TERMS:
            raise QueryError(f"q may hold at most {MAX_TERMS} space-separated terms")
        trigram: list[str] = []
        bigram: list[str] = []
        like: list[str] = []
        for term in terms:
            if len(term) >= 3:
                trigram.append(_quote(term))
            elif _RUN_RE.fullmatch(term):
                bigram.append(_quote(term) if len(term) == 2 else _quote(term) + "*")
            else:
                like.append(term)
        return cls(
            terms=terms,
            trigram_match=" AND ".join(trigram) or None,
            bigram_match=" AND ".join(bigram) or None,
            like_terms=tuple(like),
        )

    @property
    def single_bigram(self) -> str | None:
        """The term when ``q`` is one two-character word (ranked by how often clauses say it)."""
        if len(self.terms) == 1 and self.bigram_match and len(self.terms[0]) == 2:
            return self.terms[0]
        return None

    @property
    def pattern(self) -> re.Pattern[str]:
        alternatives = sorted(self.terms, key=len, reverse=True)
        return re.compile("|".join(re.escape(t) for t in alternatives), re.IGNORECASE)


def like_pattern(term: str) -> str:
    """A LIKE pattern (with ``\\`` as escape) matching ``term`` anywhere."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def snippet(text: str, pattern: re.Pattern[str], width: int = SNIPPET_CHARS) -> str:
    """An HTML passage of ``text`` around its first match, every match wrapped in ``<mark>``."""
    matches = list(pattern.finditer(text))
    first = matches[0].start() if matches else 0
    start = max(0, first - SNIPPET_LEAD)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    parts = ["…"] if start > 0 else []
    pos = start
    for m in matches:
        m_start, m_end = max(m.start(), start), min(m.end(), end)
        if m_start >= m_end or m_start < pos:
            continue
        parts += [html.escape(text[pos:m_start], quote=False), "<mark>", html.escape(text[m_start:m_end], quote=False)]
        parts.append("</mark>")
        pos = m_end
    parts.append(html.escape(text[pos:end], quote=False))
    if end < len(text):
        parts.append("…")
    return "".join(parts)
