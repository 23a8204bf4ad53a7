"""Shared test helpers."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scripts.segment import Node, node_heading, node_text, segment_lines

#: The API's fixture package (a working package 0.2.0 and a cut release 0.1.0) and where its stores are built.
API_FIXTURE = Path(__file__).parent / "fixtures" / "api"
API_STORE_DIR = Path(__file__).resolve().parent.parent / "var" / "test-store"


def segment_text(src: str, name: str = "t.txt") -> Node:
    lines = src.split("\n")
    return segment_lines(name, lines, 1, len(lines))


def outline(node: Node, depth: int = 0) -> list[tuple[int, str, str, str, str]]:
    """(depth, kind, label, heading, text) for every node, in document order."""
    out: list[tuple[int, str, str, str, str]] = []
    for child in node.children:
        out.append((depth, child.kind, child.label, node_heading(child), node_text(child)))
        out.extend(outline(child, depth + 1))
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV file with a header, empty cells kept as empty strings."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@contextmanager
def serving(make_app: Callable[[int], Any], timeout: float = 30, **config: Any) -> Iterator[int]:
    """Serve ``make_app(port)`` with uvicorn in a thread on a free local port for the ``with`` block; yields the port.

    The application is made once the port is known, for an app that cites its own URL.
    """
    import socket
    import threading
    import time

    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(make_app(port), log_config=None, access_log=False, **config))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + timeout
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the app did not start"
            time.sleep(0.05)
        yield port
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
