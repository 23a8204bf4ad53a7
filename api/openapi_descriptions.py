"""A description for every property of the OpenAPI schema's response types.

Properties that are columns of a table of the data package take the column's description
from the table's definition (:func:`field_description`, the one place that reads it); the
properties only the API has (envelopes, paging, links between records) are described in
:data:`API_PROPERTIES`. :func:`describe_properties` fills them into the generated schema.
"""

from __future__ import annotations

from functools import cache

from litestar import Litestar

#: The table whose columns a response type carries (others: their properties are in API_PROPERTIES).
TABLE_OF_TYPE = {
    "ClauseHit": "clauses",
    "ClauseDetail": "clauses",
    "ClauseLink": "clauses",
    "OutlineNode": "clauses",
    "HistoryEntry": "clauses",
    "SimilarClause": "clause_similar",
    "DocumentSummary": "documents",
    "DocumentDetail": "documents",
    "Citation": "citations",
    "Measure": "measures",
    "Erratum": "errata",
    "Topic": "topics",
    "TopicTag": "clause_topics",
    "WorkSummary": "works",
    "Work": "works",
    "WorkVersion": "versions",
    "ClauseVersion": "versions",
    "ClauseChange": "clause_changes",
}
#: Where a column not in the type's own table is looked up next (a similar clause's text is a clause's text).
FALLBACK_TABLES = ("clauses", "documents", "versions", "clause_changes")

#: Properties whose meaning depends on the type they are in.
TYPE_PROPERTIES: dict[str, dict[str, str]] = {
    "Facets": {
        "city": "Matching clauses by jurisdiction slug.",
        "level": "Matching clauses by administrative level.",
        "topic": "Matching clauses by topic slug.",
        "document": "Matching clauses by document ID (the 100 documents with most).",
        "kind": "Matching clauses by kind of outline node.",
    },
    "ReleaseCounts": {
        "documents": "Number of documents.",
        "clauses": "Number of clauses.",
        "topics": "Number of topics.",
        "topic_tags": "Number of (clause, topic) tags.",
    },
    "ReleaseChanges": {
        "documents": "Documents added, removed and changed, by ID.",
        "clauses": "Clauses added, removed and changed, by ID.",
    },
    "HistoryEntry": {"release": "The release this entry describes."},
    "Work": {"versions": "The work's versions in the dataset, oldest first, with the dates they are in force."},
    "WorkAsOf": {
        "work_id": "The work asked for.",
        "in_force": "Whether a version of the work was in force on the date asked for (false before the work existed).",
        "note": "Why no version is given, when none was in force on that date; empty otherwise.",
        "version": "The version in force on the date, with its outline; null when none was.",
    },
    "ChangesMeta": {
        "work_id": "The work whose versions are compared.",
        "from_document_id": "The older version (document ID) of the comparison.",
        "to_document_id": "The newer version (document ID) of the comparison.",
    },
    "ClauseVersion": {
        "clause_id": "The counterpart of the clause in this version; null where it has none (repealed, not yet added).",
        "change": "How the clause changed from the previous version (unchanged, amended, renumbered, "
        "renumbered-and-amended, repealed, added); null for the first version.",
    },
    "TopicHint": {
        "topic": "Slug of the topic the query names.",
        "label_zh": "The topic's Chinese label.",
        "label_en": "The topic's English label.",
        "clause_count": "Clauses of the release that carry the topic.",
        "matching_clause_count": "Clauses matching the query that carry the topic.",
        "href": "URL of the topic's filter of GET /clauses in the same release.",
    },
}
for _type in ("ReleaseSummary", "ReleaseDetail"):
    TYPE_PROPERTIES[_type] = {"version": "The release's version (MAJOR.MINOR.PATCH)."}

API_PROPERTIES: dict[str, str] = {
    "data": "The requested records.",
    "meta": "Context of the answer: the release it was read from and, for lists, paging.",
    "total": "Number of records matching the request, over all pages.",
    "limit": "Page size used.",
    "offset": "Position of this page's first record (null when the page was read with a cursor).",
    "next_cursor": "Pass as `cursor` to read the next page; null on the last page.",
    "next": 'URL of the next page (also sent as a `Link: <…>; rel="next"` header); absent on the last page.',
    "release": "Version of the data the answer was read from.",
    "facets": "Counts of the matching clauses by city, level, topic, document (the 100 with most) and kind.",
    "topic_hints": "Topics the full-text query names, each with its clause counts and the link of its filter; "
    "absent without `q` or when `q` names none.",
    "query_converted": "`q` in simplified characters when it held traditional ones; both forms were searched for.",
    "snippet": "HTML passage of the clause around the first match of `q`, matches wrapped in `<mark>`.",
    "parent": "The clause directly above this one in the outline (null at the top).",
    "ancestors": "The clauses above this one, from the top of the outline down to its parent.",
    "quote": (
        "For an article, 款 or 项 of a legal text: its whole text with the 款, 项 and 目 under it, markers "
        "included, one per line, as it is quoted; empty for other clauses."
    ),
    "children": "The clauses directly under this one, in reading order.",
    "topic_tags": "Why the clause carries each topic: the tagging rule or curation line, and the words matched.",
    "errata": "Typos of the official source corrected in this clause's text.",
    "citations": "References to other documents made in the text.",
    "measures": "Quantitative measures stated in the text (subsidies, caps, ranges, multiples, targets, time limits, "
    "deadlines, effective dates …).",
    "document": "Summary of the document the record belongs to.",
    "clause_count": "Number of clauses of the document.",
    "outline": "Every clause of the document as a tree, nested as in the document.",
    "clause_count_with_descendants": "Clauses with the topic, counting those under a heading that has it.",
    "present": "Whether the clause exists in this release.",
    "changed": "Whether the clause differs from the previous release (or appeared or disappeared).",
    "score": "Jaccard similarity of the two clauses' sets of character 4-grams (0–1).",
    "shared": "Passages of 8 or more characters the two clauses have in common, as written in the requested one.",
    "title": "Title.",
    "description": "Description.",
    "docs": "URL of the interactive API documentation.",
    "openapi": "URL of this OpenAPI document.",
    "latest_release": "The highest version served.",
    "links": "Entry points of the API, by name.",
    "added": "IDs added (at most 1000).",
    "removed": "IDs removed (at most 1000).",
    "added_count": "Number of IDs added.",
    "removed_count": "Number of IDs removed.",
    "changed_count": "Number of IDs whose record changed.",
    "from_version": "The older release compared.",
    "to_version": "The newer release compared.",
    "topics": "Topic slugs.",
    "status": "`release` (cut, immutable) or `working` (the working package); for health and problems, the status.",
    "releases": "Versions served, oldest first.",
    "failed_releases": "Releases that failed verification at start-up and are not served, with the reasons.",
    "latest": "Whether this is the highest version served (for health: the highest version).",
    "date": "Date the release was cut (YYYY-MM-DD).",
    "counts": "Row counts of the release's tables.",
    "url": "URL of the record in this API.",
    "name": "Name (of the data package, or of an invalid parameter).",
    "files": "The release's downloadable files, with size, SHA-256 and row count.",
    "changes": "Summary of the changes from the previous release.",
    "path": "Path of the file in the release.",
    "media_type": "Media type the file is served with.",
    "bytes": "Size of the file in bytes.",
    "sha256": "SHA-256 of the file (also its strong ETag).",
    "rows": "Number of data rows (tables only).",
    "type": "URI reference identifying the problem type.",
    "detail": "What went wrong and how to fix it.",
    "instance": "The request path the problem occurred on.",
    "invalid_params": "Every invalid parameter of the request, with the reason and the valid values.",
    "reason": "Why the value is invalid (for errata: why the official source is wrong).",
    "valid_values": "The values the parameter accepts, when it takes a vocabulary.",
}


@cache
def _table_fields(table: str) -> dict[str, str]:
    from schemas import registry  # the one declaration of every table

    return {f.name: f.description for f in registry.BY_NAME[table].fields} if table in registry.BY_NAME else {}


def field_description(table: str, field: str) -> str | None:
    """The description of ``field`` in the definition of ``table`` (None when the table has no such column)."""
    return _table_fields(table).get(field) or None


def property_description(type_name: str, prop: str) -> str | None:
    """What ``prop`` of the response type ``type_name`` holds."""
    if prop in TYPE_PROPERTIES.get(type_name, {}):
        return TYPE_PROPERTIES[type_name][prop]
    own = TABLE_OF_TYPE.get(type_name)
    if own:
        found = field_description(own, prop)
        if found:
            return found
    if prop in API_PROPERTIES:
        return API_PROPERTIES[prop]
    for table in FALLBACK_TABLES:
        found = field_description(table, prop)
        if found:
            return found
    return None


def describe_properties(app: Litestar) -> None:
    """Give every property of the generated schema's components a description (kept when one is set)."""
    components = app.openapi_schema.components
    for name, schema in (components.schemas or {}).items() if components else ():
        for prop, value in (schema.properties or {}).items():
            if getattr(value, "description", None) is None and hasattr(value, "description"):
                value.description = property_description(name, prop)
