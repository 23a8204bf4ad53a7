"""Citations of clauses and documents: GB/T 7714-2015, BibTeX (parsed by bibtexparser), RIS (parsed by rispy), CSL-JSON."""

from __future__ import annotations

import json

import bibtexparser
import pytest
import rispy
from litestar.testing import TestClient

from api.cite_formats import Work, csl_item, to_bibtex, to_gbt7714, to_ris

ACCESSED = "2026-11-30"


def work(**fields: str) -> Work:
    base = {
        "id": "doc",
        "title": "标题",
        "title_en": "Title",
        "issuers": ("机关",),
        "doc_number": "",
        "date": "",
        "legal_rank": "",
        "url": "https://example.org/clause/doc?release=1.0.0",
        "accessed": ACCESSED,
        "dataset": "Dataset",
        "release": "1.0.0",
    }
    return Work(**{**base, **fields})  # type: ignore[arg-type]


LAW = work(
    id="data-security-law-2021.art21",
    title="中华人民共和国数据安全法",
    issuers=("全国人民代表大会常务委员会",),
    doc_number="中华人民共和国主席令第八十四号",
    date="2021-06-10",
    legal_rank="law",
    numbering="第二十一条",
    url="https://example.org/clause/data-security-law-2021.art21?release=1.1.0",
    release="1.1.0",
)
REGULATION = work(
    id="nonbank-payment-2023",
    title="非银行支付机构监督管理条例",
    issuers=("国务院",),
    doc_number="中华人民共和国国务院令第768号",
    date="2023-12-09",
    legal_rank="administrative-regulation",
    url="https://example.org/document/nonbank-payment-2023?release=1.1.0",
    release="1.1.0",
)
CITY_PLAN = work(
    id="shenzhen-2023.1.3",
    title="深圳市金融科技专项发展规划（2023-2025年）",
    issuers=("深圳市地方金融监督管理局",),
    doc_number="",
    date="2023-01-12",
    legal_rank="plan",
    numbering="一/（三）",
    url="https://example.org/clause/shenzhen-2023.1.3?release=1.0.0",
)


def test_gbt7714_electronic_announcement_pattern() -> None:
    assert to_gbt7714(LAW) == (
        "全国人民代表大会常务委员会. 中华人民共和国数据安全法: 中华人民共和国主席令第八十四号, 第二十一条[EB/OL]. "
        "(2021-06-10)[2026-11-30]. https://example.org/clause/data-security-law-2021.art21?release=1.1.0."
    )
    assert to_gbt7714(REGULATION) == (
        "国务院. 非银行支付机构监督管理条例: 中华人民共和国国务院令第768号[EB/OL]. (2023-12-09)[2026-11-30]. "
        "https://example.org/document/nonbank-payment-2023?release=1.1.0."
    )
    assert to_gbt7714(CITY_PLAN) == (
        "深圳市地方金融监督管理局. 深圳市金融科技专项发展规划（2023-2025年）: 一/（三）[EB/OL]. (2023-01-12)[2026-11-30]. "
        "https://example.org/clause/shenzhen-2023.1.3?release=1.0.0."
    )
    assert (
        to_gbt7714(work(issuers=(), date=""))
        == "标题[EB/OL]. [2026-11-30]. https://example.org/clause/doc?release=1.0.0."
    )


def test_bibtex_of_a_law_article_parses_with_its_fields() -> None:
    library = bibtexparser.parse_string(to_bibtex(LAW))
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc" and entry.key == "data_security_law_2021_art21"
    fields = {f.key: f.value for f in entry.fields}
    assert fields["author"] == "{全国人民代表大会常务委员会}"
    assert fields["title"] == "中华人民共和国数据安全法"
    assert fields["number"] == "中华人民共和国主席令第八十四号"
    assert (fields["year"], fields["date"], fields["urldate"]) == ("2021", "2021-06-10", ACCESSED)
    assert fields["note"] == "第二十一条, Dataset, release 1.1.0"
    assert fields["url"] == LAW.url


def test_ris_types_laws_as_statutes_and_parses() -> None:
    (law,) = rispy.loads(to_ris(LAW))
    assert law["type_of_reference"] == "STAT"
    assert law["authors"] == ["全国人民代表大会常务委员会"]
    assert law["title"] == "中华人民共和国数据安全法"
    assert (law["year"], law["date"]) == ("2021", "2021/06/10/")
    assert law["urls"] == [LAW.url] and law["access_date"] == ACCESSED
    (regulation,) = rispy.loads(to_ris(REGULATION))
    assert regulation["type_of_reference"] == "GOVDOC"
    assert regulation["note"] == "中华人民共和国国务院令第768号"


def test_csl_types() -> None:
    assert csl_item(LAW)["type"] == "legislation"
    assert csl_item(REGULATION)["type"] == "regulation"
    assert csl_item(CITY_PLAN)["type"] == "document"
    assert csl_item(LAW)["issued"] == {"date-parts": [[2021, 6, 10]]}
    assert csl_item(LAW)["section"] == "第二十一条"


def test_cite_a_clause_in_every_format(client: TestClient) -> None:
    gbt = client.get("/clauses/shenzhen-2023.1.3/cite", params={"release": "0.1.0"})
    assert gbt.status_code == 200 and gbt.headers["content-type"].startswith("text/plain")
    assert gbt.text.startswith("深圳市地方金融监督管理局. ")
    assert "[EB/OL]. (" in gbt.text
    assert gbt.text.endswith("/clause/shenzhen-2023.1.3?release=0.1.0.")
    bib = client.get("/clauses/shenzhen-2023.1.3/cite", params={"format": "bibtex", "release": "0.1.0"})
    (entry,) = bibtexparser.parse_string(bib.text).entries
    assert entry.fields_dict["note"].value.endswith("release 0.1.0")
    ris = client.get("/clauses/shenzhen-2023.1.3/cite", params={"format": "ris"})
    assert rispy.loads(ris.text)[0]["id"] == "shenzhen-2023.1.3"
    csl = client.get("/clauses/shenzhen-2023.1.3/cite", params={"format": "csl-json"})
    assert csl.headers["content-type"] == "application/vnd.citationstyles.csl+json"
    assert json.loads(csl.text)[0]["id"] == "shenzhen-2023.1.3"
    text = client.get("/clauses/shenzhen-2023.1.3/cite", params={"format": "text", "download": "true"})
    assert text.headers["content-disposition"] == 'attachment; filename="shenzhen-2023.1.3.txt"'
    assert text.text.startswith("《")


def test_cite_a_document(client: TestClient) -> None:
    response = client.get("/documents/pboc-2019/cite", params={"format": "ris"})
    (record,) = rispy.loads(response.text)
    assert record["authors"] == ["中国人民银行"]
    assert record["note"] == "银发〔2019〕209号"
    assert record["type_of_reference"] == "GOVDOC"


@pytest.mark.parametrize(
    ("url", "status", "name"),
    [
        ("/clauses/shenzhen-2023.1.3/cite?format=apa", 400, "format"),
        ("/clauses/nope-2020.1/cite", 404, None),
        ("/documents/nope-2020/cite", 404, None),
        ("/documents/pboc-2019/cite?style=x", 400, "style"),
    ],
)
def test_cite_errors(client: TestClient, url: str, status: int, name: str | None) -> None:
    response = client.get(url)
    assert response.status_code == status
    body = response.json()
    if name:
        assert body["invalid_params"][0]["name"] == name


def test_the_explorer_offers_every_format_to_copy_and_download(client: TestClient) -> None:
    for url in ("/clause/shenzhen-2023.1.3", "/document/pboc-2019"):
        page = client.get(url).text
        for fmt in ("gbt7714", "bibtex", "ris", "csl-json", "text"):
            assert f'id="cite-{fmt}"' in page and f'data-copy="#cite-{fmt}"' in page
            assert f"/cite?format={fmt}&amp;release=0.2.0&amp;download=true" in page
