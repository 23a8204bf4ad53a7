"""A file of a cut release is served only while it still has the SHA-256 its ``release.json`` records.

Releases are verified at start-up (:mod:`scripts.release_integrity`); a file changed on disk afterwards
would otherwise be served under the release's long cache lifetime. Before a download the file's size
and modification time are compared with those of its last verification; when they differ, the file is
hashed again, and a file that no longer matches is refused.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

_verified: dict[Path, tuple[int, int]] = {}
_lock = threading.Lock()


def _sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (read in blocks by :func:`hashlib.file_digest`)."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def still_as_recorded(path: Path, recorded_sha256: str | None) -> bool:
    """Whether ``path`` still has ``recorded_sha256`` (True when nothing is recorded: a working package)."""
    if recorded_sha256 is None:
        return True
    try:
        stat = path.stat()
    except OSError:
        return False
    key = (stat.st_size, stat.st_mtime_ns)
    with _lock:
        if _verified.get(path) == key:
            return True
    if _sha256(path) != recorded_sha256:
        return False
    with _lock:
        _verified[path] = key
    return True
