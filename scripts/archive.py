"""A release as one zip archive: every file its ``release.json`` lists, byte-identical for the same files.

Entries are sorted, dated 1980-01-01 and deflated at level 9 under one folder
``<name>-<version>/``, so the archive (and its SHA-256) is a function of the files alone:
the release command writes it and records it in ``release.json``; the API rebuilds the
same bytes for a release cut before archives existed.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
RELEASE_INFO = "release.json"


def archive_name(name: str, version: str) -> str:
    return f"{name}-{version}.zip"


def archive_bytes(files: dict[str, bytes], folder: str) -> bytes:
    """The zip of ``files`` (by relative path) under ``folder/``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for rel in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[rel], compresslevel=9)
    return buffer.getvalue()


def archive_entry(path: str, data: bytes) -> dict[str, Any]:
    """What ``release.json`` records of the archive: its path, size and SHA-256."""
    return {"path": path, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
