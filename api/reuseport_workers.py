"""Several worker processes, each with its own listening socket on the same port (``SO_REUSEPORT``).

With one shared listening socket (uvicorn's ``--workers``), whichever worker wakes first accepts
every pending connection: a few keep-alive clients all land on one worker and the others idle.
With ``SO_REUSEPORT`` each worker listens on a socket of its own and the kernel spreads new
connections across them (by a hash of the client's address and port), so the workers share the
load without a balancer in front. The supervisor here only starts the workers, passes SIGINT and
SIGTERM on to them and exits when they have; a worker that fails to start stops the others.

Where ``SO_REUSEPORT`` does not exist (not Linux or BSD), :func:`available` is false and the
caller uses uvicorn's shared socket instead.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import sys
import time
from typing import Any

import uvicorn


def available() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` that other processes may bind too (and TCP_NODELAY on).

    It is bound but not yet listening: the kernel spreads connections only over the sockets that
    listen, and asyncio's ``create_server(sock=...)`` calls ``listen()`` once uvicorn has loaded the
    application. So a worker joins the port only when it can answer, and a client that connects
    while another worker is still starting is never queued behind it."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    # Accepted connections inherit it: without it keep-alive responses wait for delayed ACKs (~40 ms).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(address)
    sock.set_inheritable(True)
    return sock


def _worker(app: str, options: dict[str, Any]) -> None:
    try:
        sock = reuseport_socket(options["host"], options["port"])
    except OSError as exc:
        print(
            f"error: cannot listen on {options['host']}:{options['port']}: {exc.strerror or exc}\n"
            "how to fix: stop what uses that port or choose another with --port",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    config = uvicorn.Config(app, factory=True, **options)
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run(sockets=[sock])


def serve(app: str, workers: int, options: dict[str, Any]) -> int:
    """Run ``workers`` processes serving the application factory ``app`` ("module:function"); 0 when all exit
    cleanly, else 1."""
    ctx = multiprocessing.get_context("spawn")
    processes = [ctx.Process(target=_worker, args=(app, options), name=f"worker-{i + 1}") for i in range(workers)]
    stopping = False

    def stop(_signum: int = signal.SIGINT, _frame: object = None) -> None:
        nonlocal stopping
        stopping = True
        for p in processes:
            if p.pid is not None and p.is_alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(p.pid, signal.SIGINT)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for p in processes:
            p.start()
        while any(p.is_alive() for p in processes):
            if not stopping and any(p.exitcode not in (None, 0) for p in processes):
                stop()  # a worker failed (e.g. the port is taken): stop the others too
            time.sleep(0.2)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0 if all(p.exitcode == 0 for p in processes) else 1
