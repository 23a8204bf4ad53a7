"""A bounded in-memory cache of whole responses, for requests whose answer cannot change while served.

A cut release never changes, so a response that pins one (``?release=1.0.0``,
``/releases/1.0.0``) is a pure function of the request: the cache replays the
ASGI messages the application sent the first time, byte for byte (status,
headers with the ETag and Cache-Control, body), before any routing or query.
A store that serves cut releases only (no working package) is immutable as a
whole, so its unpinned responses are cached too.

Only successful GET responses are kept; a HEAD request is answered from the
GET's entry (its status and headers, no body) and otherwise passes through. The key is the path, the raw query
string and the request headers a response can vary on (Accept-Encoding for
compression, Origin for CORS). Requests carrying ``If-None-Match`` go through to
the application, which answers 304 before any query. The cache is bounded in
bytes (least recently used entries are dropped first) and skips large bodies.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import cast

from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from api import access_log
from api.http_cache import UNCACHED_PATHS, requested_versions
from api.store import Store

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 1024 * 1024
#: Request headers a response may depend on: compression, CORS, and the host (explorer pages cite absolute URLs).
VARY_HEADERS = (b"accept-encoding", b"origin", b"host")

#: HEAD is answered from the GET's entry: the same status and headers, an empty body.
REPLAYED_METHODS = frozenset({"GET", "HEAD"})
EMPTY_BODY: Message = {"type": "http.response.body", "body": b"", "more_body": False}

Key = tuple[str, bytes, tuple[bytes | None, ...]]


class ResponseCache:
    """Least-recently-used responses (lists of ASGI messages), at most ``max_bytes`` of bodies and headers."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, max_entry_bytes: int = MAX_ENTRY_BYTES) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Key, tuple[list[Message], int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key) -> list[Message] | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[0]

    def put(self, key: Key, messages: list[Message], size: int) -> None:
        if size > self.max_entry_bytes:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= old[1]
        self._entries[key] = (messages, size)
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.bytes -= dropped


def _size(message: Message) -> int:
    if message["type"] == "http.response.start":
        return sum(len(k) + len(v) for k, v in message.get("headers", ()))
    return len(cast(bytes, message.get("body", b"")))


class ResponseCacheMiddleware:
    """Answers repeated requests for immutable data from :class:`ResponseCache`."""

    def __init__(self, app: ASGIApp, store: Store, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.app = app
        self.store = store
        self.cache = ResponseCache(max_bytes) if max_bytes > 0 else None
        self.all_immutable = bool(store.releases) and all(r.immutable for r in store.releases)

    def cacheable(self, path: str, query: str) -> bool:
        if path in UNCACHED_PATHS:
            return False
        versions = requested_versions(path, query)
        if versions:
            return all(self.store.is_pinned(v) for v in versions)
        return self.all_immutable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cache = self.cache
        method = cast("HTTPScope", scope).get("method")  # None for other scopes
        if cache is None or method not in REPLAYED_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if b"if-none-match" in headers or b"range" in headers:
            await self.app(scope, receive, send)
            return
        query: bytes = scope["query_string"]
        # Only cacheable responses are ever kept, so a hit needs no look at the query.
        key: Key = (scope["path"], query, tuple(map(headers.get, VARY_HEADERS)))
        messages = cache.get(key)
        if messages is not None:
            logged = access_log.enabled()
            start = time.perf_counter() if logged else 0.0
            if method == "HEAD":  # the GET's status and headers, no body (RFC 9110 §9.3.2)
                messages = [messages[0], EMPTY_BODY]
            for message in messages:
                await send(message)
            if logged:
                access_log.write(scope, 200, sum(_size(m) for m in messages[1:]), start)  # only 200s are kept
            return
        if method != "GET" or not self.cacheable(scope["path"], query.decode("latin-1")):
            await self.app(scope, receive, send)
            return
        await self._record(cache, key, scope, receive, send)

    async def _record(self, cache: ResponseCache, key: Key, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer from the application, keeping a successful complete response in ``cache`` under ``key``."""
        recorded: list[Message] = []
        size = 0
        keep = True

        async def recording_send(message: Message) -> None:
            nonlocal size, keep
            if keep:
                if message["type"] == "http.response.start" and message["status"] != 200:
                    keep = False
                else:
                    size += _size(message)
                    keep = size <= cache.max_entry_bytes
                    recorded.append(
                        cast(
                            "Message",
                            {**message, "headers": list(message["headers"])}
                            if message["type"] == "http.response.start"
                            else dict(message),
                        )
                    )
            await send(message)

        await self.app(scope, receive, recording_send)
        done = bool(recorded) and recorded[-1]["type"] == "http.response.body" and not recorded[-1].get("more_body")
        if keep and done:
            cache.put(key, recorded, size)
