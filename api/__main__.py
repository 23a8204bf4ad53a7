"""``python -m api``: serve the repository's data package (all releases and the working package) with uvicorn.

The SQLite store of each release is built under ``var/store/`` at start-up when it is
missing or older than its package. Host, port and paths come from the options below,
or from the environment: API_HOST, API_PORT, API_DATA_ROOT, API_STORE_DIR.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m api", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=env.get("API_HOST", DEFAULT_HOST),
                        help=f"interface to listen on (env API_HOST, default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=int(env.get("API_PORT", DEFAULT_PORT)),
                        help=f"port to listen on (env API_PORT, default {DEFAULT_PORT})")
    parser.add_argument("--data-root", type=Path, default=Path(env.get("API_DATA_ROOT", ROOT)),
                        help="directory holding datapackage.json and releases/ (env API_DATA_ROOT, default: the "
                        "repository)")
    parser.add_argument("--store-dir", type=Path, default=None,
                        help="where the SQLite stores are kept (env API_STORE_DIR, default <data-root>/var/store)")
    parser.add_argument("--log-level", default=env.get("API_LOG_LEVEL", "info"),
                        choices=["debug", "info", "warning", "error"], help="log level (env API_LOG_LEVEL)")
    args = parser.parse_args(argv)
    if args.store_dir is None:
        args.store_dir = Path(env["API_STORE_DIR"]) if env.get("API_STORE_DIR") else args.data_root / "var" / "store"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    import uvicorn

    from api.app import create_app
    from api.lenient_http import accept_utf8_query_strings
    from api.package import PackageError
    from api.store import Store
    from api.store_builder import BuildError

    try:
        store = Store.open(args.data_root, args.store_dir)
    except (PackageError, BuildError, OSError) as exc:
        print(f"error: cannot open the data package: {exc}", file=sys.stderr)
        return 1
    if not store.releases:
        print(f"error: no data package under {args.data_root} (no datapackage.json, no releases/X.Y.Z/)",
              file=sys.stderr)
        return 1
    logging.getLogger("api").info("serving %s on http://%s:%d (docs at /docs)", ", ".join(store.versions),
                                  args.host, args.port)
    app = create_app(store)
    accept_utf8_query_strings()
    # h11, whose parser accept_utf8_query_strings() relaxes (httptools would reject raw UTF-8 queries).
    uvicorn.run(app, host=args.host, port=args.port, http="h11", access_log=False, log_level=args.log_level,
                log_config=None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
