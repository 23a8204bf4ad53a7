"""The zip archive of a whole release: the file the release command wrote, or the same bytes built on the fly.

Releases cut before archives existed (1.0.0) have none on disk and no checksum in their
``release.json``; :func:`release_archive` builds it from the files their ``release.json``
lists (:mod:`scripts.archive`, deterministic: the same files give the same bytes and
SHA-256), once per process, into ``<store dir>/archives/``.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from api.store import Release
from scripts.archive import RELEASE_INFO, archive_bytes, archive_name

_lock = threading.Lock()


@dataclass(frozen=True)
class Archive:
    path: Path
    filename: str
    sha256: str
    recorded: bool  # whether release.json records the checksum (else computed when built)


def release_archive(rel: Release) -> Archive | None:
    """The archive of ``rel``; None for the working package (which is not a release)."""
    if not rel.immutable:
        return None
    info = rel.release_info or {}
    name = str(rel.descriptor.get("name") or "data")
    recorded = info.get("archive") if isinstance(info.get("archive"), dict) else None
    if recorded:
        path = rel.package.directory / recorded["path"]
        if path.is_file():
            return Archive(path, Path(recorded["path"]).name, recorded["sha256"], True)
    filename = archive_name(name, rel.version)
    target = rel.path.parent / "archives" / filename
    with _lock:
        if not target.is_file():
            files = {r: p.read_bytes() for r, p in rel.package.files.items() if r != RELEASE_INFO}
            data = archive_bytes(files, f"{name}-{rel.version}")
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
    return Archive(target, filename, _sha256(target, target.stat().st_mtime_ns), False)


@lru_cache(maxsize=32)
def _sha256(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
