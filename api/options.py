"""The options of ``python -m api``, declared once: each has a flag, an environment variable, a type and a default.

:func:`parser` builds the command line from :data:`OPTIONS`; :func:`environment` gives the variables that
carry parsed options to worker processes (which read them back through the same parser).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


@dataclass(frozen=True)
class Option:
    """``--name`` on the command line, ``API_NAME`` in the environment (``-`` as ``_``)."""

    name: str
    help: str
    default: Any = None
    type: Callable[[str], Any] | None = str  # None: a switch (``--name``; ``API_NAME=1``)
    choices: tuple[str, ...] | None = None
    show_default: bool = True

    @property
    def env(self) -> str:
        return "API_" + self.name.upper().replace("-", "_")

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")

    def default_from(self, env: Mapping[str, str]) -> Any:
        raw = env.get(self.env)
        if self.type is None:
            return raw == "1" if raw is not None else bool(self.default)
        if raw is None or raw == "":
            return self.default
        return self.type(raw)

    def full_help(self) -> str:
        default = f", default {self.default}" if self.show_default and self.default is not None else ""
        return f"{self.help} (env {self.env}{default})"


OPTIONS: tuple[Option, ...] = (
    Option("host", "interface to listen on", DEFAULT_HOST),
    Option("port", "port to listen on", DEFAULT_PORT, int),
    Option(
        "data-root",
        "directory holding datapackage.json and releases/ (default: the repository)",
        ROOT,
        Path,
        None,
        False,
    ),
    Option("store-dir", "where the SQLite stores are kept (default <data-root>/var/store)", None, Path),
    Option("workers", "worker processes", 1, int),
    Option("response-cache-mb", "memory for whole responses of immutable releases, per worker; 0: off", 64.0, float),
    Option(
        "no-caches",
        "no response cache and no facet cache: every request is computed afresh (for measurements)",
        type=None,
    ),
    Option(
        "public-url",
        "public base URL of the service, e.g. https://policy.example.org: the origin of the URLs responses cite "
        "(default: each request's own origin, which a client can forge with the Host header; set it in every "
        "deployment)",
    ),
    Option("header-timeout", "seconds a client has to send a request's line and headers", 10.0, float),
    Option("keep-alive-timeout", "seconds an idle keep-alive connection is kept", 5, int),
    Option("max-header-bytes", "largest request line plus headers, in bytes", 16384, int),
    Option(
        "mcp",
        "also serve the MCP server for AI assistants at /mcp (needs the mcp extra: ./run serve --mcp installs it)",
        type=None,
    ),
    Option("log-level", "log level", "info", str, ("debug", "info", "warning", "error")),
)


def parser(description: str, env: Mapping[str, str] | None = None) -> argparse.ArgumentParser:
    """The command line of ``python -m api``, each default taken from ``env`` (the process's environment)."""
    env = os.environ if env is None else env
    out = argparse.ArgumentParser(prog="python -m api", description=description)
    for o in OPTIONS:
        if o.type is None:
            out.add_argument(f"--{o.name}", action="store_true", default=o.default_from(env), help=o.full_help())
        else:
            out.add_argument(
                f"--{o.name}", type=o.type, default=o.default_from(env), choices=o.choices, help=o.full_help()
            )
    return out


def environment(args: argparse.Namespace) -> dict[str, str]:
    """The environment variables that give a worker process the options in ``args``."""
    out = {}
    for o in OPTIONS:
        value = getattr(args, o.dest)
        if o.type is None:
            out[o.env] = "1" if value else "0"
        elif isinstance(value, Path):
            out[o.env] = str(value.resolve())
        else:
            out[o.env] = "" if value is None else str(value)
    return out
