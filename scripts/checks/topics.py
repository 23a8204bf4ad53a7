"""The topics check: every topic is in the vocabulary and clauses.topics agrees with clause_topics."""

from __future__ import annotations

from typing import ClassVar

from scripts.checks.base import Check, Context, Row
from scripts.checks.problems import GENERATED_FIX

TOPIC_FIX = (
    "topics come from datapackage/vocab/topics.csv: to fix a tag, add a line to "
    "datapackage/vocab/topic_curation.csv (clause_id, topic, action, reason) with one of its slugs and run "
    "`python -m scripts.build`; never edit the data files"
)


class TopicsCheck(Check):
    name = "topics"
    description = (
        "the tag rules and curation load; every topic is in the vocabulary and clauses.topics agrees with clause_topics"
    )
    errors: ClassVar[dict[str, str]] = {
        "rules": "the tag rules or curation do not load (raised by the build)",
        "unknown": "a topic not in the vocabulary",
        "disagree": "clauses.topics differs from clause_topics",
        "order": 'a clause"s tags are not together, in clause order',
        "twice": "a clause tagged twice",
    }
    tables = ("topics", "clauses", "clause_topics")
    owns = frozenset({("clause_topics", "topic", "enum"), ("clause_topics", "*", "primaryKey")})

    def __init__(self) -> None:
        self.tagged: dict[str, tuple[str, Row]] = {}  # clause id -> its topics cell and row in clauses.csv
        self.group_id: str | None = None
        self.group: list[str] = []
        self.group_row: Row | None = None
        self.last_clause_row = 0
        self.order_reported = False
        self.tags = 0

    def row(self, ctx: Context, row: Row) -> None:
        if row.table == "topics":
            if row["slug"] not in ctx.topic_slugs:
                self.at(
                    ctx,
                    "unknown",
                    row,
                    f"topic {row['slug']!r} is not in the vocabulary",
                    "topics.csv is "
                    "copied from datapackage/vocab/topics.csv by the build: add the topic there and run "
                    "`python -m scripts.build`",
                    "slug",
                )
        elif row.table == "clauses":
            self.clause(ctx, row)
        else:
            self.tag(ctx, row)

    def clause(self, ctx: Context, row: Row) -> None:
        topics = row["topics"]
        if ctx.current is None or not topics:
            return
        unknown = [t for t in topics.split(",") if t not in ctx.topic_slugs]
        if unknown:
            self.at(ctx, "unknown", row, f"unknown topic {unknown[0]!r} in {ctx.current.id}", TOPIC_FIX, "topics")
        else:
            self.tagged[ctx.current.id] = (topics, row)

    def tag(self, ctx: Context, row: Row) -> None:
        self.tags += 1
        cid, topic = row["clause_id"], row["topic"]
        if topic not in ctx.topic_slugs:
            self.at(ctx, "unknown", row, f"unknown topic {topic!r}", TOPIC_FIX, "topic")
        if cid != self.group_id:
            self.close(ctx)
            self.group_id, self.group, self.group_row = cid, [], row
        if topic in self.group:
            self.at(ctx, "twice", row, f"{cid} is tagged {topic!r} twice", GENERATED_FIX, "topic")
        self.group.append(topic)

    def close(self, ctx: Context) -> None:
        """The tags of one clause are complete: they come in clause order and agree with clauses.topics."""
        clause = ctx.clauses.get(self.group_id or "")
        if self.group_id is None or self.group_row is None or clause is None:
            return  # no group yet, or a clause that does not exist: reported by the schema check (foreign key)
        if clause.row <= self.last_clause_row and not self.order_reported:
            self.order_reported = True
            self.at(
                ctx,
                "order",
                self.group_row,
                f"the tags of {self.group_id} are not together, in clause order",
                GENERATED_FIX,
                "clause_id",
            )
        self.last_clause_row = max(self.last_clause_row, clause.row)
        listed, at = self.tagged.pop(self.group_id, ("", None))
        have = ",".join(self.group)
        if listed != have and set(listed.split(",")) != set(self.group):
            file = ctx.pkg.rel("clauses")
            ctx.add(
                self.problem(
                    "disagree",
                    file,
                    f"topics of {self.group_id} are {listed!r} but clause_topics.csv tags it {have!r}",
                    GENERATED_FIX,
                    at.row if at else clause.row,
                    at.line if at else None,
                    "topics",
                )
            )

    def end(self, ctx: Context) -> str | None:
        self.close(ctx)
        for cid, (topics, row) in self.tagged.items():
            self.at(
                ctx,
                "disagree",
                row,
                f"topics of {cid} are {topics!r} but clause_topics.csv has no tag for it",
                GENERATED_FIX,
                "topics",
            )
        self.tagged.clear()
        ctx.shared["tags"] = self.tags
        return None
