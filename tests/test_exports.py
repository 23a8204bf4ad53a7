"""Bulk access: JSON Lines streaming, next-page links, byte ranges on release files, whole-release archives."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from litestar.testing import TestClient

from api.clause_listing import ListRequest, stream_clauses
from scripts.archive import archive_bytes
from tests.helpers import read_csv, serving


def test_ndjson_streams_every_match_in_list_order(client: TestClient) -> None:
    response = client.get("/clauses.ndjson", params={"q": "人才"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    rows = [json.loads(line) for line in response.text.splitlines()]
    listed = client.get("/clauses", params={"q": "人才", "limit": 500}).json()["data"]
    assert [r["id"] for r in rows] == [c["id"] for c in listed]
    assert rows[0]["document_id"] and "snippet" not in rows[0]
    everything = client.get("/clauses.ndjson", params={"release": "0.1.0"}).text.splitlines()
    assert len(everything) == client.get("/clauses", params={"release": "0.1.0"}).json()["meta"]["total"]


def test_ndjson_takes_every_filter_of_the_list_as_of_included(client: TestClient) -> None:
    params = {"as_of": "2020-01-01", "document": ["demo-law-2019", "demo-law-2023"]}
    rows = [json.loads(line) for line in client.get("/clauses.ndjson", params=params).text.splitlines()]
    listed = client.get("/clauses", params={**params, "limit": 500}).json()["data"]
    assert rows and [r["id"] for r in rows] == [c["id"] for c in listed]
    assert {r["document_id"] for r in rows} == {"demo-law-2019"}


def test_ndjson_rejects_bad_parameters_before_streaming(client: TestClient) -> None:
    response = client.get("/clauses.ndjson", params={"city": "atlantis", "q": "(人才"})
    assert response.status_code == 400
    assert {p["name"] for p in response.json()["invalid_params"]} == {"city", "q"}


def test_stream_batches_cover_the_list_in_small_pieces(client: TestClient) -> None:
    from api.store import Store
    from tests.helpers import API_FIXTURE, API_STORE_DIR

    rel = Store.open(API_FIXTURE, API_STORE_DIR).latest
    assert rel is not None
    for req in (ListRequest(), ListRequest(q="金融"), ListRequest(city=["qingdao"])):
        batches = list(stream_clauses(rel, req, batch=4))
        assert all(len(b) <= 4 for b in batches)
        ids = [c.id for b in batches for c in b]
        assert len(ids) == len(set(ids))
        params = {"q": req.q, "city": req.city, "limit": 500}
        expected = client.get("/clauses", params={k: v for k, v in params.items() if v}).json()["data"]
        assert ids == [c["id"] for c in expected]


def test_lists_link_to_their_next_page(client: TestClient) -> None:
    first = client.get("/clauses", params={"city": "qingdao", "limit": 3})
    link = first.headers["link"]
    nxt = first.json()["meta"]["next"]
    assert link == f'<{nxt}>; rel="next"'
    assert nxt.startswith("/clauses?city=qingdao&limit=3&cursor=")
    second = client.get(nxt).json()
    assert second["data"][0]["id"] not in {c["id"] for c in first.json()["data"]}
    docs = client.get("/documents", params={"limit": 2, "offset": 1})
    assert docs.json()["meta"]["next"] == "/documents?limit=2&offset=3"
    last = client.get("/documents", params={"limit": 50})
    assert "link" not in last.headers and "next" not in last.json()["meta"]
    assert "Link" in client.get("/topics", headers={"Origin": "https://x.org"}).headers["access-control-expose-headers"]


def test_release_files_answer_range_requests_with_a_strong_etag(client: TestClient) -> None:
    files = {f["path"]: f for f in client.get("/releases/0.1.0").json()["data"]["files"]}
    entry = files["clauses.csv"]
    whole = client.get(entry["url"])
    assert whole.headers["etag"] == f'"{entry["sha256"]}"' and whole.headers["accept-ranges"] == "bytes"
    data = whole.content
    part = client.get(entry["url"], headers={"Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 10-19/{len(data)}"
    assert part.content == data[10:20]
    tail = client.get(entry["url"], headers={"Range": "bytes=-5", "Accept-Encoding": "br, gzip"})
    assert tail.status_code == 206 and tail.content == data[-5:] and "content-encoding" not in tail.headers
    assert client.get(entry["url"], headers={"Range": f"bytes={len(data)}-"}).status_code == 416
    stale = client.get(entry["url"], headers={"Range": "bytes=0-1", "If-Range": '"other"'})
    assert stale.status_code == 200 and stale.content == data
    assert client.get(entry["url"], headers={"If-None-Match": whole.headers["etag"]}).status_code == 304


def test_whole_release_archive(client: TestClient) -> None:
    response = client.get("/releases/0.1.0/archive")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    digest = hashlib.sha256(response.content).hexdigest()
    assert response.headers["etag"] == f'"{digest}"'
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    listed = [f["path"] for f in client.get("/releases/0.1.0").json()["data"]["files"] if f["path"] != "release.json"]
    assert sorted(names) == sorted(f"{names[0].split('/')[0]}/{p}" for p in listed)
    assert client.get("/releases/0.1.0/archive").content == response.content
    assert client.get("/releases/0.2.0/archive").status_code == 404  # the working package


def test_archives_are_deterministic() -> None:
    files = {"b.csv": b"x,y\n", "a/datapackage.json": b"{}"}
    assert archive_bytes(files, "p-1.0.0") == archive_bytes(dict(reversed(files.items())), "p-1.0.0")


def test_duckdb_reads_a_release_parquet_over_http(tmp_path: Path) -> None:
    import duckdb
    import duckdb_extension_httpfs

    from api.app import create_app
    from api.store import Store
    from scripts.vocab import ROOT

    extension = next(Path(duckdb_extension_httpfs.__file__).parent.rglob("httpfs.duckdb_extension"))
    with serving(lambda _: create_app(Store.open(ROOT, tmp_path))) as port:
        db = duckdb.connect(config={"allow_unsigned_extensions": "true"})
        db.execute(f"LOAD '{extension}'")
        url = f"http://127.0.0.1:{port}/releases/1.0.0/files/clauses.parquet"
        by_city = dict(db.execute(f"SELECT city, count(*) FROM '{url}' GROUP BY city").fetchall())
    rows = read_csv(ROOT / "releases/1.0.0/datapackage/data/clauses.csv")
    assert by_city == {city: sum(r["city"] == city for r in rows) for city in {r["city"] for r in rows}}
