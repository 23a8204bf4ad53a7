"""What every query string must be, checked before any endpoint runs (the ``before_request`` hook).

* Only the parameters the endpoint declares (unknown names are a 400 listing the valid ones).
* A parameter that takes one value is given once: ``limit=1&limit=2`` is a 400, not "the last wins";
  list parameters (``city``, ``topic``, …) may repeat.
* Values are UTF-8 after percent-decoding (``%ff%fe`` is "not valid UTF-8", not replacement characters)
  and hold no control characters (``%00`` is "control characters are not allowed").

The raw ``query_string`` of the ASGI scope is read, so the checks do not depend on how the HTTP server
parses (or relaxes) the request line.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import unquote_to_bytes

from litestar import Request

from api.problems import bad_request, invalid

__all__ = ["check_query"]

#: Handler parameters that are not query parameters.
NOT_QUERY_PARAMETERS = {"self", "store", "request", "state", "scope", "headers", "cookies"}
#: C0 and C1 control characters and DEL (a tab or newline in a search term is no use either).
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _pairs(query: bytes) -> list[tuple[str, bytes]]:
    """(name, percent-decoded value bytes) of each ``name=value`` pair."""
    out: list[tuple[str, bytes]] = []
    for part in query.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        out.append(
            (
                unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace"),
                unquote_to_bytes(value.replace(b"+", b" ")),
            )
        )
    return out


def _declared(request: Request[Any, Any, Any]) -> tuple[frozenset[str], frozenset[str]]:
    """The declared query parameters of the endpoint, and those of them that take a list."""
    return _declared_by(request.route_handler, tuple(request.path_params))


@cache  # an endpoint's declared parameters never change: worked out on its first request
def _declared_by(handler: Any, path_params: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    params = dict(handler.parsed_fn_signature.parameters)
    for name, provider in handler.resolve_dependencies().items():  # such as the shared clause filters
        if name in params:
            del params[name]
            params.update(provider.parsed_fn_signature.parameters)
    # A parameter declared under another name in the query string (``from_`` read as ``from``).
    params = {getattr(f.kwarg_definition, "name", None) or n: f for n, f in params.items()}
    names = set(params) - NOT_QUERY_PARAMETERS - set(path_params)
    return frozenset(names), frozenset(n for n in names if params[n].is_non_string_sequence)


async def check_query(request: Request[Any, Any, Any]) -> None:
    """``before_request`` hook of endpoints with ``opt={"strict_query": True}``: raise a 400 on a bad query."""
    if not request.route_handler.opt.get("strict_query"):
        return
    declared, lists = _declared(request)
    pairs = _pairs(request.scope.get("query_string", b""))
    problems = []
    seen: set[str] = set()
    for name, raw in pairs:
        if name not in declared:
            if name not in seen:
                problems.append(invalid(name, f"unknown parameter {name!r} for {request.url.path}", sorted(declared)))
        elif name in seen and name not in lists:
            problems.append(invalid(name, f"{name} is given more than once; it takes one value: send it once"))
        elif (reason := _value_problem(raw)) is not None:
            problems.append(invalid(name, reason))
        seen.add(name)
    if problems:
        raise bad_request(*_unique(problems))


def _value_problem(raw: bytes) -> str | None:
    try:
        value = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start} of the decoded value): "
            "percent-encode the UTF-8 bytes of the text, e.g. %E9%87%91 for 金"
        )
    if (m := CONTROL_RE.search(value)) is not None:
        return f"control characters are not allowed (U+{ord(m.group()):04X} at character {m.start() + 1})"
    return None


def _unique(problems: list[Any]) -> list[Any]:
    """One problem per (name, reason): a parameter repeated ten times is reported once."""
    return list({(p.name, p.reason): p for p in problems}.values())
