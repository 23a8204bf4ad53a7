"""The HTTP service as a careless client or an attacker sees it: HEAD, bounded errors, security headers,
a forged Host, repeated and malformed parameters, conditional requests."""

from __future__ import annotations

import json

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.problems import MAX_ECHO_CHARS, MAX_INVALID_PARAMS
from api.store import Store
from tests.helpers import API_FIXTURE, API_STORE_DIR


@pytest.mark.parametrize(
    "url",
    [
        "/clauses?limit=2",
        "/documents",
        "/health",
        "/",
        "/releases/0.1.0",
        "/clauses/qingdao-2021.2.2/csv",
        "/docs",
        "/schema/openapi.json",
    ],
)
def test_head_answers_like_get_without_a_body(client: TestClient, url: str) -> None:
    get = client.get(url)
    head = client.head(url)
    assert (head.status_code, head.content) == (get.status_code, b"")
    for name in ("content-type", "content-length", "etag", "cache-control"):
        assert head.headers.get(name) == get.headers.get(name), name


def test_head_of_a_missing_resource_is_a_404_without_body(client: TestClient) -> None:
    response = client.head("/clauses/nope.1")
    assert (response.status_code, response.content) == (404, b"")


def test_an_error_never_echoes_much_more_than_it_is_asked(client: TestClient) -> None:
    unknown = "&".join(f"p{i:04d}={'x' * 8}" for i in range(4000))  # ~60 kB of unknown parameters
    response = client.get(f"/clauses?{unknown}")
    assert response.status_code == 400
    body = response.json()
    assert len(body["invalid_params"]) == MAX_INVALID_PARAMS + 1
    assert body["invalid_params"][-1] == {
        "name": "…",
        "reason": f"{4000 - MAX_INVALID_PARAMS} more invalid parameters not listed",
    }
    assert len(response.content) < 20_000
    long_value = client.get("/clauses", params={"city": "x" * 60_000})
    reason = long_value.json()["invalid_params"][0]["reason"]
    assert len(reason) < MAX_ECHO_CHARS + 60 and "more characters)" in reason
    long_path = client.get("/clauses/" + "a" * 60_000)
    assert long_path.status_code in (400, 404) and len(long_path.content) < 2_000


def test_explorer_pages_have_security_headers_and_no_cors(client: TestClient) -> None:
    page = client.get("/", headers={"Origin": "https://elsewhere.example"})
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert page.headers["x-frame-options"] == "DENY"
    assert "access-control-allow-origin" not in page.headers
    assert "<script>" not in page.text and " style=" not in page.text  # nothing inline for the CSP to block


def test_json_api_keeps_cors_for_every_origin(client: TestClient) -> None:
    response = client.get("/clauses?limit=1", headers={"Origin": "https://elsewhere.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in response.headers


def citation_url(text: str) -> str:
    start = text.index("/clause/qingdao-2021.2.2")
    return text[text.rindex("http", 0, start) : start]


def test_a_forged_host_never_reaches_a_citation_when_the_public_url_is_set() -> None:
    app = create_app(Store.open(API_FIXTURE, API_STORE_DIR), public_url="https://policy.example.org/")
    with TestClient(app) as client:
        page = client.get("/clause/qingdao-2021.2.2?release=0.1.0", headers={"Host": "evil.example"})
        assert "evil.example" not in page.text
        assert citation_url(page.text) == "https://policy.example.org"
        other = client.get("/clause/qingdao-2021.2.2?release=0.1.0", headers={"Host": "other.example"})
        assert other.headers["etag"] == page.headers["etag"]


def test_without_a_public_url_the_etag_and_cache_vary_on_host(client: TestClient) -> None:
    url = "/clause/qingdao-2021.2.2?release=0.1.0"
    a = client.get(url, headers={"Host": "a.example"})
    b = client.get(url, headers={"Host": "b.example"})
    assert citation_url(a.text) == "http://a.example" and citation_url(b.text) == "http://b.example"
    assert a.headers["etag"] != b.headers["etag"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("limit=1&limit=2", "limit"),
        ("q=金融&q=科技", "q"),
        ("release=0.1.0&release=0.2.0", "release"),
        ("order=id&order=id", "order"),
    ],
)
def test_a_repeated_single_value_parameter_is_rejected(client: TestClient, query: str, name: str) -> None:
    response = client.get(f"/clauses?{query}")
    assert response.status_code == 400
    assert response.json()["invalid_params"] == [
        {"name": name, "reason": f"{name} is given more than once; it takes one value: send it once"}
    ]


def test_list_parameters_may_repeat(client: TestClient) -> None:
    assert client.get("/clauses?city=qingdao&city=shanghai").status_code == 200


def test_invalid_utf8_and_control_characters_are_named(client: TestClient) -> None:
    bad = client.get("/clauses?city=%ff%fe").json()["invalid_params"]
    assert bad == [
        {
            "name": "city",
            "reason": "not valid UTF-8 (byte 0xff at byte 0 of the decoded value): "
            "percent-encode the UTF-8 bytes of the text, e.g. %E9%87%91 for 金",
        }
    ]
    nul = client.get("/clauses?q=%00").json()["invalid_params"]
    assert nul == [{"name": "q", "reason": "control characters are not allowed (U+0000 at character 1)"}]
    assert "�" not in client.get("/clauses?q=%e9%87").text


def test_if_none_match_star_is_304_only_where_the_resource_exists(client: TestClient) -> None:
    found = client.get("/clauses/qingdao-2021.2.2", headers={"If-None-Match": "*"})
    assert (found.status_code, found.content) == (304, b"")
    assert found.headers["etag"] == client.get("/clauses/qingdao-2021.2.2").headers["etag"]
    missing = client.get("/clauses/qingdao-2021.9.9", headers={"If-None-Match": "*"})
    assert missing.status_code == 404


@pytest.mark.parametrize("url", ["/clauses?limit=1", "/", "/health", "/clauses/nope.1", "/static/explorer.css"])
def test_every_compressible_response_varies_on_accept_encoding(client: TestClient, url: str) -> None:
    response = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "accept-encoding" in response.headers["vary"].lower()


def test_every_tag_used_by_an_operation_is_declared(client: TestClient) -> None:
    schema = client.get("/schema/openapi.json").json()
    declared = {t["name"] for t in schema["tags"]}
    used = {
        t
        for item in schema["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
        for t in op.get("tags", [])
    }
    assert used <= declared, used - declared
    assert json.dumps(schema)  # the schema is plain JSON


def test_order_relevance_without_q_is_accepted_as_document_order(client: TestClient) -> None:
    relevance = client.get("/clauses?order=relevance&limit=5")
    assert relevance.status_code == 200
    assert relevance.json()["data"] == client.get("/clauses?order=document&limit=5").json()["data"]


def test_error_examples_are_real_problems_whose_type_is_a_page(client: TestClient) -> None:
    schema = client.get("/schema/openapi.json").json()
    examples = [
        (int(code), example["value"])
        for item in schema["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
        for code, response in op.get("responses", {}).items()
        if code.startswith("4")
        for media in response.get("content", {}).values()
        for example in media.get("examples", {}).values()
    ]
    assert {code for code, _ in examples} == {400, 404}
    for code, value in examples:
        assert value["status"] == code and value["title"] in ("Bad Request", "Not Found")
        page = client.get(value["type"])
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert client.get("/problems/no-such-problem").status_code == 404


def test_every_problem_type_given_in_an_error_is_a_page(client: TestClient) -> None:
    for url in ("/clauses?city=atlantis", "/clauses/qingdao-2021.9.9"):
        problem = client.get(url).json()
        assert client.get(problem["type"]).status_code == 200
