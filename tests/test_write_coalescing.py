"""Small writes made in one turn of the event loop leave as one write; nothing is held past that turn."""

from __future__ import annotations

import asyncio
from typing import Any

from api.write_coalescing import MAX_JOINED_BYTES, CoalescedWrites, CoalescingTransport, flusher


class Recorded(asyncio.Transport):
    """A transport that records what is written to it and what is done with it."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.calls: list[str] = []
        self.closing = False

    def write(self, data: Any) -> None:
        self.writes.append(data)
        self.calls.append("write")

    def close(self) -> None:
        self.closing = True
        self.calls.append("close")

    def abort(self) -> None:
        self.closing = True
        self.calls.append("abort")

    def is_closing(self) -> bool:
        return self.closing

    def get_write_buffer_size(self) -> int:
        return 7


def run_turns(*turns: Any) -> Recorded:
    """Run each function of ``turns`` (given the coalescing transport) in a turn of its own; what was written."""
    inner = Recorded()

    async def main() -> None:
        outer = CoalescingTransport(inner, asyncio.get_running_loop())
        for turn in turns:
            turn(outer)
            await asyncio.sleep(0)  # the end of a turn
            await asyncio.sleep(0)

    asyncio.run(main())
    return inner


def test_a_head_and_its_body_written_in_one_turn_leave_as_one_write() -> None:
    inner = run_turns(lambda t: (t.write(b"HTTP/1.1 200 OK\r\n\r\n"), t.write(b"{}")))
    assert inner.writes == [b"HTTP/1.1 200 OK\r\n\r\n{}"]


def test_writes_of_separate_turns_are_not_held_past_their_turn() -> None:
    inner = run_turns(lambda t: t.write(b"head"), lambda t: t.write(b"chunk 1"), lambda t: t.write(b"chunk 2"))
    assert inner.writes == [b"head", b"chunk 1", b"chunk 2"]


def test_a_large_write_leaves_on_its_own_after_what_is_held_and_uncopied() -> None:
    large = b"x" * MAX_JOINED_BYTES
    inner = run_turns(lambda t: (t.write(b"head"), t.write(large), t.write(b"tail")))
    assert inner.writes == [b"head", large, b"tail"]
    assert inner.writes[1] is large


def test_closing_writes_what_is_held_first_and_aborting_drops_it() -> None:
    closed = run_turns(lambda t: (t.write(b"last words"), t.close()))
    assert closed.calls == ["write", "close"]
    assert closed.writes == [b"last words"]
    aborted = run_turns(lambda t: (t.write(b"dropped"), t.abort()))
    assert aborted.calls == ["abort"]


def test_what_is_held_counts_in_the_buffer_and_a_lost_connection_takes_it() -> None:
    sizes: list[int] = []

    def lose(t: CoalescingTransport) -> None:
        t.write(b"12345")
        sizes.append(t.get_write_buffer_size())
        t._transport.closing = True  # type: ignore[attr-defined]  # the peer went away within the turn

    inner = run_turns(lambda t: t.write(b""), lose)
    assert sizes == [7 + 5]
    assert inner.writes == []


def test_the_mixin_hands_the_protocol_a_coalescing_transport() -> None:
    class Base:
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport = transport

    class Protocol(CoalescedWrites, Base):
        pass

    async def main() -> asyncio.BaseTransport:
        protocol = Protocol()
        protocol.connection_made(Recorded())
        return protocol.transport

    assert isinstance(asyncio.run(main()), CoalescingTransport)


def test_one_flush_per_turn_serves_every_connection_holding_writes() -> None:
    first, second = Recorded(), Recorded()
    shared: list[bool] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        a, b = CoalescingTransport(first, loop), CoalescingTransport(second, loop)
        shared.append(a._flusher is b._flusher is flusher(loop))
        a.write(b"a head")
        b.write(b"b head")
        a.write(b"a body")
        await asyncio.sleep(0)

    asyncio.run(main())
    assert shared == [True]
    assert first.writes == [b"a heada body"]
    assert second.writes == [b"b head"]
