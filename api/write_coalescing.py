"""One write per response: the head and the body of a small response leave the server together.

uvicorn writes a response's head (status line and headers) when the application sends
``http.response.start``, and its body when it sends ``http.response.body``: two ``send`` system calls
and, with ``TCP_NODELAY``, two TCP segments for every response, however small. On loopback and on a
LAN the system call is most of what a cached response costs.

:class:`CoalescingTransport` stands between the protocol and asyncio's transport. The small writes
made in one turn of the event loop are held and leave as one write at the end of that turn (one
:class:`Flusher` per event loop flushes every connection's), or at once when the next write would make
them large: an application that sends its head and its whole body in one go (every response of this API
but the streamed exports) goes out in one segment. Nothing is held past the turn it was written in, so a
streamed response (``more_body``) still goes out chunk by chunk, and a response head whose body comes
later (an event stream) is not delayed. Closing flushes what is held first; aborting drops it, as an abort
drops the transport's own buffer.

:class:`CoalescedWrites` is the mixin that gives a uvicorn HTTP protocol this transport, through
asyncio's public ``connection_made``.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

#: Writes are joined while what is held stays under this size; a larger write leaves on its own, uncopied.
MAX_JOINED_BYTES = 64 * 1024


class Flusher:
    """Flushes, at the end of the event loop's turn, every transport that holds writes: one callback per turn
    for all connections, not one per response."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._holding: list[CoalescingTransport] = []

    def add(self, transport: CoalescingTransport) -> None:
        if not self._holding:
            self._loop.call_soon(self.flush)
        self._holding.append(transport)

    def flush(self) -> None:
        holding, self._holding = self._holding, []
        for transport in holding:
            transport.flush()


_flushers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Flusher] = weakref.WeakKeyDictionary()


def flusher(loop: asyncio.AbstractEventLoop) -> Flusher:
    """The :class:`Flusher` of ``loop``."""
    found = _flushers.get(loop)
    if found is None:
        found = _flushers[loop] = Flusher(loop)
    return found


class CoalescingTransport(asyncio.Transport):
    """A transport whose small writes within one turn of the event loop leave as one write."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._flusher = flusher(loop)
        self._held: list[bytes] = []
        self._held_bytes = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        size = len(data)
        if not size:
            return
        if self._held_bytes + size > MAX_JOINED_BYTES:
            self.flush()
            self._transport.write(data)
            return
        if not self._held:
            self._flusher.add(self)
        self._held.append(bytes(data))
        self._held_bytes += size

    def flush(self) -> None:
        """Write what is held, as one write."""
        held = self._held
        if held:
            self._held, self._held_bytes = [], 0
            if not self._transport.is_closing():  # a connection lost meanwhile takes what was held with it
                self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.write(data)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held, self._held_bytes = [], 0
        self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.flush()
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._held_bytes

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()


class CoalescedWrites:
    """Mixin for an asyncio protocol (a uvicorn HTTP protocol): it writes through a :class:`CoalescingTransport`."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        coalescing = CoalescingTransport(transport, asyncio.get_running_loop())  # type: ignore[arg-type]
        super().connection_made(coalescing)  # type: ignore[misc]
