"""Opaque page cursors, bound to the release and query they were made for."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Literal

import msgspec

MAX_VALUE = 1 << 40


class CursorError(ValueError):
    """A cursor that is malformed or belongs to another query."""


class _Payload(msgspec.Struct, frozen=True):
    k: Literal["after", "offset"]
    v: int
    h: str


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after clause number ``value``, or at position ``value`` (relevance order)."""

    kind: Literal["after", "offset"]
    value: int


def query_hash(*parts: object) -> str:
    """A short hash of everything that defines a list but its paging."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:12]


def encode(cursor: Cursor, qhash: str) -> str:
    raw = msgspec.json.encode(_Payload(cursor.kind, cursor.value, qhash))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str, qhash: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = msgspec.json.decode(raw, type=_Payload)
    except (ValueError, msgspec.DecodeError, msgspec.ValidationError):
        raise CursorError("not a cursor given by this API; pass meta.next_cursor unchanged") from None
    if payload.h != qhash:
        raise CursorError("this cursor belongs to another query or release; repeat the same filters and release")
    if not 0 <= payload.v < MAX_VALUE:
        raise CursorError("cursor position out of range")
    return Cursor(payload.k, payload.v)
