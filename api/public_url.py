"""The public base URL of the service, used wherever a response cites an absolute URL (citations).

A deployment sets it with ``--public-url`` or the ``API_PUBLIC_URL`` environment variable
(e.g. ``https://fintech-policy.example.org``), so that a forged ``Host`` header can never put
another origin into a citation a user copies. Only when it is unset is the request's own origin
used (convenient on a laptop); then the ETag and the response cache vary on ``Host`` as well.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request

ENV = "API_PUBLIC_URL"


def normalize(url: str) -> str:
    """``url`` as a base URL without a trailing slash; ValueError unless it is an absolute http(s) URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{url!r} is not a public base URL: write it as https://host[:port][/path]")
    return url.strip().rstrip("/")


def public_base(request: Request[Any, Any, Any]) -> str:
    """The configured public base URL, or the request's own origin when none is configured."""
    configured = getattr(request.app.state, "public_url", None)
    return configured or str(request.base_url).rstrip("/")
