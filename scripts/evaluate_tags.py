"""Score the topic tags against hand labels: ``python -m scripts.evaluate_tags [--json] [--errors]``.

The labelled set is ``tests/fixtures/topic_labels.csv`` (clause_id, topics, note):
clauses labelled by reading them against the topic codebook
(``datapackage/vocab/topics-codebook.md``), with a note on each hard call.
``tests/fixtures/topic_labels_heldout.csv`` holds labels written before the
rules were changed to follow the codebook (``--labels`` scores it). Clauses are
rebuilt in memory from the sources, so the scores always reflect the current
rules and curation file (``--rules``/``--curation`` score other versions, e.g.
one taken from git history). Labels of a document that is not in the package
are not scored and are listed as such; a labelled clause missing from a
document that is in the package is an error (relabel it).

Two scores are reported: the published tags (rules, then curated corrections)
and the rules alone, each overall and per document. Also listed: the item
clauses that end up with no tag, with the labeller's note on why.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts import vocab
from scripts.background import Background
from scripts.tagging import (
    CURATION_FILE,
    RULES_FILE,
    Curation,
    Rule,
    TaggingError,
    apply_tags,
    load_curation,
    load_rules,
    load_rules_background,
)

LABELS_FILE = vocab.ROOT / "tests" / "fixtures" / "topic_labels.csv"
HELDOUT_FILE = vocab.ROOT / "tests" / "fixtures" / "topic_labels_heldout.csv"


@dataclass(frozen=True)
class Label:
    clause_id: str
    topics: frozenset[str]
    note: str


@dataclass
class TopicScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Evaluation:
    per_topic: dict[str, TopicScore]
    micro: TopicScore
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (clause_id, topic, "fp" | "fn")

    @property
    def micro_f1(self) -> float:
        return self.micro.f1

    @property
    def macro_f1(self) -> float:
        scored = [s for s in self.per_topic.values() if s.tp + s.fp + s.fn]
        return sum(s.f1 for s in scored) / len(scored) if scored else 1.0


def load_labels(path: Path = LABELS_FILE) -> dict[str, Label]:
    valid = set(vocab.topic_slugs())
    out: dict[str, Label] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            cid = (row.get("clause_id") or "").strip()
            topics = frozenset(t.strip() for t in (row.get("topics") or "").split(",") if t.strip())
            if not cid:
                raise TaggingError(path.name, "empty", "write the ID of a clause", line, "clause_id")
            if cid in out:
                raise TaggingError(
                    path.name, f"clause {cid!r} is labelled twice", "keep one line per clause", line, "clause_id"
                )
            if topics - valid:
                raise TaggingError(
                    path.name,
                    f"unknown topic(s) {', '.join(sorted(topics - valid))}",
                    "use slugs of datapackage/vocab/topics.csv",
                    line,
                    "topics",
                )
            out[cid] = Label(cid, topics, (row.get("note") or "").strip())
    return out


def build_clauses() -> list[dict[str, Any]]:
    """The clauses of the package, rebuilt in memory from the sources (nothing is written)."""
    from scripts.build import build

    return build().clauses


def predict(
    clauses: list[dict[str, Any]],
    rules: tuple[Rule, ...],
    curation: tuple[Curation, ...],
    background: Background | None = None,
) -> dict[str, frozenset[str]]:
    copies = [dict(c) for c in clauses]
    apply_tags(copies, rules, curation, background if background is not None else load_rules_background())
    return {c["id"]: frozenset(c["topics"]) for c in copies}


def in_package(
    labels: dict[str, Label], clauses: list[dict[str, Any]], labels_file: Path = LABELS_FILE
) -> tuple[dict[str, Label], dict[str, int]]:
    """The labels of documents in the package, and how many labels each absent document has (not scored).

    A labelled clause that its document, present in the package, lacks is an error: the labels are out of date.
    """
    ids = {c["id"] for c in clauses}
    documents = {c["document_id"] for c in clauses}
    scored: dict[str, Label] = {}
    absent: Counter[str] = Counter()
    for cid, label in labels.items():
        document = cid.split(".", 1)[0]
        if document not in documents:
            absent[document] += 1
        elif cid not in ids:
            raise TaggingError(
                labels_file.name,
                f"no clause {cid!r} in document {document!r} of the package",
                "relabel against datapackage/data/clauses.csv",
            )
        else:
            scored[cid] = label
    return scored, dict(sorted(absent.items()))


def evaluate(labels: dict[str, Label], predicted: dict[str, frozenset[str]]) -> Evaluation:
    missing = sorted(set(labels) - set(predicted))
    if missing:
        raise TaggingError(
            LABELS_FILE.name,
            f"no clause {missing[0]!r} in the package ({len(missing)} labelled IDs unknown)",
            "relabel against datapackage/data/clauses.csv",
        )
    per_topic = {slug: TopicScore() for slug in vocab.topic_slugs()}
    errors: list[tuple[str, str, str]] = []
    for cid, label in labels.items():
        pred = predicted[cid]
        for topic in label.topics | pred:
            score = per_topic[topic]
            if topic in label.topics and topic in pred:
                score.tp += 1
            elif topic in pred:
                score.fp += 1
                errors.append((cid, topic, "fp"))
            else:
                score.fn += 1
                errors.append((cid, topic, "fn"))
    micro = TopicScore(
        sum(s.tp for s in per_topic.values()),
        sum(s.fp for s in per_topic.values()),
        sum(s.fn for s in per_topic.values()),
    )
    return Evaluation(per_topic, micro, errors)


def untagged(
    clauses: list[dict[str, Any]], predicted: dict[str, frozenset[str]], kinds: tuple[str, ...] = ("item",)
) -> list[dict[str, Any]]:
    return [c for c in clauses if c["kind"] in kinds and not predicted[c["id"]]]


def by_document(labels: dict[str, Label], predicted: dict[str, frozenset[str]]) -> dict[str, dict[str, Any]]:
    """Micro scores of each labelled document."""
    documents = sorted({cid.split(".", 1)[0] for cid in labels})
    return {
        d: evaluate({k: v for k, v in labels.items() if k.split(".", 1)[0] == d}, predicted).micro.as_dict()
        for d in documents
    }


def scores(labels: dict[str, Label], predicted: dict[str, frozenset[str]], errors: bool = True) -> dict[str, Any]:
    ev = evaluate(labels, predicted)
    out = {
        "micro": ev.micro.as_dict(),
        "macro_f1": round(ev.macro_f1, 4),
        "per_topic": {t: s.as_dict() for t, s in ev.per_topic.items()},
        "by_document": by_document(labels, predicted),
    }
    if errors:
        out["errors"] = [{"clause_id": c, "topic": t, "error": e} for c, t, e in ev.errors]
    return out


def report(
    clauses: list[dict[str, Any]] | None = None,
    labels_file: Path = LABELS_FILE,
    rules_file: Path = RULES_FILE,
    curation_file: Path = CURATION_FILE,
) -> dict[str, Any]:
    """Everything the command prints, as one JSON-ready dict."""
    clauses = clauses if clauses is not None else build_clauses()
    labels, not_scored = in_package(load_labels(labels_file), clauses, labels_file)
    rules, curation = load_rules(rules_file), load_curation(curation_file)
    background = load_rules_background(rules_file)
    published = predict(clauses, rules, curation, background)
    rules_only = predict(clauses, rules, (), background)
    by_id = {c["id"]: c for c in clauses}
    coverage = Counter((by_id[cid]["document_id"], by_id[cid]["kind"]) for cid in labels)
    items = untagged(clauses, published)
    return {
        "labels_file": str(labels_file.relative_to(vocab.ROOT))
        if labels_file.is_relative_to(vocab.ROOT)
        else str(labels_file),
        "labelled_clauses": len(labels),
        "labelled_tags": sum(len(lb.topics) for lb in labels.values()),
        "labelled_by_document": dict(sorted(Counter(d for d, _ in coverage.elements()).items())),
        "labelled_by_kind": {k: n for k in vocab.KINDS if (n := sum(v for (_, kk), v in coverage.items() if kk == k))},
        "not_scored": not_scored,
        "curated_lines": len(curation),
        "published": scores(labels, published),
        "rules_only": scores(labels, rules_only, errors=False),
        "untagged_items": {
            "count": len(items),
            "of": sum(1 for c in clauses if c["kind"] == "item"),
            "clauses": [
                {
                    "id": c["id"],
                    "heading": c["heading"],
                    "why": labels[c["id"]].note if c["id"] in labels else "not labelled",
                }
                for c in items
            ],
        },
    }


def _score_line(name: str, s: dict[str, Any]) -> str:
    return f"{name:<44}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}"


def render(rep: dict[str, Any], show_errors: bool = False) -> str:
    pub, raw = rep["published"], rep["rules_only"]
    header = f"{'':<44}{'tp':>5}{'fp':>5}{'fn':>5}{'prec':>8}{'recall':>8}{'f1':>8}"
    lines = [
        f"labelled set: {rep['labelled_clauses']} clauses, {rep['labelled_tags']} tags ({rep['labels_file']})",
        "  by document: " + ", ".join(f"{k} {v}" for k, v in rep["labelled_by_document"].items()),
        "  by kind: " + ", ".join(f"{k} {v}" for k, v in rep["labelled_by_kind"].items()),
    ]
    if rep["not_scored"]:
        lines.append(
            "  not scored (document not in the package): " + ", ".join(f"{k} {v}" for k, v in rep["not_scored"].items())
        )
    lines += ["", header]
    lines += [_score_line(topic, s) for topic, s in pub["per_topic"].items() if s["tp"] + s["fp"] + s["fn"]]
    lines += [_score_line("micro", pub["micro"]), "", header]
    lines += [_score_line(doc, s) for doc, s in pub["by_document"].items()]
    m = pub["micro"]
    lines += [
        "",
        f"micro-F1 {m['f1']:.4f} (published tags: rules + {rep['curated_lines']} curated lines); "
        f"macro-F1 {pub['macro_f1']:.4f}",
        f"micro-F1 {raw['micro']['f1']:.4f} (rules alone: precision {raw['micro']['precision']:.3f}, "
        f"recall {raw['micro']['recall']:.3f}); macro-F1 {raw['macro_f1']:.4f}",
    ]
    un = rep["untagged_items"]
    lines += ["", f"item clauses with no tag: {un['count']} of {un['of']}"]
    lines += [f"  {c['id']} {c['heading']}: {c['why']}" for c in un["clauses"]]
    if show_errors:
        lines += ["", "disagreements with the labels (fp: tagged but not labelled; fn: labelled but not tagged):"]
        lines += [f"  {e['error']} {e['clause_id']} {e['topic']}" for e in pub["errors"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--errors", action="store_true", help="also list every disagreement with the labels")
    parser.add_argument(
        "--labels",
        type=Path,
        default=LABELS_FILE,
        help=f"labels to score against (default {LABELS_FILE.relative_to(vocab.ROOT)}; "
        f"held-out: {HELDOUT_FILE.relative_to(vocab.ROOT)})",
    )
    parser.add_argument("--rules", type=Path, default=RULES_FILE, help="rules file to score (default: the current one)")
    parser.add_argument(
        "--curation", type=Path, default=CURATION_FILE, help="curation file to apply (default: the current one)"
    )
    args = parser.parse_args(argv)
    from scripts.build import BuildError

    for option, path in (("--labels", args.labels), ("--rules", args.rules), ("--curation", args.curation)):
        if not path.is_file():
            print(f"error: {option} {path}: no such file", file=sys.stderr)
            return 2
    try:
        rep = report(labels_file=args.labels, rules_file=args.rules, curation_file=args.curation)
    except (TaggingError, BuildError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(rep, ensure_ascii=False, indent=2))
    else:
        print(render(rep, args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
