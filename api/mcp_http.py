"""The MCP server over Streamable HTTP, mounted at ``/mcp`` of the API (``./run serve --mcp``).

The SDK gives the transport as an ASGI application with its own lifespan (the session
manager); Litestar mounts the application and runs that lifespan with its own. Sessions are
stateless and answers plain JSON, so any replica can answer any request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from litestar import Litestar, asgi
from litestar.handlers.asgi_handlers import ASGIRouteHandler
from litestar.types import Receive, Scope, Send

from api.mcp_server import build_server
from api.store import Store

MCP_PATH = "/mcp"


Lifespan = Callable[[Litestar], AbstractAsyncContextManager[Any]]


def mcp_mount(store: Store, base_url: str) -> tuple[ASGIRouteHandler, Lifespan]:
    """The route handler mounting the MCP transport at :data:`MCP_PATH`, and the lifespan it needs."""
    transport = build_server(store, base_url).streamable_http_app(
        streamable_http_path="/", stateless_http=True, json_response=True
    )

    @asgi(MCP_PATH, is_mount=True, copy_scope=True)
    async def mcp_transport(scope: Scope, receive: Receive, send: Send) -> None:
        await transport(scope, receive, send)  # type: ignore[arg-type]

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        async with transport.router.lifespan_context(transport):
            yield

    return mcp_transport, lifespan
