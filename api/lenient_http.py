"""Accept Chinese typed straight into a URL: ``curl '127.0.0.1:8000/clauses?q=人才'``.

curl sends such a query string as raw UTF-8 bytes instead of percent-escapes. HTTP
allows only ASCII there, so uvicorn's h11 parser rejects the request, and the query
string parsers downstream expect ASCII. :func:`accept_utf8_query_strings` lets h11
accept non-ASCII bytes after the ``?`` of a request target (the path stays strict),
and :class:`Utf8QueryMiddleware` percent-encodes them before anything parses them.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from litestar.types import ASGIApp, Receive, Scope, Send

_ASCII_QUERY_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))
_LENIENT_TARGET = rb"[\x21-\x3e\x40-\x7e]+(?:\?[\x21-\x7e\x80-\xff]*)?"


def accept_utf8_query_strings() -> bool:
    """Let h11 (uvicorn's default HTTP parser) accept non-ASCII bytes in query strings. True if done."""
    try:
        from h11 import _abnf, _events, _readers
    except ImportError:
        return False
    strict = f"(?P<target>{_abnf.request_target})".encode()
    line = getattr(_readers, "request_line_re", None)
    target = getattr(_events, "request_target_re", None)
    if line is None or target is None or strict not in line.pattern or target.pattern != strict[11:-1]:
        return False
    _readers.request_line_re = re.compile(line.pattern.replace(strict, b"(?P<target>" + _LENIENT_TARGET + b")"))
    _events.request_target_re = re.compile(_LENIENT_TARGET)
    return True


class Utf8QueryMiddleware:
    """Percent-encodes the non-ASCII bytes of a query string, leaving everything else as sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if query and not query.isascii():
            scope["query_string"] = quote(query, safe=_ASCII_QUERY_SAFE).encode("ascii")
        await self.app(scope, receive, send)
