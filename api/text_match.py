"""Which clauses a parsed ``q`` matches: set operations over the lookups of each of its terms.

A clause matches a term when its lower-cased search text (:func:`api.text_search.search_text`) holds it:

* a **letter or digit** (``才``, ``5``): the union of the posting lists of every term starting with it
  (:func:`api.search_index.lists_starting_with`);
* **two letters or digits** (``人才``, ``5G``): that bigram's posting list, exactly;
* **three or more letters or digits** (``区块链``): the positions of its bigrams in the posting lists
  (:func:`api.search_index.occurrences`): the clauses where they follow one another;
* **any other term** (``"数字 人民币"``, ``5%``): the clauses holding each of its runs of letters and digits,
  as above, whose search text is then read to find the term itself (every clause's, for a term without
  letters or digits).

Several terms must all match (the cheapest are looked up first), ``OR`` is a union and an exclusion a
difference. The numbers are ascending ``int64``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

import numpy as np

from api import clause_text, search_index
from api import search_syntax as syntax
from api.text_search import RUN_RE, reads_text, search_text, term_class

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
    if term_class(term) == "word":
        if len(term) == 1:
            return _among(_union(search_index.lists_starting_with(db, term), count), within)
        return _among(search_index.clause_numbers(db, term), within)
    if not reads_text(term):
        return _among(_phrase(db, term), within)
    candidates = within
    for run in sorted(RUN_RE.findall(term), key=len, reverse=True):
        candidates = _term(db, run, count, candidates)
        if len(candidates) == 0:
            return candidates
    return _holding(db, term, candidates, count)


def _phrase(db: sqlite3.Connection, run: str) -> np.ndarray:
    """The clauses saying ``run`` (three or more letters or digits): its bigrams at consecutive positions, each
    occurrence list shifted back by its bigram's offset in ``run`` and intersected, the shortest first."""
    lists = sorted((search_index.occurrences(db, run[i : i + 2]) - i for i in range(len(run) - 1)), key=len)
    found = lists[0]
    for other in lists[1:]:
        if len(found) == 0:
            break
        found = found[_positions(found, other)]
    said = found >> 32
    return said[np.concatenate(([True], said[1:] != said[:-1]))] if len(said) else _EMPTY


def _holding(db: sqlite3.Connection, term: str, candidates: np.ndarray | None, count: int) -> np.ndarray:
    """Those of ``candidates`` (every clause when None) whose lower-cased search text holds ``term``: each read."""
    sql = "SELECT n, heading, text FROM clause_rows"
    rows: Iterable[tuple[int, bytes, bytes]]
    if candidates is None:
        rows = db.execute(sql)
    elif len(candidates) * 8 < count:
        rows = db.execute(f"{sql} WHERE n IN (SELECT value FROM json_each(?))", (json.dumps(candidates.tolist()),))
    else:
        wanted = np.zeros(count + 1, bool)
        wanted[candidates] = True
        rows = (row for row in db.execute(sql) if wanted[row[0]])
    decode = clause_text.codec(db).text
    found = [n for n, heading, text in rows if term in search_text(decode(heading), decode(text)).lower()]
    return np.sort(np.asarray(found, np.int64))
