"""The syntax of ``q``: words, ``"exact phrases"``, ``OR``, ``-exclusions`` and parentheses, as a tree.

Grammar (words next to each other must all match; ``OR`` binds looser than that)::

    query  := any ( "OR" any )*
    any    := unary+
    unary  := "-" unary | primary
    primary:= WORD | "phrase" | "(" query ")"

``"..."`` is one term, spaces included (Chinese quotes “…” are text, searched as written). ``-`` excludes only at
the start of a term (``2019-2021`` is one word). ``OR`` must be upper case (``or`` is a word).
A query that cannot be read raises :class:`SyntaxProblem`, which says what is wrong and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN_RE = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<minus>-)(?=\S)|(?P<quote>")|(?P<word>[^\s()"]+))')


class SyntaxProblem(ValueError):
    """A ``q`` that does not follow the search syntax: the message says what is wrong, where and how to fix it."""


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class AllOf:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    nodes: tuple[Node, ...]


Node = Term | Not | AllOf | AnyOf


@dataclass(frozen=True)
class _Token:
    kind: str  # open, close, minus, or, term
    pos: int
    term: Term | None = None


def _tokens(q: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(q):
        m = _TOKEN_RE.match(q, pos)
        if m is None:  # only trailing whitespace is left
            break
        start = m.start(m.lastgroup or 0)
        if m.lastgroup == "quote":
            end = q.find('"', m.end())
            if end < 0:
                raise SyntaxProblem(f'the quote opened at character {start + 1} is not closed; add a closing "')
            text = q[m.end() : end].strip()
            if not text:
                raise SyntaxProblem(f"empty phrase at character {start + 1}; put words between the quotes")
            tokens.append(_Token("term", start, Term(text, phrase=True)))
            pos = end + 1
            continue
        word = m.group("word")
        if word == "OR":
            tokens.append(_Token("or", start))
        elif word is not None:
            tokens.append(_Token("term", start, Term(word)))
        else:
            tokens.append(_Token(m.lastgroup or "", start))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, q: str) -> None:
        self.q = q
        self.tokens = _tokens(q)
        self.i = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def where(self, token: _Token | None) -> str:
        return f"at character {token.pos + 1}" if token else "at the end"

    def query(self) -> Node:
        branches = [self.conjunction()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.i += 1
            if self.peek() is None or self.peek().kind in ("or", "close"):  # type: ignore[union-attr]
                raise SyntaxProblem(f"OR {self.where(token)} needs a term on both sides, such as 人才 OR 沙盒")
            branches.append(self.conjunction())
        return branches[0] if len(branches) == 1 else AnyOf(tuple(branches))

    def conjunction(self) -> Node:
        nodes: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in ("or", "close"):
            nodes.append(self.unary())
        if not nodes:
            token = self.peek()
            what = "OR" if token and token.kind == "or" else "')'" if token else "the query"
            raise SyntaxProblem(
                f"{what} {self.where(token)} has no term before it; write a term first, such as 人才 OR 沙盒"
            )
        return nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))

    def unary(self) -> Node:
        token = self.tokens[self.i]
        self.i += 1
        if token.kind == "minus":
            nxt = self.peek()
            if nxt is None or nxt.kind in ("or", "close", "minus"):
                raise SyntaxProblem(f"'-' {self.where(token)} must be followed by the term to exclude, such as -青岛")
            return Not(self.unary())
        if token.kind == "open":
            if (nxt := self.peek()) is not None and nxt.kind == "close":
                raise SyntaxProblem(f"empty parentheses {self.where(token)}; put terms inside, such as (人才 OR 沙盒)")
            inner = self.query()
            closing = self.peek()
            if closing is None or closing.kind != "close":
                raise SyntaxProblem(f"the parenthesis opened {self.where(token)} is not closed; add ')'")
            self.i += 1
            return inner
        if token.kind == "close":
            raise SyntaxProblem(f"')' {self.where(token)} closes no parenthesis; remove it or add '(' before")
        assert token.term is not None
        return token.term


def parse(q: str) -> Node:
    """The tree of ``q`` (already stripped of control characters and known to hold a non-space character)."""
    parser = _Parser(q)
    if not parser.tokens:
        raise SyntaxProblem("q must contain at least one term")
    node = parser.query()
    if (token := parser.peek()) is not None:
        raise SyntaxProblem(f"')' {parser.where(token)} closes no parenthesis; remove it or add '(' before")
    if not positive_terms(node):
        raise SyntaxProblem("q only excludes terms; add a term to search for, such as 人才 -青岛")
    return node


def positive_terms(node: Node) -> list[Term]:
    """The terms a match must or may contain (not the excluded ones), in query order."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return []
    return [t for child in node.nodes for t in positive_terms(child)]


def all_terms(node: Node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return all_terms(node.node)
    return [t for child in node.nodes for t in all_terms(child)]


def conjuncts(node: Node) -> tuple[Node, ...]:
    """The parts of ``node`` that must all hold (the node itself unless it is an :class:`AllOf`)."""
    return node.nodes if isinstance(node, AllOf) else (node,)


def with_variants(node: Node, variants: dict[str, str]) -> Node:
    """``node`` where each term with a variant in ``variants`` matches either form (``區塊鏈`` OR ``区块链``)."""
    if isinstance(node, Term):
        other = variants.get(node.text)
        return AnyOf((node, Term(other, node.phrase))) if other and other != node.text else node
    if isinstance(node, Not):
        return Not(with_variants(node.node, variants))
    return type(node)(tuple(with_variants(n, variants) for n in node.nodes))
