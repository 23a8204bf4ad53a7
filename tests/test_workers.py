"""``--workers 2`` on a real server: each worker listens on the port itself (SO_REUSEPORT), keep-alive
connections are spread over both, answers are the same, and SIGTERM stops them all."""

from __future__ import annotations

import http.client
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.reuseport_workers import reuseport_socket
from bench.servers import api_command, children, ready, tcp_sockets
from tests.helpers import API_FIXTURE

ROOT = Path(__file__).resolve().parent.parent
PORT = 8182
CONNECTIONS = 16

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT") or sys.platform != "linux", reason="Linux only")


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[subprocess.Popen[bytes]]:
    store = tmp_path_factory.mktemp("store")
    command = api_command(API_FIXTURE, store, PORT, "--workers", "2")
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and len(tcp_sockets(PORT, "0A")) < 2:
            time.sleep(0.2)
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)


def _workers(proc: subprocess.Popen[bytes]) -> list[int]:
    return [pid for pid in children(proc.pid) if _socket_inodes(pid) & tcp_sockets(PORT, "0A")]


def test_each_worker_listens_and_connections_are_spread(server: subprocess.Popen[bytes]) -> None:
    workers = _workers(server)
    assert len(workers) == 2, "each of the two workers has a listening socket of its own"
    connections = [http.client.HTTPConnection("127.0.0.1", PORT, timeout=10) for _ in range(CONNECTIONS)]
    try:
        bodies = set()
        for c in connections:
            c.request("GET", "/clauses?city=qingdao&topic=talent")
            response = c.getresponse()
            assert response.status == 200
            bodies.add(response.read())
        assert len(bodies) == 1, "every worker answers the same"
        established = tcp_sockets(PORT, "01")
        per_worker = [len(_socket_inodes(pid) & established) for pid in workers]
        assert sum(per_worker) == CONNECTIONS
        assert min(per_worker) > 0, f"connections per worker: {per_worker}"
    finally:
        for c in connections:
            c.close()


def test_sigterm_stops_every_worker(server: subprocess.Popen[bytes]) -> None:
    workers = _workers(server)
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=30) == 0
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


def test_a_taken_port_is_an_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", PORT + 1))
        taken.listen()
        command = api_command(API_FIXTURE, tmp_path, PORT + 1, "--workers", "2")
        done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=120)
    assert done.returncode == 1
    assert b"address already in use" in done.stderr.lower()


def test_a_worker_socket_listens_only_when_served() -> None:
    """Bound, not listening: the kernel gives a starting worker no connections until asyncio listens."""
    sock = reuseport_socket("127.0.0.1", PORT + 2)
    try:
        assert not tcp_sockets(PORT + 2, "0A")
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", PORT + 2), timeout=5).close()
        sock.listen()
        assert len(tcp_sockets(PORT + 2, "0A")) == 1
    finally:
        sock.close()


def test_ready_waits_for_every_listener() -> None:
    """The bench starts measuring workers only when as many sockets listen as there are workers."""
    server = http.server.HTTPServer(("127.0.0.1", PORT + 3), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{PORT + 3}/"
        assert ready(url, PORT + 3, 1)
        assert not ready(url, PORT + 3, 2)
    finally:
        server.shutdown()
        server.server_close()
