"""Background nodes: the parts of a document that describe, rather than decide.

The topic codebook (``datapackage/vocab/topics-codebook.md``, rule 1) does not
let a technology named in a background node make a technology tag: preambles,
case-study boxes, and everything under a situation heading (发展形势, 发展基础,
存在不足, …). Which nodes those are is declared once, in the ``background``
entry of ``datapackage/vocab/topic_rules.json``::

    "background": {
      "note": "why",
      "kinds": ["preamble", "box"],
      "headings": ["发展形势", "发展基础", "存在不足"]
    }

``headings`` are regular expressions matched against the heading of the node
itself and of every ancestor (``parent_id``); a topic whose rule says
``"background": false`` is not tagged on such nodes.

``framing`` (in the same entry) lists regular expressions for the articles of
a legal text that frame it rather than rule on a subject: purpose, scope,
definitions, entry into force (codebook: "Definitions, scope and final
articles usually get none"). A clause whose text matches one gets no rule tag
at all (a curated line can still add one).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts import vocab
from scripts.errors import LocatedError

BACKGROUND_KEYS = {"note", "kinds", "headings", "framing"}


class BackgroundError(LocatedError):
    """The ``background`` entry of the rules file is unusable; says what and how to fix it."""


@dataclass(frozen=True)
class Background:
    kinds: frozenset[str] = frozenset()
    headings: tuple[re.Pattern[str], ...] = field(default_factory=tuple)
    framing: tuple[re.Pattern[str], ...] = field(default_factory=tuple)

    def framing_match(self, clause: dict[str, Any]) -> str | None:
        """The framing pattern the clause's text matches (purpose, scope, definition, entry into force), or None."""
        text = clause.get("text") or ""
        return next((p.pattern for p in self.framing if p.search(text)), None)

    def why(self, clause: dict[str, Any], ancestors: list[dict[str, Any]]) -> str | None:
        """Why the clause is a background node (its kind, or the heading that makes it one), or None."""
        if clause.get("kind") in self.kinds:
            return f"a {clause['kind']} is a background node"
        for node in [clause, *ancestors]:
            heading = node.get("heading") or ""
            for pattern in self.headings:
                if pattern.search(heading):
                    return f"under the background heading “{heading}” ({node['id']})"
        return None


NO_BACKGROUND = Background()


def parse_background(spec: Any, where: str) -> Background:
    if spec is None:
        return NO_BACKGROUND
    if not isinstance(spec, dict) or set(spec) - BACKGROUND_KEYS:
        raise BackgroundError(
            where,
            "`background` is not an object of the known keys",
            f"write an object with keys {', '.join(sorted(BACKGROUND_KEYS))}",
        )
    kinds = spec.get("kinds", [])
    unknown = [k for k in kinds if k not in vocab.KINDS]
    if unknown:
        raise BackgroundError(
            where,
            f"`background.kinds`: unknown kind(s) {', '.join(unknown)}",
            f"use kinds among {', '.join(vocab.KINDS)}",
        )
    return Background(frozenset(kinds), _patterns(spec, "headings", where), _patterns(spec, "framing", where))


def _patterns(spec: dict[str, Any], key: str, where: str) -> tuple[re.Pattern[str], ...]:
    patterns: list[re.Pattern[str]] = []
    for raw in spec.get(key, []):
        try:
            patterns.append(re.compile(raw))
        except re.error as exc:
            raise BackgroundError(
                where, f"`background.{key}`: bad pattern {raw!r}: {exc}", "correct the regular expression"
            ) from exc
    return tuple(patterns)


def load_background(path: Path, name: str | None = None) -> Background:
    if not path.is_file():
        return NO_BACKGROUND
    return parse_background(json.loads(path.read_text(encoding="utf-8")).get("background"), name or path.name)


def ancestors_of(clause: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The clause's parent, grandparent, … as far as ``by_id`` has them."""
    out: list[dict[str, Any]] = []
    parent = clause.get("parent_id")
    while parent and parent in by_id and len(out) < 32:
        out.append(by_id[parent])
        parent = by_id[parent].get("parent_id")
    return out


def background_reasons(clauses: list[dict[str, Any]], background: Background) -> dict[str, str]:
    """Clause ID → why it is a background node, for the background nodes among ``clauses``."""
    if background is NO_BACKGROUND:
        return {}
    by_id = {c["id"]: c for c in clauses}
    out: dict[str, str] = {}
    for clause in clauses:
        why = background.why(clause, ancestors_of(clause, by_id))
        if why:
            out[clause["id"]] = why
    return out
