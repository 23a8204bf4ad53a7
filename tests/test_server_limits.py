"""The server's limits, on a real server (uvicorn): a slow request head and an idle connection are closed,
and an oversized head is refused before the application sees it."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import API_FIXTURE, api_command

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
    answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 400") and len(answer) < 1000
