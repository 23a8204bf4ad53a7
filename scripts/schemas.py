"""Table Schemas of every resource, generated from the vocabularies.

``python -m scripts.schemas`` writes them to ``schemas/*.json``; the build
checks that the committed files equal what this module generates.
"""

from __future__ import annotations

import json
from typing import Any

from scripts import alignment, changes, vocab, works
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
             "description": "A clause of another document whose wording overlaps with it.",
             "constraints": {"required": True}},
            {"name": "document_id", "type": "string", "title": "Document ID", "description": "Document of clause_id.",
             "constraints": {"required": True}},
            {"name": "similar_document_id", "type": "string", "title": "Similar clause's document ID",
             "description": "Document of similar_id; never the same as document_id.", "constraints": {"required": True}},
            {"name": "score", "type": "number", "title": "Similarity",
             "description": "Jaccard similarity of the two clauses' sets of character 4-grams (heading and text, normalised), 0-1, 4 decimals.",
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
             "description": "The cited document when it is in the dataset: the document a number names, else the "
                            "version of the titled work in force when the citing document came into force; empty "
                            "when unresolved."},
            {"name": "work_id", "type": "string", "title": "Resolved work ID",
             "description": "The work (law over time) of document_id; empty when unresolved."},
            {"name": "cited_article", "type": "string", "title": "Cited article",
             "description": "The article named right after the reference, as written (第二十条, 第十七条之一, "
                            "第二十一条第二款); empty when none is named."},
            {"name": "cited_clause_id", "type": "string", "title": "Cited clause ID",
             "description": "The named article (or 款) in document_id; empty when none is named or that version "
                            "has no such article."},
        ],
        "primaryKey": ["clause_id", "seq"],
        "foreignKeys": [*_clause_fk("clause_id", "cited_clause_id"),
                        {"fields": ["document_id"], "reference": {"resource": "documents", "fields": ["id"]}},
                        {"fields": ["work_id"], "reference": {"resource": "works", "fields": ["id"]}}],
    }


def unresolved_citations_schema() -> dict[str, Any]:
    return {
        "fields": [
            {"name": "target", "type": "string", "title": "Cited document",
             "description": "The document number (normalised, 银发〔2018〕325号) or else the title's comparison key "
                            "(half-width, no spaces, without a leading 中华人民共和国).",
             "constraints": {"required": True, "unique": True}},
            {"name": "cited_title", "type": "string", "title": "Title as cited",
             "description": "The title as first written, without 《》; empty when only a number is cited."},
            {"name": "cited_doc_number", "type": "string", "title": "Document number as cited",
             "description": "The normalised document number; empty for a title alone."},
            {"name": "citations", "type": "integer", "title": "Citations",
             "description": "How many references in the dataset cite it.", "constraints": {"required": True, "minimum": 1}},
            {"name": "citing_documents", "type": "list", "delimiter": ";", "itemType": "string", "title": "Citing documents",
             "description": "IDs of the documents citing it, `;`-separated, sorted."},
            {"name": "first_clause_id", "type": "string", "title": "First citing clause",
             "description": "The first clause (in package order) that cites it.", "constraints": {"required": True}},
        ],
        "primaryKey": ["target"],
        "foreignKeys": _clause_fk("first_clause_id"),
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
            {"name": "value", "type": "number", "title": "Value", "description": "The number, half-width, without thousands separators or unit.",
             "constraints": {"required": True}},
            {"name": "unit", "type": "string", "title": "Unit", "description": "The unit as written: 万元, 亿元, %, 家, 个, 人, 年 …",
             "constraints": {"required": True}},
            {"name": "qualifier", "type": "string", "title": "Qualifier",
             "description": "Words next to the number that qualify it, as written (以上, 最高不超过, 左右, 力争到 …); `…` joins words on both sides."},
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

def _documents_fk(*fields: str) -> list[dict[str, Any]]:
    return [{"fields": [f], "reference": {"resource": "documents", "fields": ["id"]}} for f in fields]


def works_schema() -> dict[str, Any]:
    return {
        "fields": [
            {"name": "id", "type": "string", "title": "Work ID",
             "description": "Stable ID of the work: the document ID of its versions without the year (`aml-law`).",
             "constraints": {"required": True, "unique": True, "pattern": DOC_ID_RE.pattern}},
            {"name": "title", "type": "string", "title": "Title", "description": "The title of its latest version.",
             "constraints": {"required": True}},
            {"name": "versions", "type": "integer", "title": "Versions", "description": "How many versions the dataset holds.",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "first_document_id", "type": "string", "title": "First version",
             "description": "Document ID of the earliest version in the dataset.", "constraints": {"required": True}},
            {"name": "latest_document_id", "type": "string", "title": "Latest version",
             "description": "Document ID of the latest version in the dataset.", "constraints": {"required": True}},
        ],
        "primaryKey": ["id"],
        "foreignKeys": _documents_fk("first_document_id", "latest_document_id"),
    }


def versions_schema() -> dict[str, Any]:
    return {
        "fields": [
            {"name": "document_id", "type": "string", "title": "Document ID", "description": "The version (a document).",
             "constraints": {"required": True, "unique": True}},
            {"name": "work_id", "type": "string", "title": "Work ID", "description": "The work it is a version of.",
             "constraints": {"required": True}},
            {"name": "version", "type": "integer", "title": "Version number",
             "description": "1 for the earliest version of the work in the dataset, then 2, 3 …",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "in_force_from", "type": "string", "title": "In force from",
             "description": "First day the version is in force (YYYY-MM-DD, or YYYY-MM / YYYY where only that is "
                            "known); empty when no date is known.",
             "constraints": {"pattern": DATE_PATTERN}},
            {"name": "in_force_basis", "type": "string", "title": "Basis of in_force_from",
             "description": "Where in_force_from comes from: " + "; ".join(f"`{k}`: {v}" for k, v in works.BASES.items()) + ".",
             "constraints": {"enum": ["", *sorted(works.BASES)]}},
            {"name": "in_force_until", "type": "string", "title": "In force until (exclusive)",
             "description": "The day the next version came into force (the version is in force before it); empty for "
                            "the latest version.",
             "constraints": {"pattern": DATE_PATTERN}},
            {"name": "previous_document_id", "type": "string", "title": "Previous version",
             "description": "Document ID of the version it replaced; empty for the first."},
            {"name": "next_document_id", "type": "string", "title": "Next version",
             "description": "Document ID of the version that replaced it; empty for the latest."},
        ],
        "primaryKey": ["document_id"],
        "foreignKeys": [*_documents_fk("document_id", "previous_document_id", "next_document_id"),
                        {"fields": ["work_id"], "reference": {"resource": "works", "fields": ["id"]}}],
    }


def clause_changes_schema() -> dict[str, Any]:
    return {
        "fields": [
            {"name": "work_id", "type": "string", "title": "Work ID", "description": "The work.",
             "constraints": {"required": True}},
            {"name": "from_document_id", "type": "string", "title": "Older version", "description": "Document ID of the older version.",
             "constraints": {"required": True}},
            {"name": "to_document_id", "type": "string", "title": "Newer version", "description": "Document ID of the next version.",
             "constraints": {"required": True}},
            {"name": "level", "type": "string", "title": "Level",
             "description": "`article` (条, with everything under it) or `paragraph` (款: each 款 of an article of two "
                            "or more, and each article of one 款).",
             "constraints": {"required": True, "enum": list(changes.LEVELS)}},
            {"name": "seq", "type": "integer", "title": "Sequence",
             "description": "1-based order within the pair and level: older units in reading order, then added ones.",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "clause_id", "type": "string", "title": "Older clause ID",
             "description": "The article or 款 of the older version; empty for `added`."},
            {"name": "numbering", "type": "string", "title": "Older citation", "description": "Its legal citation (第十七条第二款)."},
            {"name": "new_clause_id", "type": "string", "title": "Newer clause ID",
             "description": "Its counterpart in the newer version; empty for `repealed`."},
            {"name": "new_numbering", "type": "string", "title": "Newer citation", "description": "The counterpart's legal citation."},
            {"name": "change", "type": "string", "title": "Change",
             "description": "; ".join(f"`{k}`: {v}" for k, v in alignment.CHANGE_KINDS.items()) + ".",
             "constraints": {"required": True, "enum": list(alignment.CHANGE_KINDS)}},
            {"name": "similarity", "type": "number", "title": "Similarity",
             "description": "Dice coefficient of the two texts' character bigrams (0-1, 4 decimals); 0 without a counterpart.",
             "constraints": {"required": True, "minimum": 0, "maximum": 1}},
        ],
        "primaryKey": ["from_document_id", "to_document_id", "level", "seq"],
        "foreignKeys": [*_clause_fk("clause_id", "new_clause_id"),
                        *_documents_fk("from_document_id", "to_document_id"),
                        {"fields": ["work_id"], "reference": {"resource": "works", "fields": ["id"]}}],
    }


SCHEMAS = {
    "documents": documents_schema,
    "clauses": clauses_schema,
    "topics": topics_schema,
    "clause_topics": clause_topics_schema,
    "errata": errata_schema,
    "clause_similar": clause_similar_schema,
    "citations": citations_schema,
    "unresolved_citations": unresolved_citations_schema,
    "measures": measures_schema,
    "works": works_schema,
    "versions": versions_schema,
    "clause_changes": clause_changes_schema,
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
