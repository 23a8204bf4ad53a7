"""The HTML explorer and the CSV routes on the fixture package, without a browser.

The fixture serves a working package 0.2.0 (national, Chongqing, Qingdao and Shenzhen documents)
and a cut release 0.1.0 without Chongqing.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from litestar.testing import TestClient

from tests.helpers import API_FIXTURE, read_csv
from tests.html_page import Element, parse

ROOT = Path(__file__).resolve().parent.parent


def page(client: TestClient, url: str, status: int = 200) -> Element:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return parse(response.text)


def query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def hit_ids(doc: Element) -> list[str]:
    return [a.attrs["href"].split("/clause/")[1].split("?")[0] for a in doc.find_all("a", class_="clause-link")]


# --- the search page ---------------------------------------------------------------------------------------------


def test_search_page_lists_what_the_json_list_lists(client: TestClient) -> None:
    doc = page(client, "/")
    body = client.get("/clauses?limit=20").json()
    assert hit_ids(doc) == [c["id"] for c in body["data"]]
    assert f"共 {body['meta']['total']} 条" in doc.find("h1").text
    assert doc.find("input", id="q").attrs["type"] == "search"
    headings = [h.text for h in doc.find("aside", class_="facets").find_all("h2")]
    assert headings == ["城市 City", "主题 Topic", "文件 Document", "层级 Level", "类型 Kind"]


def test_facet_counts_and_links(client: TestClient) -> None:
    doc = page(client, "/?q=人才")
    facets = client.get("/clauses?q=人才").json()["meta"]["facets"]
    city = doc.find("section", data_filter="city")
    shown = {a.attrs["data-value"]: int(a.find("span", class_="count").text) for a in city.find_all("a")}
    assert shown == facets["city"]
    qingdao = city.find("a", data_value="qingdao")
    assert "青岛" in qingdao.text and "Qingdao" in qingdao.text
    assert query(qingdao.attrs["href"]) == [("q", "人才"), ("city", "qingdao")]


def test_filtered_page_matches_the_json_link_and_highlights(client: TestClient) -> None:
    doc = page(client, "/?q=人才&city=qingdao")
    json_link = doc.find("a", class_="json-link").attrs["href"]
    assert json_link.startswith("/clauses?")
    assert query(json_link) == [("q", "人才"), ("city", "qingdao"), ("limit", "20")]
    body = client.get(json_link).json()
    assert hit_ids(doc) == [c["id"] for c in body["data"]]
    assert hit_ids(doc)
    assert all(c["city"] == "qingdao" for c in body["data"])
    assert "人才" in doc.find("article", class_="hit").find("mark").text
    # the active filter is marked, and its link removes it
    active = doc.find("section", data_filter="city").find("a", class_="active")
    assert active.attrs["aria-current"] == "true"
    assert query(active.attrs["href"]) == [("q", "人才")]
    # a new search keeps the filters
    form = doc.find("form", role="search")
    assert [(i.attrs["name"], i.attrs["value"]) for i in form.find_all("input", type="hidden")] == [("city", "qingdao")]
    csv_link = doc.find("a", class_="csv-link").attrs["href"]
    assert urlsplit(csv_link).path == "/clauses.csv"
    assert query(csv_link) == [("q", "人才"), ("city", "qingdao")]


def test_topic_filter_narrows_to_the_topic(client: TestClient) -> None:
    doc = page(client, "/?city=qingdao&topic=talent")
    expected = [c["id"] for c in client.get("/clauses?city=qingdao&topic=talent").json()["data"]]
    assert hit_ids(doc) == expected
    assert [a.text.split("×")[0].strip() for a in doc.find("ul", class_="active-filters").find_all("a")][:2] == [
        "城市：青岛",
        "主题：人才",
    ]


def test_paging_links_carry_the_filters(client: TestClient) -> None:
    first = page(client, "/?kind=item&limit=3")
    next_url = first.find("a", rel="next").attrs["href"]
    assert query(next_url) == [("kind", "item"), ("limit", "3"), ("offset", "3")]
    assert not first.find_all("a", rel="prev")
    second = page(client, next_url)
    assert query(second.find("a", rel="prev").attrs["href"]) == [("kind", "item"), ("limit", "3")]
    all_items = [c["id"] for c in client.get("/clauses?kind=item&limit=6").json()["data"]]
    assert hit_ids(first) + hit_ids(second) == all_items
    assert "第 4–6 条" in second.find("p", class_="data-links").text


def test_an_empty_search_box_is_no_search(client: TestClient) -> None:
    assert hit_ids(page(client, "/?q=+&city=qingdao")) == hit_ids(page(client, "/?city=qingdao"))


def test_text_is_escaped(client: TestClient) -> None:
    response = client.get("/?q=<script>alert(1)</script>")
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert parse(response.text).find("input", id="q").attrs["value"] == "<script>alert(1)</script>"


def test_a_pinned_release_is_kept_in_links(client: TestClient) -> None:
    doc = page(client, "/?release=0.1.0")
    assert "chongqing" not in {a.attrs["data-value"] for a in doc.find("section", data_filter="city").find_all("a")}
    for link in doc.find_all("a", class_="clause-link"):
        assert query(link.attrs["href"]) == [("release", "0.1.0")]
    qingdao = doc.find("section", data_filter="city").find("a", data_value="qingdao").attrs["href"]
    assert query(qingdao) == [("city", "qingdao"), ("release", "0.1.0")]


# --- errors --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/?city=atlantis", 400, ["unknown city: 'atlantis'", "qingdao", "shanghai"]),
        ("/?topic=nope&kind=x", 400, ["topic", "kind"]),
        ("/?offset=-1", 400, ["offset"]),
        ("/?page_size=5", 400, ["page_size"]),
        ("/?release=9.9.9", 404, ["No release '9.9.9'"]),
        ("/clause/qingdao-2021.9.9", 404, ["No clause 'qingdao-2021.9.9' in release 0.2.0"]),
        ("/clause/not%20an%20id", 404, ["No clause"]),
        ("/document/atlantis-2020", 404, ["No document 'atlantis-2020'"]),
        ("/?document=nope-2000", 404, ["No document 'nope-2000'"]),
    ],
)
def test_errors_are_readable_pages(client: TestClient, url: str, status: int, words: list[str]) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    doc = parse(response.text)
    assert doc.find("h1").text.startswith(str(status))
    for word in words:
        assert word in doc.find("section", class_="error").text
    assert doc.find("a", href="/")


def test_json_routes_keep_problem_details(client: TestClient) -> None:
    response = client.get("/clauses?city=atlantis")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


# --- the clause page -----------------------------------------------------------------------------------------------


def test_clause_page(client: TestClient) -> None:
    clause = client.get("/clauses/qingdao-2021.3.1").json()["data"]
    doc = page(client, "/clause/qingdao-2021.3.1")
    assert doc.find("code", id="clause-id").text == "qingdao-2021.3.1"
    assert clause["text"].removeprefix(clause["heading"]) in doc.find("div", class_="clause-text").text
    # its place in the document: breadcrumbs to its part, the outline with the clause marked
    crumbs = [a.attrs["href"] for a in doc.find("nav", class_="breadcrumbs").find_all("a")]
    assert crumbs == ["/", "/document/qingdao-2021", "/clause/qingdao-2021.3"]
    current = doc.find("nav", class_="outline").find("a", aria_current="page")
    assert current.text.startswith("（一）")
    assert len(doc.find("nav", class_="outline").find_all("a")) == clause["document"]["clause_count"]
    # topics, children, previous and next
    assert "人才 Talent" in doc.find("dl", class_="facts").text
    assert doc.find("a", href="/clause/qingdao-2021.3.1.b1")
    assert doc.find("a", rel="prev").attrs["href"] == "/clause/qingdao-2021.3"
    assert doc.find("a", rel="next").attrs["href"] == "/clause/qingdao-2021.3.1.b1"


def test_clause_page_quotes_each_word_a_topic_rule_matched(client: TestClient) -> None:
    tags = client.get("/clauses/qingdao-2021.3.1.b1").json()["data"]["topic_tags"]
    matched = [word for tag in tags for word in tag["matched"]]
    assert matched == ["人才"]
    facts = page(client, "/clause/qingdao-2021.3.1.b1").find("dl", class_="facts").text
    assert "rule:talent · “人才”" in facts


def test_clause_citation_and_data_links(client: TestClient) -> None:
    doc = page(client, "/clause/qingdao-2021.3.1")
    citation = doc.find("p", id="citation").text
    title = client.get("/documents/qingdao-2021").json()["data"]["title"]
    assert citation.startswith(f"《{title}》")
    assert "三/（一） [qingdao-2021.3.1]" in citation
    assert "release 0.2.0" in citation
    assert citation.endswith(" http://testserver.local/clause/qingdao-2021.3.1?release=0.2.0")
    button = doc.find("button", class_="copy")
    assert button.attrs["data-copy"] == "#citation" and "hidden" in button.attrs
    json_url = doc.find("a", class_="json-link").attrs["href"]
    assert json_url == "/clauses/qingdao-2021.3.1?release=0.2.0"
    assert client.get(json_url).json()["data"]["id"] == "qingdao-2021.3.1"
    csv_url = doc.find("a", class_="csv-link").attrs["href"]
    assert csv_url == "/clauses/qingdao-2021.3.1/csv?release=0.2.0"
    assert [row["id"] for row in csv.DictReader(io.StringIO(client.get(csv_url).text))] == ["qingdao-2021.3.1"]


def test_clause_page_of_a_pinned_release(client: TestClient) -> None:
    doc = page(client, "/clause/qingdao-2021.3.1?release=0.1.0")
    assert "release 0.1.0" in doc.find("p", id="citation").text
    assert doc.find("a", rel="next").attrs["href"] == "/clause/qingdao-2021.3.1.b1?release=0.1.0"


def test_clause_page_similar_clauses_citations_measures_and_errata(client: TestClient) -> None:
    similar = page(client, "/clause/pboc-2019.2.2").find("section", class_="similar")
    expected = client.get("/clauses/pboc-2019.2.2/similar").json()["data"]
    assert [a.attrs["href"] for a in similar.find_all("a")] == [f"/clause/{s['id']}" for s in expected]
    assert "10%" in similar.text  # score 0.0968
    assert "没有" in page(client, "/clause/qingdao-2021.3.1").find("section", class_="similar").text

    citations = page(client, "/clause/qingdao-2021.preamble").find("section", class_="citations")
    link = citations.find("a")
    assert link.attrs["href"] == "/document/pboc-2019"
    assert link.text.startswith("《金融科技（FinTech）发展规划")

    measures = page(client, "/clause/qingdao-2021.1.2").find("section", class_="measures")
    cells = [[td.text for td in tr.find_all("td")] for tr in measures.find("tbody").find_all("tr")]
    assert cells == [
        ["上限 Cap", "500 万元（最高）", "“最高500万元”"],
        ["期限 Deadline", "2025 年（到）", "“到2025年”"],
        ["目标 Target", "100 家（以上）", "“100家以上”"],
    ]
    assert not page(client, "/clause/qingdao-2021.3.1").find_all("section", class_="measures")

    errata = page(client, "/clause/shenzhen-2023.1.2").find("section", class_="errata")
    assert "“跨境金融科枝合作” → “跨境金融科技合作”" in errata.text


# --- the document page ---------------------------------------------------------------------------------------------


def test_document_page(client: TestClient) -> None:
    document = client.get("/documents/qingdao-2021").json()["data"]
    doc = page(client, "/document/qingdao-2021")
    assert doc.find("h1").text == document["title"]
    provenance = doc.find("section", class_="provenance").text
    assert document["source_file"] in provenance
    assert document["source_sha256"] in provenance
    text = doc.find("section", class_="document-text")
    clauses = client.get("/clauses?document=qingdao-2021&limit=500").json()["data"]
    assert [li.attrs["id"] for li in text.find_all("li")] == [c["id"] for c in clauses]
    for c in clauses:
        assert c["text"].removeprefix(c["heading"]) in text.text
    # nested as in the document: the bullet sits inside its item
    item = text.find("li", id="qingdao-2021.3.1")
    assert item.find("li", id="qingdao-2021.3.1.b1")
    assert doc.find("a", class_="json-link").attrs["href"] == "/documents/qingdao-2021?release=0.2.0"
    assert "没有" in doc.find("section", class_="cited-by").text


def test_document_page_lists_the_documents_citing_it(client: TestClient) -> None:
    cited_by = page(client, "/document/pboc-2019").find("section", class_="cited-by")
    hrefs = [a.attrs["href"] for a in cited_by.find_all("a")]
    assert hrefs == ["/document/qingdao-2021", "/clause/qingdao-2021.preamble"]


# --- the page as a whole -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/?q=人才", "/clause/qingdao-2021.3.1", "/document/pboc-2019", "/?city=x"])
def test_pages_load_nothing_from_elsewhere(client: TestClient, url: str) -> None:
    doc = parse(client.get(url).text)
    assert doc.find("meta", name="viewport").attrs["content"] == "width=device-width, initial-scale=1"
    scripts = [e.attrs["src"] for e in doc.find_all("script")]
    styles = [e.attrs["href"] for e in doc.find_all("link", rel="stylesheet")]
    assert scripts == ["/static/explorer.js"]
    assert styles == ["/static/explorer.css"]


@pytest.mark.parametrize(
    ("path", "media_type"), [("/static/explorer.css", "text/css"), ("/static/explorer.js", "text/javascript")]
)
def test_static_files_are_served_with_cache_headers(client: TestClient, path: str, media_type: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in (media_type, "application/javascript")
    assert response.headers["etag"]
    assert response.headers["cache-control"].startswith("public, max-age=")
    assert "://" not in response.text  # nothing fetched from elsewhere


def test_pages_stay_out_of_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert not any(p == "/" or p.startswith(("/clause/", "/document/", "/static")) for p in paths)
    assert "/api" in paths and "/clauses.csv" in paths


# --- CSV -----------------------------------------------------------------------------------------------------------


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_one_clause_as_csv_is_its_row_of_clauses_csv(client: TestClient) -> None:
    response = client.get("/clauses/qingdao-2021.3.1/csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="qingdao-2021.3.1.csv"'
    expected = [r for r in read_csv(API_FIXTURE / "data" / "clauses.csv") if r["id"] == "qingdao-2021.3.1"]
    assert rows(response.text) == expected
    header = (API_FIXTURE / "data" / "clauses.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert response.text.split("\n", 1)[0] == header


def test_the_column_order_is_that_of_the_data_package(client: TestClient) -> None:
    header = (ROOT / "datapackage" / "data" / "clauses.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert client.get("/clauses.csv?kind=part").text.split("\n", 1)[0] == header


def test_csv_list_has_the_filters_and_order_of_the_json_list(client: TestClient) -> None:
    for params in ("city=qingdao&topic=talent", "q=人才", "q=人才&order=document", "kind=item&release=0.1.0"):
        json_ids = [c["id"] for c in client.get(f"/clauses?{params}&limit=500").json()["data"]]
        response = client.get(f"/clauses.csv?{params}")
        assert response.status_code == 200
        assert [r["id"] for r in rows(response.text)] == json_ids
        assert json_ids


def test_csv_list_without_filters_is_the_whole_table(client: TestClient) -> None:
    """The same rows as the package's clauses.csv (in the API's document order: by jurisdiction)."""

    def by_id(table: list[dict[str, str]]) -> list[dict[str, str]]:
        return sorted(table, key=lambda r: r["id"])

    assert by_id(rows(client.get("/clauses.csv").text)) == by_id(read_csv(API_FIXTURE / "data" / "clauses.csv"))


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/clauses.csv?city=atlantis", 400),
        ("/clauses.csv?limit=5", 400),
        ("/clauses/qingdao-2021.9/csv", 404),
        ("/clauses/qingdao-2021.3.1/csv?release=9.9.9", 404),
    ],
)
def test_csv_errors_are_problem_details(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
