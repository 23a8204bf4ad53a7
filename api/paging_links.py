"""The next page of every list response, as ``meta.next`` and as an RFC 8288 ``Link: <…>; rel="next"`` header.

The URL is the request's own path and parameters, with ``cursor`` (when the list gives a
``meta.next_cursor``) or ``offset`` moved on by one page; it is relative to the request's
URL (RFC 8288 allows a URI reference), so it holds behind any proxy or public host.

:class:`RequestScopeMiddleware` remembers the request being answered and
:func:`add_next_link`, an ``after_request`` hook, completes the list it returns.
"""

from __future__ import annotations

from contextvars import ContextVar
from urllib.parse import parse_qsl, urlencode

from litestar import Response
from litestar.types import ASGIApp, Receive, Scope, Send

from api.models import ListMeta

_scope: ContextVar[Scope | None] = ContextVar("request_scope", default=None)
PAGING_PARAMETERS = ("offset", "cursor")


class RequestScopeMiddleware:
    """Makes the scope of the request being answered available to :func:`add_next_link`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _scope.set(scope)
        try:
            await self.app(scope, receive, send)
        finally:
            _scope.reset(token)


def next_url(path: str, query_string: bytes, meta: ListMeta) -> str | None:
    """The URL of the page after the one ``meta`` describes, or None on the last page."""
    params = [
        (k, v)
        for k, v in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
        if k not in PAGING_PARAMETERS
    ]
    if meta.next_cursor:
        params.append(("cursor", meta.next_cursor))
    elif meta.offset is not None and meta.offset + meta.limit < meta.total:
        params.append(("offset", str(meta.offset + meta.limit)))
    else:
        return None
    return f"{path}?{urlencode(params)}"


async def add_next_link(response: Response) -> Response:
    """``after_request`` hook: set ``meta.next`` and the ``Link`` header of a list response with more pages."""
    meta = getattr(getattr(response, "content", None), "meta", None)
    scope = _scope.get()
    if not isinstance(meta, ListMeta) or scope is None or response.status_code != 200:
        return response
    url = next_url(scope.get("root_path", "") + scope["path"], scope.get("query_string", b""), meta)
    if url is not None:
        meta.next = url
        response.headers["Link"] = f'<{url}>; rel="next"'
    return response
