"""The search syntax of q: OR, -exclusions, "exact phrases", parentheses, traditional characters; 400s that explain."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from api import search_syntax as syntax
from api.text_search import QueryError, SearchQuery


def ids(client: TestClient, q: str, **params: object) -> set[str]:
    response = client.get("/clauses", params={"q": q, "limit": 500, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["meta"]["total"] == len(body["data"])
    return {c["id"] for c in body["data"]}


def test_or_is_the_union_of_its_sides(client: TestClient) -> None:
    talent, sandbox = ids(client, "人才"), ids(client, "沙盒")
    assert talent and sandbox and talent != sandbox
    assert ids(client, "人才 OR 沙盒") == talent | sandbox
    # Terms of different lengths (different indexes) combine too.
    assert ids(client, "人才 OR 区块链") == talent | ids(client, "区块链")


def test_minus_excludes_a_term(client: TestClient) -> None:
    talent, schools = ids(client, "人才"), ids(client, "高校")
    assert talent & schools and talent - schools
    assert ids(client, "人才 -高校") == talent - schools
    assert ids(client, "人才 -青岛") == talent - ids(client, "青岛")
    for clause in client.get("/clauses", params={"q": "人才 -高校", "limit": 500}).json()["data"]:
        assert "高校" not in clause["heading"] + clause["text"]
    assert ids(client, "人才 -(高校 OR 奖励)") == talent - schools - ids(client, "奖励") != set()


def test_exact_phrase_and_parentheses(client: TestClient) -> None:
    phrase = ids(client, '"金融科技"')
    assert phrase and phrase <= ids(client, "金融 科技")
    assert ids(client, '"金融 科技"') == set()  # the texts never put a space there
    assert ids(client, "(人才 OR 沙盒) 金融") == (ids(client, "人才") | ids(client, "沙盒")) & ids(client, "金融")


def test_traditional_characters_find_the_simplified_text(client: TestClient) -> None:
    response = client.get("/clauses", params={"q": "區塊鏈", "limit": 500})
    body = response.json()
    assert body["meta"]["query_converted"] == "区块链"
    assert {c["id"] for c in body["data"]} == ids(client, "区块链") != set()
    assert all("<mark>区块链</mark>" in c["snippet"] for c in body["data"] if "区块链" in c["text"])
    assert "query_converted" not in client.get("/clauses", params={"q": "区块链"}).json()["meta"]


@pytest.mark.parametrize(
    ("q", "says"),
    [
        ("人才 OR", "OR at character 4 needs a term on both sides"),
        ("OR 人才", "OR at character 1 has no term before it"),
        ("(人才", "the parenthesis opened at character 1 is not closed"),
        ("人才)", "')' at character 3 closes no parenthesis"),
        ('"金融 科技', "the quote opened at character 1 is not closed"),
        ("-人才", "q only excludes terms"),
        ("人才 ()", "empty parentheses at character 4"),
        ('""', "empty phrase at character 1"),
    ],
)
def test_malformed_queries_get_a_400_that_explains(client: TestClient, q: str, says: str) -> None:
    response = client.get("/clauses", params={"q": q})
    assert response.status_code == 400
    body = response.json()
    assert body["invalid_params"][0]["name"] == "q"
    assert says in body["invalid_params"][0]["reason"]
    assert "search syntax" in body["invalid_params"][0]["reason"]


def test_parser_tree() -> None:
    tree = syntax.parse('(人才 OR 沙盒) "金融 科技" -青岛 2019-2021 or')
    assert tree == syntax.AllOf(
        (
            syntax.AnyOf((syntax.Term("人才"), syntax.Term("沙盒"))),
            syntax.Term("金融 科技", phrase=True),
            syntax.Not(syntax.Term("青岛")),
            syntax.Term("2019-2021"),
            syntax.Term("or"),
        )
    )


def test_plain_words_keep_the_fast_paths() -> None:
    assert SearchQuery.parse("人才").single_bigram == "人才"
    query = SearchQuery.parse("人才 区块链")
    assert (query.single_bigram, query.ranked, query.scans) == (None, True, False)
    assert SearchQuery.parse("5% OR 人才").scans
    assert not SearchQuery.parse("5%").ranked and SearchQuery.parse("5% 人才").ranked
    with pytest.raises(QueryError):
        SearchQuery.parse(" ".join(f"t{i}" for i in range(9)))


def test_the_explorer_explains_the_syntax_and_the_conversion(client: TestClient) -> None:
    page = client.get("/", params={"q": "區塊鏈"}).text
    assert "搜索语法" in page and "<code>人才 OR 沙盒</code>" in page
    assert "已同时按简体搜索：<strong>区块链</strong>" in page
    assert "已同时按简体搜索" not in client.get("/", params={"q": "区块链"}).text
    assert 'class="ndjson-link"' in page
