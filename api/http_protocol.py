"""Accept Chinese typed straight into a URL: ``curl '127.0.0.1:8000/clauses?q=人才'``.

curl sends such a URL as raw UTF-8 bytes instead of percent-escapes. HTTP allows only
ASCII in a request line, and uvicorn's parsers (httptools and h11 alike) answer 400.
:class:`ApiHttpProtocol` percent-encodes the bytes of 0x80 and above of each complete
request line a connection receives (:func:`encode_request_lines`), before the parser sees them:
``GET /clauses?q=人才 HTTP/1.1`` reaches the API as ``q=%E4%BA%BA%E6%89%8D``. It works through
asyncio's public ``data_received`` only, so nothing of the parser is changed; the server's
protocol (:class:`ApiHttpProtocol`, chosen with uvicorn's documented ``http=`` option) is
uvicorn's httptools protocol (the C parser uvicorn prefers when it is installed) with it and
with the head limits of :mod:`api.server_limits`.

A request line split across two TCP reads (never the case for curl's short lines) is
passed on unchanged and refused by the parser; the percent-encoded form works with every
client: ``curl -G --data-urlencode q=人才 127.0.0.1:8000/clauses``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.server_limits import HeadLimits
from api.write_coalescing import CoalescedWrites

# A request line: method, a target holding at least one non-ASCII byte, version.
_REQUEST_LINE_RE = re.compile(rb"(?m)^([A-Z]{3,7} )([^ \r\n]*[\x80-\xff][^ \r\n]*)( HTTP/1\.[01]\r?$)")
_ASCII_SAFE = bytes(range(0x21, 0x7F))


def encode_request_lines(data: bytes) -> bytes:
    """``data`` with the non-ASCII bytes of every complete request line percent-encoded."""
    return _REQUEST_LINE_RE.sub(lambda m: m[1] + quote(m[2], safe=_ASCII_SAFE).encode("ascii") + m[3], data)


class ApiHttpProtocol(CoalescedWrites, HeadLimits, HttpToolsProtocol):
    """The API's HTTP protocol: uvicorn's httptools protocol with the request-head limits, accepting raw UTF-8
    request lines, writing each response's head and body together (:mod:`api.write_coalescing`)."""

    def data_received(self, data: bytes) -> None:
        # Raw UTF-8 encoded first, then the head counted (HeadLimits) as the parser will see it.
        super().data_received(data if data.isascii() else encode_request_lines(data))
