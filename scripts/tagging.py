"""Stage 5: topic tags from reviewable rules, overridden by curated corrections.

Rules live in ``datapackage/vocab/topic_rules.json``::

    {
      "about": ["what the rules are for and how they are written", "..."],
      "defines": {"TECH": "(?:大数据|人工智能|区块链)"},
      "topics": {
        "<slug>": {
          "note": "why the patterns are what they are",
          "include": ["人才培养", {"pattern": "人才", "weight": 0.5}],
          "exclude": ["{TECH}(?:、{TECH})+"],
          "min_score": 1,
          "list_weight": 0.5
        }
      }
    }

* ``include``: regular expressions whose matches count for the topic. An entry
  is a pattern string (weight 1) or ``{"pattern": ..., "weight": w}``.
* ``exclude``: regular expressions marking passages where the topic's words do
  not count (a list of technologies, a "provided that ..." condition). An
  include match that lies inside an exclude match does not count.
* ``min_score`` (default 1): the topic applies when the weights of the counted
  include matches add up to at least this. A weak word with weight 0.5 thus
  needs a second mention; a strong phrase with weight 1 suffices on its own.
  Overlapping matches count once, at the highest weight among them.
* ``list_weight`` (default 1): multiplies the weight of a match that is an
  entry of an enumeration: a short phrase (up to ``LIST_ITEM_MAX`` = 8
  characters) bounded by a list separator (``、`` or ``+``); see ``listed``.
  A term named in passing among others ("人才、技术、标准等方面") thus counts
  for less than a term the clause is about.
* A match inside the clause's heading counts ``HEADING_FACTOR`` (2) times: a
  heading states what the clause is about (for parts and sections, the
  heading is all that is tagged).
* ``defines``: named pattern fragments, written ``{NAME}`` (capitals, digits and
  ``_``) in any pattern, so that a shared fragment is defined once. A fragment
  may use other fragments. Regex quantifiers such as ``{2}`` or ``{0,8}`` are
  not names and are left alone.
* ``background`` (per topic, default true): false means the topic is not
  tagged on background nodes (preambles, boxes, situation parts; declared by
  the top-level ``background`` entry, see ``scripts.background``): the
  codebook does not let a technology named there make a tag.
* ``note`` (per topic) and ``about`` (top level, a string or a list of lines):
  free text for reviewers, ignored by the tagger; ``about`` documents the
  format and the tagging policy.

Curated corrections in ``datapackage/vocab/topic_curation.csv`` (clause_id,
topic, action, reason) add or remove a tag and win over the rules.

Items, bullets, paragraphs, boxes, preambles and footnotes are tagged from their
heading and text (a heading that the text repeats as its first sentence is read
once); parts and sections only from their heading.
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
from scripts.background import NO_BACKGROUND, Background, BackgroundError, background_reasons, load_background
from scripts.errors import LocatedError

RULES_FILE = vocab.ROOT / "datapackage" / "vocab" / "topic_rules.json"
CURATION_FILE = vocab.ROOT / "datapackage" / "vocab" / "topic_curation.csv"
HEADING_ONLY_KINDS = {"part", "section"}
RULE_KEYS = {"include", "exclude", "min_score", "list_weight", "note", "background"}
HEADING_FACTOR = 2.0
LIST_SEPARATORS = "、+"
LIST_STOPS = "，,。；;：:！？!?\n"
LIST_ITEM_MAX = 8
LIST_NEXT_MAX = 10
_LEADING_CONJUNCTION = re.compile(r"^(?:以及|和|及|与|或)")
_MODIFIER_END = re.compile(r"[性型]$")
_ENTRY_CLOSE = re.compile(r"等|方面|层面|[”」』]")
_CONJUNCTION = re.compile(r"(?<=[^、以])(?=以及|和|及|与|或)")
_QUOTES = re.compile(r"[“”‘’\"']")
_NAME = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


class TaggingError(LocatedError):
    """A rule or curation line is unusable; names the file, line or topic, and how to fix it."""


def _rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(vocab.ROOT).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(frozen=True)
class Where:
    """A place in the rules file: a topic's rule."""

    file: str
    topic: str

    def error(self, message: str, fix: str) -> TaggingError:
        return TaggingError(self.file, f"topic {self.topic!r}: {message}", fix)


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern[str]
    weight: float = 1.0
    source: str = ""  # the pattern as written in the rules file, before {NAME} expansion


@dataclass(frozen=True)
class Rule:
    topic: str
    include: tuple[Pattern, ...]
    exclude: tuple[re.Pattern[str], ...]
    min_score: float = 1.0
    list_weight: float = 1.0
    background: bool = True  # whether the topic is tagged on background nodes


@dataclass(frozen=True)
class Hit:
    """One include match: where it is, what it matched, and whether an exclude match covers it."""

    pattern: Pattern
    start: int
    end: int
    text: str
    excluded_by: str | None = None  # the exclude match that covers it, if any
    listed: bool = False  # an entry of an enumeration
    in_heading: bool = False  # inside the clause's heading
    weight: float = 1.0  # what the hit counts for: pattern weight, times list_weight when listed, 0 when excluded


@dataclass(frozen=True)
class Curation:
    clause_id: str
    topic: str
    action: str
    reason: str
    line: int


def _expand(pattern: str, defines: dict[str, str], where: Where, depth: int = 0) -> str:
    if depth > 8:
        raise where.error("`defines` refer to each other in a loop", "make one name of the loop a plain pattern")

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in defines:
            raise where.error(f"unknown name {{{name}}}", "add it to `defines` or escape the brace")
        return _expand(defines[name], defines, where, depth + 1)

    return _NAME.sub(sub, pattern)


def _compile(raw: str, defines: dict[str, str], where: Where) -> re.Pattern[str]:
    try:
        return re.compile(_expand(raw, defines, where))
    except re.error as exc:
        raise where.error(f"bad pattern {raw!r}: {exc}", "correct the regular expression") from exc


def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    if not path.is_file():
        return ()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TaggingError(_rel(path), f"not valid JSON: {exc.msg}", "correct the JSON syntax", exc.lineno) from exc
    valid = set(vocab.topic_slugs())
    defines = data.get("defines", {})
    rules: list[Rule] = []
    for topic, spec in data.get("topics", {}).items():
        if topic not in valid:
            raise TaggingError(
                _rel(path),
                f"unknown topic {topic!r}",
                f"topics are defined in datapackage/vocab/topics.csv ({', '.join(sorted(valid))})",
            )
        where = Where(_rel(path), topic)
        unknown = set(spec) - RULE_KEYS
        if unknown:
            raise where.error(f"unknown key(s) {', '.join(sorted(unknown))}", f"use {', '.join(sorted(RULE_KEYS))}")
        include: list[Pattern] = []
        for entry in spec.get("include", []):
            raw, weight = (entry, 1.0) if isinstance(entry, str) else (entry.get("pattern"), entry.get("weight", 1.0))
            if not isinstance(raw, str) or not isinstance(weight, int | float) or weight <= 0:
                raise where.error(
                    f"include entry {entry!r} is not a pattern",
                    'write a pattern string or {"pattern": "...", "weight": <positive number>}',
                )
            include.append(Pattern(_compile(raw, defines, where), float(weight), raw))
        exclude = tuple(_compile(raw, defines, where) for raw in spec.get("exclude", []))
        min_score, list_weight = spec.get("min_score", 1), spec.get("list_weight", 1)
        if not isinstance(min_score, int | float) or min_score <= 0:
            raise where.error(f"`min_score` is {min_score!r}", "write a positive number")
        if not isinstance(list_weight, int | float) or not 0 <= list_weight <= 1:
            raise where.error(f"`list_weight` is {list_weight!r}", "write a number from 0 to 1")
        on_background = spec.get("background", True)
        if not isinstance(on_background, bool):
            raise where.error(f"`background` is {on_background!r}", "write true or false")
        rules.append(Rule(topic, tuple(include), exclude, float(min_score), float(list_weight), on_background))
    return tuple(rules)


def load_curation(path: Path = CURATION_FILE) -> tuple[Curation, ...]:
    if not path.is_file():
        return ()
    valid = set(vocab.topic_slugs())
    out: list[Curation] = []
    seen: dict[tuple[str, str], int] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            file = _rel(path)
            if row.get("topic") not in valid:
                raise TaggingError(
                    file, f"unknown topic {row.get('topic')!r}", f"use one of {', '.join(sorted(valid))}", line, "topic"
                )
            if row.get("action") not in ("add", "remove"):
                raise TaggingError(
                    file, f"the action is {row.get('action')!r}", "write `add` or `remove`", line, "action"
                )
            if not (row.get("reason") or "").strip():
                raise TaggingError(file, "empty", "say why the tag is corrected", line, "reason")
            if "|" in row["reason"]:
                raise TaggingError(
                    file,
                    "the reason holds a `|`, the separator of clause_topics.matched",
                    "write the reason without `|`",
                    line,
                    "reason",
                )
            key = (row["clause_id"], row["topic"])
            if key in seen:
                raise TaggingError(
                    file,
                    f"clause {key[0]!r} and topic {key[1]!r} are already corrected on line {seen[key]}",
                    "keep one line per clause and topic",
                    line,
                    "clause_id",
                )
            seen[key] = line
            out.append(Curation(row["clause_id"], row["topic"], row["action"], row["reason"], line))
    return tuple(out)


def tag_text(clause: dict[str, Any]) -> str:
    """The text a clause is tagged from: the heading of a part or section; heading and text of anything else."""
    heading, text = clause["heading"] or "", clause["text"] or ""
    if clause["kind"] in HEADING_ONLY_KINDS:
        return heading
    if heading and text.startswith(heading):
        return text
    return "\n".join(x for x in (heading, text) if x)


def _entry_end(text: str, i: int) -> int:
    """Where the enumeration entry going on at i ends: a separator, punctuation, 等/方面/层面 or a closing quote."""
    while (
        i < len(text)
        and text[i] not in LIST_SEPARATORS
        and text[i] not in LIST_STOPS
        and not _ENTRY_CLOSE.match(text, i)
    ):
        i += 1
    return i


def _length(part: str) -> int:
    """Length of an entry or part, without quotes and without the conjunction that opens it."""
    return len(_QUOTES.sub("", _LEADING_CONJUNCTION.sub("", part)))


def listed(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is an entry of an enumeration (see ``list_weight``).

    An entry runs between list separators (``、``, ``+``), punctuation, and on
    the right also 等/方面/层面 or a closing quote. A match is listed when

    * a separator precedes its entry and the entry, or the part of it set off
      by 和/及/与/或, is short (``LIST_ITEM_MAX`` characters; "、小微企业和三农"
      yields the part "三农"); or
    * it ends the first entry of a list, within ``LIST_ITEM_MAX`` characters
      of the separator, and the entry after it is short too (at most
      ``LIST_NEXT_MAX``): "在金融科技赋能跨境合作、普惠民生、绿色环保".

    A series of modifiers sharing one head ("基础性、前瞻性研究", "营销型、体验型智慧网点")
    is not a list of topics: an entry after one ending in 性 or 型 is not listed.
    A long phrase followed by another long one ("复合型人才培养体系、自主可控软硬件
    基础设施建设") is not an enumeration of topics in passing, and is not listed.
    """
    left = start - 1
    while left >= 0 and text[left] not in LIST_SEPARATORS and text[left] not in LIST_STOPS:
        left -= 1
    right = _entry_end(text, end)
    if left >= 0 and text[left] in LIST_SEPARATORS:
        entry, offset, pos = text[left + 1 : right], start - (left + 1), 0
        before = text[:left]
        for part in _CONJUNCTION.split(entry):
            if offset < pos + len(part):
                break
            before, pos = entry[: pos + len(part)], pos + len(part)
        else:
            part = entry
        if _MODIFIER_END.search(before):
            return False  # "基础性、关键性技术研发": a series of modifiers of one head, not a list of topics
        return _length(part) <= LIST_ITEM_MAX
    if right < len(text) and text[right] in LIST_SEPARATORS and right - start <= LIST_ITEM_MAX:
        following = _CONJUNCTION.split(text[right + 1 : _entry_end(text, right + 1)])[0]
        return 0 < _length(following) <= LIST_NEXT_MAX
    return False


def heading_end(clause: dict[str, Any]) -> int:
    """How many leading characters of ``tag_text(clause)`` are the clause's heading."""
    return len(clause["heading"] or "")  # tag_text puts the heading first, once


def rule_hits(rule: Rule, text: str, heading_chars: int = 0) -> list[Hit]:
    """Every include match in text, in text order, with the exclude match covering it and what it counts for.

    ``heading_chars``: how many leading characters of text are the clause heading (see ``heading_end``).
    """
    excluded = [(m.start(), m.end(), m.group(0)) for p in rule.exclude for m in p.finditer(text)]
    hits: list[Hit] = []
    for pattern in rule.include:
        for m in pattern.regex.finditer(text):
            if m.start() == m.end():
                continue
            cover = next((x for s, e, x in excluded if s <= m.start() and m.end() <= e), None)
            in_list = listed(text, m.start(), m.end())
            in_heading = m.end() <= heading_chars
            weight = (
                0.0
                if cover is not None
                else pattern.weight * (rule.list_weight if in_list else 1.0) * (HEADING_FACTOR if in_heading else 1.0)
            )
            hits.append(
                Hit(
                    pattern,
                    m.start(),
                    m.end(),
                    m.group(0),
                    excluded_by=cover,
                    listed=in_list,
                    in_heading=in_heading,
                    weight=weight,
                )
            )
    return sorted(hits, key=lambda h: (h.start, h.end))


def rule_score(hits: list[Hit]) -> float:
    """What the hits add up to: overlapping hits form one group, which counts at its highest weight."""
    total, group_end, group_best = 0.0, -1, 0.0
    for h in sorted(hits, key=lambda h: (h.start, h.end)):
        if h.weight <= 0:
            continue
        if h.start >= group_end:
            total, group_end, group_best = total + group_best, h.end, h.weight
        else:
            group_end, group_best = max(group_end, h.end), max(group_best, h.weight)
    return total + group_best


def rule_matches(rule: Rule, text: str, heading_chars: int = 0) -> list[str]:
    """The words of text that trigger the rule, after exclusions; empty when they do not reach ``min_score``."""
    hits = rule_hits(rule, text, heading_chars)
    if rule_score(hits) + 1e-9 < rule.min_score:
        return []
    return [h.text for h in hits if h.weight > 0]


def load_rules_background(path: Path = RULES_FILE) -> Background:
    """The background nodes declared in the rules file (see ``scripts.background``)."""
    try:
        return load_background(path, _rel(path))
    except BackgroundError as exc:
        raise TaggingError(exc.file, exc.message, exc.fix) from exc


@cache
def _rules_and_curation() -> tuple[tuple[Rule, ...], tuple[Curation, ...], Background]:
    return load_rules(), load_curation(), load_rules_background()


def tag_clauses(clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Set each clause's ``topics`` and return the clause_topics rows (clause order, then topic order)."""
    rules, curation, background = _rules_and_curation()
    return apply_tags(clauses, rules, curation, background)


def apply_tags(
    clauses: list[dict[str, Any]],
    rules: tuple[Rule, ...],
    curation: tuple[Curation, ...],
    background: Background = NO_BACKGROUND,
) -> list[dict[str, Any]]:
    """Tag the clauses (``topics`` set in place); ``background`` nodes are found among ``clauses`` by parent_id."""
    ids = {c["id"] for c in clauses}
    for cur in curation:
        if cur.clause_id not in ids:
            raise TaggingError(
                _rel(CURATION_FILE),
                f"no clause {cur.clause_id!r}",
                "use an ID from datapackage/data/clauses.csv",
                cur.line,
                "clause_id",
            )
    order = {slug: i for i, slug in enumerate(vocab.topic_slugs())}
    curated = {(c.clause_id, c.topic): c for c in curation}
    in_background = background_reasons(clauses, background)
    out: list[dict[str, Any]] = []
    for clause in clauses:
        text, head = tag_text(clause), heading_end(clause)
        tags: dict[str, dict[str, Any]] = {}
        framing = background.framing_match(clause)
        for rule in rules:
            if framing or (not rule.background and clause["id"] in in_background):
                continue
            hits = rule_matches(rule, text, head)
            if hits:
                tags[rule.topic] = {
                    "clause_id": clause["id"],
                    "topic": rule.topic,
                    "source": f"rule:{rule.topic}",
                    "matched": "|".join(sorted(set(hits))),
                }
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
