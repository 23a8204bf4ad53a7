"""The MCP server, through the SDK's own client: tools listed, a search, a clause lookup, errors."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from mcp import Client, StdioServerParameters

from api.mcp_server import build_server
from api.store import Store
from tests.helpers import API_FIXTURE, API_STORE_DIR, serving


def call(server: Any, tool: str, arguments: dict[str, Any]) -> tuple[bool, Any]:
    async def run() -> tuple[bool, Any]:
        async with Client(server) as client:
            result = await client.call_tool(tool, arguments)
            text = result.content[0].text  # type: ignore[union-attr]
            return bool(result.is_error), (text if result.is_error else json.loads(text))

    return asyncio.run(run())


def server() -> Any:
    return build_server(Store.open(API_FIXTURE, API_STORE_DIR), "https://example.org")


def test_tools_are_listed() -> None:
    async def run() -> list[str]:
        async with Client(server()) as client:
            return sorted(t.name for t in (await client.list_tools()).tools)

    assert asyncio.run(run()) == [
        "get_clause",
        "get_document_outline",
        "list_documents",
        "list_topics",
        "search_clauses",
    ]


def test_search_and_clause_lookup() -> None:
    mcp = server()
    error, found = call(mcp, "search_clauses", {"q": "人才 -高校", "city": ["shenzhen"], "limit": 5})
    assert not error
    assert [c["id"] for c in found["data"]] == ["shenzhen-2023.1.3", "shenzhen-2023.1.3.p1"]
    assert found["meta"]["release"] == "0.2.0"
    error, clause = call(mcp, "get_clause", {"clause_id": "shenzhen-2023.1.3"})
    assert not error
    assert clause["data"]["id"] == "shenzhen-2023.1.3" and clause["data"]["ancestors"]
    assert clause["citation"].startswith("深圳市地方金融监督管理局. ")
    assert clause["citation"].endswith("https://example.org/clause/shenzhen-2023.1.3?release=0.2.0.")
    error, outline = call(mcp, "get_document_outline", {"document_id": "pboc-2019", "release": "0.1.0"})
    assert not error and outline["data"]["outline"][0]["id"].startswith("pboc-2019.")
    error, topics = call(mcp, "list_topics", {})
    assert not error and "talent" in {t["slug"] for t in topics["data"]}
    error, docs = call(mcp, "list_documents", {"city": ["qingdao"]})
    assert not error and [d["id"] for d in docs["data"]] == ["qingdao-2021"]


def test_errors_say_what_to_fix() -> None:
    mcp = server()
    error, message = call(mcp, "search_clauses", {"city": ["atlantis"]})
    assert error and "unknown city: 'atlantis'" in message and "qingdao" in message
    error, message = call(mcp, "get_clause", {"clause_id": "nope-2020.1"})
    assert error and "No clause 'nope-2020.1'" in message
    error, message = call(mcp, "search_clauses", {"as_of": "2020-13-01"})
    assert error and "'2020-13-01' is not a calendar day" in message


def test_search_as_of_keeps_the_version_in_force() -> None:
    mcp = server()
    docs = ["demo-law-2019", "demo-law-2023"]
    for day, expected in (("2020-01-01", "demo-law-2019"), ("2025-06-01", "demo-law-2023")):
        error, found = call(mcp, "search_clauses", {"document": docs, "as_of": day, "limit": 100})
        assert not error and {c["document_id"] for c in found["data"]} == {expected}


def test_stdio_transport() -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "api.mcp_server", "--data-root", str(API_FIXTURE), "--store-dir", str(API_STORE_DIR)],
    )

    async def run() -> Any:
        async with Client(params) as client:
            result = await client.call_tool("search_clauses", {"q": "沙盒"})
            return json.loads(result.content[0].text)  # type: ignore[union-attr]

    assert "shenzhen-2023.1.2" in {c["id"] for c in asyncio.run(run())["data"]}


def test_streamable_http_transport_under_the_api() -> None:
    from api.app import create_app

    store = Store.open(API_FIXTURE, API_STORE_DIR)
    with serving(lambda port: create_app(store, mcp_base_url=f"http://127.0.0.1:{port}"), lifespan="on") as port:

        async def run() -> tuple[Any, Any]:
            async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                found = await client.call_tool("search_clauses", {"q": "區塊鏈", "limit": 3})
                clause = await client.call_tool("get_clause", {"clause_id": "qingdao-2021.3.1"})
                return json.loads(found.content[0].text), json.loads(clause.content[0].text)  # type: ignore[union-attr]

        found, clause = asyncio.run(run())
    assert found["meta"]["query_converted"] == "区块链" and found["data"]
    assert clause["citation"].endswith(f"http://127.0.0.1:{port}/clause/qingdao-2021.3.1?release=0.2.0.")


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}


def test_http_transport_answers_on_the_public_host_and_refuses_others() -> None:
    from litestar.testing import TestClient

    from api.app import create_app

    base = "https://policy.example.org"
    app = create_app(Store.open(API_FIXTURE, API_STORE_DIR), public_url=base, mcp_base_url=base)
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    with TestClient(app, base_url="http://policy.example.org") as client:
        public = client.post("/mcp/", json=INITIALIZE, headers={**headers, "Host": "policy.example.org"})
        local = client.post("/mcp/", json=INITIALIZE, headers={**headers, "Host": "127.0.0.1:8000"})
        other = client.post("/mcp/", json=INITIALIZE, headers={**headers, "Host": "attacker.example"})
        bad_origin = client.post(
            "/mcp/",
            json=INITIALIZE,
            headers={**headers, "Host": "policy.example.org", "Origin": "https://evil.example"},
        )
    assert public.status_code == 200, public.text
    assert public.json()["result"]["serverInfo"]["name"] == "china-fintech-policy"
    assert local.status_code == 200
    assert (other.status_code, other.text) == (421, "Invalid Host header")
    assert (bad_origin.status_code, bad_origin.text) == (403, "Invalid Origin header")
