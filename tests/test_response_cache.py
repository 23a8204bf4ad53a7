"""The cache of whole responses for immutable releases: the same bytes and headers as the uncached path."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.response_cache import ResponseCache, ResponseCacheMiddleware
from api.store import Store
from tests.helpers import API_FIXTURE, API_STORE_DIR

PINNED = "/clauses?release=0.1.0&city=qingdao&topic=talent"


def _cache_of(client: TestClient) -> ResponseCacheMiddleware:
    handler = client.app.asgi_handler
    while not isinstance(handler, ResponseCacheMiddleware):
        handler = handler.app
    return handler


@pytest.fixture(scope="module")
def store() -> Store:
    return Store.open(API_FIXTURE, API_STORE_DIR)


@pytest.fixture()
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def uncached(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store, response_cache_bytes=0)) as test_client:
        yield test_client


def _same(a, b) -> None:
    assert a.status_code == b.status_code
    assert a.content == b.content
    skip = {"date"}
    assert [(k, v) for k, v in a.headers.multi_items() if k not in skip] == [
        (k, v) for k, v in b.headers.multi_items() if k not in skip
    ]


@pytest.mark.parametrize(
    "url",
    [
        PINNED,
        "/clauses?release=0.1.0&q=人才&order=relevance",
        "/clauses/pboc-2019.2.1.1?release=0.1.0",
        "/documents?release=0.1.0",
        "/releases/0.1.0",
    ],
)
@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_a_pinned_response_is_replayed_as_the_application_sent_it(
    client: TestClient,
    uncached: TestClient,
    url: str,
    encoding: str,
) -> None:
    headers = {"Accept-Encoding": encoding}
    cache = _cache_of(client).cache
    assert cache is not None
    first = client.get(url, headers=headers)
    assert first.status_code == 200
    hits = cache.hits
    second = client.get(url, headers=headers)
    assert cache.hits == hits + 1
    _same(first, second)
    _same(second, uncached.get(url, headers=headers))


def test_encodings_and_origins_are_cached_apart(client: TestClient) -> None:
    url = "/clauses?release=0.1.0&limit=500"
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert client.get(url, headers={"Accept-Encoding": "identity"}).content == plain.content
    again = client.get(url, headers={"Accept-Encoding": "gzip"})  # httpx decodes the body
    assert again.headers["content-encoding"] == "gzip"
    assert again.content == zipped.content == plain.content
    cors = client.get(PINNED, headers={"Origin": "https://example.org"})
    assert cors.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-origin" not in client.get(PINNED).headers


def test_if_none_match_still_gets_304_after_caching(client: TestClient) -> None:
    etag = client.get(PINNED).headers["etag"]
    client.get(PINNED)
    again = client.get(PINNED, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == "public, max-age=604800"


def test_only_immutable_successful_responses_are_kept(client: TestClient) -> None:
    middleware = _cache_of(client)
    cache = middleware.cache
    assert cache is not None
    assert not middleware.all_immutable  # the fixture also serves a working package (0.2.0)
    for url in (
        "/clauses?city=qingdao",
        "/clauses?release=0.2.0",
        "/clauses/nowhere-2020.1?release=0.1.0",
        "/clauses?release=0.1.0&city=atlantis",
        "/health",
        "/releases/0.1.0/changes/0.2.0",
    ):
        before = len(cache)
        client.get(url)
        client.get(url)
        assert len(cache) == before, url
    assert cache.hits == 0


def test_a_store_of_cut_releases_only_is_cached_without_pinning(store: Store) -> None:
    releases_only = Store([r for r in store.releases if r.immutable])
    with TestClient(create_app(releases_only)) as client:
        cache = _cache_of(client).cache
        assert cache is not None
        first = client.get("/clauses?city=qingdao")
        assert client.get("/clauses?city=qingdao").content == first.content
        assert cache.hits == 1


def test_the_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    cache = ResponseCache(max_bytes=100, max_entry_bytes=60)
    body = [{"type": "http.response.body", "body": b"x" * 40}]
    cache.put(("/a", b"", ()), body, 40)
    cache.put(("/b", b"", ()), body, 40)
    assert cache.get(("/a", b"", ())) is not None  # /a is now the most recently used
    cache.put(("/c", b"", ()), body, 40)
    assert cache.get(("/b", b"", ())) is None
    assert cache.get(("/a", b"", ())) is not None and cache.get(("/c", b"", ())) is not None
    assert cache.bytes == 80
    cache.put(("/big", b"", ()), body, 61)
    assert cache.get(("/big", b"", ())) is None


def test_head_is_answered_from_the_get_entry_and_never_recorded(client: TestClient, uncached: TestClient) -> None:
    cache = _cache_of(client).cache
    assert cache is not None
    miss = client.head(PINNED)  # not cached yet: answered by the application, and not kept
    assert (miss.status_code, miss.content, len(cache)) == (200, b"", 0)
    client.get(PINNED)
    hits = cache.hits
    replayed = client.head(PINNED)
    assert cache.hits == hits + 1
    assert replayed.content == b""
    _same(replayed, uncached.head(PINNED))
    assert replayed.headers["content-length"] == str(len(uncached.get(PINNED).content))


def test_a_replayed_response_writes_its_access_line(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="api.access"):
        first = client.get(PINNED)
        client.get(PINNED)
        client.head(PINNED)
    cache = _cache_of(client).cache
    assert cache is not None and cache.hits == 2
    lines = [r.getMessage() for r in caplog.records if r.name == "api.access"]
    query = PINNED.split("?")[1]
    assert [line.split("ms")[0].rsplit(" ", 1)[0] for line in lines] == [
        f'testclient "GET /clauses?{query}" 200 {len(first.content)}',
        f'testclient "GET /clauses?{query}" 200 {len(first.content)}',
        f'testclient "HEAD /clauses?{query}" 200 0',
    ]
