"""The MCP server over Streamable HTTP, mounted at ``/mcp`` of the API (``./run serve --mcp``).

The SDK gives the transport as an ASGI application with its own lifespan (the session
manager); Litestar mounts the application and runs that lifespan with its own. Sessions are
stateless and answers plain JSON, so any replica can answer any request.

The SDK's protection against DNS rebinding stays on: a request is answered only when its ``Host``
(and ``Origin``, when sent) is this machine's loopback name or the host of the public base URL
(``--public-url``), so a deployment behind a public name serves ``/mcp`` there and nowhere else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

from litestar import Litestar, asgi
from litestar.handlers.asgi_handlers import ASGIRouteHandler
from litestar.types import Receive, Scope, Send
from mcp.server.transport_security import TransportSecuritySettings

from api.mcp_server import build_server
from api.store import Store

MCP_PATH = "/mcp"


Lifespan = Callable[[Litestar], AbstractAsyncContextManager[Any]]


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def transport_security(base_url: str) -> TransportSecuritySettings:
    """DNS-rebinding protection admitting the loopback names and the host of ``base_url``."""
    parts = urlsplit(base_url)
    hosts = [f"{h}:*" for h in LOOPBACK_HOSTS] + [h for h in LOOPBACK_HOSTS]
    origins = [f"http://{h}:*" for h in LOOPBACK_HOSTS] + [f"http://{h}" for h in LOOPBACK_HOSTS]
    if parts.netloc and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        hosts.append(parts.netloc)
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins)


def mcp_mount(store: Store, base_url: str) -> tuple[ASGIRouteHandler, Lifespan]:
    """The route handler mounting the MCP transport at :data:`MCP_PATH`, and the lifespan it needs."""
    transport = build_server(store, base_url).streamable_http_app(
        streamable_http_path="/",
        stateless_http=True,
        json_response=True,
        transport_security=transport_security(base_url),
    )

    @asgi(MCP_PATH, is_mount=True, copy_scope=True)
    async def mcp_transport(scope: Scope, receive: Receive, send: Send) -> None:
        await transport(scope, receive, send)  # type: ignore[arg-type]

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        async with transport.router.lifespan_context(transport):
            yield

    return mcp_transport, lifespan
