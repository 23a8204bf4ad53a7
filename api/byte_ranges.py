"""Release files with HTTP range requests (RFC 9110 §14): ``206 Partial Content`` and strong ETags.

A release file never changes, so its SHA-256 (recorded in ``release.json``) is its strong
ETag; ``Range: bytes=a-b`` (one range; suffix ``-n`` and open ``a-`` too) is answered with
206 and ``Content-Range``, an unsatisfiable range with 416, and ``If-Range`` with another
ETag with the whole file. This is what lets DuckDB's httpfs or Arrow read a Parquet footer
and the column chunks they need instead of the whole file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from litestar import Request, Response
from litestar.response import File
from litestar.types import ASGIApp, Receive, Scope, Send

_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _parse(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) byte of a single range; None when the header is not a range we serve (send the whole
    file); False when it is unsatisfiable."""
    m = _RANGE_RE.match(header.replace(" ", ""))
    if m is None:
        return None
    first, last = m.groups()
    if not first and not last:
        return None
    if not first:
        length = int(last)
        return (max(size - length, 0), size - 1) if length > 0 and size > 0 else False
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end


def ranged_file(
    request: Request,
    path: Path,
    sha256: str | None,
    filename: str,
    media_type: str,
    disposition: Literal["inline", "attachment"],
) -> Response[bytes] | File:
    """The file at ``path``, whole or the requested byte range, with a strong ETag when its SHA-256 is known."""
    size = path.stat().st_size
    etag = f'"{sha256}"' if sha256 else None
    headers = {"Accept-Ranges": "bytes"}
    if etag:
        headers["ETag"] = etag
        if request.headers.get("if-none-match") in (etag, "*"):
            return Response(content=b"", status_code=304, headers=headers)
    wanted = request.headers.get("range")
    if_range = request.headers.get("if-range")
    chosen = _parse(wanted, size) if wanted and (not if_range or if_range == etag) else None
    if chosen is False:
        return Response(
            content=b"", status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"}, media_type=media_type
        )
    if isinstance(chosen, tuple):
        start, end = chosen
        with path.open("rb") as f:
            f.seek(start)
            body = f.read(end - start + 1)
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        return Response(content=body, status_code=206, headers=headers, media_type=media_type)
    return File(
        path=path, filename=filename, media_type=media_type, content_disposition_type=disposition, headers=headers
    )


class IdentityForRangesMiddleware:
    """Answers range requests uncompressed: a ``Content-Range`` counts the file's own bytes.

    It drops ``Accept-Encoding`` from requests that carry ``Range``, so the compression
    middleware leaves their response as stored; whole-file downloads are still compressed.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and any(k == b"range" for k, _ in scope["headers"]):
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]
        await self.app(scope, receive, send)
