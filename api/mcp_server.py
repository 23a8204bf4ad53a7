"""An MCP server over the data, for AI assistants: ``./run mcp`` (stdio), or ``/mcp`` under ``./run serve --mcp``.

Built on the official Python SDK (``mcp``). The tools answer from the same store and the same
functions as the HTTP API (one definition of each filter and check), and return its JSON:

* ``search_clauses``: filters and full text (the search syntax of ``q``), one page at a time;
* ``get_clause``: a clause with its place in the document, its neighbours and a GB/T 7714 citation;
* ``get_document_outline``: a document's metadata and outline;
* ``list_topics`` and ``list_documents``.

``search_clauses`` takes ``as_of`` (a date) like ``GET /clauses``: for each law with versions, only
the version in force on that day.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import msgspec
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from api import vocab
from api.cite_formats import to_gbt7714
from api.citing import clause_work
from api.clause_listing import ListRequest, list_clauses
from api.lookups import clause_or_404, document_or_404
from api.params import MAX_LIMIT, resolve_release
from api.problems import ApiProblem
from api.records import documents, topics
from api.store import Release, Store

INSTRUCTIONS = """\
Chinese fintech policy and law, clause by clause: national laws, regulations and local policies split
into articles, paragraphs and items, each with a stable ID, topics and its document's metadata.
Search with search_clauses (q takes Chinese words of any length, "exact phrases", OR, -exclusions and
parentheses; traditional characters are searched in both forms), then read a clause with get_clause
(it returns a citation to quote) or a whole document's structure with get_document_outline.
Every answer names the release it was read from; pass release to pin one."""
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class ToolProblem(ToolError):
    """An error the assistant can act on: what was wrong with the arguments and the valid values."""


def _plain(value: Any) -> Any:
    return msgspec.to_builtins(value)


def _problem(exc: ApiProblem) -> ToolProblem:
    details = [exc.detail] if hasattr(exc, "detail") else [str(exc)]
    for p in getattr(exc, "invalid_params", None) or []:
        valid = f" (valid: {', '.join(p.valid_values)})" if getattr(p, "valid_values", None) else ""
        details.append(f"{p.name}: {p.reason}{valid}")
    return ToolProblem("; ".join(details))


class Tools:
    """The tools, answering from one store; citations point to ``base_url`` (the HTTP API)."""

    def __init__(self, store: Store, base_url: str) -> None:
        self.store = store
        self.base_url = base_url

    def _release(self, release: str | None) -> Release:
        try:
            return resolve_release(self.store, release)
        except ApiProblem as exc:
            raise _problem(exc) from None

    def search_clauses(
        self,
        q: str | None = None,
        city: list[str] | None = None,
        level: list[str] | None = None,
        document: list[str] | None = None,
        topic: list[str] | None = None,
        kind: list[str] | None = None,
        as_of: str | None = None,
        release: str | None = None,
        limit: int = 20,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """Search clauses by full text (q) and filters; returns matching clauses, the total and facet counts.

        q: Chinese words of any length, "exact phrases", OR, -exclusions, parentheses; city: jurisdiction slugs
        (national, shanghai, qingdao…); level: national, provincial, municipal…; topic: slugs from list_topics;
        document: IDs from list_documents; kind: article, paragraph, item…; as_of: YYYY-MM-DD (for each law
        with versions, the version in force that day); limit: 1-100; cursor: meta.next_cursor of the previous answer.
        """
        rel = self._release(release)
        req = ListRequest(
            city=city,
            level=level,
            document=document,
            topic=topic,
            kind=kind,
            q=q,
            as_of=as_of,
            limit=max(1, min(limit, 100, MAX_LIMIT)),
            cursor=cursor,
        )
        try:
            return _plain(list_clauses(rel, req))
        except ApiProblem as exc:
            raise _problem(exc) from None

    def get_clause(self, clause_id: str, release: str | None = None) -> dict[str, Any]:
        """A clause by ID: its text, numbering, topics, parent and ancestors (context), children, document
        metadata, and `citation`: a GB/T 7714-2015 reference pinned to the release."""
        rel = self._release(release)
        try:
            clause = clause_or_404(rel, clause_id)
        except ApiProblem as exc:
            raise _problem(exc) from None
        return {
            "data": _plain(clause),
            "citation": to_gbt7714(clause_work(rel, clause, self.base_url)),
            "release": rel.version,
        }

    def get_document_outline(self, document_id: str, release: str | None = None) -> dict[str, Any]:
        """A document's metadata (title, issuers, 文号, dates, source) and its outline: every clause ID with its
        kind, numbering and heading, nested as in the document."""
        rel = self._release(release)
        try:
            return {"data": _plain(document_or_404(rel, document_id)), "release": rel.version}
        except ApiProblem as exc:
            raise _problem(exc) from None

    def list_topics(self, release: str | None = None) -> dict[str, Any]:
        """The topic vocabulary: slug, Chinese and English labels, scope note and clause counts."""
        rel = self._release(release)
        return {"data": _plain(topics(rel)), "release": rel.version}

    def list_documents(self, city: list[str] | None = None, release: str | None = None) -> dict[str, Any]:
        """Every document of the release (ID, title, issuers, 文号, dates, jurisdiction), optionally of some cities."""
        rel = self._release(release)
        unknown = [c for c in city or [] if c not in vocab.CITIES]
        if unknown:
            raise ToolProblem(f"unknown city {unknown[0]!r}; valid: {', '.join(vocab.CITIES)}")
        total, data = documents(rel, tuple(city or ()), (), (), 10_000, 0)
        return {"data": _plain(data), "total": total, "release": rel.version}


TOOL_NAMES = ("search_clauses", "get_clause", "get_document_outline", "list_topics", "list_documents")


def build_server(store: Store, base_url: str = DEFAULT_BASE_URL) -> MCPServer:
    """The MCP server answering from ``store``; ``base_url`` is where citations point (the HTTP API)."""
    server = MCPServer(name="china-fintech-policy", instructions=INSTRUCTIONS)
    tools = Tools(store, base_url)
    for name in TOOL_NAMES:
        server.tool(name=name)(getattr(tools, name))
    return server


def main(argv: list[str] | None = None) -> int:
    from api.options import ROOT

    parser = argparse.ArgumentParser(prog="python -m api.mcp_server", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-root", type=Path, default=ROOT, help="directory holding datapackage.json and releases/")
    parser.add_argument(
        "--store-dir", type=Path, default=None, help="where the SQLite stores are (default <data-root>/var/store)"
    )
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="where citations point (the HTTP API)")
    args = parser.parse_args(argv)
    try:
        store = Store.open(args.data_root, args.store_dir or args.data_root / "var" / "store")
    except Exception as exc:  # a broken package: say so on stderr (stdout is the protocol)
        print(f"error: cannot open the data package: {exc}", file=sys.stderr)
        return 1
    build_server(store, args.base_url).run("stdio")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
