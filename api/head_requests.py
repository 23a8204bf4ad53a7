"""HEAD wherever GET is served (RFC 9110 §9.3.2): the GET response's status and headers, without its body.

The request is handled as a GET (so routing, caching and every header are exactly those of the GET),
and the body messages are replaced by one empty message.
"""

from __future__ import annotations

from typing import cast

from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send


class HeadAsGetMiddleware:
    """Answers ``HEAD`` with the headers of the ``GET`` of the same URL and no body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or cast("HTTPScope", scope)["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        ended = False

        async def send_without_body(message: Message) -> None:
            nonlocal ended
            if message["type"] != "http.response.body":
                await send(message)
            elif not ended and not message.get("more_body", False):
                ended = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, send_without_body)  # type: ignore[arg-type]
