"""Stage 1: document metadata and raw source texts.

Each document has a metadata record ``datapackage/sources/<id>.json`` beside its
raw source text. The record is decoded into a typed struct, so a missing field
or a wrong type is reported with the file and the field.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import msgspec

from scripts import vocab
from scripts.errors import LocatedError
from scripts.ids import DOC_ID_RE

SOURCES_DIR = vocab.ROOT / "datapackage" / "sources"
DATE_RE = re.compile(r"^$|^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")


class SourceError(LocatedError):
    """A source file or metadata record is unusable; names which, and how to fix it."""


RECORD_FIX = "correct the record; CONTRIBUTING.md lists every field and what it holds"


def source_error(file: str, message: str, fix: str, line: int | None = None, field: str | None = None) -> SourceError:
    return SourceError(file, message, fix, line, field)


class SourceSetError(SourceError):
    """Every problem of the source set at once (the build reports them all); the first one's fields."""

    def __init__(self, errors: list[SourceError]) -> None:
        first = errors[0]
        super().__init__(first.file, first.message, first.fix, first.line, first.field)
        self.errors = errors
        self.args = ("\n".join(str(e) for e in errors),)

    def __str__(self) -> str:
        return str(self.args[0])


class BodyLines(msgspec.Struct, forbid_unknown_fields=True):
    """The 1-based, inclusive line range of the policy text inside the source file."""

    start: int
    end: int


class Dates(msgspec.Struct, forbid_unknown_fields=True):
    """Every date the source states for this text, each in a field of its own; empty when not stated."""

    adopted: str = ""  # 通过
    approved: str = ""  # 批准 (a local regulation approved by the provincial congress)
    promulgated: str = ""  # 公布 / 发布
    revised: list[str] = msgspec.field(default_factory=list)  # 修正 / 修订, oldest first
    effective: str = ""  # 施行
    stated_in: str = ""  # where the source states them (header lines, the final article, another version)


class Provenance(msgspec.Struct, forbid_unknown_fields=True):
    """Where the raw text was copied from: repository, commit and path (empty for texts not copied from one)."""

    repository: str = ""
    commit: str = ""
    path: str = ""


class DocumentMeta(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    title: str
    title_en: str
    doc_number: str
    issuers: list[str]
    city: str
    level: str
    doc_type: str
    date_issued: str
    date_published: str
    source_url: str
    source_file: str
    source_sha256: str
    version_note: str
    body: BodyLines
    legal_rank: str
    dates: Dates = msgspec.field(default_factory=Dates)
    provenance: Provenance = msgspec.field(default_factory=Provenance)


def check_meta(meta: DocumentMeta, where: str) -> None:
    """Vocabulary and format checks msgspec cannot express; raise SourceError naming the field."""

    def bad(field: str, message: str, fix: str = RECORD_FIX) -> SourceError:
        return SourceError(where, message, fix, field=field)

    if not DOC_ID_RE.match(meta.id):
        raise bad(
            "id", f"{meta.id!r} is not a document ID", "use lowercase ASCII words joined by '-', e.g. 'wuhan-2022'"
        )
    if Path(where).stem != meta.id:
        raise bad("id", f"{meta.id!r} differs from the file name", f"name the file {meta.id}.json")
    if meta.city not in vocab.CITIES:
        raise bad(
            "city",
            f"unknown city {meta.city!r}",
            f"use one of {', '.join(sorted(vocab.CITIES))} "
            "(add a line slug,name_zh,name_en to datapackage/vocab/jurisdictions.csv)",
        )
    if meta.level not in vocab.LEVELS:
        raise bad("level", f"unknown level {meta.level!r}", f"use one of {', '.join(sorted(vocab.LEVELS))}")
    if meta.doc_type not in vocab.DOC_TYPES:
        raise bad("doc_type", f"unknown doc_type {meta.doc_type!r}", f"use one of {', '.join(sorted(vocab.DOC_TYPES))}")
    if meta.legal_rank not in vocab.LEGAL_RANKS:
        raise bad("legal_rank", f"unknown legal rank {meta.legal_rank!r}", f"use one of {', '.join(vocab.LEGAL_RANKS)}")
    dates = meta.dates
    named = [("date_issued", meta.date_issued), ("date_published", meta.date_published)]
    named += [(f"dates.{k}", getattr(dates, k)) for k in ("adopted", "approved", "promulgated", "effective")]
    named += [("dates.revised", v) for v in dates.revised]
    for field, value in named:
        if not DATE_RE.match(value):
            raise bad(
                field,
                f"{value!r} is not a date",
                "write YYYY-MM-DD (or YYYY-MM / YYYY when only that is known, empty when unknown)",
            )
    if not meta.title.strip():
        raise bad("title", "the Chinese title is required", "copy the title from the official document")
    if not meta.issuers:
        raise bad("issuers", "no issuing authority", "list at least one issuing authority")
    if meta.body.start < 1 or meta.body.end < meta.body.start:
        raise bad(
            "body",
            f"start {meta.body.start} / end {meta.body.end} is not a line range",
            "give the 1-based first and last line of the policy text, start <= end",
        )


def load_meta(path: Path) -> DocumentMeta:
    where = relative(path)
    try:
        meta = msgspec.json.decode(path.read_bytes(), type=DocumentMeta)
    except msgspec.ValidationError as exc:
        raise record_error(where, str(exc)) from exc
    except msgspec.DecodeError as exc:
        raise SourceError(
            where, f"not valid JSON: {exc}", "correct the JSON syntax (e.g. a missing comma or quote)"
        ) from exc
    check_meta(meta, where)
    return meta


MSGSPEC_PATH_RE = re.compile(r" - at `\$\.?(?P<at>[\w.\[\]]*)`$")
NAMED_FIELD_RE = re.compile(r"field `([^`]+)`")


def record_error(where: str, text: str) -> SourceError:
    """A metadata record that does not decode: which field, what is wrong and the fix (from msgspec's message)."""
    at = MSGSPEC_PATH_RE.search(text)
    message = text[: at.start()] if at else text
    named = NAMED_FIELD_RE.search(message)
    field = named.group(1) if named else (at["at"] if at and at["at"] else None)
    if message.startswith("Object missing required field"):
        return SourceError(
            where,
            f"the record has no `{field}`",
            f"add `{field}` to the record (an empty string "
            "where the value is unknown, if the field allows it); CONTRIBUTING.md lists every field",
            field=field,
        )
    if message.startswith("Object contains unknown field"):
        return SourceError(
            where,
            f"`{field}` is not a field of a metadata record",
            "remove it or correct its spelling; CONTRIBUTING.md lists every field",
            field=field,
        )
    return SourceError(
        where,
        message[0].lower() + message[1:],
        "write the value as the type shown; CONTRIBUTING.md lists every field and its type",
        field=field,
    )


def load_all_meta(sources_dir: Path = SOURCES_DIR) -> list[DocumentMeta]:
    metas = [load_meta(p) for p in sorted(sources_dir.glob("*.json"))]
    if not metas:
        raise SourceError(
            relative(sources_dir),
            "no document metadata (*.json) found",
            "add a record per document (CONTRIBUTING.md, 'Add a document')",
        )
    return metas


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (read in blocks by :func:`hashlib.file_digest`)."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(vocab.ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def read_source(meta: DocumentMeta, root: Path = vocab.ROOT) -> list[str]:
    """The source's lines, after checking checksum, encoding and line endings."""
    path = root / meta.source_file
    name = meta.source_file
    if not path.is_file():
        raise SourceError(
            f"datapackage/sources/{meta.id}.json",
            f"{name} does not exist",
            f"restore {name}, or correct `source_file` to name the document's raw text",
            field="source_file",
        )
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != meta.source_sha256:
        raise SourceError(
            name,
            f"SHA-256 is {digest} but {meta.id}.json records {meta.source_sha256}",
            "raw sources are never edited; restore the original file (git checkout) and correct a typo through "
            "datapackage/errata.csv, or, for a new document, record the new checksum",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        raise SourceError(name, "starts with a UTF-8 byte-order mark", "save the file as UTF-8 without BOM", 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            name,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            "convert the file to UTF-8, e.g. `iconv -f GBK -t UTF-8`",
            line,
        ) from exc
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise SourceError(name, "CR line endings", "convert the file to LF line endings (e.g. `dos2unix`)", line)
    lines = text.split("\n")
    if meta.body.end > len(lines):
        raise SourceError(
            f"datapackage/sources/{meta.id}.json",
            f"end {meta.body.end} is past the last line ({len(lines)}) of {name}",
            f"set `body.end` to the line of the last sentence of the policy text (at most {len(lines)})",
            field="body",
        )
    return lines
