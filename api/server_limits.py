"""Limits of the HTTP server: how long a client may take to send a request head, how long an idle
keep-alive connection is kept, and how large a request line and its headers may be.

* ``header_timeout`` (default 10 s): a connection whose request head (request line and headers, up to
  the blank line) is not complete this long after its first byte is closed. This stops a client that
  sends a header a byte at a time ("slowloris") from holding a connection. The API serves GET only, so
  every request is a head; a request body would have to arrive within the same time.
* ``keep_alive_timeout`` (default 5 s): an idle connection between two requests is closed.
* ``max_header_bytes`` (default 16 KiB): a request line plus headers larger than this is refused with
  400 before the application sees it (the longest useful URL of this API is far shorter).

uvicorn has the last two; the first is :class:`HeadTimeoutH11Protocol`, uvicorn's h11 protocol with a
timer on the request head (set with the ``http`` option, as uvicorn allows). Behind a reverse proxy,
set the same limits there too (README, "Deployment").
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_END = b"\r\n\r\n"


@dataclass(frozen=True)
class ServerLimits:
    header_timeout: float = 10.0
    keep_alive_timeout: int = 5
    max_header_bytes: int = 16 * 1024

    def uvicorn_options(self) -> dict[str, Any]:
        """The options of ``uvicorn.run`` / ``uvicorn.Config`` that apply these limits."""
        # The class is passed by reference (worker processes import it): its timeout is a class attribute,
        # which worker processes read from API_HEADER_TIMEOUT.
        HeadTimeoutH11Protocol.header_timeout = self.header_timeout
        return {
            "http": HeadTimeoutH11Protocol,
            "timeout_keep_alive": self.keep_alive_timeout,
            "h11_max_incomplete_event_size": self.max_header_bytes,
        }


class HeadTimeoutH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head takes longer than ``header_timeout``."""

    header_timeout: float = float(os.environ.get("API_HEADER_TIMEOUT") or 10)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_tail = b""
        super().connection_made(transport)
        self._start_head_timer()

    def data_received(self, data: bytes) -> None:
        self._track_head(data)
        super().data_received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _track_head(self, data: bytes) -> None:
        """Cancel the timer at the end of a head; start it again when the next request begins."""
        seen = self._head_tail + data
        end = seen.rfind(HEAD_END)
        if end < 0:
            self._head_tail = seen[-(len(HEAD_END) - 1) :]
            if self._head_timer is None:
                self._start_head_timer()
            return
        self._cancel_head_timer()
        rest = seen[end + len(HEAD_END) :]
        self._head_tail = rest[-(len(HEAD_END) - 1) :]
        if rest:  # a pipelined request has begun
            self._start_head_timer()

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
