"""Paths of the explorer's pages."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def pinned(path: str, release: str | None) -> str:
    """``path`` with ``?release=`` when a release is given."""
    return f"{path}?{urlencode({'release': release})}" if release else path


def clause_path(clause_id: str) -> str:
    return "/clause/" + quote(clause_id, safe="")


def document_path(document_id: str) -> str:
    return "/document/" + quote(document_id, safe="")


def search_path(release: str | None, **filters: str) -> str:
    """The search page filtered to one value of each of ``filters``."""
    pairs = [*filters.items(), *([("release", release)] if release else [])]
    return "/?" + urlencode(pairs) if pairs else "/"
