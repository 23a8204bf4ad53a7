"""Security headers of every response, and CORS for the JSON API only.

* ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy`` on every response.
* On HTML pages a ``Content-Security-Policy`` allowing only the app's own scripts, styles and images,
  and forbidding framing (``frame-ancestors 'none'``, and ``X-Frame-Options`` for older browsers).
  The explorer has no inline script or style; the interactive API docs (``/docs``, Swagger UI, served
  from this app too) start with an inline script, so their policy also allows inline code, still from
  this origin only.
* ``Access-Control-Allow-Origin: *`` (added by the CORS configuration) is kept on the JSON API and
  file downloads and removed from HTML pages: the explorer is not meant to be read by other origins' scripts.
* ``Vary: Accept-Encoding`` on every response that may be compressed, so a shared cache never serves
  gzip to a client that did not ask for it.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
DOCS_PREFIXES = ("/docs", "/schema")
ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}
#: Media types the compression may apply to (Parquet files are compressed already).
COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/problem+json",
    "application/vnd.oai.openapi",
    "application/javascript",
    "application/x-yaml",
    "image/svg+xml",
)


def add_headers(headers: MutableScopeHeaders, path: str) -> None:
    """Add the security headers to the headers of one response of ``path``."""
    for name, value in ALWAYS.items():
        headers[name] = value
    media_type = headers.get("content-type", "")
    if media_type.startswith("text/html"):
        headers["Content-Security-Policy"] = DOCS_POLICY if path.startswith(DOCS_PREFIXES) else PAGE_POLICY
        headers["X-Frame-Options"] = "DENY"
        for name in [k for k in headers if k.lower().startswith("access-control-")]:
            del headers[name]
    if media_type.startswith(COMPRESSIBLE):
        vary = [v.strip() for value in headers.getall("vary", []) for v in value.split(",") if v.strip()]
        if "accept-encoding" not in {v.lower() for v in vary}:
            headers["Vary"] = ", ".join([*vary, "Accept-Encoding"])


class SecurityHeadersMiddleware:
    """Adds :func:`add_headers` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_headers(MutableScopeHeaders(message), path)
            await send(message)

        await self.app(scope, receive, send_with_headers)
