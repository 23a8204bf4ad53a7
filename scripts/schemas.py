"""Table Schemas of every resource, generated from the vocabularies.

``python -m scripts.schemas`` writes them to ``schemas/*.json``; the build
checks that the committed files equal what this module generates.
"""

from __future__ import annotations

import json
from typing import Any

from scripts import vocab
from scripts.ids import CLAUSE_ID_RE, DOC_ID_RE

DATE_PATTERN = r"^$|^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


def _enum(values: Any) -> dict[str, Any]:
    return {"enum": sorted(values)}


DATE_FIELDS = (("adopted", "Date adopted (通过)"), ("approved", "Date approved by a higher congress (批准)"),
               ("promulgated", "Date promulgated (公布 / 发布)"), ("effective", "Date in force (施行)"))


def documents_schema() -> dict[str, Any]:
    return {
        "fields": [
            {"name": "id", "type": "string", "title": "Document ID",
             "description": "Stable short ID of the document (lowercase ASCII, e.g. `qingdao-2021`); the prefix of its clause IDs.",
             "constraints": {"required": True, "unique": True, "pattern": DOC_ID_RE.pattern}},
            {"name": "title", "type": "string", "title": "Title (Chinese)",
             "description": "The document's official Chinese title.", "constraints": {"required": True}},
            {"name": "title_en", "type": "string", "title": "Title (English)",
             "description": "An English rendering of the title (ours unless the issuer published one)."},
            {"name": "doc_number", "type": "string", "title": "Document number (文号)",
             "description": "The issuing number such as 银发〔2019〕209号; empty where the document has none or it is unknown."},
            {"name": "issuers", "type": "list", "delimiter": ";", "itemType": "string", "title": "Issuers",
             "description": "Issuing authorities in Chinese, separated by `;` when there are several."},
            {"name": "city", "type": "string", "title": "Jurisdiction",
             "description": "Jurisdiction slug; `national` for national documents.",
             "constraints": {"required": True, **_enum(vocab.CITIES)}},
            {"name": "level", "type": "string", "title": "Administrative level",
             "description": "Administrative level of the issuer: national, provincial or municipal.",
             "constraints": {"required": True, **_enum(vocab.LEVELS)}},
            {"name": "doc_type", "type": "string", "title": "Document type",
             "description": "Kind of document (guidance, plan, measures, regulation, notice, other).",
             "constraints": {"required": True, **_enum(vocab.DOC_TYPES)}},
            {"name": "date_issued", "type": "string", "title": "Date issued",
             "description": "Date the document was signed or issued (YYYY-MM-DD, or YYYY-MM / YYYY where only that is known); empty when unknown.",
             "constraints": {"pattern": DATE_PATTERN}},
            {"name": "date_published", "type": "string", "title": "Date published",
             "description": "Date the text was made public (same format as date_issued); empty when unknown.",
             "constraints": {"pattern": DATE_PATTERN}},
            {"name": "source_url", "type": "string", "title": "Source URL",
             "description": "Where the text was published, where known; empty otherwise."},
            {"name": "source_file", "type": "string", "title": "Source file",
             "description": "Path of the raw source text, relative to the repository root.",
             "constraints": {"required": True}},
            {"name": "source_sha256", "type": "string", "title": "Source SHA-256",
             "description": "SHA-256 of the raw source file's bytes.",
             "constraints": {"required": True, "pattern": SHA256_PATTERN}},
            {"name": "version_note", "type": "string", "title": "Note on the text",
             "description": "What is known about this version of the text (draft vs final, duplicated copies, wrappers) where it matters."},
            {"name": "legal_rank", "type": "string", "title": "Legal rank",
             "description": "Rank in the hierarchy of legal norms: " + "; ".join(f"{k}: {v}" for k, v in vocab.LEGAL_RANKS.items()),
             "constraints": {"required": True, **_enum(vocab.LEGAL_RANKS)}},
            *[{"name": f"date_{name}", "type": "string", "title": f"Date {name}",
               "description": f"{what}, as the source states it (YYYY-MM-DD); empty when the source does not state it.",
               "constraints": {"pattern": DATE_PATTERN}} for name, what in DATE_FIELDS],
            {"name": "date_revised", "type": "list", "delimiter": ";", "itemType": "string", "title": "Dates revised",
             "description": "Dates of the amendments (修正) and revisions (修订) the source states, oldest first, separated by `;`."},
            {"name": "dates_stated_in", "type": "string", "title": "Where the dates are stated",
             "description": "Where the source states the dates: lines of its header, its final article, or the header of another version of the same work."},
            {"name": "source_repository", "type": "string", "title": "Source repository",
             "description": "The public repository the raw text was copied from, byte for byte; empty when not copied from one."},
            {"name": "source_commit", "type": "string", "title": "Source commit",
             "description": "The commit of source_repository the text was copied from."},
            {"name": "source_path", "type": "string", "title": "Source path",
             "description": "The path of the text in source_repository."},
        ],
        "primaryKey": ["id"],
    }


def clauses_schema() -> dict[str, Any]:
    return {
        "fields": [
            {"name": "id", "type": "string", "title": "Clause ID",
             "description": "Stable citation ID: document ID, then one dot-separated segment per level of the numbering path (see README).",
             "constraints": {"required": True, "unique": True, "pattern": CLAUSE_ID_RE.pattern}},
            {"name": "document_id", "type": "string", "title": "Document ID",
             "description": "The document this clause belongs to.", "constraints": {"required": True}},
            {"name": "seq", "type": "integer", "title": "Sequence",
             "description": "Position of the clause in its document, 1-based, in reading order.",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "kind", "type": "string", "title": "Kind",
             "description": "Node kind: " + "; ".join(f"{k}: {v}" for k, v in vocab.KINDS.items()),
             "constraints": {"required": True, **_enum(vocab.KINDS)}},
            {"name": "depth", "type": "integer", "title": "Depth",
             "description": "Nesting depth: 0 for top-level clauses, parent's depth + 1 otherwise.",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "numbering", "type": "string", "title": "Numbering path",
             "description": "The document's own numbering from the top, levels separated by `/`, e.g. `二/（四）`; unnumbered nodes are shown as ¶N (paragraph), •N (bullet), 专栏N (box), 注N (footnote), 前言 (preamble).",
             "constraints": {"required": True}},
            {"name": "parent_id", "type": "string", "title": "Parent clause ID",
             "description": "ID of the enclosing clause; empty for top-level clauses."},
            {"name": "heading", "type": "string", "title": "Heading",
             "description": "The title of a part, section or box; for items and bullets, their lead-in phrase (the first sentence when it is a short title, without its 。), which is also the start of `text`."},
            {"name": "text", "type": "string", "title": "Text",
             "description": "The clause's own body text as the source has it, minus extraction debris; several paragraphs of one clause are separated by a newline. Empty for parts and sections, whose body is in their children."},
            {"name": "topics", "type": "list", "delimiter": ",", "itemType": "string", "title": "Topics",
             "description": "Topic slugs of the clause, comma-separated, from the topics resource (see clause_topics for why each applies)."},
            {"name": "city", "type": "string", "title": "Jurisdiction",
             "description": "Jurisdiction slug of the clause's document (denormalised for filtering).",
             "constraints": {"required": True, **_enum(vocab.CITIES)}},
            {"name": "level", "type": "string", "title": "Administrative level",
             "description": "Administrative level of the clause's document (denormalised for filtering).",
             "constraints": {"required": True, **_enum(vocab.LEVELS)}},
            {"name": "source_file", "type": "string", "title": "Source file",
             "description": "Raw source file the clause was read from, relative to the repository root.",
             "constraints": {"required": True}},
            {"name": "line_start", "type": "integer", "title": "First source line",
             "description": "1-based line in the source file where the clause starts.",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "line_end", "type": "integer", "title": "Last source line",
             "description": "1-based line in the source file where the clause's own text ends (inclusive).",
             "constraints": {"required": True, "minimum": 1}},
        ],
        "primaryKey": ["id"],
        "foreignKeys": [
            {"fields": ["document_id"], "reference": {"resource": "documents", "fields": ["id"]}},
            {"fields": ["parent_id"], "reference": {"resource": "", "fields": ["id"]}},
        ],
    }


def topics_schema() -> dict[str, Any]:
    return {
        "fields": [
            {"name": "slug", "type": "string", "title": "Topic slug",
             "description": "Stable ASCII slug used in filters and in clauses.topics.",
             "constraints": {"required": True, "unique": True, "pattern": r"^[a-z][a-z0-9-]*$"}},
            {"name": "label_zh", "type": "string", "title": "Label (Chinese)", "description": "Chinese label.",
             "constraints": {"required": True}},
            {"name": "label_en", "type": "string", "title": "Label (English)", "description": "English label.",
             "constraints": {"required": True}},
            {"name": "scope", "type": "string", "title": "Scope note",
             "description": "What the topic covers, to guide tagging."},
        ],
        "primaryKey": ["slug"],
    }


def clause_topics_schema() -> dict[str, Any]:
    return {
        "fields": [
            {"name": "clause_id", "type": "string", "title": "Clause ID", "description": "The tagged clause.",
             "constraints": {"required": True}},
            {"name": "topic", "type": "string", "title": "Topic", "description": "Topic slug.",
             "constraints": {"required": True, **_enum(vocab.topic_slugs())}},
            {"name": "source", "type": "string", "title": "Tag source",
             "description": "Where the tag comes from: `rule:<topic>` for the tagging rules in datapackage/vocab/topic_rules.json, `curated` for a line of datapackage/vocab/topic_curation.csv.",
             "constraints": {"required": True, "pattern": r"^(rule:[a-z][a-z0-9-]*|curated)$"}},
            {"name": "matched", "type": "string", "title": "Matched terms",
             "description": "The words of the clause that triggered the rule, `|`-separated; the curation reason for curated tags."},
        ],
        "primaryKey": ["clause_id", "topic"],
        "foreignKeys": [
            {"fields": ["clause_id"], "reference": {"resource": "clauses", "fields": ["id"]}},
            {"fields": ["topic"], "reference": {"resource": "topics", "fields": ["slug"]}},
        ],
    }


def errata_schema() -> dict[str, Any]:
    return {
        "fields": [
            {"name": "clause_id", "type": "string", "title": "Clause ID",
             "description": "The corrected clause.",
             "constraints": {"required": True, "pattern": CLAUSE_ID_RE.pattern}},
            {"name": "original", "type": "string", "title": "Original text",
             "description": "The characters as the official source has them (the typo), as derived from the raw source file.",
             "constraints": {"required": True}},
            {"name": "corrected", "type": "string", "title": "Corrected text",
             "description": "The characters that replace them in the clause's `text` (and `heading`, where the typo is in the heading) in clauses.csv.",
             "constraints": {"required": True}},
            {"name": "reason", "type": "string", "title": "Reason",
             "description": "Why the source is wrong and the evidence for the correction (e.g. the issuer's printed edition).",
             "constraints": {"required": True}},
            {"name": "kind", "type": "string", "title": "Kind of correction",
             "description": "erratum: a typo of the official text, corrected in the clause (datapackage/errata.csv); "
                            "source-repair: a defect of the transcription (a lost heading number or item marker), "
                            "repaired in the source line before segmentation (datapackage/sources/repairs.csv).",
             "constraints": {"required": True, "enum": ["erratum", "source-repair"]}},
            {"name": "source_line", "type": "integer", "title": "Source line",
             "description": "For a source repair, the line of the raw source file it repairs; empty for an erratum."},
        ],
        "primaryKey": ["clause_id", "original"],
        "foreignKeys": [
            {"fields": ["clause_id"], "reference": {"resource": "clauses", "fields": ["id"]}},
        ],
    }



def _clause_fk(*fields: str) -> list[dict[str, Any]]:
    return [{"fields": [f], "reference": {"resource": "clauses", "fields": ["id"]}} for f in fields]


def clause_similar_schema() -> dict[str, Any]:
    return {
        "fields": [
            {"name": "clause_id", "type": "string", "title": "Clause ID", "description": "The clause the row is about.",
             "constraints": {"required": True}},
            {"name": "similar_id", "type": "string", "title": "Similar clause ID",
             "description": "A clause of another work that shares rare wording with it.",
             "constraints": {"required": True}},
            {"name": "document_id", "type": "string", "title": "Document ID", "description": "Document of clause_id.",
             "constraints": {"required": True}},
            {"name": "similar_document_id", "type": "string", "title": "Similar clause's document ID",
             "description": "Document of similar_id; never the same as document_id nor another version of the same work.", "constraints": {"required": True}},
            {"name": "score", "type": "number", "title": "Similarity",
             "description": "IDF-weighted Jaccard similarity of the two clauses' sets of character 4-grams (heading and text, normalised; a 4-gram weighs ln(N/(2 df)), floored at 0, over the N works of the data and the df works that use it), 0-1, 4 decimals.",
             "constraints": {"required": True, "minimum": 0, "maximum": 1}},
            {"name": "shared", "type": "string", "title": "Shared passages",
             "description": "Passages of at least 8 characters the two clauses have in common, as written in clause_id, longest first, at most 5, `|`-separated."},
        ],
        "primaryKey": ["clause_id", "similar_id"],
        "foreignKeys": _clause_fk("clause_id", "similar_id"),
    }


def citations_schema() -> dict[str, Any]:
    return {
        "fields": [
            {"name": "clause_id", "type": "string", "title": "Citing clause ID", "description": "The clause that makes the reference.",
             "constraints": {"required": True}},
            {"name": "seq", "type": "integer", "title": "Sequence", "description": "1-based order of the reference within the clause.",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "kind", "type": "string", "title": "Kind of reference",
             "description": ", ".join(f"`{k}` ({v})" for k, v in vocab.CITATION_KINDS.items()) + ".",
             "constraints": {"required": True, "enum": sorted(vocab.CITATION_KINDS)}},
            {"name": "text", "type": "string", "title": "Reference as written", "description": "The exact span of the clause text.",
             "constraints": {"required": True}},
            {"name": "start", "type": "integer", "title": "Start offset", "description": "0-based character offset of the span in the clause's text.",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "end", "type": "integer", "title": "End offset", "description": "Offset just past the span: text[start:end] is the reference.",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "cited_title", "type": "string", "title": "Cited title", "description": "The title as written, without 《》; empty for a bare document number."},
            {"name": "cited_doc_number", "type": "string", "title": "Cited document number",
             "description": "The document number normalised to the 〔year〕 form without spaces; empty for a bare title."},
            {"name": "document_id", "type": "string", "title": "Resolved document ID",
             "description": "The cited document when it is in the dataset (by number, then by title); empty when unresolved."},
        ],
        "primaryKey": ["clause_id", "seq"],
        "foreignKeys": [*_clause_fk("clause_id"),
                        {"fields": ["document_id"], "reference": {"resource": "documents", "fields": ["id"]}}],
    }


def measures_schema() -> dict[str, Any]:
    return {
        "fields": [
            {"name": "clause_id", "type": "string", "title": "Clause ID", "description": "The clause that states the measure.",
             "constraints": {"required": True}},
            {"name": "seq", "type": "integer", "title": "Sequence", "description": "1-based number of the measure within the clause, by position.",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "kind", "type": "string", "title": "Kind of measure",
             "description": ", ".join(f"{k} ({v})" for k, v in vocab.MEASURE_KINDS.items()) + ".",
             "constraints": {"required": True, "enum": sorted(vocab.MEASURE_KINDS)}},
            {"name": "value", "type": "number", "title": "Value", "description": "The number in Arabic digits (Chinese numerals converted), without thousands separators or unit; the lower bound of a range; the year of a deadline or effective date.",
             "constraints": {"required": True}},
            {"name": "value_max", "type": "number", "title": "Upper bound",
             "description": "The upper bound of a range (50万元以上200万元以下: value 50, value_max 200) or of a multiple range; empty otherwise."},
            {"name": "unit", "type": "string", "title": "Unit",
             "description": "The unit as written: 万元, 亿元, %, 倍, 日, 工作日, 个月, 小时, 家, 个, 人, 年 … (百分之 gives %, 个工作日 gives 工作日).",
             "constraints": {"required": True}},
            {"name": "qualifier", "type": "string", "title": "Qualifier",
             "description": "Words next to the number that qualify it, as written (以上, 以下, 内, 最高不超过, 不足, 左右, 力争到 …); `…` joins words on both sides."},
            {"name": "base", "type": "string", "title": "Base of a multiple",
             "description": "For a multiple (倍): the amount it multiplies, as written (违法所得, 涉及金额); empty otherwise."},
            {"name": "runs_from", "type": "string", "title": "Runs from",
             "description": "For a time limit: the event the period runs from, as written (X of 自X起 or 在X后: 受理申请之日); empty when the text does not say."},
            {"name": "date", "type": "date", "title": "Date",
             "description": "For an effective date: the date the text takes effect (YYYY-MM-DD); empty otherwise."},
            {"name": "text", "type": "string", "title": "Span", "description": "The exact span of the clause text: qualifiers, number and unit.",
             "constraints": {"required": True}},
            {"name": "start", "type": "integer", "title": "Start offset", "description": "0-based character offset of the span in the clause's text.",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "end", "type": "integer", "title": "End offset", "description": "Offset just past the span.",
             "constraints": {"required": True, "minimum": 1}},
        ],
        "primaryKey": ["clause_id", "seq"],
        "foreignKeys": _clause_fk("clause_id"),
    }

SCHEMAS = {
    "documents": documents_schema,
    "clauses": clauses_schema,
    "topics": topics_schema,
    "clause_topics": clause_topics_schema,
    "errata": errata_schema,
    "clause_similar": clause_similar_schema,
    "citations": citations_schema,
    "measures": measures_schema,
}


def field_names(resource: str) -> list[str]:
    return [f["name"] for f in SCHEMAS[resource]()["fields"]]


def render(resource: str) -> str:
    return json.dumps(SCHEMAS[resource](), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> None:
    for name in SCHEMAS:
        (vocab.ROOT / "schemas" / f"{name}.json").write_text(render(name), encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main()
