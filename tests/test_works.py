"""Works and versions (scripts/works.py) and citations resolved to them (scripts/citations.py)."""

from __future__ import annotations

from pathlib import Path

from scripts.citations import extract_citations, title_key
from scripts.works import commencement_date, in_force_on, start_date, version_rows, work_id, work_rows
from tests.helpers import read_csv

DATA = Path(__file__).resolve().parents[1] / "datapackage" / "data"


def doc(doc_id: str, **dates: str) -> dict[str, str]:
    return {"id": doc_id, "title": "中华人民共和国反洗钱法", "doc_number": "", **dates}


def test_work_id_is_the_document_id_without_its_year() -> None:
    assert [work_id(d) for d in ("aml-law-2024", "shanghai-pudong-blockchain-documents-2024", "pboc-2019", "x")] == [
        "aml-law",
        "shanghai-pudong-blockchain-documents",
        "pboc",
        "x",
    ]


def test_start_date_precedence() -> None:
    assert start_date(doc("a-2006", date_effective="2007-01-01", date_promulgated="2006-10-31"), "2007-02-01") == (
        "2007-01-01",
        "effective",
    )
    assert start_date(doc("a-2006", date_promulgated="2006-10-31"), "2007-01-01") == ("2007-01-01", "commencement")
    assert start_date(doc("a-2006", date_promulgated="2006-10-31", date_issued="2006"), "") == (
        "2006-10-31",
        "promulgated",
    )
    assert start_date(doc("a-2006", date_issued="2006-10"), "") == ("2006-10", "issued")
    assert start_date(doc("a-2006"), "") == ("", "")
    assert commencement_date([{"text": "第三十七条 本法自2007年1月1日起施行。"}]) == "2007-01-01"


def test_versions_chain_by_start_date_and_are_in_force_until_the_next() -> None:
    docs = [
        doc("aml-law-2024", date_effective="2025-01-01"),
        doc("aml-law-2006", date_effective="2007-01-01"),
        {"id": "pboc-2019", "title": "规划", "date_issued": "2019-08-22"},
    ]
    versions = version_rows(docs, [])
    assert [
        (
            v["document_id"],
            v["version"],
            v["in_force_from"],
            v["in_force_until"],
            v["previous_document_id"],
            v["next_document_id"],
        )
        for v in versions
    ] == [
        ("aml-law-2006", 1, "2007-01-01", "2025-01-01", "", "aml-law-2024"),
        ("aml-law-2024", 2, "2025-01-01", "", "aml-law-2006", ""),
        ("pboc-2019", 1, "2019-08-22", "", "", ""),
    ]
    assert [w["id"] for w in work_rows(docs, versions)] == ["aml-law", "pboc"]
    assert [in_force_on(v, "2020-01-01") for v in versions] == [True, False, True]
    assert [in_force_on(v, "2025-06-01") for v in versions] == [False, True, True]
    assert [in_force_on(v, "2006-01-01") for v in versions] == [False, False, False]


def test_the_three_versioned_works_of_the_package_are_linked() -> None:
    versions = read_csv(DATA / "versions.csv")
    chains = {
        w["id"]: (w["first_document_id"], w["latest_document_id"])
        for w in read_csv(DATA / "works.csv")
        if int(w["versions"]) > 1
    }
    assert chains == {
        "aml-law": ("aml-law-2006", "aml-law-2024"),
        "sme-payment": ("sme-payment-2020", "sme-payment-2025"),
        "shanghai-ifc": ("shanghai-ifc-2009", "shanghai-ifc-2024"),
    }
    in_force = {v["document_id"] for v in versions if in_force_on(v, "2020-01-01")}
    assert "aml-law-2006" in in_force and "aml-law-2024" not in in_force
    in_force = {v["document_id"] for v in versions if in_force_on(v, "2025-06-01")}
    assert "aml-law-2024" in in_force and "aml-law-2006" not in in_force


AML = [doc("aml-law-2006", date_effective="2007-01-01"), doc("aml-law-2024", date_effective="2025-01-01")]


def citing(doc_id: str, text: str) -> list[dict[str, object]]:
    documents = [*AML, {"id": doc_id, "title": "某条例", "date_effective": doc_id[-4:] + "-06-01"}]
    clauses = [
        {"id": f"{doc_id}.art1", "document_id": doc_id, "text": text},
        {"id": "aml-law-2006.art20", "document_id": "aml-law-2006", "text": ""},
        {"id": "aml-law-2024.art20", "document_id": "aml-law-2024", "text": ""},
        {"id": "aml-law-2024.art2.p2", "document_id": "aml-law-2024", "text": ""},
    ]
    return extract_citations(clauses, documents, version_rows(documents, clauses))


def test_a_title_resolves_to_the_version_in_force_when_the_citing_document_came_into_force() -> None:
    (old,) = citing("x-2020", "依照《反洗钱法》第二十条的规定")
    assert (old["document_id"], old["work_id"], old["cited_article"], old["cited_clause_id"]) == (
        "aml-law-2006",
        "aml-law",
        "第二十条",
        "aml-law-2006.art20",
    )
    (new,) = citing("x-2025", "依照《中华人民共和国反洗钱法》第二条第二款")
    assert (new["document_id"], new["cited_article"], new["cited_clause_id"]) == (
        "aml-law-2024",
        "第二条第二款",
        "aml-law-2024.art2.p2",
    )
    (early,) = citing("x-2001", "《反洗钱法》第九十九条")  # older than the law: its first version; no such article
    assert (early["document_id"], early["cited_clause_id"]) == ("aml-law-2006", "")
    assert title_key("《中华人民共和国反洗钱法》") == title_key("反洗钱法")


def test_every_cited_title_that_names_a_work_of_the_package_resolves() -> None:
    works = {title_key(d["title"]): d["id"] for d in read_csv(DATA / "documents.csv")}
    citations = read_csv(DATA / "citations.csv")
    naming = [c for c in citations if c["cited_title"] and title_key(c["cited_title"]) in works]
    assert naming and all(c["document_id"] and c["work_id"] for c in naming)
    unresolved = {c["cited_title"] for c in citations if c["cited_title"] and not c["document_id"]}
    assert "中华人民共和国网络安全法" in unresolved


def test_unresolved_targets_are_listed_once_with_their_citing_documents() -> None:
    from scripts.citations import unresolved_targets

    rows = [
        {
            "clause_id": "a-2020.art1",
            "cited_title": "中华人民共和国网络安全法",
            "cited_doc_number": "",
            "document_id": "",
        },
        {"clause_id": "b-2021.art3", "cited_title": "网络安全法", "cited_doc_number": "", "document_id": ""},
        {"clause_id": "b-2021.art4", "cited_title": "", "cited_doc_number": "银发〔2018〕325号", "document_id": ""},
        {"clause_id": "b-2021.art5", "cited_title": "反洗钱法", "cited_doc_number": "", "document_id": "aml-law-2006"},
    ]
    assert unresolved_targets(rows) == [
        {
            "target": "网络安全法",
            "cited_title": "中华人民共和国网络安全法",
            "cited_doc_number": "",
            "citations": 2,
            "citing_documents": ["a-2020", "b-2021"],
            "first_clause_id": "a-2020.art1",
        },
        {
            "target": "银发〔2018〕325号",
            "cited_title": "",
            "cited_doc_number": "银发〔2018〕325号",
            "citations": 1,
            "citing_documents": ["b-2021"],
            "first_clause_id": "b-2021.art4",
        },
    ]
    listed = {r["target"] for r in read_csv(DATA / "unresolved_citations.csv")}
    unresolved = [c for c in read_csv(DATA / "citations.csv") if not c["document_id"]]
    assert len(listed) <= len(unresolved) and "网络安全法" in listed
