"""The published topic codebook: the decision rules, then the vocabulary with its scope notes.

The decision rules are written by hand in ``datapackage/vocab/topics-codebook.md``;
the vocabulary table is generated from ``datapackage/vocab/topics.csv`` (the one
definition of the topics), so a topic added there appears in the codebook too.
The build publishes the result as ``datapackage/data/topics-codebook.md``.
"""

from __future__ import annotations

from scripts import vocab

CODEBOOK_SOURCE = vocab.ROOT / "datapackage" / "vocab" / "topics-codebook.md"
CODEBOOK_NAME = "topics-codebook.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def vocabulary_table() -> str:
    rows = ["| slug | 中文 | English | scope |", "|---|---|---|---|"]
    rows += [f"| `{t.slug}` | {_cell(t.label_zh)} | {_cell(t.label_en)} | {_cell(t.scope)} |" for t in vocab.topics()]
    return "\n".join(rows)


def codebook_markdown() -> str:
    """The codebook as published: the hand-written rules, then the generated vocabulary table."""
    rules = CODEBOOK_SOURCE.read_text(encoding="utf-8").rstrip("\n")
    return f"{rules}\n\n## The vocabulary\n\n{vocabulary_table()}\n"
