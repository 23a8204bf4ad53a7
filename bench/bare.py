"""The bare-bytes route: a minimal ASGI application answering every request with the same precomputed bytes.

It runs under uvicorn with httptools as it comes (the API's server adds request-head limits and writes a
response's head and body in one write, :mod:`api.http_protocol`), so its throughput is the practical
limit of a stock Python HTTP server on this machine for a body of that size.
``BENCH_BARE_FILE`` names the file whose bytes are served.
"""

from __future__ import annotations

import os
from pathlib import Path

from litestar.types import Message, Receive, Scope, Send

BODY = Path(os.environ.get("BENCH_BARE_FILE", os.devnull)).read_bytes()
START: Message = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())],
}
RESPONSE: Message = {"type": "http.response.body", "body": BODY, "more_body": False}


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    await send(START)
    await send(RESPONSE)
