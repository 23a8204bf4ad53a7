"""ETag, Cache-Control and 304 Not Modified for GET responses.

Every response is a function of the served data and the request URL, so the ETag
is a hash of the store's fingerprint, the API version, the path and the query
string: a matching ``If-None-Match`` is answered with 304 before any query runs.
Responses that pin an immutable release may be cached for a week; others
(``latest``, the working package, the index) for five minutes.
"""

from __future__ import annotations

import hashlib
from typing import cast
from urllib.parse import parse_qs

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from api.store import Store

PINNED_MAX_AGE = 7 * 24 * 3600
DEFAULT_MAX_AGE = 300
UNCACHED_PATHS = {"/health"}
API_VERSION = "1"


def requested_versions(path: str, query: str) -> list[str]:
    versions = parse_qs(query).get("release", [])
    parts = path.strip("/").split("/")
    if parts[0] == "releases" and len(parts) > 1:
        versions.append(parts[1])
        if len(parts) > 3 and parts[2] == "changes":
            versions.append(parts[3])
    return versions


def _matches(if_none_match: str, etag: str) -> bool:
    tag = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == tag for candidate in if_none_match.split(","))


class HttpCacheMiddleware:
    """Adds ETag and Cache-Control to successful GET responses and answers If-None-Match with 304."""

    def __init__(self, app: ASGIApp, store: Store, vary_on_host: bool = True) -> None:
        self.app = app
        self.store = store
        #: Without a configured public URL, explorer pages cite the request's origin: the Host is part of the tag.
        self.vary_on_host = vary_on_host

    def etag(self, path: str, query: str, host: str = "") -> str:
        host = host if self.vary_on_host else ""
        digest = hashlib.sha256(
            f"{API_VERSION}\0{self.store.fingerprint}\0{path}\0{query}\0{host}".encode()
        ).hexdigest()
        return f'W/"{digest[:32]}"'

    def cache_control(self, path: str, query: str) -> str:
        versions = requested_versions(path, query)
        pinned = bool(versions) and all(self.store.is_pinned(v) for v in versions)
        return f"public, max-age={PINNED_MAX_AGE if pinned else DEFAULT_MAX_AGE}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or cast("HTTPScope", scope)["method"] != "GET" or scope["path"] in UNCACHED_PATHS:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
        etag = self.etag(path, query, host)
        cache_control = self.cache_control(path, query)
        if_none_match = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"if-none-match"), None)
        not_modified = {
            "type": "http.response.start",
            "status": 304,
            "headers": [
                (b"etag", etag.encode()),
                (b"cache-control", cache_control.encode()),
                (b"vary", b"Accept-Encoding"),
            ],
        }
        if if_none_match and if_none_match.strip() != "*" and _matches(if_none_match, etag):
            await send(not_modified)  # type: ignore[arg-type]
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        #: ``If-None-Match: *`` matches any current representation: 304 only when the resource exists (a 200).
        any_match = if_none_match is not None and if_none_match.strip() == "*"
        replaced = False

        async def send_with_cache_headers(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and message["status"] == 200:
                if any_match:
                    replaced = True
                    await send(not_modified)  # type: ignore[arg-type]
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                    return
                headers = MutableScopeHeaders(message)
                if not headers.get("ETag", "").startswith('"'):  # a strong ETag (a file's SHA-256) is kept
                    headers["ETag"] = etag
                headers["Cache-Control"] = cache_control
            if not replaced:
                await send(message)

        await self.app(scope, receive, send_with_cache_headers)
