"""The server's limits, on a real server (uvicorn): a slow request head and an idle connection are closed,
and an oversized head is refused before the application sees it."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.servers import api_command
from tests.helpers import API_FIXTURE

ROOT = Path(__file__).resolve().parent.parent
PORT = 8133
HEADER_TIMEOUT = 1.5
KEEP_ALIVE = 1


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    store = tmp_path_factory.mktemp("store")
    proc = subprocess.Popen(
        api_command(
            API_FIXTURE, store, PORT, "--header-timeout", str(HEADER_TIMEOUT), "--keep-alive-timeout", str(KEEP_ALIVE)
        ),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        yield PORT
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def seconds_until_closed(sock: socket.socket, dribble: bytes = b"", limit: float = 10) -> float:
    """Send ``dribble`` a byte every 0.2 s until the server closes the connection; the seconds it took."""
    began = time.monotonic()
    sock.settimeout(0.2)
    i = 0
    while time.monotonic() - began < limit:
        try:
            if sock.recv(65536) == b"":
                return time.monotonic() - began
        except TimeoutError:
            pass
        except ConnectionResetError:
            return time.monotonic() - began
        if dribble:
            try:
                sock.sendall(dribble[i % len(dribble) : i % len(dribble) + 1])
            except OSError:
                return time.monotonic() - began
            i += 1
    return limit


def test_a_request_head_sent_a_byte_at_a_time_is_cut_off(server: int) -> None:
    sock = socket.create_connection(("127.0.0.1", server))
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
    took = seconds_until_closed(sock, b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n")
    assert HEADER_TIMEOUT - 0.3 < took < HEADER_TIMEOUT + 2


def test_an_idle_keep_alive_connection_is_closed(server: int) -> None:
    sock = socket.create_connection(("127.0.0.1", server))
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    sock.settimeout(5)
    assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    assert seconds_until_closed(sock) < KEEP_ALIVE + 2


def test_a_slow_client_does_not_delay_a_complete_request(server: int) -> None:
    sock = socket.create_connection(("127.0.0.1", server))
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
    time.sleep(HEADER_TIMEOUT / 2)
    sock.sendall(b"\r\n")
    sock.settimeout(5)
    assert sock.recv(65536).startswith(b"HTTP/1.1 200")


def test_an_oversized_request_head_is_refused(server: int) -> None:
    sock = socket.create_connection(("127.0.0.1", server))
    sock.sendall(b"GET /clauses?q=" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    sock.settimeout(5)
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
    assert json.loads(body) == {
        "type": "about:blank",
        "title": "Request Header Fields Too Large",
        "status": 431,
        "detail": "the request line and headers are longer than 16384 bytes: shorten the URL (fewer or shorter "
        "parameters) or the headers",
    }


def test_a_response_comes_whole_and_does_not_name_the_server(server: int) -> None:
    sock = socket.create_connection(("127.0.0.1", server))
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    sock.settimeout(5)
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    names = [line.split(b":")[0].lower() for line in head.split(b"\r\n")[1:]]
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"server" not in names
    assert b"date" in names
    assert json.loads(body)["status"] == "ok"


class _Transport:
    def __init__(self) -> None:
        self.written = b""
        self.closed = False

    def write(self, data: bytes) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


def _counted(chunks: list[bytes], limit: int = 100, connected: bool = False) -> tuple[list[bool], int, bool, bool]:
    """Feed ``chunks`` to the head tracking of the server's protocol (no parser behind it): whether each was
    passed on, the bytes of the head in progress, whether its timer runs, and whether a 431 was sent.
    ``connected``: the timer a new connection starts runs before the first chunk."""
    import asyncio

    from api.server_limits import HeadLimits

    async def feed() -> tuple[list[bool], int, bool, bool]:
        protocol = HeadLimits()
        protocol.max_header_bytes = limit
        protocol.transport = _Transport()  # type: ignore[assignment]
        protocol._head_timer, protocol._head_tail, protocol._head_bytes = None, b"", 0
        if connected:
            protocol._start_head_timer()
        passed = [protocol._track_head(c) for c in chunks]
        timing = protocol._head_timer is not None
        protocol._cancel_head_timer()
        refused = protocol.transport.written.startswith(b"HTTP/1.1 431")  # type: ignore[attr-defined]
        return passed, protocol._head_bytes, timing, refused

    return asyncio.run(feed())


def test_the_head_count_follows_heads_across_reads_and_pipelines() -> None:
    head = b"GET /h HTTP/1.1\r\nHost: x\r\n\r\n"  # 31 bytes
    assert _counted([head]) == ([True], 0, False, False)
    assert _counted([head[:29], head[29:]]) == ([True, True], 0, False, False)  # the end split across reads
    assert _counted([head * 3]) == ([True], 0, False, False)  # 93 bytes of pipelined heads, each under 100
    assert _counted([head + head[:10]]) == ([True], 10, True, False)  # the next head has begun: its timer runs
    assert _counted([head[:20]] * 5) == ([True] * 5, 100, True, False)  # 100 bytes, no end yet: at the limit
    assert _counted([head[:3]]) == ([True], 3, True, False)  # a read shorter than the end marker
    assert _counted([b"GET /" + b"a" * 80 + b" HTTP/1.1\r\n\r\n"]) == ([True], 0, False, False)  # 100: at the limit


def test_a_whole_head_in_one_read_stops_the_timer_of_the_next() -> None:
    head = b"GET /h HTTP/1.1\r\nHost: x\r\n\r\n"
    assert _counted([head], connected=True) == ([True], 0, False, False)  # the new connection's timer stops
    assert _counted([], connected=True) == ([], 0, True, False)
    assert _counted([head, head[:5], head[5:]]) == ([True, True, True], 0, False, False)
    assert _counted([head, head, head[:5]]) == ([True, True, True], 5, True, False)


def test_a_head_over_the_limit_is_refused_whether_complete_or_not() -> None:
    assert _counted([b"GET /" + b"a" * 120 + b" HTTP/1.1\r\n\r\n"]) == ([False], 0, False, True)
    assert _counted([b"GET /" + b"a" * 60, b"a" * 40]) == ([True, False], 105, False, True)
    head = b"GET /h HTTP/1.1\r\nHost: x\r\n\r\n"
    assert _counted([head + b"GET /" + b"a" * 99])[0] == [False]  # the second head of a read
