"""Topic hints for full-text queries (api/topic_hints.py) and the published topic codebook route."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from api.models import Topic
from api.topic_hints import names_topic, topic_hints


def topic(slug: str, zh: str, en: str, count: int = 3) -> Topic:
    return Topic(slug=slug, label_zh=zh, label_en=en, scope="", clause_count=count, clause_count_with_descendants=count)


AI = topic("ai", "人工智能", "Artificial intelligence")
BLOCKCHAIN = topic("blockchain", "区块链", "Blockchain")
RMB = topic("digital-rmb", "数字人民币", "Digital RMB (e-CNY)")
DATA = topic("data-sharing", "数据共享与治理", "Data sharing and governance")
SANDBOX = topic("sandbox", "监管沙盒与试点", "Sandbox and innovation pilots")


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("blockchain", BLOCKCHAIN),
        ("Blockchain ", BLOCKCHAIN),
        ("区块链", BLOCKCHAIN),
        ("区块链技术应用", BLOCKCHAIN),
        ("AI", AI),
        ("ai", AI),
        ("artificial intelligence", AI),
        ("Artificial-Intelligence", AI),
        ("人工智能", AI),
        ("e-CNY", RMB),
        ("digital rmb", RMB),
        ("digital_rmb", RMB),
        ("数字人民币", RMB),
        ("数据共享", DATA),
        ("data sharing", DATA),
        ("监管沙盒", SANDBOX),
        ("sandbox", SANDBOX),
    ],
)
def test_a_query_names_a_topic_by_its_english_or_chinese_names(query: str, named: Topic) -> None:
    assert names_topic(query, named)


@pytest.mark.parametrize(
    ("query", "other"),
    [
        ("区块", BLOCKCHAIN),
        ("chain", BLOCKCHAIN),
        ("aid", AI),
        ("智能", AI),
        ("治理", DATA),
        ("试点", SANDBOX),
        ("data", DATA),
        ("blockchain ai", AI),
    ],
)
def test_a_query_that_does_not_name_the_topic(query: str, other: Topic) -> None:
    assert not names_topic(query, other)


def test_hints_carry_counts_and_the_filter_link() -> None:
    hints = topic_hints("区块链", [AI, BLOCKCHAIN], {"blockchain": 2, "talent": 9}, "1.1.0")
    assert [(h.topic, h.clause_count, h.matching_clause_count, h.href) for h in hints] == [
        ("blockchain", 3, 2, "/clauses?topic=blockchain&release=1.1.0")
    ]
    assert topic_hints(None, [AI], {}, "1.1.0") == topic_hints("  ", [AI], {}, "1.1.0") == []


def test_clause_list_says_which_topic_a_query_names(client: TestClient) -> None:
    body = client.get("/clauses", params={"q": "人才", "limit": 1}).json()
    (hint,) = body["meta"]["topic_hints"]
    assert hint["topic"] == "talent" and hint["href"] == f"/clauses?topic=talent&release={body['meta']['release']}"
    assert hint["matching_clause_count"] == body["meta"]["facets"]["topic"]["talent"]
    assert client.get(hint["href"]).json()["meta"]["total"] == hint["clause_count"]
    # an English label finds the topic (the Chinese text seldom has the English word)
    english = client.get("/clauses", params={"q": "Talent"}).json()
    assert english["meta"]["topic_hints"][0]["topic"] == "talent"
    assert "topic_hints" not in client.get("/clauses", params={"q": "金融"}).json()["meta"]
    assert "topic_hints" not in client.get("/clauses", params={"topic": "talent"}).json()["meta"]


def test_search_page_links_the_topic_a_query_names(client: TestClient) -> None:
    html = client.get("/", params={"q": "Digital RMB"}).text
    assert 'class="topic-hint"' in html and 'href="/?topic=digital-rmb"' in html
    assert 'href="/topics/codebook"' in html
    assert 'class="topic-hint"' not in client.get("/", params={"q": "金融"}).text


def test_codebook_route(client: TestClient) -> None:
    response = client.get("/topics/codebook")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/markdown")
    assert response.text.startswith("# Topic codebook")
    old = client.get("/topics/codebook", params={"release": "0.1.0"})
    assert old.status_code == 404 and "Release 0.1.0 has no topic codebook" in old.json()["detail"]


def test_clause_page_why_these_topics_links_the_codebook(client: TestClient) -> None:
    tagged = client.get("/clauses", params={"topic": "talent", "limit": 1}).json()["data"][0]["id"]
    html = client.get(f"/clause/{tagged}").text
    assert 'class="why"' in html and 'class="codebook-link" href="/topics/codebook"' in html
