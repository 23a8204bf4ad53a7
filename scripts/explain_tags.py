"""Why a clause has each of its topic tags: ``python -m scripts.explain_tags <clause_id> [...]``.

Reads the built package (datapackage/data/clauses.json and clause_topics.csv)
and the current rules and curation file. For every tag of the clause it prints
where the tag comes from: for a rule, each matched word with its context, its
weight and why it counts that much (heading, list entry); for a curated tag,
the curation line and its reason. Matches that did not count (covered by an
exclude pattern) are shown too, and so are rule tags removed by curation.
``--near`` also lists topics whose words occur in the clause but did not add
up to a tag. If the built tags differ from what the current rules give, it says
so: rebuild with ``python -m scripts.build``.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import sys
from pathlib import Path
from typing import Any

from scripts import vocab
from scripts.background import NO_BACKGROUND, Background, ancestors_of
from scripts.tagging import (
    CURATION_FILE,
    HEADING_FACTOR,
    RULES_FILE,
    Hit,
    Rule,
    TaggingError,
    apply_tags,
    heading_end,
    load_curation,
    load_rules,
    load_rules_background,
    rule_hits,
    rule_score,
    tag_text,
)

DATA_DIR = vocab.ROOT / "datapackage" / "data"
CONTEXT = 14  # characters of context either side of a match


def load_built(data_dir: Path = DATA_DIR) -> tuple[dict[str, dict[str, Any]], dict[str, list[dict[str, str]]]]:
    """The built clauses by ID, and their clause_topics rows by clause ID."""
    clauses_file, tags_file = data_dir / "clauses.json", data_dir / "clause_topics.csv"
    if not clauses_file.is_file() or not tags_file.is_file():
        raise TaggingError(data_dir.as_posix(), "no built package", "run `python -m scripts.build` first")
    clauses = {c["id"]: c for c in json.loads(clauses_file.read_text(encoding="utf-8"))}
    tags: dict[str, list[dict[str, str]]] = {}
    with tags_file.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            tags.setdefault(row["clause_id"], []).append(row)
    return clauses, tags


def context(text: str, hit: Hit) -> str:
    before = text[max(0, hit.start - CONTEXT) : hit.start].replace("\n", " ")
    after = text[hit.end : hit.end + CONTEXT].replace("\n", " ")
    return f"…{before}[{hit.text}]{after}…"


def overlap_leaders(hits: list[Hit]) -> dict[int, Hit]:
    """For each counted hit (by index), the hit that its overlapping group counts at (as in ``rule_score``)."""
    leaders: dict[int, Hit] = {}
    group: list[int] = []
    group_end = -1

    def close() -> None:
        if group:
            best = max((hits[i] for i in group), key=lambda h: h.weight)
            leaders.update({i: best for i in group})

    for i, h in enumerate(hits):
        if h.weight <= 0:
            continue
        if h.start >= group_end:
            close()
            group, group_end = [i], h.end
        else:
            group.append(i)
            group_end = max(group_end, h.end)
    close()
    return leaders


def describe_hit(text: str, hit: Hit, leader: Hit | None = None) -> str:
    if hit.excluded_by is not None:
        why = f"does not count: inside exclude match “{hit.excluded_by}”"
    elif leader is not None and leader is not hit:
        why = f"overlaps “{leader.text}”, which counts for both"
    else:
        parts = [f"pattern weight {hit.pattern.weight:g}"]
        if hit.listed:
            parts.append("list entry")
        if hit.in_heading:
            parts.append("in heading")
        why = f"counts {hit.weight:g} ({', '.join(parts)})"
    return f"{context(text, hit)}  pattern /{hit.pattern.source}/  {why}"


def explain_rule(rule: Rule, text: str, head: int, indent: str = "    ") -> list[str]:
    hits = rule_hits(rule, text, head)
    leaders = overlap_leaders(hits)
    lines = [f"{indent}{describe_hit(text, h, leaders.get(i))}" for i, h in enumerate(hits)]
    lines.append(
        f"{indent}score {rule_score(hits):g} (needs {rule.min_score:g}; "
        f"list entries count ×{rule.list_weight:g}, heading ×{HEADING_FACTOR:g})"
    )
    return lines


def context_lines(
    clause: dict[str, Any], ancestors: list[dict[str, Any]], background: Background, rules: tuple[Rule, ...]
) -> list[str]:
    """What the clause's place in the document does to its tags: a framing article, a background node."""
    lines: list[str] = []
    framing = background.framing_match(clause)
    if framing:
        lines.append(
            f"  framing article (text matches /{framing}/ of `background.framing` in {RULES_FILE.name}): "
            "no rule tag; the codebook gives purpose, scope, definition and final articles none"
        )
    why = background.why(clause, ancestors)
    skipped = [r.topic for r in rules if not r.background]
    if why and skipped:
        lines.append(
            f"  background node ({why}): {', '.join(skipped)} are not tagged here "
            "(codebook rule 1: a technology named in a background node makes no tag)"
        )
    return lines


def tag_lines(
    clause: dict[str, Any],
    built: dict[str, dict[str, str]],
    rules: tuple[Rule, ...],
    curation_lines: dict[tuple[str, str], Any],
) -> list[str]:
    """Each built tag with its rule's or curation line's reasons, then the tags curation removed."""
    text, head = tag_text(clause), heading_end(clause)
    by_topic = {r.topic: r for r in rules}
    lines: list[str] = []
    for topic in vocab.topic_slugs():
        if topic not in built:
            continue
        tag = built[topic]
        if tag["source"] == "curated":
            cur = curation_lines.get((clause["id"], topic))
            where = f"{CURATION_FILE.name} line {cur.line}" if cur else CURATION_FILE.name
            lines.append(f"  {topic}: curated ({where}, add): {tag['matched']}")
            if topic in by_topic and rule_hits(by_topic[topic], text, head):
                lines.append(f"    what rule:{topic} sees:")
                lines.extend(explain_rule(by_topic[topic], text, head, indent="      "))
        else:
            lines.append(f"  {topic}: {tag['source']} ({RULES_FILE.name}), matched {tag['matched']}")
            if topic in by_topic:
                lines.extend(explain_rule(by_topic[topic], text, head))
    for (cid, topic), cur in sorted(curation_lines.items()):
        if cid == clause["id"] and cur.action == "remove":
            lines.append(f"  {topic}: removed by curation ({CURATION_FILE.name} line {cur.line}): {cur.reason}")
            if topic in by_topic:
                lines.extend(explain_rule(by_topic[topic], text, head))
    return lines


def near_lines(clause: dict[str, Any], shown: set[str], rules: tuple[Rule, ...]) -> list[str]:
    """The rules whose words occur in the clause without adding up to a tag."""
    text, head = tag_text(clause), heading_end(clause)
    lines: list[str] = []
    for rule in rules:
        if rule.topic in shown:
            continue
        if rule_hits(rule, text, head):
            lines.append(f"  {rule.topic}: not tagged (words occur but do not add up)")
            lines.extend(explain_rule(rule, text, head))
    return lines


def explain(
    clause: dict[str, Any],
    built_tags: list[dict[str, str]],
    rules: tuple[Rule, ...],
    curation_lines: dict[tuple[str, str], Any],
    near: bool = False,
    ancestors: list[dict[str, Any]] | None = None,
    background: Background = NO_BACKGROUND,
) -> list[str]:
    ancestors = ancestors or []
    lines = [
        f"{clause['id']}  [{clause['kind']}]  {clause['document_id']} {clause['numbering']}",
        f"  heading: {clause['heading'] or '—'}",
    ]
    if clause["kind"] in ("part", "section"):
        lines.append("  (a part or section is tagged from its heading only)")
    excerpt = (clause["text"] or "").replace("\n", " ")
    lines.append(f"  text: {excerpt[:120]}{'…' if len(excerpt) > 120 else ''}")
    lines.extend(context_lines(clause, ancestors, background, rules))

    own = tuple(c for c in curation_lines.values() if c.clause_id == clause["id"])
    chain = [dict(clause), *(dict(a) for a in ancestors)]
    apply_tags(chain, rules, own, background)
    current = [{"topic": t} for t in chain[0]["topics"]]
    built = {t["topic"]: t for t in built_tags}
    if set(built) != {t["topic"] for t in current}:
        lines.append(
            "  note: the built tags differ from what the current rules and curation give "
            f"({', '.join(sorted(built)) or 'none'} built, "
            f"{', '.join(t['topic'] for t in current) or 'none'} now); "
            "run `python -m scripts.build`"
        )
    if not built:
        lines.append("  no topic tags")
    lines.extend(tag_lines(clause, built, rules, curation_lines))
    if near:
        lines.extend(near_lines(clause, set(built) | {t for (cid, t) in curation_lines if cid == clause["id"]}, rules))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clause_ids", nargs="+", metavar="clause_id", help="e.g. qingdao-2021.2.6")
    parser.add_argument(
        "--near", action="store_true", help="also show topics whose words occur in the clause without making a tag"
    )
    args = parser.parse_args(argv)
    try:
        clauses, tags = load_built()
        rules, background = load_rules(), load_rules_background()
        curation = {(c.clause_id, c.topic): c for c in load_curation()}
    except TaggingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    status = 0
    for i, cid in enumerate(args.clause_ids):
        if i:
            print()
        if cid not in clauses:
            close = difflib.get_close_matches(cid, clauses, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            print(f"error: no clause {cid!r} in {DATA_DIR / 'clauses.json'}{hint}", file=sys.stderr)
            status = 1
            continue
        lines = explain(
            clauses[cid], tags.get(cid, []), rules, curation, args.near, ancestors_of(clauses[cid], clauses), background
        )
        print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
