"""Which clauses a parsed ``q`` matches: set operations over the lookups of each of its terms.

A clause matches a term when its lower-cased search text (:func:`api.text_search.search_text`) holds it:

* a **letter or digit** (``才``, ``5``): the union of the posting lists of every term starting with it
  (:func:`api.search_index.lists_starting_with`);
* **two letters or digits** (``人才``, ``5G``): that bigram's posting list, exactly;
* **three or more characters** (``区块链``, ``"数字 人民币"``): the ``fts_trigram`` full-text index (FTS5's
  ``trigram`` tokenizer matches any substring of three or more characters);
* **one or two characters with punctuation** (``5%``): a LIKE scan of the clauses.

Several terms must all match (the cheapest are looked up first), ``OR`` is a union and an exclusion a
difference. The numbers are ascending ``int64``.
"""

from __future__ import annotations

import sqlite3

import numpy as np

from api import search_index
from api import search_syntax as syntax
from api.fact_columns import int_column
from api.text_search import like_pattern, term_class

_EMPTY = np.empty(0, np.int64)


def is_posting_term(text: str) -> bool:
    """Whether the term is answered by posting lists alone (one or two letters or digits)."""
    return term_class(text) == "word"


def numbers(db: sqlite3.Connection, node: syntax.Node, count: int) -> np.ndarray:
    """The numbers of the clauses (``1 .. count``) ``node`` matches."""
    return _matches(db, node, count, None)


def _matches(db: sqlite3.Connection, node: syntax.Node, count: int, within: np.ndarray | None) -> np.ndarray:
    """The matches of ``node``, among ``within`` when given."""
    if isinstance(node, syntax.Term):
        return _term(db, node.text.lower(), count, within)
    if isinstance(node, syntax.Not):
        universe = within if within is not None else np.arange(1, count + 1, dtype=np.int64)
        return _difference(universe, _matches(db, node.node, count, universe))
    if isinstance(node, syntax.AnyOf):
        return _union([_matches(db, child, count, within) for child in node.nodes], count)
    current = within
    for child in sorted(node.nodes, key=_cost):
        current = _matches(db, child, count, current)
        if len(current) == 0:
            break
    return current if current is not None else _EMPTY


def _cost(node: syntax.Node) -> int:
    """Which parts of a conjunction are worked out first: posting lists, then index lookups and scans, then
    exclusions."""
    if isinstance(node, syntax.Term):
        return 0 if is_posting_term(node.text.lower()) else 1
    return 2 if isinstance(node, syntax.Not) else 1


def _among(found: np.ndarray, within: np.ndarray | None) -> np.ndarray:
    found = found.astype(np.int64)
    return found if within is None else _intersection(found, within)


def _positions(values: np.ndarray, sorted_numbers: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is in ``sorted_numbers``: a binary search each, no sort of both together."""
    if len(sorted_numbers) == 0:
        return np.zeros(len(values), bool)
    at = np.searchsorted(sorted_numbers, values)
    at[at == len(sorted_numbers)] = 0
    return sorted_numbers[at] == values


def _intersection(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The numbers in both ascending arrays (searching the larger for each of the smaller)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return small[_positions(small, large)]


def _difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The numbers of ascending ``a`` not in ascending ``b``."""
    return a[~_positions(a, b)]


def _union(parts: list[np.ndarray], count: int) -> np.ndarray:
    """The numbers in any of the ascending arrays: marks over every clause number when they are many, else a
    sort of them together."""
    if len(parts) <= 1:
        return parts[0] if parts else _EMPTY
    if sum(len(p) for p in parts) < count // 32:
        return np.unique(np.concatenate(parts))
    seen = np.zeros(count + 1, bool)
    for part in parts:
        seen[part] = True
    return np.flatnonzero(seen).astype(np.int64)


def _term(db: sqlite3.Connection, term: str, count: int, within: np.ndarray | None) -> np.ndarray:
    kind = term_class(term)
    if kind == "word":
        if len(term) == 1:
            return _among(_union(search_index.lists_starting_with(db, term), count), within)
        return _among(search_index.clause_numbers(db, term), within)
    if kind == "text":
        sql = "SELECT group_concat(rowid) FROM fts_trigram WHERE fts_trigram MATCH ?"
        return _among(np.sort(int_column(db, sql, ['"' + term.replace('"', '""') + '"'])), within)
    pattern = like_pattern(term)
    sql = "SELECT group_concat(n) FROM clause_rows WHERE heading LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\'"
    return _among(int_column(db, sql, [pattern, pattern]), within)
