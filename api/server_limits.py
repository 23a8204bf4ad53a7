"""Limits of the HTTP server: how long a client may take to send a request head, how long an idle
keep-alive connection is kept, and how large a request line and its headers may be.

* ``header_timeout`` (default 10 s): a connection whose request head (request line and headers, up to
  the blank line) is not complete this long after its first byte is closed. This stops a client that
  sends a header a byte at a time ("slowloris") from holding a connection. The API serves GET only, so
  every request is a head; a request body would have to arrive within the same time.
* ``keep_alive_timeout`` (default 5 s): an idle connection between two requests is closed.
* ``max_header_bytes`` (default 16 KiB): a request line plus headers larger than this is refused with
  431 Request Header Fields Too Large (RFC 6585) before the application sees it, and the connection is
  closed (the longest useful URL of this API is far shorter).

uvicorn has the keep-alive timeout; :class:`HeadLimits`, a timer and a byte count on the request head mixed
into the server's HTTP protocol (uvicorn's httptools protocol, set with the ``http`` option as uvicorn allows;
see :mod:`api.http_protocol`), adds the other two. It sees only what asyncio's public ``data_received`` gets,
so nothing of the parser is changed. Behind a reverse proxy, set the same limits there too (README,
"Deployment").
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from api.problems import PROBLEM_MEDIA_TYPE

HEAD_END = b"\r\n\r\n"


@dataclass(frozen=True)
class ServerLimits:
    header_timeout: float = 10.0
    keep_alive_timeout: int = 5
    max_header_bytes: int = 16 * 1024

    def uvicorn_options(self) -> dict[str, Any]:
        """The options of ``uvicorn.run`` / ``uvicorn.Config`` that apply these limits."""
        # The protocol class is passed by reference (worker processes import it): the limits are class attributes,
        # which worker processes read from API_HEADER_TIMEOUT and API_MAX_HEADER_BYTES.
        HeadLimits.header_timeout = self.header_timeout
        HeadLimits.max_header_bytes = self.max_header_bytes
        return {"timeout_keep_alive": self.keep_alive_timeout}


class HeadLimits:
    """Mixin for a uvicorn HTTP protocol (an asyncio protocol with ``transport``): closes a connection whose request
    head takes longer than ``header_timeout`` and answers 431 to a head larger than ``max_header_bytes``."""

    transport: asyncio.Transport

    header_timeout: float = float(os.environ.get("API_HEADER_TIMEOUT") or 10)
    max_header_bytes: int = int(os.environ.get("API_MAX_HEADER_BYTES") or 16 * 1024)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_tail = b""
        self._head_bytes = 0
        super().connection_made(transport)  # type: ignore[misc]
        self._start_head_timer()

    def data_received(self, data: bytes) -> None:
        if self._track_head(data):
            super().data_received(data)  # type: ignore[misc]

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)  # type: ignore[misc]

    def _track_head(self, data: bytes) -> bool:
        """Count the bytes of each head and time it: the timer stops at the end of a head and starts again when
        the next request begins. False (and a 431, the connection closed) when a head is too large."""
        end = data.find(HEAD_END)
        if not self._head_tail and end >= 0 and end + len(HEAD_END) == len(data) <= self.max_header_bytes:
            # The common case, a whole head in one read and none begun before: nothing to count or keep.
            if self._head_timer is not None:
                self._cancel_head_timer()
            return True
        seen = self._head_tail + data
        counted = len(self._head_tail)  # the tail's bytes are counted already
        start = 0  # the end of a head may begin in the tail
        while (end := seen.find(HEAD_END, start)) >= 0:
            stop = end + len(HEAD_END)
            if self._head_bytes + stop - counted > self.max_header_bytes:
                return self._refuse_head()
            self._head_bytes, counted, start = 0, stop, stop
            self._cancel_head_timer()
        self._head_bytes += len(seen) - counted
        if self._head_bytes > self.max_header_bytes:
            return self._refuse_head()
        self._head_tail = seen[max(counted, len(seen) - (len(HEAD_END) - 1)) :]
        if self._head_bytes and self._head_timer is None:  # a head has begun
            self._start_head_timer()
        return True

    def _refuse_head(self) -> bool:
        status = HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
        body = json.dumps(
            {
                "type": "about:blank",
                "title": status.phrase,
                "status": status.value,
                "detail": f"the request line and headers are longer than {self.max_header_bytes} bytes: shorten the "
                "URL (fewer or shorter parameters) or the headers",
            }
        ).encode()
        self.transport.write(
            f"HTTP/1.1 {status.value} {status.phrase}\r\ncontent-type: {PROBLEM_MEDIA_TYPE}\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode()
            + body
        )
        self._cancel_head_timer()
        self.transport.close()
        return False

    def _start_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = asyncio.get_running_loop().call_later(self.header_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()
