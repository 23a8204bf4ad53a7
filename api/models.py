"""The msgspec types of every response body."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from api import vocab

City = Literal[vocab.CITIES]  # type: ignore[valid-type]
Level = Literal[vocab.LEVELS]  # type: ignore[valid-type]
Kind = Literal[vocab.KINDS]  # type: ignore[valid-type]
MeasureKind = Literal[vocab.MEASURE_KINDS]  # type: ignore[valid-type]
CitationKind = Literal[vocab.CITATION_KINDS]  # type: ignore[valid-type]
ReleaseStatus = Literal["release", "working"]


class Struct(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Base of all response types: keyword-only fields, defaults left out of the JSON."""


# --- shared envelope -------------------------------------------------------------------------------------------


class Facets(Struct):
    """Counts of the filtered clauses by each dimension (values with no clause are left out)."""

    city: dict[str, int] = msgspec.field(default_factory=dict)
    level: dict[str, int] = msgspec.field(default_factory=dict)
    topic: dict[str, int] = msgspec.field(default_factory=dict)
    document: dict[str, int] = msgspec.field(default_factory=dict)
    kind: dict[str, int] = msgspec.field(default_factory=dict)


class TopicHint(Struct):
    """A topic the full-text query names (see api.topic_hints): how many clauses carry it, how many of the
    matches do, and its filter."""

    topic: str
    label_zh: str
    label_en: str
    clause_count: int
    matching_clause_count: int
    href: str


class ListMeta(Struct):
    """Paging and context of a list: the total, this page's position, and how to get the next one."""

    total: int
    limit: int
    offset: int | None
    next_cursor: str | None
    release: str
    facets: Facets | None = None
    topic_hints: list[TopicHint] | None = None
    next: str | None = None
    query_converted: str | None = None


class ItemMeta(Struct):
    """Context of a single item: the release it was read from."""

    release: str


# --- clauses ---------------------------------------------------------------------------------------------------


class ClauseFields(Struct):
    id: str
    document_id: str
    seq: int
    kind: Kind
    depth: int
    numbering: str
    parent_id: str | None
    heading: str
    text: str
    topics: list[str]
    city: City
    level: Level
    source_file: str
    line_start: int
    line_end: int


class ClauseHit(ClauseFields, kw_only=True):
    """A clause in a list; with ``snippet`` when the list answers a ``q``."""

    snippet: str | None = None


class ClauseLink(Struct):
    id: str
    kind: Kind
    numbering: str
    heading: str


class TopicTag(Struct):
    """Why a clause carries a topic: the tagging rule and the words it matched, or a curation note."""

    topic: str
    source: str
    matched: list[str]


class DocumentSummary(Struct):
    id: str
    title: str
    title_en: str
    doc_number: str
    issuers: list[str]
    city: City
    level: Level
    doc_type: str
    date_issued: str
    date_published: str
    clause_count: int


class Erratum(Struct):
    """A correction: what the source has, what replaced it, and why.

    ``kind`` is ``erratum`` for a typo of the official text corrected in the clause, ``source-repair`` for a
    defect of the transcription (a lost heading number or item marker) repaired in source line
    ``source_line`` before the text was segmented.
    """

    original: str
    corrected: str
    reason: str
    kind: str
    source_line: int | None


class Citation(Struct):
    """A reference to another document in a clause's text: the span, and the cited document when it is known."""

    clause_id: str
    seq: int
    kind: CitationKind
    text: str
    start: int
    end: int
    cited_title: str
    cited_doc_number: str
    document_id: str | None
    work_id: str | None = None
    cited_article: str | None = None
    cited_clause_id: str | None = None


class Measure(Struct):
    """A quantitative commitment stated in a clause: kind, value and unit, and the exact span of text.

    ``value`` is a JSON number: an integer where the source writes one (500), else a decimal (2.5); for a range
    it is the lower bound and ``value_max`` the upper one (null otherwise). ``base`` is what a multiple (倍)
    multiplies, ``runs_from`` what a time limit runs from, ``date`` the ISO date of an effective date; each
    is null where it does not apply or the text does not say.
    """

    clause_id: str
    document_id: str
    city: City
    seq: int
    kind: MeasureKind
    value: float
    value_max: float | None
    unit: str
    qualifier: str
    base: str | None
    runs_from: str | None
    date: str | None
    text: str
    start: int
    end: int


class ClauseDetail(ClauseFields, kw_only=True):
    """A clause with its place in the document, its corrections, references and measures."""

    parent: ClauseLink | None
    ancestors: list[ClauseLink]
    children: list[str]
    topic_tags: list[TopicTag]
    errata: list[Erratum]
    citations: list[Citation]
    measures: list[Measure]
    document: DocumentSummary
    #: For an article, 款 or 项 of a legal text: its whole text with the 款, 项 and 目 under it, markers included,
    #: one per line, as it is quoted (第七条 设立…：\n（一）…); empty for other clauses.
    quote: str


class SimilarClause(Struct):
    """A clause of another document whose wording overlaps: its place, text, the score and the shared passages."""

    id: str
    document_id: str
    city: City
    kind: Kind
    numbering: str
    heading: str
    text: str
    score: float
    shared: list[str]


class SimilarList(Struct):
    data: list[SimilarClause]
    meta: ListMeta


class MeasureList(Struct):
    data: list[Measure]
    meta: ListMeta


class ClauseList(Struct):
    data: list[ClauseHit]
    meta: ListMeta


class ClauseResponse(Struct):
    data: ClauseDetail
    meta: ItemMeta


class HistoryEntry(Struct):
    """A clause as it stands in one release: absent, or its numbering, heading, text and topics."""

    release: str
    present: bool
    changed: bool
    numbering: str | None = None
    heading: str | None = None
    text: str | None = None
    topics: list[str] | None = None


class ClauseHistory(Struct):
    data: list[HistoryEntry]
    meta: ItemMeta


# --- documents -------------------------------------------------------------------------------------------------


class OutlineNode(Struct):
    """One clause of a document's outline, with the clauses nested under it."""

    id: str
    kind: Kind
    numbering: str
    heading: str
    children: list[OutlineNode] = msgspec.field(default_factory=list)


class DocumentDetail(DocumentSummary, kw_only=True):
    """A document with every field of ``documents.csv``, the days it is in force, and its outline.

    The legal rank and the dates a law's text states are empty where the package does not record them
    (every document of release 1.0.0, which predates those fields; see ``dates_stated_in``).
    """

    source_url: str
    source_file: str
    source_sha256: str
    version_note: str
    legal_rank: str
    date_adopted: str
    date_approved: str
    date_promulgated: str
    date_revised: list[str]
    date_effective: str
    dates_stated_in: str
    source_repository: str
    source_commit: str
    source_path: str
    work_id: str
    in_force_from: str
    in_force_until: str
    outline: list[OutlineNode]


class CitingDocument(Struct):
    """A document that refers to the requested one, with each reference it makes."""

    document: DocumentSummary
    citations: list[Citation]


class CitedByList(Struct):
    data: list[CitingDocument]
    meta: ListMeta


class DocumentList(Struct):
    data: list[DocumentSummary]
    meta: ListMeta


class DocumentResponse(Struct):
    data: DocumentDetail
    meta: ItemMeta


# --- works and versions ----------------------------------------------------------------------------------------

ChangeKind = Literal["unchanged", "renumbered", "amended", "renumbered-and-amended", "repealed", "added"]


class WorkVersion(Struct):
    """One version of a work: a document, and the days it is in force (``in_force_until`` exclusive)."""

    document_id: str
    version: int
    title: str
    in_force_from: str
    in_force_basis: str
    in_force_until: str
    previous_document_id: str
    next_document_id: str


class Work(Struct):
    """A law (or any document) over time: its versions, oldest first."""

    id: str
    title: str
    versions: list[WorkVersion]


class WorkSummary(Struct):
    """A work and how many versions the release holds, with the first and the latest."""

    id: str
    title: str
    versions: int
    first_document_id: str
    latest_document_id: str


class WorkList(Struct):
    data: list[WorkSummary]
    meta: ListMeta


class WorkResponse(Struct):
    data: Work
    meta: ItemMeta


class WorkAsOf(Struct):
    """The version of a work in force on a day, and its outline; ``version`` is null when none was."""

    work_id: str
    date: str
    in_force: bool
    note: str
    version: WorkVersion | None
    outline: list[OutlineNode]


class WorkAsOfResponse(Struct):
    data: WorkAsOf
    meta: ItemMeta


class ClauseChange(Struct):
    """An article or 款 of the older version with its counterpart in the newer one, and the kind of change."""

    level: Literal["article", "paragraph"]
    clause_id: str | None
    numbering: str | None
    new_clause_id: str | None
    new_numbering: str | None
    change: ChangeKind
    similarity: float


class ChangesMeta(Struct):
    work_id: str
    from_document_id: str
    to_document_id: str
    counts: dict[str, dict[str, int]]
    total: int
    release: str


class ChangeList(Struct):
    data: list[ClauseChange]
    meta: ChangesMeta


class ClauseVersion(Struct):
    """An article (or 款) in one version of its work; ``clause_id`` is null where that version has none."""

    document_id: str
    version: int
    in_force_from: str
    in_force_until: str
    clause_id: str | None
    numbering: str | None
    text: str | None
    change: ChangeKind | None


class ClauseVersionList(Struct):
    data: list[ClauseVersion]
    meta: ItemMeta


# --- topics ----------------------------------------------------------------------------------------------------


class Topic(Struct):
    slug: str
    label_zh: str
    label_en: str
    scope: str
    clause_count: int
    clause_count_with_descendants: int


class TopicList(Struct):
    data: list[Topic]
    meta: ListMeta


# --- releases --------------------------------------------------------------------------------------------------


class ReleaseCounts(Struct):
    """Rows of the release: documents, clauses, topics, and clause–topic tags."""

    documents: int
    clauses: int
    topics: int
    topic_tags: int


class ReleaseFile(Struct):
    """A downloadable file: its path in the release, where to get it, its size, checksum and row count."""

    path: str
    url: str
    media_type: str
    bytes: int
    sha256: str
    rows: int | None = None


class ReleaseSummary(Struct, kw_only=True):
    version: str
    status: ReleaseStatus
    latest: bool
    date: str | None = None
    counts: ReleaseCounts
    url: str


class ReleaseDetail(ReleaseSummary, kw_only=True):
    name: str | None = None
    title: str | None = None
    description: str | None = None
    files: list[ReleaseFile]
    changes: Any = None


class ReleaseList(Struct):
    data: list[ReleaseSummary]
    meta: ListMeta


class ReleaseResponse(Struct):
    data: ReleaseDetail
    meta: ItemMeta


class ChangeSet(Struct):
    """IDs added, removed and changed between two releases (at most ``limit`` of each; counts are complete)."""

    added: list[str]
    removed: list[str]
    changed: list[str]
    added_count: int
    removed_count: int
    changed_count: int


class ReleaseChanges(Struct):
    from_version: str
    to_version: str
    documents: ChangeSet
    clauses: ChangeSet


class ReleaseChangesResponse(Struct):
    data: ReleaseChanges
    meta: ItemMeta


# --- health ----------------------------------------------------------------------------------------------------


class Health(Struct):
    """``degraded`` when a release does not verify against its checksums: it is not served, and why is listed."""

    status: Literal["ok", "empty", "degraded"]
    releases: list[str]
    latest: str | None
    failed_releases: dict[str, list[str]] = msgspec.field(default_factory=dict)


# --- errors ----------------------------------------------------------------------------------------------------


class InvalidParam(Struct):
    """One rejected request parameter: why, and (for vocabularies) the values it accepts."""

    name: str
    reason: str
    valid_values: list[str] | None = None


class Problem(Struct):
    """An error, as RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    invalid_params: list[InvalidParam] | None = None


# --- index -----------------------------------------------------------------------------------------------------


class ApiIndex(Struct):
    """Where to start: the documentation and the main collections."""

    title: str
    description: str
    docs: str
    openapi: str
    latest_release: str | None
    links: dict[str, str]
