"""HTTP behaviour (caching, compression, CORS, logging, downloads, docs) and the store's life cycle."""

from __future__ import annotations

import hashlib
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
from litestar.testing import TestClient

from api.__main__ import parse_args
from api.app import create_app
from api.http_protocol import encode_request_lines
from api.store import Store
from api.store_builder import BuildError, stored_meta
from scripts import vocab
from scripts.release_integrity import record_checksum
from tests.helpers import API_FIXTURE, API_STORE_DIR, serving

# --- caching ---------------------------------------------------------------------------------------------------


def test_etag_and_304(client: TestClient) -> None:
    first = client.get("/clauses", params={"city": "qingdao"})
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    again = client.get("/clauses", params={"city": "qingdao"}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = client.get("/clauses", params={"city": "shenzhen"}, headers={"If-None-Match": etag})
    assert other.status_code == 200
    assert (
        client.get("/clauses", params={"city": "qingdao"}, headers={"If-None-Match": f'"x", {etag}'}).status_code == 304
    )


def test_cache_control_long_for_a_pinned_release_short_for_latest(client: TestClient) -> None:
    assert client.get("/clauses", params={"release": "0.1.0"}).headers["cache-control"] == "public, max-age=604800"
    assert client.get("/releases/0.1.0").headers["cache-control"] == "public, max-age=604800"
    assert client.get("/clauses").headers["cache-control"] == "public, max-age=300"
    # 0.2.0 is the working package, which changes whenever the build runs.
    assert client.get("/clauses", params={"release": "0.2.0"}).headers["cache-control"] == "public, max-age=300"
    assert client.get("/health").headers["cache-control"] == "no-store"
    error = client.get("/clauses", params={"city": "x"})
    assert error.headers["cache-control"] == "no-store" and "etag" not in error.headers


def test_gzip_for_large_bodies(client: TestClient) -> None:
    big = client.get("/clauses", params={"limit": 500}, headers={"Accept-Encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip"
    assert big.json()["meta"]["total"] == 43
    small = client.get("/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


def test_cors(client: TestClient) -> None:
    response = client.get("/topics", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/clauses", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code in (200, 204)
    assert "GET" in preflight.headers["access-control-allow-methods"]


def test_one_log_line_per_request(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="api.access"):
        client.get("/clauses", params={"city": "qingdao"})
        client.get("/nowhere")
    lines = [r.getMessage() for r in caplog.records if r.name == "api.access"]
    assert len(lines) == 2
    assert '"GET /clauses?city=qingdao" 200' in lines[0]
    assert '"GET /nowhere" 404' in lines[1]


# --- downloads -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/releases/0.1.0/files/clauses.csv", "releases/0.1.0/clauses.csv"),
        ("/releases/0.1.0/files/release.json", "releases/0.1.0/release.json"),
        ("/releases/0.1.0/files/datapackage.json", "releases/0.1.0/datapackage.json"),
        ("/releases/latest/files/data/documents.csv", "data/documents.csv"),
        ("/releases/0.2.0/files/topics.csv", "data/topics.csv"),
    ],
)
def test_file_downloads(client: TestClient, url: str, path: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == (API_FIXTURE / path).read_bytes()
    assert response.headers["content-type"].startswith("text/csv" if path.endswith(".csv") else "application/json")


def test_listed_checksums_match_the_downloads(client: TestClient) -> None:
    for release in ("0.1.0", "0.2.0"):
        for file in client.get(f"/releases/{release}").json()["data"]["files"]:
            content = client.get(file["url"]).content
            assert len(content) == file["bytes"]
            assert hashlib.sha256(content).hexdigest() == file["sha256"]


# --- raw UTF-8 in URLs -----------------------------------------------------------------------------------------


def test_request_lines_are_percent_encoded_only_where_not_ascii() -> None:
    head = "GET /clauses?q=人才&city=qingdao HTTP/1.1\r\nHost: x\r\nX-Note: 人才\r\n\r\n".encode()
    encoded = encode_request_lines(head)
    assert encoded.startswith(b"GET /clauses?q=%E4%BA%BA%E6%89%8D&city=qingdao HTTP/1.1\r\n")
    assert encoded.endswith("X-Note: 人才\r\n\r\n".encode())  # header values are left as sent
    assert encode_request_lines(b"GET /clauses?q=%E4 HTTP/1.1\r\n") == b"GET /clauses?q=%E4 HTTP/1.1\r\n"


def test_raw_utf8_query_strings_through_a_real_server(client: TestClient) -> None:
    import socket

    from api.http_protocol import ApiHttpProtocol

    with (
        serving(lambda _: client.app, http=ApiHttpProtocol) as port,
        socket.create_connection(("127.0.0.1", port)) as conn,
    ):
        conn.sendall("GET /clauses?q=沙盒&limit=5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        response = b""
        while chunk := conn.recv(65536):
            response += chunk
    assert response.startswith(b"HTTP/1.1 200")
    assert b"shenzhen-2023.1.2" in response


# --- docs ------------------------------------------------------------------------------------------------------


def test_every_parameter_has_a_description_and_an_example(client: TestClient) -> None:
    schema = client.get("/schema/openapi.json").json()
    assert schema["info"]["description"]
    seen = 0
    for path, methods in schema["paths"].items():
        for operation in methods.values():
            assert operation.get("description"), path
            for param in operation.get("parameters", []):
                seen += 1
                assert param.get("description"), (path, param["name"])
                if param["name"] == "cursor":  # opaque and bound to one query: no example is valid with the others
                    assert "meta.next_cursor" in param["description"] and not param.get("examples")
                    continue
                assert param.get("examples"), (path, param["name"])
    assert seen > 20


def test_every_property_is_described(client: TestClient) -> None:
    components = client.get("/schema/openapi.json").json()["components"]["schemas"]
    undescribed = [
        (name, prop)
        for name, schema in components.items()
        for prop, value in (schema.get("properties") or {}).items()
        if not value.get("description")
    ]
    assert undescribed == []
    assert sum(len(s.get("properties") or {}) for s in components.values()) > 200
    # Columns of the data package are described as in its table definitions.
    assert components["DocumentSummary"]["properties"]["doc_number"]["description"].startswith("The issuing number")
    # A list is an array here: how CSV separates its items is said in the package's table schema only.
    issuers = components["DocumentSummary"]["properties"]["issuers"]
    assert issuers["type"] == "array" and issuers["description"] == "Issuing authorities in Chinese, one item each."
    assert "separated" not in components["DocumentDetail"]["properties"]["date_revised"]["description"]


def test_the_table_schema_says_how_csv_separates_list_items() -> None:
    from schemas import registry

    lists = [f for t in registry.TABLES for f in t.fields if f.type == "list"]
    assert len(lists) >= 6
    for f in lists:
        described = f.table_schema()["description"]
        assert described == f"{f.description} In CSV, items are separated by `{f.delimiter}`.", f.name
        assert "separated" not in f.description, f.name


def test_every_example_is_valid(client: TestClient) -> None:
    import jsonschema

    schema = client.get("/schema/openapi.json").json()
    checked = 0
    for path, methods in schema["paths"].items():
        for operation in methods.values():
            for param in operation.get("parameters", []):
                for example in (param.get("examples") or {}).values():
                    jsonschema.validate(example["value"], param["schema"])
                    checked += 1
                    # A cursor is bound to the query and release it came from: its example is only well-formed.
                    if param["in"] == "query" and path == "/clauses" and param["name"] != "cursor":
                        response = client.get(path, params={param["name"]: example["value"]})
                        assert response.status_code == 200, (param["name"], response.text)
    assert checked > 40


def test_vocabularies_are_enums_in_the_schema(client: TestClient) -> None:
    params = {p["name"]: p for p in client.get("/schema/openapi.json").json()["paths"]["/clauses"]["get"]["parameters"]}
    assert params["city"]["schema"]["items"]["enum"] == list(vocab.CITIES)
    assert params["city"]["schema"]["items"]["enum"][:5] == ["national", "shanghai", "chongqing", "qingdao", "shenzhen"]
    assert "talent" in params["topic"]["schema"]["items"]["enum"]
    assert params["limit"]["schema"]["maximum"] == 500


def test_docs_page_works_offline(client: TestClient) -> None:
    assert client.get("/docs", follow_redirects=False).headers["location"] == "/schema/swagger"
    page = client.get("/schema/swagger").text
    assert "http://" not in page and "https://" not in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert f"/docs/assets/{asset}" in page
        response = client.get(f"/docs/assets/{asset}")
        assert response.status_code == 200 and len(response.content) > 1000


# --- the store -------------------------------------------------------------------------------------------------


def copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "package"
    shutil.copytree(API_FIXTURE, root, ignore=shutil.ignore_patterns("expected"))
    return root


def test_store_is_built_once_and_rebuilt_when_the_package_changes(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    store_dir = tmp_path / "store"
    Store.open(root, store_dir).close()
    db = store_dir / "0.2.0.sqlite"
    built = stored_meta(db)["built_at"], db.stat().st_mtime_ns
    Store.open(root, store_dir).close()
    assert (stored_meta(db)["built_at"], db.stat().st_mtime_ns) == built
    clauses = root / "data" / "clauses.csv"
    clauses.write_text(
        clauses.read_text(encoding="utf-8").replace("探索监管沙盒。支持", "探索监管沙箱。支持"), encoding="utf-8"
    )
    store = Store.open(root, store_dir)
    assert db.stat().st_mtime_ns != built[1]
    with TestClient(create_app(store)) as client:
        assert [c["id"] for c in client.get("/clauses", params={"q": "沙箱"}).json()["data"]] == ["qingdao-2021.2.2"]
    store.close()


def test_store_is_opened_read_only(client: TestClient) -> None:
    store: Store = Store.open(API_FIXTURE, API_STORE_DIR)
    with pytest.raises(sqlite3.OperationalError):
        store.get(None).db.execute("DELETE FROM clauses")
    store.close()


def test_a_working_package_with_a_released_version_is_not_served_twice(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    (root / "releases" / "0.1.0").rename(root / "releases" / "0.2.0")
    record_checksum(root / "releases", "0.2.0", (root / "releases" / "0.2.0" / "release.json").read_bytes())
    store = Store.open(root, tmp_path / "store")
    assert [(r.version, r.status) for r in store.releases] == [("0.2.0", "release")]
    store.close()


def test_build_rejects_values_outside_the_vocabularies(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    clauses = root / "data" / "clauses.csv"
    clauses.write_text(clauses.read_text(encoding="utf-8").replace(",box,", ",panel,"), encoding="utf-8")
    with pytest.raises(BuildError, match="kind 'panel'"):
        Store.open(root, tmp_path / "store")


def test_build_rejects_a_clause_whose_document_columns_differ_from_its_documents(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    clauses = root / "data" / "clauses.csv"
    lines = clauses.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace(",national,national,", ",qingdao,national,")
    clauses.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        Store.open(root, tmp_path / "store")
    where, fix = str(err.value).split("\n")
    assert where == (
        "clauses.csv row 2: city 'qingdao' differs from its document's ('national'), which the store serves as the "
        "clause's"
    )
    assert fix.startswith("  how to fix: ")
    # the cut release 0.1.0 built; nothing of the working package's store is left, not even a temporary file
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == ["0.1.0.sqlite"]


def test_build_rejects_a_parent_in_another_document(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    clauses = root / "data" / "clauses.csv"
    text = clauses.read_text(encoding="utf-8")
    old = "qingdao-2021.1,qingdao-2021,2,part,0,一,,"
    assert old in text
    clauses.write_text(text.replace(old, "qingdao-2021.1,qingdao-2021,2,part,0,一,pboc-2019.1,"), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        Store.open(root, tmp_path / "store")
    assert str(err.value).split("\n")[0] == (
        "clauses.csv row 11: parent_id 'pboc-2019.1' is not an earlier clause of its document"
    )


def test_command_line_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("API_HOST", raising=False)
    monkeypatch.delenv("API_PORT", raising=False)
    args = parse_args([])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    assert args.store_dir == args.data_root / "var" / "store"
    monkeypatch.setenv("API_HOST", "0.0.0.0")
    monkeypatch.setenv("API_PORT", "9000")
    args = parse_args([])
    assert (args.host, args.port) == ("0.0.0.0", 9000)
    assert parse_args(["--port", "8123"]).port == 8123


def test_worker_processes_get_every_option_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from api.options import OPTIONS, environment

    argv = [
        *("--port", "9001", "--no-caches", "--mcp", "--public-url", "https://policy.example.org/"),
        *("--workers", "2", "--response-cache-mb", "8", "--header-timeout", "3"),
        *("--log-level", "warning", "--store-dir", "/tmp/s"),
    ]
    given = parse_args(argv)
    for name, value in environment(given).items():
        monkeypatch.setenv(name, value)
    again = parse_args([])
    assert {o.dest: getattr(again, o.dest) for o in OPTIONS} == {o.dest: getattr(given, o.dest) for o in OPTIONS}
    assert (again.public_url, again.no_caches, again.mcp) == ("https://policy.example.org", True, True)


def test_downloads_may_be_compressed(client: TestClient) -> None:
    response = client.get("/releases/0.1.0/files/clauses.csv", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.content == (API_FIXTURE / "releases/0.1.0/clauses.csv").read_bytes()
