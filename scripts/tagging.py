"""Stage 5: topic tags from reviewable rules, overridden by curated corrections.

Rules live in ``datapackage/vocab/topic_rules.json``: per topic, regular
expressions that include and patterns that exclude. An include match that lies
inside an exclude match does not count. Curated corrections in
``datapackage/vocab/topic_curation.csv`` (clause_id, topic, action, reason)
add or remove a tag and win over the rules.

Items, bullets, paragraphs, boxes, preambles and footnotes are tagged from their
heading and text; parts and sections only from their heading.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from scripts import vocab

RULES_FILE = vocab.ROOT / "datapackage" / "vocab" / "topic_rules.json"
CURATION_FILE = vocab.ROOT / "datapackage" / "vocab" / "topic_curation.csv"
HEADING_ONLY_KINDS = {"part", "section"}


class TaggingError(ValueError):
    """A rule or curation line is unusable; names the file, line or topic, and how to fix it."""


@dataclass(frozen=True)
class Rule:
    topic: str
    include: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Curation:
    clause_id: str
    topic: str
    action: str
    reason: str
    line: int


def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    if not path.is_file():
        return ()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TaggingError(f"{path.name}:{exc.lineno}: not valid JSON: {exc.msg}") from exc
    valid = set(vocab.topic_slugs())
    rules: list[Rule] = []
    for topic, spec in data.get("topics", {}).items():
        if topic not in valid:
            raise TaggingError(f"{path.name}: unknown topic {topic!r}; topics are defined in "
                               f"datapackage/vocab/topics.csv ({', '.join(sorted(valid))})")
        try:
            rules.append(Rule(topic,
                              tuple(re.compile(p) for p in spec.get("include", [])),
                              tuple(re.compile(p) for p in spec.get("exclude", []))))
        except re.error as exc:
            raise TaggingError(f"{path.name}: topic {topic!r}: bad pattern {exc.pattern!r}: {exc}") from exc
    return tuple(rules)


def load_curation(path: Path = CURATION_FILE) -> tuple[Curation, ...]:
    if not path.is_file():
        return ()
    valid = set(vocab.topic_slugs())
    out: list[Curation] = []
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            if row.get("topic") not in valid:
                raise TaggingError(f"{path.name}:{line}: field `topic`: unknown topic {row.get('topic')!r}; valid: "
                                   f"{', '.join(sorted(valid))}")
            if row.get("action") not in ("add", "remove"):
                raise TaggingError(f"{path.name}:{line}: field `action`: must be `add` or `remove`, "
                                   f"got {row.get('action')!r}")
            if not (row.get("reason") or "").strip():
                raise TaggingError(f"{path.name}:{line}: field `reason`: say why the tag is corrected")
            out.append(Curation(row["clause_id"], row["topic"], row["action"], row["reason"], line))
    return tuple(out)


def tag_text(clause: dict[str, Any]) -> str:
    """The text a clause is tagged from."""
    if clause["kind"] in HEADING_ONLY_KINDS:
        return clause["heading"]
    return "\n".join(x for x in (clause["heading"], clause["text"]) if x)


def rule_matches(rule: Rule, text: str) -> list[str]:
    """The words of text that trigger the rule, after exclusions."""
    excluded = [m.span() for p in rule.exclude for m in p.finditer(text)]
    hits: list[str] = []
    for pattern in rule.include:
        for m in pattern.finditer(text):
            if any(s <= m.start() and m.end() <= e for s, e in excluded):
                continue
            hits.append(m.group(0))
    return hits


@cache
def _rules_and_curation() -> tuple[tuple[Rule, ...], tuple[Curation, ...]]:
    return load_rules(), load_curation()


def tag_clauses(clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Set each clause's ``topics`` and return the clause_topics rows (clause order, then topic order)."""
    rules, curation = _rules_and_curation()
    return apply_tags(clauses, rules, curation)


def apply_tags(clauses: list[dict[str, Any]], rules: tuple[Rule, ...],
               curation: tuple[Curation, ...]) -> list[dict[str, Any]]:
    ids = {c["id"] for c in clauses}
    for cur in curation:
        if cur.clause_id not in ids:
            raise TaggingError(f"{CURATION_FILE.name}:{cur.line}: field `clause_id`: no clause {cur.clause_id!r}; "
                               "use an ID from datapackage/data/clauses.csv")
    order = {slug: i for i, slug in enumerate(vocab.topic_slugs())}
    curated = {(c.clause_id, c.topic): c for c in curation}
    out: list[dict[str, Any]] = []
    for clause in clauses:
        text = tag_text(clause)
        tags: dict[str, dict[str, Any]] = {}
        for rule in rules:
            hits = rule_matches(rule, text)
            if hits:
                tags[rule.topic] = {"clause_id": clause["id"], "topic": rule.topic, "source": f"rule:{rule.topic}",
                                    "matched": "|".join(sorted(set(hits)))}
        for (cid, topic), cur in curated.items():
            if cid != clause["id"]:
                continue
            if cur.action == "remove":
                tags.pop(topic, None)
            else:
                tags[topic] = {"clause_id": cid, "topic": topic, "source": "curated", "matched": cur.reason}
        ordered = sorted(tags.values(), key=lambda t: order[t["topic"]])
        clause["topics"] = [t["topic"] for t in ordered]
        out.extend(ordered)
    return out
