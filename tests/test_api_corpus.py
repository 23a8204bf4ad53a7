"""The API over the repository's own package: the working package (``release=working``) and the legal texts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.store import Store
from scripts import vocab


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store_dir: Path = tmp_path_factory.mktemp("store")
    with TestClient(create_app(Store.open(vocab.ROOT, store_dir))) as test_client:
        yield test_client


def data(client: TestClient, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return response.json()


def test_articles_of_a_regulation(client: TestClient) -> None:
    body = data(client, "/clauses?document=nonbank-payment-2023&kind=article&release=working&limit=100")
    assert body["meta"]["total"] == 60
    assert [c["id"] for c in body["data"][:3]] == [
        "nonbank-payment-2023.art1",
        "nonbank-payment-2023.art2",
        "nonbank-payment-2023.art3",
    ]
    assert [c["numbering"] for c in body["data"][-2:]] == ["第五十九条", "第六十条"]


def test_item_of_an_article_by_its_citation(client: TestClient) -> None:
    clause = data(client, "/clauses/nonbank-payment-2023.art7.2?release=working")["data"]
    assert (clause["kind"], clause["numbering"]) == ("item", "第七条第二项")
    assert clause["text"].startswith("主要股东、实际控制人财务状况和诚信记录良好")
    assert [a["id"] for a in clause["ancestors"]] == ["nonbank-payment-2023.ch2", "nonbank-payment-2023.art7"]
    assert clause["quote"] == "（二）" + clause["text"]


def test_an_article_is_quoted_whole(client: TestClient) -> None:
    article = data(client, "/clauses/nonbank-payment-2023.art7?release=working")["data"]
    lines = article["quote"].split("\n")
    assert lines[0] == "第七条 " + article["text"] and len(lines) == 7 and lines[6].startswith("（六）法律、行政法规")
    two = data(client, "/clauses/nonbank-payment-2023.art2?release=working")["data"]
    assert two["text"] == "" and two["children"] == ["nonbank-payment-2023.art2.p1", "nonbank-payment-2023.art2.p2"]
    assert two["quote"].startswith("第二条 本条例所称非银行支付机构") and two["quote"].count("\n") == 1
    assert data(client, "/clauses/pboc-2019.3.1.1?release=working")["data"]["quote"] == ""


def test_a_source_repair_is_shown_on_its_clause(client: TestClient) -> None:
    section = data(client, "/clauses/shenzhen-data-2021.ch4.sec2?release=working")["data"]
    assert section["numbering"] == "第四章第二节" and section["heading"] == "市场培育"
    [repair] = section["errata"]
    assert (repair["kind"], repair["source_line"], repair["original"]) == ("source-repair", 315, "市场培育")


def test_the_working_package_is_served_but_not_cached_as_immutable(client: TestClient) -> None:
    working = client.get("/clauses/nonbank-payment-2023.art1?release=working")
    assert working.headers["cache-control"] == "public, max-age=300"
    assert client.get("/clauses/pboc-2019.1?release=1.0.0").headers["cache-control"] == "public, max-age=604800"
    missing = client.get("/clauses/nonbank-payment-2023.art1?release=1.0.0")
    assert missing.status_code == 404


def test_the_explorer_outlines_a_regulation_by_chapter_article_paragraph_and_item(client: TestClient) -> None:
    page = client.get("/document/nonbank-payment-2023?release=working")
    assert page.status_code == 200
    numbers = re.findall(r'class="numbering"[^>]*>([^<]+)</a>', page.text)
    assert numbers[:5] == ["第一章", "第一条", "第二条", "第一款", "第二款"]
    start = numbers.index("第七条")
    assert numbers[start : start + 7] == ["第七条", "（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]


def test_a_law_document_gives_its_legal_rank_dates_and_transcription(client: TestClient) -> None:
    doc = data(client, "/documents/aml-law-2024")["data"]
    assert {k: doc[k] for k in ("legal_rank", "date_adopted", "date_revised", "date_effective")} == {
        "legal_rank": "law",
        "date_adopted": "2006-10-31",
        "date_revised": ["2024-11-08"],
        "date_effective": "2025-01-01",
    }
    assert (doc["source_repository"], doc["source_path"]) == ("LawRefBook/Laws", "经济法/反洗钱法(2024-11-08).md")
    assert (doc["work_id"], doc["in_force_from"], doc["in_force_until"]) == ("aml-law", "2025-01-01", "")
    older = data(client, "/documents/aml-law-2006")["data"]
    assert (older["work_id"], older["in_force_until"]) == ("aml-law", "2025-01-01")


def test_a_document_response_has_every_field_of_the_documents_table() -> None:
    from api.models import DocumentDetail
    from schemas import registry

    assert {f.name for f in registry.table("documents").fields} <= set(DocumentDetail.__struct_fields__)


def test_the_document_page_shows_legal_rank_and_the_dates_the_law_states(client: TestClient) -> None:
    from tests.test_explorer import page

    html = page(client, "/document/aml-law-2024")
    assert html.find("dd", class_="legal-rank").text == "法律 Law"
    assert html.find("dd", class_="date-adopted").text == "2006-10-31"
    assert html.find("dd", class_="date-effective").text == "2025-01-01"
    assert "LawRefBook/Laws" in html.find("dd", class_="transcription").text
    plan = page(client, "/document/qingdao-2021")
    assert plan.find("dd", class_="legal-rank").text == "规范性文件 Normative document"
    assert not plan.find_all("dd", class_="date-effective")


def test_a_law_revised_twice_is_cited_by_its_latest_revision(client: TestClient) -> None:
    text = client.get("/documents/e-signature-law-2019/cite?format=gbt7714").text
    assert "中华人民共和国电子签名法[EB/OL]. (2019-04-23)" in text
    bib = client.get("/documents/e-signature-law-2019/cite?format=bibtex").text
    assert "year = {2019}" in bib and "date = {2019-04-23}" in bib
