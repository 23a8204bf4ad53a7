"""The store: one read-only SQLite file per served release, built from its package when missing or stale."""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from api import clause_text, search_index, text_match, vocab
from api.document_arrays import DocumentArrays, TopicCodes
from api.fact_columns import FactColumns
from api.package import SourcePackage, discover, version_key, working_package
from api.ranking import Bm25
from api.store_builder import describe, ensure_built, stored_meta, sweep_temporary
from api.text_search import SearchQuery
from scripts.release_integrity import verify_releases

log = logging.getLogger("api.store")

LATEST = "latest"
#: The working package (built from the sources, not cut as a release), served as ``release=working``.
WORKING = "working"
FACET_CACHE_SIZE = 512
#: How many queries' text matches a release keeps (a common word's are a few MB at 1M clauses).
SEARCH_CACHE_SIZE = 8


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What queries need to know of a document without reading its row."""

    ord: int
    id: str
    city: str
    level: str
    first_n: int
    last_n: int
    work_id: str = ""
    in_force_from: str = ""
    in_force_until: str = ""

    def in_force_on(self, date: str) -> bool:
        """In force on ``date`` (YYYY-MM-DD): started by then (or start unknown), not yet replaced."""
        return self.in_force_from <= date and (not self.in_force_until or date < self.in_force_until)


class LruCache:
    """A small thread-safe least-recently-used cache (the data of a release never changes while served)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class Release:
    """One served version of the data: its store file, opened read-only, one connection per thread."""

    def __init__(self, package: SourcePackage, path: Path, name: str = "") -> None:
        self.package = package
        self.path = path
        #: The connection of each thread (one shared object for a dedicated view, see :meth:`dedicated`).
        self._local: threading.local | SimpleNamespace = threading.local()
        meta = describe(stored_meta(path))
        self.meta = meta
        self.version: str = name or package.version
        self.status: str = package.status
        self.source_hash: str = meta.get("source_hash", "")
        #: Changes only with the data (not with file dates or the store's code): what cursors are bound to.
        self.content_hash: str = meta.get("content_hash", "")
        #: Facet counts by filter: the costly part of a clause list, the same for every page of it.
        self.facet_cache = LruCache(FACET_CACHE_SIZE)
        #: The clause numbers each parsed ``q`` matches, and the posting lists of one-word queries: a relevance
        #: page and the facets of one request read them both.
        self.search_cache = LruCache(SEARCH_CACHE_SIZE)

    def __repr__(self) -> str:
        return f"Release({self.version!r}, {self.status!r})"

    @property
    def db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self.connect()
            self._local.db = db
        return db

    def connect(self, cache_kib: int = 65536, mmap_bytes: int = 268435456) -> sqlite3.Connection:
        """A new read-only connection to the store file."""
        db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        db.execute("PRAGMA query_only = 1")
        db.execute("PRAGMA temp_store = MEMORY")
        db.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        db.execute(f"PRAGMA mmap_size = {int(mmap_bytes)}")
        clause_text.register(db)
        return db

    @property
    def codec(self) -> clause_text.Codec:
        """The codec of the store's heading and text frames, for the thread reading :attr:`db`."""
        codec = getattr(self._local, "codec", None)
        if codec is None:
            codec = self._local.codec = clause_text.codec(self.db)
        return codec

    def dedicated(self, cache_kib: int = 8192) -> Release:
        """This release read through one connection of its own, whatever thread reads, with a small cache
        and no memory map: for a long stream, whose batches the server may read from different threads.
        Close it with :meth:`close`."""
        view = copy.copy(self)
        view._local = SimpleNamespace(db=self.connect(cache_kib, 0))
        return view

    @property
    def immutable(self) -> bool:
        """A cut release never changes; the working package does whenever the build runs again."""
        return self.status == "release"

    @cached_property
    def documents(self) -> tuple[DocumentInfo, ...]:
        rows = self.db.execute(
            "SELECT ord, id, city, level, first_n, last_n, work_id, in_force_from, in_force_until FROM documents "
            "ORDER BY ord"
        )
        return tuple(DocumentInfo(*row) for row in rows)

    @cached_property
    def document_arrays(self) -> DocumentArrays | None:
        """The documents as arrays (None when their numbers are not 1..count: queries then loop over them)."""
        rows = [(d.ord, d.id, d.city, d.level, d.first_n, d.last_n) for d in self.documents]
        try:
            return DocumentArrays.build(rows, vocab.CITIES, vocab.LEVELS)
        except ValueError:
            return None

    @cached_property
    def topic_codes(self) -> tuple[TopicCodes, TopicCodes] | None:
        """The clauses' own and inherited topic masks, with their kinds, as codes of distinct pairs (None without fact
        columns)."""
        cols = self.fact_columns
        if cols is None:
            return None
        return TopicCodes.build(cols.topics, cols.kind), TopicCodes.build(cols.topics_inherited, cols.kind)

    @cached_property
    def has_bigram_postings(self) -> bool:
        """Whether the store holds posting lists of bigrams (:mod:`api.search_index`)."""
        return search_index.has_postings(self.db)

    @cached_property
    def clause_total(self) -> int:
        """How many clauses the release holds (numbered ``1 ..`` it)."""
        return int(self.db.execute("SELECT count(*) FROM clause_rows").fetchone()[0])

    def text_matches(self, search: SearchQuery) -> np.ndarray:
        """The numbers (ascending) of the clauses ``search`` matches (:mod:`api.text_match`), kept per query."""
        found = self.search_cache.get(search)
        if found is None:
            found = text_match.numbers(self.db, search.tree, self.clause_total)
            found.flags.writeable = False  # shared by the requests that ask the same
            self.search_cache.put(search, found)
        return found

    def word_postings(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        """The posting list of a two-character word (clause numbers and counts), kept per word: the facets and the
        relevance page of one request read it both."""
        key = ("postings", word)
        found = self.search_cache.get(key)
        if found is None:
            found = search_index.postings(self.db, word)
            for array in found:
                array.flags.writeable = False  # shared by the requests that ask the same
            self.search_cache.put(key, found)
        return found

    @cached_property
    def bm25(self) -> Bm25 | None:
        """The relevance ranking of text queries (:mod:`api.ranking`); None for a store without postings."""
        return Bm25.load(self.db)

    @cached_property
    def document_by_id(self) -> dict[str, DocumentInfo]:
        return {d.id: d for d in self.documents}

    @cached_property
    def document_by_ord(self) -> dict[int, DocumentInfo]:
        return {d.ord: d for d in self.documents}

    @cached_property
    def topic_ord(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT slug, ord FROM topics ORDER BY ord").fetchall())

    @cached_property
    def topic_counts(self) -> dict[str, tuple[int, int]]:
        rows = self.db.execute("SELECT slug, clause_count, inherited_count FROM topics ORDER BY ord")
        return {slug: (own, inherited) for slug, own, inherited in rows}

    @cached_property
    def topic_sets(self) -> dict[int, tuple[str, ...]]:
        """The topic slugs of each topic set (kept as topic numbers)."""
        slug = self.topic_slug_by_ord
        rows = self.db.execute("SELECT id, topics FROM topic_sets")
        return {tset: tuple(slug[int(t)] for t in topics.split(",") if t) for tset, topics in rows}

    def topic_sets_matching(self, topics: tuple[str, ...], mode: str) -> list[int]:
        """IDs of the topic sets holding any (or all) of ``topics``."""
        wanted = set(topics)
        test = wanted.issubset if mode == "all" else (lambda members: not wanted.isdisjoint(members))
        return sorted(tset for tset, members in self.topic_sets.items() if test(set(members)))

    @cached_property
    def fact_columns(self) -> FactColumns | None:
        """The narrow facts of every clause, in memory: filters and facet counts (None past 64 topics)."""
        return FactColumns.load(self.db, self.topic_sets, self.topic_ord)

    @cached_property
    def topic_slug_by_ord(self) -> dict[int, str]:
        return {ord_: slug for slug, ord_ in self.topic_ord.items()}

    @cached_property
    def counts(self) -> dict[str, int]:
        db = self.db
        return {
            "documents": db.execute("SELECT count(*) FROM documents").fetchone()[0],
            "clauses": self.clause_total,
            "topics": db.execute("SELECT count(*) FROM topics").fetchone()[0],
            "topic_tags": db.execute("SELECT count(*) FROM clause_tags").fetchone()[0],
        }

    @property
    def descriptor(self) -> dict[str, Any]:
        descriptor = self.meta.get("descriptor")
        return descriptor if isinstance(descriptor, dict) else {}

    @property
    def release_info(self) -> dict[str, Any] | None:
        info = self.meta.get("release_info")
        return info if isinstance(info, dict) else None

    def recorded_sha256(self, relative: str) -> str | None:
        """The SHA-256 ``release.json`` records for a file of a cut release (None when it records none)."""
        for entry in (self.package.release_info or {}).get("files") or []:
            if isinstance(entry, dict) and entry.get("path") == relative and isinstance(entry.get("sha256"), str):
                return str(entry["sha256"])
        return None

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


class UnknownRelease(LookupError):
    """No served release has the requested version."""


class Store:
    """Every served release, newest last."""

    def __init__(
        self, releases: list[Release], failed: dict[str, list[str]] | None = None, working: Release | None = None
    ) -> None:
        self.releases = sorted(releases, key=lambda r: version_key(r.version))
        self._by_version = {r.version: r for r in self.releases}
        #: Cut releases that do not verify against their checksums, with the reasons: never served.
        self.failed: dict[str, list[str]] = failed or {}
        #: The working package, always served as ``working`` (never cached as immutable).
        self.working = working or next((r for r in self.releases if r.status == "working"), None)

    @classmethod
    def open(cls, root: Path, store_dir: Path, releases_dir: Path | None = None, build: bool = True) -> Store:
        """Open the releases under ``root`` (building their SQLite files into ``store_dir`` as needed).

        Every cut release is verified first (:mod:`scripts.release_integrity`); one that does not verify
        is logged as an error, reported by ``/health`` and not served.
        """
        for path in sweep_temporary(store_dir):
            log.warning("removed %s, left by a store build that was interrupted", path)
        failed = verify_releases(releases_dir if releases_dir is not None else root / "releases")
        for version, problems in failed.items():
            log.error("release %s does not verify and is not served:\n%s", version, "\n".join(problems))
        releases = []
        for package in discover(root, releases_dir):
            if package.status == "release" and package.version in failed:
                continue
            path = store_dir / f"{package.version}.sqlite"
            if build:
                if ensure_built(package, path):
                    log.info("built store %s from %s", path, package.descriptor_path)
            elif not path.is_file():
                log.warning("no store file for %s at %s; skipped", package.version, path)
                continue
            releases.append(Release(package, path))
        working = None
        current = working_package(root)
        if current is not None and all(r.package.status != "working" for r in releases):
            path = store_dir / f"{WORKING}.sqlite"
            if build and ensure_built(current, path):
                log.info("built store %s from %s", path, current.descriptor_path)
            if path.is_file():
                working = Release(current, path, name=WORKING)
        return cls(releases, failed, working)

    @property
    def served(self) -> list[str]:
        """The names a request may give as ``release``."""
        return [*self.versions, LATEST, *([WORKING] if self.working is not None else [])]

    @property
    def versions(self) -> list[str]:
        return [r.version for r in self.releases]

    @property
    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def get(self, version: str | None) -> Release:
        if version == WORKING and self.working is not None:
            return self.working
        if version in (None, "", LATEST):
            if self.latest is None:
                raise UnknownRelease("no release is served")
            return self.latest
        release = self._by_version.get(version)
        if release is None:
            raise UnknownRelease(version)
        return release

    def is_pinned(self, version: str | None) -> bool:
        """Whether ``version`` names one immutable release (rather than ``latest`` or the working package)."""
        release = self._by_version.get(version or "")
        return release is not None and release.immutable

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever any served data changes: part of every ETag."""
        h = hashlib.sha256()
        for r in self.releases:
            h.update(f"{r.version}\0{r.status}\0{r.source_hash}\n".encode())
        return h.hexdigest()[:16]

    def warm(self) -> None:
        """Read what queries keep in memory now rather than on the first request."""
        for r in self.releases:
            _ = r.documents, r.document_arrays, r.document_by_ord, r.topic_sets, r.topic_counts
            _ = r.fact_columns, r.topic_codes, r.topic_slug_by_ord, r.has_bigram_postings, r.bm25, r.clause_total

    def disable_caches(self) -> None:
        """Compute every facet count afresh (for measurements of uncached queries)."""
        for r in self.releases:
            r.facet_cache = LruCache(0)

    def close(self) -> None:
        for r in self.releases:
            r.close()


def topics_json(value: str) -> list[str]:
    return [t for t in value.split(",") if t]


def issuers_json(value: str) -> list[str]:
    try:
        issuers = json.loads(value)
    except ValueError:
        return []
    return [str(i) for i in issuers] if isinstance(issuers, list) else []


__all__ = ["LATEST", "DocumentInfo", "Release", "Store", "UnknownRelease", "vocab"]
