"""The one declaration of every table of the data package.

Each :class:`Table` is declared once below: its name, title and description, its fields (type, format,
constraints, where an enum's values come from, description, the separator of a list in CSV), its primary
and foreign keys, its role (``source``, ``derived`` or ``vocabulary``), the stage that produces it, whether
the package must have it, and how the API's SQLite file keeps it (:class:`Store`) or why it does not.
Everything else iterates over :data:`TABLES`: the Table Schemas in ``schemas/*.json``
(:func:`render_schema`), the resources of ``datapackage.json`` (:func:`resources`), the README's data
dictionary, the build's CSV writer, the Parquet writer (:mod:`schemas.parquet`), validation, release diffs
and the API's store tables and loaders (:mod:`api.store_tables`).

Adding a derived table: declare it in :data:`TABLES` with ``role="derived"``, ``producer`` naming its
extractor (``"module:function"``, called with the package's ``documents`` and ``clauses`` rows) and
``store`` (or ``unstored``, saying why the API does not keep it), write the extractor and its tests, then
run ``python -m schemas`` and ``./run build``.

Dates are ``string`` fields with a pattern, not ``date``: a document's date may be known only to the month
(``YYYY-MM``) or the year (``YYYY``), which no date type can hold without inventing a day. They stay strings
in every format, Parquet included.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from scripts import alignment, vocab, works
from scripts.codebook import CODEBOOK_NAME
from scripts.ids import CLAUSE_ID_RE, DOC_ID_RE

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = "schemas"
DATA_DIR = "datapackage/data"
DATE_PATTERN = r"^$|^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
FULL_DATE_PATTERN = r"^$|^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

FieldType = Literal["string", "integer", "number", "list"]
Role = Literal["source", "derived", "vocabulary"]


@dataclass(frozen=True)
class Field:
    """One column. ``enum`` is where its allowed values come from (read when a schema is generated)."""

    name: str
    type: FieldType
    title: str
    description: str
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    enum: Callable[[], Iterable[str]] | None = None
    minimum: int | None = None
    maximum: int | None = None
    delimiter: str | None = None  # the separator of a list's items in CSV
    #: False for a field that is not the row's own content (a copy of its document's value, where in the source
    #: it was read): a release's changes in the API do not count a change of it alone.
    content: bool = True

    def table_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "title": self.title,
            "description": self.description,
        }
        if self.type == "list":
            # The delimiter is declared once (here); the API and Parquet give the items as a list.
            out["description"] = f"{self.description} In CSV, items are separated by `{self.delimiter}`."
            out.update(delimiter=self.delimiter, itemType="string")
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.pattern is not None:
            constraints["pattern"] = self.pattern
        if self.enum is not None:
            constraints["enum"] = sorted(self.enum())
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class ForeignKey:
    field: str
    resource: str  # "" for the table itself
    reference: str

    def table_schema(self) -> dict[str, Any]:
        return {"fields": [self.field], "reference": {"resource": self.resource, "fields": [self.reference]}}


@dataclass(frozen=True)
class Ordinal:
    """A text ID the store keeps as the number it gives the row named: a clause's ``n``, a document's ``ord``."""

    field: str
    column: str
    of: Literal["clause", "document"]
    keep_id: bool = False  # the store keeps the text ID as well, in a column of the field's name


@dataclass(frozen=True)
class Column:
    """A column the store adds to a table's fields, filled by the store builder (``default`` until it is)."""

    name: str
    sql: str  # SQLite type and constraint
    default: int | str | None = None


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Store:
    """How a table is kept in the API's SQLite file (:mod:`api.store_tables` writes it from this).

    Each field is a column of its name unless an :class:`Ordinal` stores it as a number or ``omitted`` leaves
    it out; strings are ``TEXT NOT NULL`` (empty as ``""``), integers ``INTEGER`` and numbers ``REAL``
    (``numeric``: ``NUMERIC``, so whole numbers stay integers), ``NOT NULL`` when required and ``NULL`` when an
    optional value is empty. List fields are kept as JSON arrays with ``json_lists``, else as their CSV text.
    With ``rowid`` the table is keyed by that integer column and its primary key is ``UNIQUE``; otherwise it
    is a ``WITHOUT ROWID`` table keyed by the primary key (its fields' columns).
    ``layout="search"``: the search code of :mod:`api.store_builder` writes the table itself, with (at least)
    a column for each field as declared here.
    """

    table: str
    layout: Literal["generated", "search"] = "generated"
    rowid: str | None = None
    ordinals: tuple[Ordinal, ...] = ()
    checked: tuple[str, ...] = ()  # clause IDs kept as text that must name a clause of the package
    json_lists: bool = False
    numeric: tuple[str, ...] = ()
    defaults: tuple[tuple[str, str], ...] = ()  # (field, value) for an empty value (a field older packages lack)
    omitted: tuple[tuple[str, str], ...] = ()  # (field, why the store needs no column for it)
    extra: tuple[Column, ...] = ()
    indexes: tuple[Index, ...] = ()

    def ordinal(self, name: str) -> Ordinal | None:
        return next((o for o in self.ordinals if o.field == name), None)


def _clause_n(*names: str) -> tuple[Ordinal, ...]:
    """Clause IDs kept as clause numbers: ``clause_id`` in ``clause_n``, ``similar_id`` in ``similar_n`` …"""
    return tuple(Ordinal(n, n.removesuffix("_id") + "_n", "clause") for n in names)


@dataclass(frozen=True)
class Table:
    """One table of the package and everything that is declared about it."""

    name: str
    title: str
    description: str
    role: Role
    stage: str  # the build stage that writes it
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    required: bool = True  # a package must have it (older packages may lack the others)
    store: Store | None = None  # how the API's SQLite file keeps it
    unstored: str = ""  # without a store: why the API's SQLite file does not keep it
    json_copy: bool = False  # also published as a JSON array
    producer: str | None = None  # "module:function" of a derived table's extractor

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def csv_path(self) -> str:
        return f"{DATA_DIR}/{self.name}.csv"

    @property
    def parquet_path(self) -> str:
        return f"{DATA_DIR}/{self.name}.parquet"

    @property
    def schema_path(self) -> str:
        return f"{SCHEMAS_DIR}/{self.name}.json"

    def table_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fields": [f.table_schema() for f in self.fields], "primaryKey": list(self.primary_key)}
        if self.foreign_keys:
            out["foreignKeys"] = [fk.table_schema() for fk in self.foreign_keys]
        return out

    def extractor(self) -> Callable[..., list[dict[str, Any]]]:
        if self.producer is None:
            raise LookupError(f"{self.name} is not produced by an extractor")
        module, _, function = self.producer.partition(":")
        fn: Callable[..., list[dict[str, Any]]] = getattr(importlib.import_module(module), function)
        return fn


def _clause_fk(*names: str) -> tuple[ForeignKey, ...]:
    return tuple(ForeignKey(n, "clauses", "id") for n in names)


def _described(values: dict[str, str], fmt: str = "{k} ({v})", sep: str = ", ", end: str = ".") -> str:
    return sep.join(fmt.format(k=k, v=v) for k, v in values.items()) + end


def _vocabulary(name: str, title: str, description: str, values: Iterable[str], **more: Any) -> Field:
    """A required field whose values are the keys of a vocabulary (described in ``description``)."""
    return Field(name, "string", title, description, required=True, enum=lambda: values, **more)


def _place(description_city: str, description_level: str, **more: Any) -> tuple[Field, Field]:
    """The jurisdiction and administrative level of a document (``more``: for both fields)."""
    return (
        _vocabulary("city", "Jurisdiction", description_city, vocab.CITIES, **more),
        _vocabulary("level", "Administrative level", description_level, vocab.LEVELS, **more),
    )


def _span(end_description: str) -> tuple[Field, Field]:
    """The character offsets of a span of a clause's text."""
    return (
        Field(
            "start",
            "integer",
            "Start offset",
            "0-based character offset of the span in the clause's text.",
            required=True,
            minimum=0,
        ),
        Field("end", "integer", "End offset", end_description, required=True, minimum=1),
    )


DOCUMENTS = Table(
    "documents",
    "Documents",
    "One row per policy document: metadata and provenance of its source.",
    role="source",
    stage="sources",
    store=Store(
        "documents",
        rowid="ord",
        json_lists=True,
        extra=(
            Column("ord", "INTEGER PRIMARY KEY"),
            Column("first_n", "INTEGER NOT NULL", 0),  # its clauses are clauses.n first_n..last_n
            Column("last_n", "INTEGER NOT NULL", -1),
            Column("clause_count", "INTEGER NOT NULL", 0),
            Column("work_id", "TEXT NOT NULL", ""),  # from versions (else the work its ID names)
            Column("in_force_from", "TEXT NOT NULL", ""),
            Column("in_force_until", "TEXT NOT NULL", ""),
        ),
    ),
    fields=(
        Field(
            "id",
            "string",
            "Document ID",
            "Stable short ID of the document (lowercase ASCII, e.g. `qingdao-2021`); the prefix of its clause IDs.",
            required=True,
            unique=True,
            pattern=DOC_ID_RE.pattern,
        ),
        Field("title", "string", "Title (Chinese)", "The document's official Chinese title.", required=True),
        Field(
            "title_en",
            "string",
            "Title (English)",
            "An English rendering of the title (ours unless the issuer published one).",
        ),
        Field(
            "doc_number",
            "string",
            "Document number (文号)",
            "The issuing number such as 银发〔2019〕209号; empty where the document has none or it is unknown.",
        ),
        Field(
            "issuers",
            "list",
            "Issuers",
            "Issuing authorities in Chinese, one item each.",
            delimiter=";",
        ),
        *_place(
            "Jurisdiction slug; `national` for national documents.",
            "Administrative level of the issuer: national, provincial or municipal.",
        ),
        Field(
            "doc_type",
            "string",
            "Document type",
            "Kind of document (guidance, plan, measures, regulation, notice, other).",
            required=True,
            enum=lambda: vocab.DOC_TYPES,
        ),
        Field(
            "date_issued",
            "string",
            "Date issued",
            "Date the document was signed or issued (YYYY-MM-DD, or YYYY-MM / YYYY where only that is known); empty when unknown.",
            pattern=DATE_PATTERN,
        ),
        Field(
            "date_published",
            "string",
            "Date published",
            "Date the text was made public (same format as date_issued); empty when unknown.",
            pattern=DATE_PATTERN,
        ),
        Field("source_url", "string", "Source URL", "Where the text was published, where known; empty otherwise."),
        Field(
            "source_file",
            "string",
            "Source file",
            "Path of the raw source text, relative to the repository root.",
            required=True,
        ),
        Field(
            "source_sha256",
            "string",
            "Source SHA-256",
            "SHA-256 of the raw source file's bytes.",
            required=True,
            pattern=SHA256_PATTERN,
        ),
        Field(
            "version_note",
            "string",
            "Note on the text",
            "What is known about this version of the text (draft vs final, duplicated copies, wrappers) where it matters.",
        ),
        _vocabulary(
            "legal_rank",
            "Legal rank",
            "Rank in the hierarchy of legal norms: " + _described(vocab.LEGAL_RANKS, "{k}: {v}", "; ", ""),
            vocab.LEGAL_RANKS,
        ),
        Field(
            "date_adopted",
            "string",
            "Date adopted (通过)",
            "As the source states it (YYYY-MM-DD); empty when it does not state it.",
            pattern=DATE_PATTERN,
        ),
        Field(
            "date_approved",
            "string",
            "Date approved (批准)",
            "Approval of a local regulation by a higher congress, as the source states it; empty when not stated.",
            pattern=DATE_PATTERN,
        ),
        Field(
            "date_promulgated",
            "string",
            "Date promulgated (公布 / 发布)",
            "As the source states it; empty when not stated.",
            pattern=DATE_PATTERN,
        ),
        Field(
            "date_revised",
            "list",
            "Dates revised (修正 / 修订)",
            "Dates of the amendments and revisions the source states, oldest first.",
            delimiter=";",
        ),
        Field(
            "date_effective",
            "string",
            "Date in force (施行)",
            "As the source states it (its header or its final article); empty when not stated.",
            pattern=DATE_PATTERN,
        ),
        Field(
            "dates_stated_in",
            "string",
            "Where the dates are stated",
            "Where the source states the dates: lines of its header, its final article, or the header of another version of the same work.",
        ),
        Field(
            "source_repository",
            "string",
            "Source repository",
            "The public repository the raw text was copied from, byte for byte; empty when not copied from one.",
        ),
        Field("source_commit", "string", "Source commit", "The commit of source_repository the text was copied from."),
        Field("source_path", "string", "Source path", "The path of the text in source_repository."),
    ),
    primary_key=("id",),
)

CLAUSES = Table(
    "clauses",
    "Clauses",
    "One row per node of each document's structure, in document order.",
    role="source",
    stage="segment",
    # A view in the store: the clause's own columns in ``clause_rows``, what it repeats of its document and parent
    # read from their rows (api/store_builder.py).
    store=Store(
        "clauses",
        layout="search",
        rowid="n",
        extra=(Column("n", "INTEGER PRIMARY KEY"), Column("parent_n", "INTEGER")),
    ),
    json_copy=True,
    fields=(
        Field(
            "id",
            "string",
            "Clause ID",
            "Stable citation ID: document ID, then one dot-separated segment per level of the numbering path (see README).",
            required=True,
            unique=True,
            pattern=CLAUSE_ID_RE.pattern,
        ),
        Field(
            "document_id",
            "string",
            "Document ID",
            "The document this clause belongs to.",
            required=True,
            content=False,
        ),
        Field(
            "seq",
            "integer",
            "Sequence",
            "Position of the clause in its document, 1-based, in reading order.",
            required=True,
            minimum=1,
        ),
        _vocabulary("kind", "Kind", "Node kind: " + _described(vocab.KINDS, "{k}: {v}", "; ", ""), vocab.KINDS),
        Field(
            "depth",
            "integer",
            "Depth",
            "Nesting depth: 0 for top-level clauses, parent's depth + 1 otherwise.",
            required=True,
            minimum=0,
        ),
        Field(
            "numbering",
            "string",
            "Numbering path",
            "The document's own numbering from the top, levels separated by `/`, e.g. `二/（四）`; unnumbered nodes are shown as ¶N (paragraph), •N (bullet), 专栏N (box), 注N (footnote), 前言 (preamble).",
            required=True,
        ),
        Field("parent_id", "string", "Parent clause ID", "ID of the enclosing clause; empty for top-level clauses."),
        Field(
            "heading",
            "string",
            "Heading",
            "The title of a part, section or box; for items and bullets, their lead-in phrase (the first sentence when it is a short title, without its 。), which is also the start of `text`.",
        ),
        Field(
            "text",
            "string",
            "Text",
            "The clause's own body text as the source has it, minus extraction debris; several paragraphs of one clause are separated by a newline. Empty for parts and sections, whose body is in their children.",
        ),
        Field(
            "topics",
            "list",
            "Topics",
            "Topic slugs of the clause, from the topics resource (see clause_topics for why each applies).",
            delimiter=",",
        ),
        *_place(
            "Jurisdiction slug of the clause's document (denormalised for filtering).",
            "Administrative level of the clause's document (denormalised for filtering).",
            content=False,
        ),
        Field(
            "source_file",
            "string",
            "Source file",
            "Raw source file the clause was read from, relative to the repository root.",
            required=True,
            content=False,
        ),
        Field(
            "line_start",
            "integer",
            "First source line",
            "1-based line in the source file where the clause starts.",
            required=True,
            content=False,
            minimum=1,
        ),
        Field(
            "line_end",
            "integer",
            "Last source line",
            "1-based line in the source file where the clause's own text ends (inclusive).",
            required=True,
            content=False,
            minimum=1,
        ),
    ),
    primary_key=("id",),
    foreign_keys=(ForeignKey("document_id", "documents", "id"), ForeignKey("parent_id", "", "id")),
)

TOPICS = Table(
    "topics",
    "Topics",
    "The controlled topic vocabulary. When a topic applies to a clause is decided by the topic "
    f"codebook, published with the data as {DATA_DIR}/{CODEBOOK_NAME}.",
    role="vocabulary",
    stage="vocab",
    store=Store(
        "topics",
        rowid="ord",
        extra=(
            Column("ord", "INTEGER PRIMARY KEY"),
            Column("clause_count", "INTEGER NOT NULL", 0),
            Column("inherited_count", "INTEGER NOT NULL", 0),
        ),
    ),
    fields=(
        Field(
            "slug",
            "string",
            "Topic slug",
            "Stable ASCII slug used in filters and in clauses.topics.",
            required=True,
            unique=True,
            pattern=r"^[a-z][a-z0-9-]*$",
        ),
        Field("label_zh", "string", "Label (Chinese)", "Chinese label.", required=True),
        Field("label_en", "string", "Label (English)", "English label.", required=True),
        Field("scope", "string", "Scope note", "What the topic covers, to guide tagging."),
    ),
    primary_key=("slug",),
)

CLAUSE_TOPICS = Table(
    "clause_topics",
    "Clause topics",
    "One row per topic tag of a clause, with where the tag came from.",
    role="derived",
    stage="tag",
    store=Store("clause_topics", layout="search", ordinals=_clause_n("clause_id")),
    fields=(
        Field("clause_id", "string", "Clause ID", "The tagged clause.", required=True),
        Field("topic", "string", "Topic", "Topic slug.", required=True, enum=vocab.topic_slugs),
        Field(
            "source",
            "string",
            "Tag source",
            "Where the tag comes from: `rule:<topic>` for the tagging rules in datapackage/vocab/topic_rules.json, `curated` for a line of datapackage/vocab/topic_curation.csv.",
            required=True,
            pattern=r"^(rule:[a-z][a-z0-9-]*|curated)$",
        ),
        Field(
            "matched",
            "list",
            "Matched terms",
            "The words of the clause that triggered the rule; for a curated tag, one item: the curation reason.",
            delimiter="|",
        ),
    ),
    primary_key=("clause_id", "topic"),
    foreign_keys=(*_clause_fk("clause_id"), ForeignKey("topic", "topics", "slug")),
)

ERRATA = Table(
    "errata",
    "Errata",
    "Typos of the official sources corrected in clauses.csv, one row per correction; the raw sources are never edited.",
    role="source",
    stage="errata",
    store=Store("errata", ordinals=_clause_n("clause_id"), defaults=(("kind", "erratum"),)),
    required=False,
    fields=(
        Field("clause_id", "string", "Clause ID", "The corrected clause.", required=True, pattern=CLAUSE_ID_RE.pattern),
        Field(
            "original",
            "string",
            "Original text",
            "The characters as the official source has them (the typo), as derived from the raw source file.",
            required=True,
        ),
        Field(
            "corrected",
            "string",
            "Corrected text",
            "The characters that replace them in the clause's `text` (and `heading`, where the typo is in the heading) in clauses.csv.",
            required=True,
        ),
        Field(
            "reason",
            "string",
            "Reason",
            "Why the source is wrong and the evidence for the correction (e.g. the issuer's printed edition).",
            required=True,
        ),
        Field(
            "kind",
            "string",
            "Kind of correction",
            "erratum: a typo of the official text, corrected in the clause (datapackage/errata.csv); source-repair: a defect of the transcription (a lost heading number or item marker) repaired in the source line before segmentation (datapackage/sources/repairs.csv).",
            required=True,
            enum=lambda: ("erratum", "source-repair"),
        ),
        Field(
            "source_line",
            "integer",
            "Source line",
            "For a source repair, the line of the raw source file it repairs; empty for an erratum.",
        ),
    ),
    primary_key=("clause_id", "original"),
    foreign_keys=_clause_fk("clause_id"),
)

CLAUSE_SIMILAR = Table(
    "clause_similar",
    "Similar clauses",
    "Pairs of clauses from different documents whose wording overlaps (text reuse), both directions.",
    role="derived",
    stage="derive",
    store=Store(
        "similar",
        ordinals=_clause_n("clause_id", "similar_id"),
        omitted=(
            ("document_id", "the document of clause_n"),
            ("similar_document_id", "the document of similar_n"),
        ),
    ),
    required=False,
    producer="scripts.similarity:derive",
    fields=(
        Field("clause_id", "string", "Clause ID", "The clause the row is about.", required=True),
        Field(
            "similar_id",
            "string",
            "Similar clause ID",
            "A clause of another work that shares rare wording with it.",
            required=True,
        ),
        Field("document_id", "string", "Document ID", "Document of clause_id.", required=True),
        Field(
            "similar_document_id",
            "string",
            "Similar clause's document ID",
            "Document of similar_id; never the same as document_id nor another version of the same work.",
            required=True,
        ),
        Field(
            "score",
            "number",
            "Similarity",
            "IDF-weighted Jaccard similarity of the two clauses' sets of character 4-grams (heading and text, normalised; "
            "a 4-gram weighs ln(N/(2 df)), floored at 0, over the N works of the data and the df works that use it), 0-1, 4 decimals.",
            required=True,
            minimum=0,
            maximum=1,
        ),
        Field(
            "shared",
            "list",
            "Shared passages",
            "Passages of at least 8 characters the two clauses have in common, as written in clause_id, longest first, at most 5.",
            delimiter="|",
        ),
    ),
    primary_key=("clause_id", "similar_id"),
    foreign_keys=_clause_fk("clause_id", "similar_id"),
)

CITATIONS = Table(
    "citations",
    "Citations",
    "References to other documents inside clauses (by title or document number), resolved to a document of the dataset where there is one.",
    role="derived",
    stage="derive",
    store=Store(
        "citations",
        ordinals=(*_clause_n("clause_id"), Ordinal("document_id", "cited_doc", "document")),
        indexes=(Index("citations_cited", ("cited_doc", "clause_n")),),
    ),
    required=False,
    producer="scripts.citations:derive",
    fields=(
        Field("clause_id", "string", "Citing clause ID", "The clause that makes the reference.", required=True),
        Field(
            "seq", "integer", "Sequence", "1-based order of the reference within the clause.", required=True, minimum=1
        ),
        _vocabulary("kind", "Kind of reference", _described(vocab.CITATION_KINDS, "`{k}` ({v})"), vocab.CITATION_KINDS),
        Field("text", "string", "Reference as written", "The exact span of the clause text.", required=True),
        *_span("Offset just past the span: text[start:end] is the reference."),
        Field(
            "cited_title",
            "string",
            "Cited title",
            "The title as written, without 《》; empty for a bare document number.",
        ),
        Field(
            "cited_doc_number",
            "string",
            "Cited document number",
            "The document number normalised to the 〔year〕 form without spaces; empty for a bare title.",
        ),
        Field(
            "document_id",
            "string",
            "Resolved document ID",
            "The cited document when it is in the dataset: the document a number names, else the version of the titled work in force when the citing document came into force; empty when unresolved.",
        ),
        Field(
            "work_id", "string", "Resolved work ID", "The work (law over time) of document_id; empty when unresolved."
        ),
        Field(
            "cited_article",
            "string",
            "Cited article",
            "The article named right after the reference, as written (第二十条, 第十七条之一, 第二十一条第二款); empty when none is named.",
        ),
        Field(
            "cited_clause_id",
            "string",
            "Cited clause ID",
            "The named article (or 款) in document_id; empty when none is named or that version has no such article.",
        ),
    ),
    primary_key=("clause_id", "seq"),
    foreign_keys=(
        *_clause_fk("clause_id", "cited_clause_id"),
        ForeignKey("document_id", "documents", "id"),
        ForeignKey("work_id", "works", "id"),
    ),
)

UNRESOLVED_CITATIONS = Table(
    "unresolved_citations",
    "Documents cited but not in the dataset",
    "One row per document that clauses cite but the dataset does not hold (by document number, else by title), with how often and by which documents: what the dataset would need next.",
    role="derived",
    stage="derive",
    required=False,
    producer="scripts.citations:derive_unresolved",
    unstored="the API does not serve it (it lists documents the dataset lacks; the CSV file is downloadable)",
    fields=(
        Field(
            "target",
            "string",
            "Cited document",
            "The document number (normalised, 银发〔2018〕325号) or else the title's comparison key (half-width, no spaces, without a leading 中华人民共和国).",
            required=True,
            unique=True,
        ),
        Field(
            "cited_title",
            "string",
            "Title as cited",
            "The title as first written, without 《》; empty when only a number is cited.",
        ),
        Field(
            "cited_doc_number",
            "string",
            "Document number as cited",
            "The normalised document number; empty for a title alone.",
        ),
        Field(
            "citations", "integer", "Citations", "How many references in the dataset cite it.", required=True, minimum=1
        ),
        Field(
            "citing_documents",
            "list",
            "Citing documents",
            "IDs of the documents citing it, sorted.",
            delimiter=";",
        ),
        Field(
            "first_clause_id",
            "string",
            "First citing clause",
            "The first clause (in package order) that cites it.",
            required=True,
        ),
    ),
    primary_key=("target",),
    foreign_keys=_clause_fk("first_clause_id"),
)

MEASURES = Table(
    "measures",
    "Measures",
    "Quantitative content of clauses: money amounts, rates, caps, ranges, multiples, targets, counts, deadlines, time limits and effective dates, with the exact span of text.",
    role="derived",
    stage="derive",
    store=Store(
        "measures",
        ordinals=_clause_n("clause_id"),
        numeric=("value", "value_max"),
        indexes=(Index("measures_kind", ("kind", "clause_n")), Index("measures_unit", ("unit", "clause_n"))),
    ),
    required=False,
    producer="scripts.measures:derive",
    fields=(
        Field("clause_id", "string", "Clause ID", "The clause that states the measure.", required=True),
        Field(
            "seq",
            "integer",
            "Sequence",
            "1-based number of the measure within the clause, by position.",
            required=True,
            minimum=1,
        ),
        _vocabulary("kind", "Kind of measure", _described(vocab.MEASURE_KINDS), vocab.MEASURE_KINDS),
        Field(
            "value",
            "number",
            "Value",
            "The number in Arabic digits (Chinese numerals converted), without thousands separators or unit; "
            "the lower bound of a range; the year of a deadline or effective date.",
            required=True,
        ),
        Field(
            "value_max",
            "number",
            "Upper bound",
            "The upper bound of a range (50万元以上200万元以下: value 50, value_max 200) or of a multiple range; empty otherwise.",
        ),
        Field(
            "unit",
            "string",
            "Unit",
            "The unit as written: 万元, 亿元, %, 倍, 日, 工作日, 个月, 小时, 家, 个, 人, 年 … (百分之 gives %, 个工作日 gives 工作日).",
            required=True,
            enum=vocab.measure_units,
        ),
        Field(
            "qualifier",
            "string",
            "Qualifier",
            "Words next to the number that qualify it, as written (以上, 以下, 内, 最高不超过, 不足, 左右, 力争到 …); `…` joins words on both sides.",
        ),
        Field(
            "base",
            "string",
            "Base of a multiple",
            "For a multiple (倍): the amount it multiplies, as written (违法所得, 涉及金额); empty otherwise.",
        ),
        Field(
            "runs_from",
            "string",
            "Runs from",
            "For a time limit: the event the period runs from, as written (X of 自X起 or 在X后: 受理申请之日); empty when the text does not say.",
        ),
        Field(
            "date",
            "string",
            "Date",
            "For an effective date: the date the text takes effect (YYYY-MM-DD); empty otherwise.",
            pattern=FULL_DATE_PATTERN,
        ),
        Field(
            "text", "string", "Span", "The exact span of the clause text: qualifiers, number and unit.", required=True
        ),
        *_span("Offset just past the span."),
    ),
    primary_key=("clause_id", "seq"),
    foreign_keys=_clause_fk("clause_id"),
)


def _documents_fk(*names: str) -> tuple[ForeignKey, ...]:
    return tuple(ForeignKey(n, "documents", "id") for n in names)


WORKS = Table(
    "works",
    "Works",
    "One row per work (one law or document over time), with its first and latest version.",
    role="derived",
    stage="derive",
    store=Store("works"),
    required=False,
    producer="scripts.works:derive_works",
    fields=(
        Field(
            "id",
            "string",
            "Work ID",
            "Stable ID of the work: the document ID of its versions without the year (`aml-law`).",
            required=True,
            unique=True,
            pattern=DOC_ID_RE.pattern,
        ),
        Field("title", "string", "Title", "The title of its latest version.", required=True),
        Field("versions", "integer", "Versions", "How many versions the dataset holds.", required=True, minimum=1),
        Field(
            "first_document_id",
            "string",
            "First version",
            "Document ID of the earliest version in the dataset.",
            required=True,
        ),
        Field(
            "latest_document_id",
            "string",
            "Latest version",
            "Document ID of the latest version in the dataset.",
            required=True,
        ),
    ),
    primary_key=("id",),
    foreign_keys=_documents_fk("first_document_id", "latest_document_id"),
)

VERSIONS = Table(
    "versions",
    "Versions",
    "One row per document: the work it is a version of, and the dates between which it is in force.",
    role="derived",
    stage="derive",
    store=Store(
        "versions",
        rowid="doc",
        ordinals=(Ordinal("document_id", "doc", "document", keep_id=True),),
        indexes=(Index("versions_work", ("work_id", "version")),),
    ),
    required=False,
    producer="scripts.works:derive",
    fields=(
        Field("document_id", "string", "Document ID", "The version (a document).", required=True, unique=True),
        Field("work_id", "string", "Work ID", "The work it is a version of.", required=True),
        Field(
            "version",
            "integer",
            "Version number",
            "1 for the earliest version of the work in the dataset, then 2, 3 …",
            required=True,
            minimum=1,
        ),
        Field(
            "in_force_from",
            "string",
            "In force from",
            "First day the version is in force (YYYY-MM-DD, or YYYY-MM / YYYY where only that is known); empty when no date is known.",
            pattern=DATE_PATTERN,
        ),
        Field(
            "in_force_basis",
            "string",
            "Basis of in_force_from",
            "Where in_force_from comes from: " + "; ".join(f"`{k}`: {v}" for k, v in works.BASES.items()) + ".",
            enum=lambda: ("", *works.BASES),
        ),
        Field(
            "in_force_until",
            "string",
            "In force until (exclusive)",
            "The day the next version came into force (the version is in force before it); empty for the latest version.",
            pattern=DATE_PATTERN,
        ),
        Field(
            "previous_document_id",
            "string",
            "Previous version",
            "Document ID of the version it replaced; empty for the first.",
        ),
        Field(
            "next_document_id",
            "string",
            "Next version",
            "Document ID of the version that replaced it; empty for the latest.",
        ),
    ),
    primary_key=("document_id",),
    foreign_keys=(
        *_documents_fk("document_id", "previous_document_id", "next_document_id"),
        ForeignKey("work_id", "works", "id"),
    ),
)

CLAUSE_CHANGES = Table(
    "clause_changes",
    "Changes between versions",
    "Article- and 款-level changes between consecutive versions of a work: each older article or 款 with its counterpart in the newer version and the kind of change, and the added ones.",
    role="derived",
    stage="derive",
    store=Store(
        "clause_changes",
        checked=("clause_id", "new_clause_id"),
        indexes=(Index("changes_old", ("clause_id",)), Index("changes_new", ("new_clause_id",))),
    ),
    required=False,
    producer="scripts.changes:derive",
    fields=(
        Field("work_id", "string", "Work ID", "The work.", required=True),
        Field("from_document_id", "string", "Older version", "Document ID of the older version.", required=True),
        Field("to_document_id", "string", "Newer version", "Document ID of the next version.", required=True),
        Field(
            "level",
            "string",
            "Level",
            "`article` (条, with everything under it) or `paragraph` (款: each 款 of an article of two or more, and each article of one 款).",
            required=True,
            enum=lambda: ("article", "paragraph"),
        ),
        Field(
            "seq",
            "integer",
            "Sequence",
            "1-based order within the pair and level: older units in reading order, then added ones.",
            required=True,
            minimum=1,
        ),
        Field("clause_id", "string", "Older clause ID", "The article or 款 of the older version; empty for `added`."),
        Field("numbering", "string", "Older citation", "Its legal citation (第十七条第二款)."),
        Field(
            "new_clause_id", "string", "Newer clause ID", "Its counterpart in the newer version; empty for `repealed`."
        ),
        Field("new_numbering", "string", "Newer citation", "The counterpart's legal citation."),
        _vocabulary("change", "Change", _described(alignment.CHANGE_KINDS, "`{k}`: {v}", "; "), alignment.CHANGE_KINDS),
        Field(
            "similarity",
            "number",
            "Similarity",
            "Dice coefficient of the two texts' character bigrams (0-1, 4 decimals); 0 without a counterpart.",
            required=True,
            minimum=0,
            maximum=1,
        ),
    ),
    primary_key=("from_document_id", "to_document_id", "level", "seq"),
    foreign_keys=(
        *_clause_fk("clause_id", "new_clause_id"),
        *_documents_fk("from_document_id", "to_document_id"),
        ForeignKey("work_id", "works", "id"),
    ),
)

#: Every table, in the order of datapackage.json.
TABLES: tuple[Table, ...] = (
    DOCUMENTS,
    CLAUSES,
    TOPICS,
    CLAUSE_TOPICS,
    ERRATA,
    CLAUSE_SIMILAR,
    CITATIONS,
    UNRESOLVED_CITATIONS,
    MEASURES,
    WORKS,
    VERSIONS,
    CLAUSE_CHANGES,
)
BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def table(name: str) -> Table:
    """The table of this name (looked up in TABLES at call time, so a table added to TABLES is found)."""
    found = next((t for t in TABLES if t.name == name), None)
    if found is None:
        raise KeyError(f"no table {name!r} in schemas/registry.py")
    return found


def field_names(name: str) -> list[str]:
    return table(name).field_names


def produced_by(stage: str) -> tuple[Table, ...]:
    return tuple(t for t in TABLES if t.stage == stage)


def required_tables() -> tuple[Table, ...]:
    return tuple(t for t in TABLES if t.required)


def optional_tables() -> tuple[Table, ...]:
    return tuple(t for t in TABLES if not t.required)


def render_schema(name: str) -> str:
    """The Table Schema file of one table, as committed under ``schemas/``."""
    return json.dumps(table(name).table_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def schema_files() -> dict[str, bytes]:
    """Every generated Table Schema, path relative to the repository → bytes."""
    return {t.schema_path: render_schema(t.name).encode("utf-8") for t in TABLES}


MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "parquet": "application/vnd.apache.parquet"}


def resource(t: Table, fmt: str = "csv") -> dict[str, Any]:
    """The ``datapackage.json`` resource of one table in one format (the CSV one is named after the table)."""
    out = {
        "name": t.name if fmt == "csv" else f"{t.name}-{fmt}",
        "title": t.title,
        "description": t.description,
        "path": f"{DATA_DIR}/{t.name}.{fmt}",
        "format": fmt,
        "mediatype": MEDIA_TYPES[fmt],
        "schema": t.schema_path,
    }
    if fmt != "parquet":
        out["encoding"] = "utf-8"
    return out


def parquet_copy(t: Table) -> dict[str, Any]:
    """How a CSV resource names its typed Parquet copy (the ``parquet`` property of the resource)."""
    return {"path": t.parquet_path, "format": "parquet", "mediatype": MEDIA_TYPES["parquet"]}


def resources(parquet: bool = True) -> list[dict[str, Any]]:
    """The resources of ``datapackage.json``: one per table, its CSV file.

    With ``parquet``, each resource names its typed Parquet copy in a ``parquet`` property (same rows,
    same Table Schema, native types and lists). The copies are not resources of their own: Frictionless
    reads a Parquet list column as an array it does not accept for a ``list`` field, so
    ``frictionless validate datapackage.json`` would report every list cell. ``./run check`` compares
    each copy with its CSV row by row instead.
    """
    out = [resource(t) for t in TABLES]
    if parquet:
        for t, res in zip(TABLES, out, strict=True):
            res["parquet"] = parquet_copy(t)
    return out


def csv_only(descriptor: dict[str, Any]) -> dict[str, Any]:
    """The descriptor with its CSV resources only: what Frictionless validates (it reads no Parquet here)."""
    return {
        **descriptor,
        "resources": [
            r for r in descriptor.get("resources", []) if not (isinstance(r, dict) and r.get("format") == "parquet")
        ],
    }


def write_schemas(root: Path = ROOT) -> None:
    for rel, data in schema_files().items():
        (root / rel).write_bytes(data)


__all__ = ["BY_NAME", "NAMES", "TABLES", "Field", "ForeignKey", "Table", "field", "table"]
