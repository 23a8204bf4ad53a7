"""One log line per request: method, path and query, status, bytes sent and time taken.

:func:`write` is the line; :class:`AccessLogMiddleware` writes it for every request the application
answers, and the response cache (which sits outside it) for every response it replays.
"""

from __future__ import annotations

import logging
import time
from typing import cast

from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

log = logging.getLogger("api.access")


def enabled() -> bool:
    """Whether access lines are written (the ``api.access`` logger at INFO or below)."""
    return log.isEnabledFor(logging.INFO)


def write(scope: Scope, status: int, size: int, start: float) -> None:
    """The line of one request: ``start`` is its ``time.perf_counter()`` on arrival, ``size`` the body bytes sent."""
    query = scope.get("query_string", b"").decode("latin-1")
    target = scope["path"] + (f"?{query}" if query else "")
    client = scope.get("client") or ("-", 0)
    log.info(
        '%s "%s %s" %d %d %.1fms',
        client[0],
        cast("HTTPScope", scope)["method"],
        target,
        status,
        size,
        (time.perf_counter() - start) * 1000,
    )


class AccessLogMiddleware:
    """Wraps the whole application, so requests that match no route are logged too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not enabled():
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        size = 0

        async def logged_send(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, logged_send)
        finally:
            write(scope, status, size, start)
