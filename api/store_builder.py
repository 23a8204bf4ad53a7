"""Build the SQLite file of one release from its data package's CSV files.

The file is written next to its final path and moved into place when complete,
so a reader never sees a half-built store. Layout:

* ``documents``, ``topics``, ``clauses``, ``clause_topics``: the package's rows.
  ``clauses.n`` is the clause's position in document order (documents by
  jurisdiction in vocabulary order, then in package order; clauses by ``seq``),
  so ordering by ``n`` is the stable document order and the clauses of one
  document form one contiguous ``n`` range (``documents.first_n..last_n``).
  ``clauses`` is a view: a clause's own columns are kept in ``clause_rows`` (its heading and text compressed,
  :mod:`api.clause_text`; the view reads them as text), and what it repeats of its
  document (``document_id``, ``city``, ``level``, ``source_file``) and of its parent (``parent_id``) is read
  from the ``documents`` row (``clause_rows.doc`` is its ``ord``) and the parent's row. ``clause_topics`` is a
  view too: ``clause_tags`` keeps each topic as its ``topics.ord`` and a tag's source as NULL when it is the
  rule of its own topic (``rule:<topic>``, nearly every tag), else as its number in ``tag_sources``.
* ``facts``: a view of one narrow row per clause (document, kind and topic-set numbers, kept in
  ``clause_rows``), read into memory at
  start-up for filters and facet counts (:mod:`api.fact_columns`); the SQL of a store past 64 topics
  reads it by clause-number ranges.
* ``topic_sets``: each distinct set of topics (their ``topics.ord``, comma-separated), so facets count topics per set.
* ``errata``, ``similar``, ``citations``, ``measures``: the derived resources, keyed by clause number
  (``citations.cited_doc`` is the ``documents.ord`` of the resolved document).
* ``works``, ``versions`` (keyed by ``documents.ord``) and ``clause_changes``: versions of a law; each
  document row also carries its work and the dates it is in force (its own issue date when the package
  has no ``versions`` resource: then every document is a work of one version).
* ``bigram_postings`` and ``bigram_lengths``: the posting lists of character bigrams (with their positions) and
  run ends, which answer every text query and rank by relevance (:mod:`api.search_index`, :mod:`api.text_match`).
* ``meta``: version, status, the hash of the sources, the descriptor and release info.

The tables that mirror the package's (``documents``, ``topics``, ``errata``, ``similar``, ``citations``,
``measures``, ``works``, ``versions``, ``clause_changes``) are laid out and loaded as ``schemas/registry.py``
declares them (:mod:`api.store_tables`); the search tables are written here.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from api import clause_text, search_index, store_tables, vocab
from api.build_writes import Batches
from api.package import DERIVED_RESOURCES, RESOURCES, SourcePackage
from api.store_tables import BuildError
from api.store_tables import check_allowed as _check
from api.store_tables import parse_int as _int
from api.text_search import search_text
from schemas import registry
from scripts.interrupts import sweep
from scripts.sources import file_sha256
from scripts.works import work_id

#: The API modules that lay out and fill a store; ``vocab.py`` numbers the kinds the ``facts`` table keeps
#: (``api.vocab.KIND_ORD``).
STORE_CODE = (
    "store_builder.py",
    "build_writes.py",
    "store_tables.py",
    "text_search.py",
    "search_index.py",
    "clause_text.py",
    "vocab.py",
)
#: Identifies the layout and the code that fills it: a store built by other code is rebuilt.
#: The vocabularies are part of it: a store keeps topic and kind numbers, so a new topic or kind rebuilds it.
_FORMAT_FILES = (
    *(Path(__file__).with_name(name) for name in STORE_CODE),
    Path(__file__).resolve().parents[1] / "scripts" / "vocab.py",
    Path(__file__).resolve().parents[1] / "schemas" / "registry.py",
    *sorted((Path(__file__).resolve().parents[1] / "datapackage" / "vocab").glob("*.csv")),
)
STORE_FORMAT = (
    "fintech-policy-store/1:"
    + hashlib.sha256(b"".join(path.read_bytes() for path in _FORMAT_FILES if path.is_file())).hexdigest()[:16]
)

csv.field_size_limit(sys.maxsize)

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE topic_sets (id INTEGER PRIMARY KEY, topics TEXT NOT NULL);
CREATE TABLE clause_rows (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    doc INTEGER NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, depth INTEGER NOT NULL,
    numbering TEXT NOT NULL, parent_n INTEGER, heading BLOB NOT NULL, text BLOB NOT NULL, topics TEXT NOT NULL,
    line_start INTEGER NOT NULL, line_end INTEGER NOT NULL,
    kind_ord INTEGER NOT NULL, tset INTEGER NOT NULL, tseti INTEGER NOT NULL
);
CREATE TABLE tag_sources (id INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE);
CREATE TABLE clause_tags (
    clause_n INTEGER NOT NULL, topic INTEGER NOT NULL, source INTEGER, matched TEXT NOT NULL,
    PRIMARY KEY (clause_n, topic)
) WITHOUT ROWID;
CREATE VIEW clause_topics AS SELECT
    t.clause_n AS clause_n, p.slug AS topic, coalesce(s.source, 'rule:' || p.slug) AS source, t.matched AS matched
FROM clause_tags t JOIN topics p ON p.ord = t.topic LEFT JOIN tag_sources s ON s.id = t.source;
CREATE VIEW facts AS SELECT n, doc, kind_ord AS kind, tset, tseti FROM clause_rows;
"""

CLAUSE_INSERT = "INSERT INTO clause_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#: The values of :data:`CLAUSE_INSERT` kept as frames: heading and text.
CLAUSE_FRAMED = (8, 9)
#: The clauses view, over the function that decodes the store's heading and text frames (:mod:`api.clause_text`).
CLAUSES_VIEW = """
CREATE VIEW clauses AS SELECT
    c.n AS n, c.id AS id, d.id AS document_id, c.seq AS seq, c.kind AS kind, c.depth AS depth,
    c.numbering AS numbering, p.id AS parent_id, {decode}(c.heading) AS heading, {decode}(c.text) AS text,
    c.topics AS topics, d.city AS city, d.level AS level, d.source_file AS source_file, c.line_start AS line_start,
    c.line_end AS line_end, c.parent_n AS parent_n, c.heading AS heading_frame, c.text AS text_frame
FROM clause_rows c JOIN documents d ON d.ord = c.doc LEFT JOIN clause_rows p ON p.n = c.parent_n;
"""


def _records(path: Path | None) -> Iterator[list[str]]:
    """The header of a CSV file, then the values of each of its rows (blank lines skipped); nothing for a
    missing or empty file."""
    if path is None or path.stat().st_size == 0:
        return
    with path.open(encoding="utf-8-sig", newline="") as f:
        yield from (values for values in csv.reader(f) if values)


def _rows(path: Path | None) -> Iterator[dict[str, str]]:
    """The rows of a CSV file by column name, as ``csv.DictReader`` reads them (blank lines skipped), but with
    ``""`` for a missing value and without the values past the header's columns."""
    records = _records(path)
    header = next(records, [])
    padding = [""] * len(header)
    for values in records:
        yield dict(zip(header, values + padding if len(values) < len(header) else values, strict=False))


def _columns(path: Path | None, names: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The values of the columns ``names`` of each row of a CSV file (``""`` for a column it lacks or a row cut
    short; blank lines skipped): as :func:`_rows`, without a dict per row."""
    records = _records(path)
    header = next(records, [])
    width = len(header)
    at = [header.index(name) if name in header else width for name in names]
    get = itemgetter(*at)
    padding = [""] * (width + 1)
    every = all(name in header for name in names)
    for values in records:
        found = get(values if every and len(values) >= width else values[:width] + padding)
        yield found if len(at) > 1 else (found,)


#: The columns of ``clauses.csv`` that repeat its document's (after ``ord`` in the builder's document tuples); the
#: ``clauses`` view reads them from the ``documents`` row.
DOCUMENT_COLUMNS = ("city", "level", "source_file")
#: A document as the clauses are loaded: its ``ord``, then its values of :data:`DOCUMENT_COLUMNS`.
Document = tuple[int, *tuple[str, ...]]
#: The tables loaded before the clauses (documents and topics, which the clauses refer to) or from rows of their own.
LOADED_FIRST = ("documents", "versions", "topics", "works")


class _Builder:
    def __init__(self, package: SourcePackage, db: sqlite3.Connection) -> None:
        self.package = package
        self.db = db
        self.topic_ord: dict[str, int] = {}
        self.topic_sets: dict[tuple[int, ...], int] = {}
        self.tag_sources: dict[str, int] = {}
        self.clause_n: dict[str, int] = {}
        self.document_ord: dict[str, int] = {}
        self.row_counts: dict[str, int] = {}
        self.rows = Batches(db, background=True, prepare={CLAUSE_INSERT: self.framed})
        self.postings = search_index.Postings(0)  # of the clauses, once they are counted (load_clauses)
        self.codec = clause_text.Codec(b"")  # trained on the clauses' texts (load_clauses)
        #: How many clauses carry each topic (by its number): themselves, and themselves or an enclosing heading.
        self.topic_clauses: dict[int, tuple[int, int]] = {}

    def run(self, source_hash: str) -> None:
        self.db.executescript(SCHEMA + store_tables.schema())
        self.db.execute("BEGIN")
        try:
            documents = self.load_documents()
            self.load_topics()
            self.load_clauses(documents)
        finally:
            self.rows.close()
        self.load_derived()
        self.postings.write(self.db, self.postings.rows())
        self.db.execute("COMMIT")
        self.db.executescript(store_tables.indexes())
        self.db.executemany(
            "UPDATE topics SET clause_count = ?, inherited_count = ? WHERE ord = ?",
            [(own, inherited, ord_) for ord_, (own, inherited) in sorted(self.topic_clauses.items())],
        )
        self.db.execute("ANALYZE")
        meta = {
            "format": STORE_FORMAT,
            "source_hash": source_hash,
            "content_hash": self.package.content_hash(),
            "version": self.package.version,
            "status": self.package.status,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "descriptor": json.dumps(self.package.descriptor, ensure_ascii=False),
            "release_info": json.dumps(self.package.release_info, ensure_ascii=False),
            "files": json.dumps(self.files()),
        }
        self.db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())

    def files(self) -> list[dict[str, Any]]:
        """Path, size, SHA-256 and (for tables) row count of each downloadable file."""
        listed = {
            f["path"]: f
            for f in (self.package.release_info or {}).get("files") or []
            if isinstance(f, dict) and isinstance(f.get("path"), str)
        }
        rows_of = {
            path.resolve(): self.row_counts.get(name, 0)
            for name in RESOURCES + DERIVED_RESOURCES
            if (path := self.package.resource_path(name)) is not None
        }
        out = []
        for rel, path in self.package.files.items():
            entry: dict[str, Any] = {"path": rel, "bytes": path.stat().st_size, "sha256": file_sha256(path)}
            rows = listed.get(rel, {}).get("rows")
            if rows is None:
                rows = rows_of.get(path.resolve())
            if isinstance(rows, int):
                entry["rows"] = rows
            out.append(entry)
        return out

    def load_documents(self) -> dict[str, Document]:
        rows = list(_rows(self.package.resource_path("documents")))
        self.row_counts["documents"] = len(rows)
        city_rank = {c: i for i, c in enumerate(vocab.CITIES)}
        for i, row in enumerate(rows, start=2):
            where = f"documents.csv row {i - 1}"
            if not vocab.DOC_ID_RE.match(row.get("id", "")):
                raise BuildError(f"{where}: invalid document id {row.get('id')!r}")
            _check(row.get("city", ""), vocab.CITIES, "city", where)
            _check(row.get("level", ""), vocab.LEVELS, "level", where)
            _check(row.get("doc_type", ""), vocab.DOC_TYPES, "doc_type", where)
        ordered = sorted(enumerate(rows, start=1), key=lambda item: (city_rank[item[1]["city"]], item[0]))
        documents: dict[str, Document] = {}
        for ord_, (_, row) in enumerate(ordered, start=1):
            if row["id"] in documents:
                raise BuildError(f"documents.csv: duplicate document id {row['id']!r}")
            documents[row["id"]] = (ord_, *(row.get(name, "") for name in DOCUMENT_COLUMNS))
        self.document_ord = {doc_id: values[0] for doc_id, values in documents.items()}
        versions = dict(self.derived_rows("versions"))
        by_document = {row.get("document_id", ""): row for row in versions.values()}

        def added(row: dict[str, str]) -> dict[str, object]:
            work, in_force_from, in_force_until = self.in_force(row, by_document.get(row["id"]))
            return {
                "ord": self.document_ord[row["id"]],
                "work_id": work,
                "in_force_from": in_force_from,
                "in_force_until": in_force_until,
            }

        self.insert("documents", ((f"documents.csv row {i}", row) for i, row in ordered), added)
        self.insert("versions", versions.items())
        return documents

    @staticmethod
    def in_force(document: dict[str, str], version: dict[str, str] | None) -> tuple[str, str, str]:
        """(work ID, in force from, in force until) of a document; without a versions row, the work its ID names."""
        if version is None:
            return work_id(document["id"]), document.get("date_issued", ""), ""
        return version.get("work_id", ""), version.get("in_force_from", ""), version.get("in_force_until", "")

    def load_topics(self) -> None:
        """The package's topics after the vocabulary's, in its order (a store numbers topics in that order)."""
        rows = list(_rows(self.package.resource_path("topics")))
        self.row_counts["topics"] = len(rows)
        package_topics = {row["slug"]: row for row in rows if row.get("slug")}
        known = {
            t.slug: {"label_zh": t.label_zh, "label_en": t.label_en, "scope": t.scope} for t in vocab.vocab.topics()
        }
        slugs = list(known) + [s for s in package_topics if s not in known]
        self.topic_ord = {slug: ord_ for ord_, slug in enumerate(slugs, start=1)}
        topics = [(f"topics.csv {slug}", {**(package_topics.get(slug) or known[slug]), "slug": slug}) for slug in slugs]
        self.insert("topics", topics, lambda row: {"ord": self.topic_ord[row["slug"]]})

    def numbered(self, known: dict[Any, int], key: Any, table: str, stored: str) -> int:
        """The number of ``key`` among ``known`` (numbered from 1); a new one is numbered next and its row
        (number, ``stored``) added to ``table``."""
        found = known.get(key)
        if found is None:
            found = known[key] = len(known) + 1
            self.rows.add(f"INSERT INTO {table} VALUES (?, ?)", (found, stored))
        return found

    def topic_set(self, topics: set[int]) -> int:
        key = tuple(sorted(topics))
        return self.numbered(self.topic_sets, key, "topic_sets", ",".join(map(str, key)))

    def read_tags(self) -> dict[str, dict[str, tuple[str, str]]]:
        """Each clause's tags from ``clause_topics.csv``: topic -> (source, matched)."""
        tags: dict[str, dict[str, tuple[str, str]]] = {}
        count = 0
        columns = ("clause_id", "topic", "source", "matched")
        for clause_id, topic, source, matched in _columns(self.package.resource_path("clause_topics"), columns):
            tags.setdefault(clause_id, {})[topic] = (source, matched)
            count += 1
        if count:
            self.row_counts["clause_topics"] = count
        return tags

    def read_clauses(self, documents: dict[str, Document]) -> dict[str, list[dict[str, str]]]:
        """The rows of ``clauses.csv`` by document, checked, each with its ``_seq`` and ``_where``."""
        by_doc: dict[str, list[dict[str, str]]] = {doc_id: [] for doc_id in documents}
        for i, row in enumerate(_rows(self.package.resource_path("clauses")), start=2):
            where = f"clauses.csv row {i - 1}"
            if row.get("document_id") not in by_doc:
                raise BuildError(f"{where}: unknown document_id {row.get('document_id')!r}")
            if not vocab.CLAUSE_ID_RE.match(row.get("id", "")):
                raise BuildError(f"{where}: invalid clause id {row.get('id')!r}")
            _check(row.get("kind", ""), vocab.KINDS, "kind", where)
            for name, value in zip(DOCUMENT_COLUMNS, documents[row["document_id"]][1:], strict=True):
                if row.get(name, "") != value:
                    raise BuildError(
                        f"{where}: {name} {row.get(name, '')!r} differs from its document's ({value!r}), which the "
                        f"store serves as the clause's"
                    )
            row["_seq"] = str(_int(row.pop("seq", ""), "seq", where))
            row["_where"] = where
            for name in DOCUMENT_COLUMNS:  # checked: the store reads them from the document (the memory is freed)
                row.pop(name, None)
            by_doc[row.pop("document_id")].append(row)
            self.row_counts["clauses"] = i - 1
        return by_doc

    def load_clauses(self, documents: dict[str, Document]) -> None:
        tags = self.read_tags()
        by_doc = self.read_clauses(documents)
        self.postings = search_index.Postings(self.row_counts.get("clauses", 0))
        self.codec = clause_text.Codec.trained([r.get("text", "") for rows in by_doc.values() for r in rows])
        clause_text.write_dictionary(self.db, self.codec)
        self.db.execute(CLAUSES_VIEW.format(decode=self.codec.sql_function))
        n = 0
        for doc_id, document in sorted(documents.items(), key=lambda kv: kv[1][0]):
            first_n = n + 1
            inherited: dict[int, set[int]] = {}  # of the document's clauses: a parent is one of them
            for row in sorted(by_doc.pop(doc_id), key=lambda r: int(r["_seq"])):  # rows freed as they are done
                n += 1
                self.load_clause(n, row, document, tags.get(row["id"], {}), inherited)
            self.rows.add(
                "UPDATE documents SET first_n = ?, last_n = ?, clause_count = ? WHERE ord = ?",
                (first_n, n, n - first_n + 1, document[0]),
            )
        self.rows.flush()
        self.rows.wait()

    def clause_slugs(self, row: dict[str, str], clause_tags: dict[str, tuple[str, str]]) -> list[str]:
        """The clause's topics: its ``topics`` column, then any tag of ``clause_topics.csv`` it lacks."""
        slugs = list(dict.fromkeys(s.strip() for s in row.get("topics", "").split(",") if s.strip()))
        slugs += [s for s in clause_tags if s not in slugs]
        for slug in slugs:
            if slug not in self.topic_ord:
                raise BuildError(f"{row['_where']}: unknown topic {slug!r}")
        return slugs

    def load_clause(
        self,
        n: int,
        row: dict[str, str],
        document: Document,
        clause_tags: dict[str, tuple[str, str]],
        inherited: dict[int, set[int]],
    ) -> None:
        """Clause number ``n``: its row (with its facts), topic counts, tags and postings."""
        where, doc_ord = row["_where"], document[0]
        if row["id"] in self.clause_n:
            raise BuildError(f"{where}: duplicate clause id {row['id']!r}")
        self.clause_n[row["id"]] = n
        parent_id = row.get("parent_id") or None
        parent_n = self.clause_n.get(parent_id) if parent_id else None
        if parent_id and parent_n not in inherited:
            raise BuildError(f"{where}: parent_id {parent_id!r} is not an earlier clause of its document")
        slugs = self.clause_slugs(row, clause_tags)
        own = {self.topic_ord[s] for s in slugs}
        inh = inherited[n] = own | (inherited[parent_n] if parent_n else set())
        tset, tseti = self.topic_set(own), self.topic_set(inh)
        kind = vocab.KIND_ORD[row["kind"]]
        self.rows.add(
            CLAUSE_INSERT,
            (
                n,
                row["id"],
                doc_ord,
                int(row["_seq"]),
                row["kind"],
                _int(row.get("depth", "0") or "0", "depth", where),
                row.get("numbering", ""),
                parent_n,
                row.get("heading", ""),
                row.get("text", ""),
                ",".join(slugs),
                _int(row.get("line_start", "0") or "0", "line_start", where),
                _int(row.get("line_end", "0") or "0", "line_end", where),
                kind,
                tset,
                tseti,
            ),
        )
        for t in inh:
            own_count, inherited_count = self.topic_clauses.get(t, (0, 0))
            self.topic_clauses[t] = (own_count + (t in own), inherited_count + 1)
        for slug in slugs:
            source, matched = clause_tags.get(slug, ("", ""))
            own_rule = source == f"rule:{slug}"  # kept as NULL (see the clause_topics view)
            numbered = None if own_rule else self.numbered(self.tag_sources, source, "tag_sources", source)
            self.rows.add("INSERT INTO clause_tags VALUES (?, ?, ?, ?)", (n, self.topic_ord[slug], numbered, matched))
        self.postings.add(n, search_text(row.get("heading", ""), row.get("text", "")))

    def framed(self, rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
        """Rows of ``clause_rows`` with their heading and text as frames (:mod:`api.clause_text`)."""
        at = CLAUSE_FRAMED
        texts = [str(row[i]) for row in rows for i in at]
        frames = iter(self.codec.frames(texts))
        out = []
        for row in rows:
            values = list(row)
            for i in at:
                values[i] = next(frames)
            out.append(tuple(values))
        return out

    def derived_rows(self, name: str) -> Iterator[tuple[str, dict[str, str]]]:
        """Rows of a derived resource with where each is, counted; a clause ID it names must exist."""
        for i, row in enumerate(_rows(self.package.resource_path(name)), start=1):
            self.row_counts[name] = i
            yield f"{name}.csv row {i}", row

    def insert(
        self, name: str, rows: store_tables.Rows, added: Callable[[dict[str, str]], dict[str, object]] | None = None
    ) -> None:
        refs = store_tables.Refs(self.clause_n, self.document_ord)
        store_tables.insert(self.db, registry.table(name), rows, refs, added)

    def load_derived(self) -> None:
        """Every other table the store keeps, as the registry declares it (after the clauses they refer to)."""
        self.load_works()
        for t in store_tables.generated():
            if t.name not in LOADED_FIRST:
                self.insert(t.name, self.derived_rows(t.name))

    def load_works(self) -> None:
        """Works; without a works resource, the works the document IDs name, in document order."""
        works = list(self.derived_rows("works"))
        if not works:
            grouped: dict[str, list[tuple[str, str]]] = {}
            for doc, title, wid in self.db.execute("SELECT id, title, work_id FROM documents ORDER BY ord"):
                grouped.setdefault(wid, []).append((doc, title))
            works = [
                (
                    f"documents.csv, work {wid}",
                    {
                        "id": wid,
                        "title": docs[-1][1],
                        "versions": str(len(docs)),
                        "first_document_id": docs[0][0],
                        "latest_document_id": docs[-1][0],
                    },
                )
                for wid, docs in grouped.items()
            ]
        self.insert("works", works)


def stored_meta(path: Path) -> dict[str, str]:
    """The ``meta`` table of an existing store file, or {} when it cannot be read."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return {}


def build(package: SourcePackage, path: Path, source_hash: str | None = None) -> Path:
    """Write the store of ``package`` to ``path`` (atomically replacing any older file)."""
    missing = package.missing_resources()
    if missing:
        raise BuildError(f"{package.descriptor_path}: no CSV file for {', '.join(missing)}")
    source_hash = source_hash or package.source_hash(STORE_FORMAT)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp, isolation_level=None, check_same_thread=False)  # written in a thread too (build_writes)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA page_size = 8192")
        _Builder(package, db).run(source_hash)
        db.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise
    db.close()
    os.replace(tmp, path)
    return path


#: A store being written (``.<version>.sqlite.<pid>.tmp``, and SQLite's journal of it).
TEMP_RE = re.compile(r"\..+\.sqlite\.(?P<pid>[0-9]+)\.tmp(?:-journal)?")


def sweep_temporary(store_dir: Path) -> list[Path]:
    """Remove the temporary files of store builds whose process is gone (killed, or the machine stopped)."""
    return sweep(store_dir, TEMP_RE)


def ensure_built(package: SourcePackage, path: Path) -> bool:
    """Build the store of ``package`` unless ``path`` already holds one of the same sources. True if built."""
    source_hash = package.source_hash(STORE_FORMAT)
    meta = stored_meta(path) if path.is_file() else {}
    if meta.get("source_hash") == source_hash and meta.get("format") == STORE_FORMAT:
        return False
    build(package, path, source_hash)
    return True


def describe(meta: dict[str, str]) -> dict[str, Any]:
    """The decoded JSON values of a store's ``meta`` table."""
    out: dict[str, Any] = dict(meta)
    for key in ("descriptor", "release_info", "files"):
        try:
            out[key] = json.loads(meta.get(key, "null"))
        except ValueError:
            out[key] = None
    return out
