"""Query and path parameters shared by the endpoints: their OpenAPI description, example and checks."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Annotated, Any

from litestar.openapi.spec import Example, OpenAPIType, Schema
from litestar.params import PathParameter, QueryParameter

from api import vocab
from api.problems import TYPE_REASONS, ApiProblem, bad_request, invalid, not_found
from api.store import Release, Store, UnknownRelease

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 10_000_000
MAX_ID_CHARS = 200
#: Text without control characters (api.query_rules rejects them), as an OpenAPI pattern.
NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f]*$"

TYPE_REASONS.update(
    {
        "limit": f"limit must be an integer from 1 to {MAX_LIMIT}",
        "offset": f"offset must be an integer from 0 to {MAX_OFFSET}",
        "include_descendants": "include_descendants must be true or false",
        "versioned": "versioned must be true or false",
        "q": "q must be at most 200 characters",
        "cursor": "cursor must be a value of meta.next_cursor",
        "release": "release must be a version such as 1.0.0, or latest",
    }
)


def _example(value: Any, summary: str) -> list[Example]:
    return [Example(summary=summary, value=value)]


def _optional(type_: OpenAPIType, **extra: Any) -> dict[str, Any]:
    """``schema_extra`` documenting an optional query parameter as its plain type (absent rather than null)."""
    return {"one_of": None, "type": type_, **extra}


def _string_list(**items: Any) -> dict[str, Any]:
    return _optional(OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.STRING, **items))


def _vocabulary(name: str, values: tuple[str, ...], description: str, example: str) -> Any:
    return QueryParameter(
        required=False,
        description=f"{description} Repeat the parameter to accept several values (any of them). "
        f"One of: {', '.join(values)}.",
        examples=_example([example], example),
        schema_extra=_string_list(enum=list(values)),
    )


Release_ = Annotated[
    str | None,
    QueryParameter(
        required=False,
        max_length=40,
        description="Version of the data to read, such as `1.0.0` (see GET /releases), or `latest` (the default): "
        "the highest version served. Responses of a pinned release may be cached for long.",
        examples=_example("latest", "The newest release"),
        schema_extra=_optional(OpenAPIType.STRING, pattern=NO_CONTROL),
    ),
]
Cities = Annotated[
    list[str] | None, _vocabulary("city", vocab.CITIES, "Jurisdiction of the clause's document.", "qingdao")
]
Levels = Annotated[
    list[str] | None, _vocabulary("level", vocab.LEVELS, "Administrative level of the issuing authority.", "municipal")
]
Kinds = Annotated[list[str] | None, _vocabulary("kind", vocab.KINDS, "Kind of node in the document's outline.", "item")]
MeasureKinds = Annotated[
    list[str] | None,
    _vocabulary("kind", vocab.MEASURE_KINDS, "Kind of measure.", "subsidy"),
]
MeasureUnits = Annotated[
    list[str] | None,
    _vocabulary(
        "unit",
        vocab.MEASURE_UNITS,
        "Unit of the measure as the data writes it (个工作日 is 工作日, 百分之 is %).",
        "个月",
    ),
]
DocTypes = Annotated[list[str] | None, _vocabulary("doc_type", vocab.DOC_TYPES, "Type of document.", "guidance")]
Topics = Annotated[
    list[str] | None,
    QueryParameter(
        required=False,
        description="Topic slug (see GET /topics). Repeat for several topics: by default a clause matches when it "
        "has ANY of them; `topic_mode=all` asks for clauses that have ALL of them. "
        f"One of: {', '.join(vocab.TOPICS)}.",
        examples=_example(["talent"], "talent"),
        schema_extra=_string_list(enum=list(vocab.TOPICS)),
    ),
]
TopicMode = Annotated[
    str,
    QueryParameter(
        required=False,
        description="How several `topic` values combine: `any` (the default) matches clauses with at least one of "
        "them, `all` only clauses with every one.",
        examples=_example("any", "any of the topics"),
        schema_extra={"enum": ["any", "all"]},
    ),
]
IncludeDescendants = Annotated[
    bool,
    QueryParameter(
        required=False,
        description="When true, a topic filter also matches the clauses nested under a heading that has the topic "
        "(e.g. every item of a section tagged `talent`), and topic facets count those inherited topics.",
        examples=_example(False, "only the clauses' own topics"),
    ),
]
Documents = Annotated[
    list[str] | None,
    QueryParameter(
        required=False,
        description="Document ID (see GET /documents). Repeat to accept several documents. An ID that is not in "
        "the release is a 404.",
        examples=_example(["qingdao-2021"], "qingdao-2021"),
        schema_extra=_string_list(max_length=MAX_ID_CHARS, pattern=vocab.DOC_ID_RE.pattern),
    ),
]
Query = Annotated[
    str | None,
    QueryParameter(
        required=False,
        max_length=200,
        description="Full-text search in the clause heading and text. Chinese works without word breaks: any "
        "substring matches, from single characters (才) and two-character words (人才, 沙盒) to phrases "
        "(数字人民币). Syntax: space-separated terms must all match; `人才 OR 沙盒` matches either; `-青岛` "
        'excludes clauses containing the term; `"金融 科技"` matches the exact text between the quotes, '
        "spaces included; parentheses group: `(人才 OR 沙盒) -青岛`. Traditional characters are converted to "
        "simplified (區塊鏈 finds 区块链; both forms are searched for) and `meta.query_converted` says so. A query "
        "that does not follow the syntax is a 400 saying what is wrong and where. Matches are highlighted with "
        "`<mark>` in each clause's `snippet`.",
        examples=_example("人才", "clauses about talent"),
        schema_extra=_optional(
            OpenAPIType.STRING, pattern=r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        ),
    ),
]
Order = Annotated[
    str | None,
    QueryParameter(
        required=False,
        description="`relevance` (the default when `q` is given) or `document`: the stable document "
        "order (documents by jurisdiction, then clauses in reading order; the default without `q`). Relevance is "
        "BM25 (k1 = 1.2, b = 0.75) over the character bigrams of the query's words and phrases (数字人民币: 数字, "
        "字人, 人民, 民币; excluded terms do not count, one-character terms add nothing): clauses that say them "
        "more often, in a shorter text, and the rarer bigrams first; equal scores in document order. It changes "
        "only the order: which clauses match, the total and the facets are the same in either order. Without `q` "
        "there is nothing to rank by, and `relevance` gives document order too.",
        examples=_example("document", "document order"),
        schema_extra=_optional(OpenAPIType.STRING, enum=["relevance", "document"]),
    ),
]
Limit = Annotated[
    int,
    QueryParameter(
        required=False,
        ge=1,
        le=MAX_LIMIT,
        description=f"Number of items per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
        examples=_example(DEFAULT_LIMIT, "a page of 50"),
    ),
]
Offset = Annotated[
    int,
    QueryParameter(
        required=False,
        ge=0,
        le=MAX_OFFSET,
        description="Number of items to skip (default 0). Use either `offset` or `cursor`, not both.",
        examples=_example(0, "from the first item"),
        schema_extra={"minimum": 0},
    ),
]
AS_OF_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
AsOf = Annotated[
    str | None,
    QueryParameter(
        required=False,
        max_length=10,
        description="Point in time (YYYY-MM-DD): only the documents in force on that day, i.e. for each work (a law "
        "over time, see GET /works/{id}) the version in force then, and every other document from its date on. A "
        "day before a document existed excludes it; a day before every document gives an empty list.",
        examples=_example("2020-01-01", "the law as it stood on 1 January 2020"),
        schema_extra=_optional(OpenAPIType.STRING, format="date"),
    ),
]
Cursor = Annotated[
    str | None,
    QueryParameter(
        required=False,
        max_length=200,
        description="Opaque position from a previous page's `meta.next_cursor`, to read the next page of the same "
        "query. Use either `offset` or `cursor`, not both.",
        schema_extra=_optional(OpenAPIType.STRING, pattern=NO_CONTROL),
    ),
]
ClauseId = Annotated[
    str,
    PathParameter(
        description="Clause ID: the document ID, then one dot-separated segment per level of the numbering path "
        "(`qingdao-2021.2.4`, `shenzhen-2023.3.1.box1`, `qingdao-2021.preamble`).",
        examples=_example("qingdao-2021.3.1", "a Qingdao clause on talent"),
        max_length=MAX_ID_CHARS,
    ),
]
DocumentId = Annotated[
    str,
    PathParameter(
        description="Document ID (lowercase ASCII, e.g. `qingdao-2021`).",
        examples=_example("qingdao-2021", "Qingdao's 2021 guiding opinions"),
        max_length=MAX_ID_CHARS,
    ),
]
WorkId = Annotated[
    str,
    PathParameter(
        description="Work ID: a document ID without its year (`aml-law` for `aml-law-2006` and `aml-law-2024`); "
        "every document is a version of one work.",
        examples=_example("aml-law", "the Anti-Money Laundering Law"),
        max_length=MAX_ID_CHARS,
    ),
]
Versioned = Annotated[
    bool,
    QueryParameter(
        required=False,
        description="When true, only the works of two or more versions.",
        examples=_example(True, "the laws that were revised"),
    ),
]
Day = Annotated[
    str,
    PathParameter(
        description="A calendar day, YYYY-MM-DD.",
        examples=_example("2020-01-01", "1 January 2020"),
        max_length=10,
        schema_extra={"format": "date", "pattern": AS_OF_RE.pattern},
    ),
]
FromDoc = Annotated[
    str | None,
    QueryParameter(
        name="from",
        required=False,
        max_length=MAX_ID_CHARS,
        description="Document ID of the older version; with `to`, two consecutive versions. Without `from` and `to`, "
        "the latest revision.",
        examples=_example("aml-law-2006", "the 2006 law"),
        schema_extra=_optional(OpenAPIType.STRING, pattern=vocab.DOC_ID_RE.pattern),
    ),
]
ToDoc = Annotated[
    str | None,
    QueryParameter(
        required=False,
        max_length=MAX_ID_CHARS,
        description="Document ID of the newer version.",
        examples=_example("aml-law-2024", "the 2024 revision"),
        schema_extra=_optional(OpenAPIType.STRING, pattern=vocab.DOC_ID_RE.pattern),
    ),
]
ChangeLevel = Annotated[
    list[str] | None,
    QueryParameter(
        required=False,
        description="`article` (条, with everything under it) and/or `paragraph` (款); both by default. Repeatable.",
        examples=_example(["article"], "articles only"),
        schema_extra=_string_list(enum=["article", "paragraph"]),
    ),
]
Version = Annotated[
    str,
    PathParameter(
        description="A version served by GET /releases (such as `1.0.0`), or `latest`.",
        examples=_example("latest", "the newest release"),
        max_length=40,
    ),
]
FileName = Annotated[
    Path,
    PathParameter(
        description="Path of a file of the release, as listed in its `files` (e.g. `datapackage/data/clauses.csv`), "
        "or its bare name when no other file has it (`clauses.csv`, `datapackage.json`, `release.json`).",
        examples=_example("clauses.csv", "the clauses table"),
        schema_extra={"format": None},
    ),
]


class Checker:
    """Collects every invalid parameter of a request, to report them all in one 400."""

    def __init__(self) -> None:
        self.errors: list[Any] = []

    def vocabulary(self, name: str, values: list[str] | None, allowed: tuple[str, ...]) -> tuple[str, ...]:
        values = list(dict.fromkeys(values or []))
        unknown = [v for v in values if v not in allowed]
        if unknown:
            self.errors.append(invalid(name, f"unknown {name}: {', '.join(map(repr, unknown))}", allowed))
        return tuple(v for v in values if v in allowed)

    def document_ids(self, name: str, values: list[str] | None) -> tuple[str, ...]:
        """The distinct values, each checked to have the form of a document ID (not that the release has it)."""
        values = list(dict.fromkeys(values or []))
        for doc_id in values:
            if not vocab.DOC_ID_RE.match(doc_id):
                self.errors.append(
                    invalid(name, f"{doc_id!r} is not a document ID (lowercase ASCII such as 'qingdao-2021')")
                )
        return tuple(values)

    def date(self, name: str, value: str | None) -> str:
        """A calendar day YYYY-MM-DD, or '' when absent."""
        if value is None:
            return ""
        try:
            if AS_OF_RE.match(value):
                datetime.date.fromisoformat(value)
                return value
        except ValueError:
            pass
        self.errors.append(invalid(name, f"{value!r} is not a calendar day: write YYYY-MM-DD, e.g. 2020-01-01"))
        return ""

    def choice(self, name: str, value: str | None, allowed: tuple[str, ...], default: str) -> str:
        if value is None:
            return default
        if value not in allowed:
            self.errors.append(invalid(name, f"unknown {name}: {value!r}", allowed))
            return default
        return value

    def add(self, name: str, reason: str, valid_values: tuple[str, ...] | list[str] | None = None) -> None:
        self.errors.append(invalid(name, reason, valid_values))

    def raise_if_any(self) -> None:
        if self.errors:
            raise bad_request(*self.errors)


def resolve_release(store: Store, version: str | None) -> Release:
    """The release a request asks for; 404 when no such version is served."""
    try:
        return store.get(version)
    except UnknownRelease:
        served = ", ".join(store.served) if store.versions else "none"
        raise not_found(f"No release {version!r} is served (served: {served}).") from None


def release_not_found(store: Store, version: str) -> ApiProblem:
    served = ", ".join(store.served) if store.versions else "none"
    return not_found(f"No release {version!r} is served (served: {served}).")
