"""Accept Chinese typed straight into a URL: ``curl '127.0.0.1:8000/clauses?q=人才'``.

curl sends such a URL as raw UTF-8 bytes instead of percent-escapes. HTTP allows only
ASCII in a request line, and uvicorn's parsers (httptools and h11 alike) answer 400.
:class:`Utf8RequestLineProtocol` is uvicorn's httptools protocol (chosen with uvicorn's
documented ``http=`` option, which takes a protocol class) that percent-encodes the
bytes of 0x80 and above of each complete request line it receives, before the parser
sees them: ``GET /clauses?q=人才 HTTP/1.1`` reaches the API as ``q=%E4%BA%BA%E6%89%8D``.
It goes through asyncio's public ``data_received`` only: nothing of the parser is
changed, and a uvicorn that renamed its protocol would fail at start-up, not silently.

A request line split across two TCP reads (never the case for curl's short lines) is
passed on unchanged; the percent-encoded form works with every client:
``curl -G --data-urlencode q=人才 127.0.0.1:8000/clauses``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# A request line: method, a target holding at least one non-ASCII byte, version.
_REQUEST_LINE_RE = re.compile(rb"(?m)^([A-Z]{3,7} )([^ \r\n]*[\x80-\xff][^ \r\n]*)( HTTP/1\.[01]\r?$)")
_ASCII_SAFE = bytes(range(0x21, 0x7F))


def encode_request_lines(data: bytes) -> bytes:
    """``data`` with the non-ASCII bytes of every complete request line percent-encoded."""
    return _REQUEST_LINE_RE.sub(lambda m: m[1] + quote(m[2], safe=_ASCII_SAFE).encode("ascii") + m[3], data)


class Utf8RequestLineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, accepting raw UTF-8 in request lines (percent-encoded on arrival)."""

    def data_received(self, data: bytes) -> None:
        super().data_received(data if data.isascii() else encode_request_lines(data))
