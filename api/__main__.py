"""``python -m api``: serve the repository's data package (all releases and the working package) with uvicorn.

The SQLite store of each release is built under ``var/store/`` at start-up when it is
missing or older than its package. Host, port, paths, workers and caches come from the
options declared in :mod:`api.options` (``--port``…), each also read from the environment
(``API_PORT``…).

With ``--workers N`` the stores are built (when needed) once, then N worker processes
each open them read-only and listen on the port with sockets of their own (``SO_REUSEPORT``,
see :mod:`api.reuseport_workers`), so the kernel spreads connections across them.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from typing import TYPE_CHECKING

from api import options

if TYPE_CHECKING:
    import uvicorn
    from litestar import Litestar

    from api.store import Store


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The options of :data:`api.options.OPTIONS`, from ``argv`` and the environment."""
    parser = options.parser(__doc__.split("\n\n")[0])
    args = parser.parse_args(argv)
    if args.public_url:
        from api.public_url import normalize

        try:
            args.public_url = normalize(args.public_url)
        except ValueError as exc:
            parser.error(str(exc))
    if args.store_dir is None:
        args.store_dir = args.data_root / "var" / "store"
    return args


def _open_store(args: argparse.Namespace, build: bool) -> Store | None:
    from api.package import PackageError
    from api.store import Store
    from api.store_builder import BuildError

    try:
        store = Store.open(args.data_root, args.store_dir, build=build)
    except (PackageError, BuildError, OSError) as exc:
        print(f"error: cannot open the data package: {exc}", file=sys.stderr)
        return None
    if not store.releases:
        print(
            f"error: no data package under {args.data_root} (no datapackage.json, no releases/X.Y.Z/)", file=sys.stderr
        )
        return None
    return store


def _app(args: argparse.Namespace, store: Store) -> Litestar:
    from api.app import create_app

    store.warm()
    if args.no_caches:
        store.disable_caches()
    cache_bytes = 0 if args.no_caches else int(args.response_cache_mb * 1024 * 1024)
    mcp_base_url = (args.public_url or f"http://{args.host}:{args.port}") if args.mcp else None
    return create_app(store, response_cache_bytes=cache_bytes, public_url=args.public_url, mcp_base_url=mcp_base_url)


def worker_app() -> Litestar:
    """The application of one worker process (``--workers`` > 1): options come from the environment."""
    args = parse_args([])
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    store = _open_store(args, build=False)
    if store is None:
        raise SystemExit(1)
    return _app(args, store)


def _run_workers(config: uvicorn.Config) -> None:
    """``uvicorn.run`` with several workers, but with TCP_NODELAY on the shared socket.

    Workers receive the listening socket without its protocol number, so asyncio does not
    set TCP_NODELAY on their connections and every keep-alive response waits for a delayed
    ACK (about 40 ms). Set on the listening socket, Linux passes it on to accepted ones.
    """
    import socket

    from uvicorn.supervisors import Multiprocess

    sock = config.bind_socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[sock]).run()


def port_in_use(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on (such as "address already in use"), or None when it can."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"unknown host ({exc.strerror})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            return exc.strerror.lower() if exc.strerror else str(exc)
    return None


def start_line(versions: list[str], host: str, port: int) -> str:
    """What the server says when it starts: the releases, and where the explorer, the API and its docs are."""
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}"
    return (
        f"serving releases {', '.join(versions)}: explorer {base}/ · API {base}/api · docs {base}/docs (Ctrl+C to stop)"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    import uvicorn

    from scripts.interrupts import terminate_cleanly

    with terminate_cleanly():  # a store build stopped by SIGTERM removes its temporary file
        store = _open_store(args, build=True)
    if store is None:
        return 1
    busy = port_in_use(args.host, args.port)
    if busy:
        print(
            f"error: cannot listen on {args.host}:{args.port}: {busy}. Another server may be running there; "
            f"choose another port with --port {args.port + 1} (or API_PORT={args.port + 1}).",
            file=sys.stderr,
        )
        store.close()
        return 1
    logging.getLogger("api").info("%s", start_line(store.versions, args.host, args.port))
    from api.http_protocol import ApiHttpProtocol
    from api.server_limits import ServerLimits

    limits = ServerLimits(args.header_timeout, args.keep_alive_timeout, args.max_header_bytes)
    # httptools with the head limits of api.server_limits, taking raw UTF-8 request lines (curl '…/clauses?q=人才').
    server_options = {
        "host": args.host,
        "port": args.port,
        "access_log": False,
        "log_level": args.log_level,
        "log_config": None,
        "server_header": False,  # responses do not name the server software (README, "Security headers")
        **limits.uvicorn_options(),
        "http": ApiHttpProtocol,
    }
    if args.workers > 1:
        store.close()
        os.environ.update(options.environment(args))
        from api import reuseport_workers

        if reuseport_workers.available():
            return reuseport_workers.serve("api.__main__:worker_app", args.workers, server_options)
        _run_workers(uvicorn.Config("api.__main__:worker_app", factory=True, workers=args.workers, **server_options))
    else:
        uvicorn.run(_app(args, store), **server_options)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
