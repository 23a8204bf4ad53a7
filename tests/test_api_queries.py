"""GET /clauses on the fixture store: every filter, paging, ordering and Chinese full-text search."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from api.store import Store
from tests.helpers import API_FIXTURE, API_STORE_DIR


def get(client: TestClient, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def ids(client: TestClient, **params: Any) -> list[str]:
    body = get(client, "/clauses", limit=500, **params)
    assert body["meta"]["total"] == len(body["data"])
    return [c["id"] for c in body["data"]]


# --- filters ---------------------------------------------------------------------------------------------------


def test_no_filter_lists_every_clause_in_document_order(client: TestClient) -> None:
    body = get(client, "/clauses", limit=500)
    assert body["meta"]["total"] == 43
    docs = [c["document_id"] for c in body["data"]]
    # Documents by jurisdiction in vocabulary order (national, …, chongqing, qingdao, shenzhen), clauses by seq.
    assert list(dict.fromkeys(docs)) == [
        "pboc-2019",
        "demo-law-2019",
        "demo-law-2023",
        "chongqing-2020",
        "qingdao-2021",
        "shenzhen-2023",
    ]
    for doc in set(docs):
        seqs = [c["seq"] for c in body["data"] if c["document_id"] == doc]
        assert seqs == sorted(seqs)
    assert body["meta"]["facets"]["city"] == {"national": 22, "chongqing": 3, "qingdao": 11, "shenzhen": 7}
    assert body["meta"]["facets"]["level"] == {"national": 22, "provincial": 3, "municipal": 18}


def test_city_filter(client: TestClient) -> None:
    assert ids(client, city="chongqing") == ["chongqing-2020.1", "chongqing-2020.1.1", "chongqing-2020.1.2"]
    both = ids(client, city=["chongqing", "shenzhen"])
    assert len(both) == 10 and {i.split(".")[0] for i in both} == {"chongqing-2020", "shenzhen-2023"}


def test_level_filter(client: TestClient) -> None:
    assert ids(client, level="provincial") == ids(client, city="chongqing")
    assert len(ids(client, level="municipal")) == 18
    assert ids(client, level="national", city="qingdao") == []


def test_document_filter(client: TestClient) -> None:
    assert len(ids(client, document="shenzhen-2023")) == 7
    assert len(ids(client, document=["shenzhen-2023", "pboc-2019"])) == 16
    assert ids(client, document="shenzhen-2023", city="qingdao") == []


def test_kind_filter(client: TestClient) -> None:
    assert ids(client, kind="box") == ["shenzhen-2023.1.1.box1"]
    assert ids(client, kind=["footnote", "bullet"]) == ["pboc-2019.2.2.fn1", "qingdao-2021.3.1.b1"]
    assert ids(client, kind="part", city="qingdao") == ["qingdao-2021.1", "qingdao-2021.2", "qingdao-2021.3"]


def test_topic_filter_any_is_the_default(client: TestClient) -> None:
    sandbox = ["chongqing-2020.1.1", "qingdao-2021.2.2", "shenzhen-2023.1.2"]
    assert ids(client, topic="sandbox") == sandbox
    assert ids(client, topic=["sandbox", "green-finance"]) == [*sandbox[:1], "chongqing-2020.1.2", *sandbox[1:]]
    assert ids(client, topic=["sandbox", "green-finance"], topic_mode="any") == ids(
        client, topic=["green-finance", "sandbox"]
    )


def test_topic_filter_all(client: TestClient) -> None:
    assert ids(client, topic=["talent", "fiscal-support"], topic_mode="all") == ["shenzhen-2023.1.3"]
    assert ids(client, topic=["sandbox", "regulation"], topic_mode="all") == ["qingdao-2021.2.2"]
    assert ids(client, topic=["sandbox", "green-finance"], topic_mode="all") == []


def test_topic_filter_with_descendants(client: TestClient) -> None:
    own = ids(client, topic="talent", city="national")
    assert own == ["pboc-2019.2.1", "pboc-2019.2.1.1"]
    # pboc-2019.2.1.2 has no topic of its own but sits in the section tagged talent.
    inherited = ids(client, topic="talent", city="national", include_descendants="true")
    assert inherited == ["pboc-2019.2.1", "pboc-2019.2.1.1", "pboc-2019.2.1.2"]
    body = get(client, "/clauses", topic="talent", city="national", include_descendants="true")
    assert body["meta"]["facets"]["topic"] == {"talent": 3, "research": 1}
    # Qingdao's part 三 is tagged governance: its items inherit it.
    assert ids(client, topic="governance", city="qingdao", include_descendants="true") == [
        "qingdao-2021.3",
        "qingdao-2021.3.1",
        "qingdao-2021.3.1.b1",
        "qingdao-2021.3.2",
    ]


def test_every_filter_at_once(client: TestClient) -> None:
    body = get(
        client,
        "/clauses",
        city="shenzhen",
        level="municipal",
        document="shenzhen-2023",
        topic="talent",
        kind="paragraph",
        q="人才",
    )
    assert [c["id"] for c in body["data"]] == ["shenzhen-2023.1.3.p1"]
    assert body["meta"]["facets"] == {
        "city": {"shenzhen": 1},
        "level": {"municipal": 1},
        "topic": {"talent": 1},
        "document": {"shenzhen-2023": 1},
        "kind": {"paragraph": 1},
    }


def test_release_filter(client: TestClient) -> None:
    assert get(client, "/clauses", release="0.1.0")["meta"]["total"] == 26
    assert get(client, "/clauses", release="latest")["meta"]["release"] == "0.2.0"
    assert ids(client, city="chongqing", release="0.1.0") == []
    old = get(client, "/clauses/qingdao-2021.3.1", release="0.1.0")["data"]["text"]
    assert old == "加强人才队伍建设。拓宽金融科技人才引进渠道。"


def test_facets_count_the_filtered_set(client: TestClient) -> None:
    body = get(client, "/clauses", city="qingdao", topic="talent")
    facets = body["meta"]["facets"]
    assert body["meta"]["total"] == 2
    assert sum(facets["city"].values()) == sum(facets["kind"].values()) == sum(facets["document"].values()) == 2
    assert facets["topic"] == {"talent": 2}


# --- paging ----------------------------------------------------------------------------------------------------


def test_offset_paging(client: TestClient) -> None:
    every = ids(client)
    first = get(client, "/clauses", limit=7)
    second = get(client, "/clauses", limit=7, offset=7)
    assert [c["id"] for c in first["data"] + second["data"]] == every[:14]
    assert second["meta"]["offset"] == 7 and second["meta"]["total"] == 43
    last = get(client, "/clauses", limit=7, offset=42)
    assert [c["id"] for c in last["data"]] == every[42:] and last["meta"]["next_cursor"] is None
    assert get(client, "/clauses", offset=100)["data"] == []


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"city": "qingdao"},
        {"topic": "talent"},
        {"topic": ["talent", "sandbox"]},
        {"q": "金融"},
        {"q": "人才"},
        {"q": "金融科技", "order": "document"},
        {"topic": "talent", "include_descendants": "true"},
    ],
)
def test_cursor_paging_walks_the_whole_list(client: TestClient, params: dict[str, Any]) -> None:
    everything = [c["id"] for c in get(client, "/clauses", limit=500, **params)["data"]]
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        page = get(client, "/clauses", limit=3, **params, **({"cursor": cursor} if cursor else {}))
        seen += [c["id"] for c in page["data"]]
        cursor = page["meta"]["next_cursor"]
        if cursor is None:
            break
    assert seen == everything


def test_cursor_is_bound_to_its_query(client: TestClient) -> None:
    cursor = get(client, "/clauses", city="qingdao", limit=2)["meta"]["next_cursor"]
    response = client.get("/clauses", params={"city": "shenzhen", "cursor": cursor})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "cursor"
    response = client.get("/clauses", params={"city": "qingdao", "cursor": cursor, "release": "0.1.0"})
    assert response.status_code == 400
    response = client.get("/clauses", params={"city": "qingdao", "cursor": cursor, "offset": 4})
    assert response.status_code == 400
    assert "either offset or cursor" in response.json()["invalid_params"][0]["reason"]


# --- search ----------------------------------------------------------------------------------------------------


def test_two_character_words_find_their_clauses_across_cities(client: TestClient) -> None:
    talent = ids(client, q="人才")
    assert sorted(talent) == [
        "pboc-2019.2.1",
        "pboc-2019.2.1.1",
        "qingdao-2021.3.1",
        "qingdao-2021.3.1.b1",
        "shenzhen-2023.1.3",
        "shenzhen-2023.1.3.p1",
    ]
    assert sorted(ids(client, q="沙盒")) == ["chongqing-2020.1.1", "qingdao-2021.2.2", "shenzhen-2023.1.2"]


def test_phrases_find_their_clauses(client: TestClient) -> None:
    assert sorted(ids(client, q="数字人民币")) == [
        "pboc-2019.2.2",
        "pboc-2019.2.2.fn1",
        "qingdao-2021.2.1",
        "shenzhen-2023.1.1",
        "shenzhen-2023.1.1.box1",
    ]
    assert ids(client, q="监管沙盒", city="qingdao") == ["qingdao-2021.2.2"]
    assert ids(client, q="数字人民币红包") == ["shenzhen-2023.1.1.box1"]


def test_single_characters_match(client: TestClient) -> None:
    assert sorted(ids(client, q="才")) == sorted(ids(client, q="人才"))
    assert ids(client, q="盒") == ids(client, q="沙盒", order="document")
    assert ids(client, q="链") == ["qingdao-2021.1.1"]


def test_several_terms_must_all_match(client: TestClient) -> None:
    assert ids(client, q="人才 高校") == ["qingdao-2021.3.1.b1", "pboc-2019.2.1.1"]
    assert ids(client, q="人才 培养 金融机构") == ["qingdao-2021.3.1.b1"]
    assert ids(client, q="沙盒 绿色") == []


def test_latin_text_is_case_insensitive_and_punctuation_is_searchable(client: TestClient) -> None:
    # "Fintech" in Shenzhen's paragraph, "FinTech" in the title Qingdao's preamble cites
    assert sorted(ids(client, q="FINTECH")) == ["qingdao-2021.preamble", "shenzhen-2023.1.3.p1"]
    assert ids(client, q="5g") == ["qingdao-2021.1.1"]
    assert ids(client, q="&") == ["shenzhen-2023.1.3.p1"]
    assert ids(client, q="“监管") == ["chongqing-2020.1.1"]


def test_fts_syntax_is_taken_literally(client: TestClient) -> None:
    # The full-text index's own operators are text to search for; the API's syntax is in test_search_syntax.py.
    for q in ["NEAR(人才)", "*", "才*", "a:b", "%", "_", "人才 AND", "人才 NOT 沙盒", "“监管"]:
        response = client.get("/clauses", params={"q": q})
        assert response.status_code == 200, (q, response.text)
    assert ids(client, q="人才 NOT 沙盒") == []


def test_snippets_highlight_every_match_and_escape_html(client: TestClient) -> None:
    body = get(client, "/clauses", q="人才", city="shenzhen")
    snippets = {c["id"]: c["snippet"] for c in body["data"]}
    assert snippets["shenzhen-2023.1.3"] == (
        "引进金融科技高端<mark>人才</mark>。对金融科技领军<mark>人才</mark>给予奖励，加强<mark>人才</mark>住房保障。"
    )
    assert snippets["shenzhen-2023.1.3.p1"] == (
        "Fintech talent &amp; R&amp;D &lt;专项&gt; programmes (金融科技<mark>人才</mark>计划) are open to applicants "
        "from Hong Kong and Macao."
    )
    assert "snippet" not in get(client, "/clauses", city="shenzhen")["data"][0]


def test_snippets_of_long_texts_are_cut_around_the_first_match(client: TestClient) -> None:
    body = get(client, "/clauses", q="新引擎")
    assert body["data"][0]["snippet"] == "重要意义。金融科技成为推动金融转型升级的<mark>新引擎</mark>。"


def test_snippets_escape_what_their_passage_holds() -> None:
    import re

    from api.text_search import SearchQuery, snippet

    pattern = SearchQuery.parse("人才").pattern
    # The passage starts 30 characters before the first match: the <b> before it is cut off, one inside escaped.
    lead = "<b>" + "甲" * 30
    assert (
        snippet(lead + "人才<b>" + "乙" * 10, pattern, 40) == "…" + "甲" * 30 + "<mark>人才</mark>&lt;b&gt;乙乙乙乙乙…"
    )
    assert snippet(lead + "人才" + "乙" * 10, pattern, 40) == "…" + "甲" * 30 + "<mark>人才</mark>" + "乙" * 8 + "…"
    assert snippet("a & b", pattern) == "a &amp; b"  # no match: the text's start, escaped
    # Any pattern: one with groups of its own, or one matching an empty string, marks the same way.
    assert snippet("x<a>ba", re.compile("(a)|(b)")) == "x&lt;<mark>a</mark>&gt;<mark>b</mark><mark>a</mark>"
    assert snippet("人才", re.compile("z*|人")) == "<mark>人</mark>才"


def test_relevance_ranks_by_bm25(client: TestClient) -> None:
    ranked = ids(client, q="人才")
    # Bigrams in each clause's text (the mean is 23.2): shenzhen-2023.1.3 says 人才 3 times in 28,
    # qingdao-2021.3.1 4 times in 41, pboc-2019.2.1.1 twice in 28; then once in 11, 16 and 58.
    assert ranked == [
        "shenzhen-2023.1.3",
        "qingdao-2021.3.1",
        "pboc-2019.2.1.1",
        "pboc-2019.2.1",
        "qingdao-2021.3.1.b1",
        "shenzhen-2023.1.3.p1",
    ]
    assert ids(client, q="人才", order="document") == sorted(ranked, key=ids(client).index)
    assert ids(client, q="人才", order="relevance") == ranked


def test_relevance_of_phrases(client: TestClient) -> None:
    ranked = ids(client, q="数字人民币")
    assert ranked[0] == "qingdao-2021.2.1"  # says it three times in a short clause
    assert set(ranked) == set(ids(client, q="数字人民币", order="document"))


def test_clause_history_across_releases(client: TestClient) -> None:
    text = "深圳正依托科技创新推动金融高质量发展，助力深圳建设全球金融科技中心。"
    entry = {"present": True, "numbering": "前言", "heading": "前言", "text": text, "topics": []}
    assert get(client, "/clauses/shenzhen-2023.preamble/history") == {
        "data": [{"release": "0.1.0", "changed": True, **entry}, {"release": "0.2.0", "changed": False, **entry}],
        "meta": {"release": "0.2.0"},
    }
    old = "为贯彻落实中央经济工作会议经济战略部署，促进青岛市金融科技发展，推动金融与科技深度融合，现提出以下意见。"
    new = old.replace("落实", "落实《金融科技（FinTech）发展规划（2019-2021年）》（银发〔2019〕209号）和")
    entry = {"present": True, "numbering": "前言", "heading": "", "topics": []}
    assert get(client, "/clauses/qingdao-2021.preamble/history")["data"] == [
        {"release": "0.1.0", "changed": True, "text": old, **entry},
        {"release": "0.2.0", "changed": True, "text": new, **entry},
    ]
    missing = client.get("/clauses/qingdao-2021.99/history")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No clause 'qingdao-2021.99' in any release (0.1.0, 0.2.0)."


@pytest.mark.parametrize(
    "flt",
    [
        {},
        {"cities": ("qingdao",), "topics": ("talent",)},
        {"cities": ("qingdao", "national"), "topics": ("talent", "sandbox")},
        {"levels": ("municipal",), "topics": ("talent", "fiscal-support"), "topic_mode": "all"},
        {"topics": ("talent",), "include_descendants": True},
        {"kinds": ("item", "bullet"), "documents": ("pboc-2019",)},
        {"search": "人才"},
        {"search": "人才", "cities": ("qingdao",)},
        {"search": "数字人民币", "kinds": ("item",)},
        {"search": "金融 科技", "topics": ("talent",), "include_descendants": True},
    ],
)
def test_facets_from_memory_columns_equal_the_sql_counts(flt: dict[str, Any]) -> None:
    from api.clause_queries import ClauseFilter, facets
    from api.text_search import SearchQuery

    release = Store.open(API_FIXTURE, API_STORE_DIR).get("0.2.0")
    if "search" in flt:
        flt = {**flt, "search": SearchQuery.parse(flt["search"])}
    f = ClauseFilter(**flt)
    assert release.fact_columns is not None and release.document_arrays is not None
    from_arrays = facets(release, f)
    release.facet_cache = type(release.facet_cache)(0)
    release.__dict__["document_arrays"] = None  # loops over the documents instead
    from_columns = facets(release, f)
    release.__dict__["fact_columns"] = None  # as for a vocabulary of more than 64 topics
    from_sql = facets(release, f)
    assert _ordered(from_arrays) == _ordered(from_columns) == _ordered(from_sql)
    assert from_columns.total > 0


def _ordered(facets: Any) -> list[Any]:
    """Facets with the order of each mapping (as the JSON answer lists them)."""
    return [list(v.items()) if isinstance(v, dict) else v for v in vars(facets).values()]


@pytest.mark.parametrize(
    "flt",
    [
        {"cities": ("qingdao",)},
        {"cities": ("qingdao", "national"), "levels": ("municipal", "national")},
        {"levels": ("municipal",)},
        {"documents": ("pboc-2019", "qingdao-2021")},
        {"cities": ("qingdao",), "documents": ("pboc-2019",)},
        {"cities": ("nowhere",)},
    ],
)
def test_document_runs_from_arrays_equal_the_loop(flt: dict[str, Any]) -> None:
    from api.clause_queries import ClauseFilter, _doc_ranges

    release = Store.open(API_FIXTURE, API_STORE_DIR).get("0.2.0")
    f = ClauseFilter(**flt)
    from_arrays = _doc_ranges(release, f)
    release.__dict__["document_arrays"] = None
    assert from_arrays == _doc_ranges(release, f)


@pytest.mark.parametrize("word", ["人才", "金融", "数据", "科技", "5g", "沙盒"])
def test_one_word_answers_as_the_general_path(word: str) -> None:
    """A one-word query read from its posting list alone: the same total, facets and ranked pages as the general
    path of text queries (:mod:`api.text_match` and BM25 over its matches)."""
    from api.clause_queries import ClauseFilter, facets, page
    from api.text_search import SearchQuery

    release = Store.open(API_FIXTURE, API_STORE_DIR).get("0.2.0")
    assert release.has_bigram_postings
    f = ClauseFilter(search=SearchQuery.parse(word))
    release.facet_cache = type(release.facet_cache)(0)
    total = facets(release, f).total
    pages = [(limit, offset) for limit in (1, 7, 50) for offset in (0, 3, max(total - 2, 0))]
    from_postings = (_ordered(facets(release, f)), [page(release, f, "relevance", lim, off) for lim, off in pages])
    release.__dict__["has_bigram_postings"] = False
    general = (_ordered(facets(release, f)), [page(release, f, "relevance", lim, off) for lim, off in pages])
    assert from_postings == general
    assert total > 0
    from api import search_index

    said, tf = search_index.postings(release.db, word)
    assert search_index.clause_numbers(release.db, word).tolist() == said.tolist() and len(said) == len(tf) == total
    assert (
        len(search_index.clause_numbers(release.db, "ㄅㄆ")) == len(search_index.postings(release.db, "ㄅㄆ")[0]) == 0
    )


def test_topic_codes_count_as_the_bits() -> None:
    import numpy as np

    from api.document_arrays import TopicCodes
    from api.running_counts import bit_counts

    rng = np.random.default_rng(7)
    masks = rng.integers(0, 2**62, 5_000, dtype=np.int64).astype(np.uint64) & np.uint64(0xF00F_0000_00FF_F0F3)
    masks[::7] |= np.uint64(1 << 63)
    codes = TopicCodes.build(masks)
    for index in (np.arange(len(masks)), rng.choice(len(masks), 300, replace=False), np.empty(0, np.int64)):
        assert codes.counts(index).tolist() == bit_counts(masks[index]).tolist()


def test_topic_codes_by_hand() -> None:
    import numpy as np

    from api.document_arrays import TopicCodes

    # Bits 0 and 2 (mask 5), none (0), bit 63; kinds 3, 1 and 8 (none of 2, 4-7).
    masks = np.array([5, 0, 1 << 63, 5, 4, 0], np.uint64)
    kinds = np.array([3, 1, 8, 3, 1, 3], np.int8)
    codes = TopicCodes.build(masks, kinds)
    expected = {(0, 1, 2, 3, 4, 5): {0: 2, 2: 3, 63: 1}, (1, 5): {}, (2, 4): {2: 1, 63: 1}}
    for chosen, bits in expected.items():
        index = np.array(chosen)
        for by_bit, by_kind in (codes.facet_counts(index), codes._few(index)):  # every pair counted; sorted codes
            assert {b: int(by_bit[b]) for b in np.flatnonzero(by_bit)} == bits
            assert np.trim_zeros(by_kind, "b").tolist() == np.bincount(kinds[index]).tolist()
    none = TopicCodes.build(np.zeros(3, np.uint64), np.array([2, 2, 5], np.int8))
    for index in (np.arange(3), np.array([2])):
        assert none.facet_counts(index)[0].tolist() == [0] * 64
        assert (
            np.trim_zeros(none.facet_counts(index)[1], "b").tolist() == np.bincount(np.array([2, 2, 5])[index]).tolist()
        )


def test_topic_codes_count_the_kinds() -> None:
    import numpy as np

    from api.document_arrays import TopicCodes

    rng = np.random.default_rng(11)
    masks = rng.integers(0, 16, 4_000, dtype=np.int64).astype(np.uint64)
    kinds = rng.integers(1, 9, 4_000).astype(np.int8)
    codes = TopicCodes.build(masks, kinds)
    for index in (np.arange(len(masks)), rng.choice(len(masks), 60, replace=False), np.array([5, 17])):
        by_bit, by_kind = codes.facet_counts(index)
        assert by_kind.tolist() == np.bincount(kinds[index], minlength=len(by_kind)).tolist()
        assert by_bit.tolist() == codes.counts(index).tolist()


def test_one_topic_select_reads_the_members_and_equals_the_mask_scan() -> None:
    import numpy as np

    from api.fact_columns import FactColumns

    rng = np.random.default_rng(5)
    size = 3_000
    masks = rng.integers(0, 2**10, size, dtype=np.int64).astype(np.uint64)
    masks[::11] |= np.uint64(1 << 63)
    cols = FactColumns(
        doc=np.ones(size, np.int32),
        kind=rng.integers(1, 6, size).astype(np.int8),
        topics=masks,
        topics_inherited=masks | np.uint64(1 << 4),
    )

    def scan(ranges: list[tuple[int, int]], kinds: list[int], bit: int, inherited: bool) -> list[int]:
        chosen = cols.topics_inherited if inherited else cols.topics
        return [
            n - 1
            for lo, hi in ranges
            for n in range(lo, min(hi, size) + 1)
            if int(chosen[n - 1]) >> bit & 1 and (not kinds or int(cols.kind[n - 1]) in kinds)
        ]

    cases = [([(1, size)], [], 3), ([(10, 400), (900, 901), (2_990, 5_000)], [2, 4], 63), ([(50, 40)], [], 0)]
    for ranges, kinds, bit in cases:
        for inherited in (False, True):
            expected = scan(ranges, kinds, bit, inherited)
            assert cols.select(ranges, kinds, 1 << bit, 0, inherited).index.tolist() == expected
            assert cols.select(ranges, kinds, 0, 1 << bit, inherited).index.tolist() == expected
            assert cols.select(ranges, kinds, 1 << bit, 1 << bit, inherited).index.tolist() == expected
    assert cols.select(None, [], 1 << 4, 0, True).index.tolist() == list(range(size))
    assert cols.members(4, False).dtype == np.int32


@pytest.mark.parametrize(
    "params",
    [
        {"city": ["qingdao"]},
        {"topic": ["talent"]},
        {"city": ["shanghai", "qingdao"], "topic": ["talent"], "include_descendants": True},
        {"topic": ["ai", "big-data"], "topic_mode": "all"},
        {"kind": ["item"], "level": ["municipal"]},
        {"document": ["pboc-2019"], "as_of": "2024-01-01"},
    ],
)
def test_pages_from_the_in_memory_index_equal_the_pages_from_sql(params: dict[str, Any]) -> None:
    """Every page, walked by cursor and by offset, is the same with the in-memory paths as from SQL alone."""
    import msgspec

    from api.clause_listing import ListRequest, list_clauses
    from bench.inprocess import FAST_PATHS

    def walk(release: Any) -> list[bytes]:
        pages, cursor = [], None
        while True:
            answer = list_clauses(release, ListRequest(**params, limit=2, cursor=cursor))
            pages.append(msgspec.json.encode(answer))
            if (cursor := answer.meta.next_cursor) is None:
                break
        pages += [msgspec.json.encode(list_clauses(release, ListRequest(**params, limit=2, offset=o))) for o in (1, 3)]
        return pages

    store = Store.open(API_FIXTURE, API_STORE_DIR)
    store.disable_caches()
    release = store.get("0.2.0")
    fast = walk(release)
    release.__dict__.update(FAST_PATHS)
    assert walk(release) == fast
    assert b'"data":[]' not in fast[0]  # the filter selects something


def test_clause_counts_by_document_equal_a_bin_count() -> None:
    """Contiguous documents (one with no clause among them) are counted by searches over the spanned documents'
    bounds or by runs of the matches' documents, others (and unordered matches) by sorting the matches'
    documents; each way equals a bin count of each clause's document."""
    import numpy as np

    from api.document_arrays import DocumentArrays

    sizes = [5, 0, 7, 3, 1, 9]
    firsts = np.cumsum([1, *sizes[:-1]])
    rows = [
        (i + 1, f"d{i}", "x", "y", int(f), int(f) + s - 1) for i, (f, s) in enumerate(zip(firsts, sizes, strict=True))
    ]
    gap = [(o, d, c, lv, f + 2 * o, last + 2 * o) for o, d, c, lv, f, last in rows]  # not contiguous
    rng = np.random.default_rng(3)
    for documents in (rows, gap):
        arrays = DocumentArrays.build(documents, ["x"], ["y"])
        doc_of = np.zeros(documents[-1][5], np.int64)
        for o, _, _, _, first, last in documents:
            doc_of[first - 1 : last] = o
        inside = np.flatnonzero(doc_of)
        spread = np.sort(rng.choice(inside, 12, replace=False))
        for index in (spread, inside[inside >= 5][:7], inside[-7:], inside[[0, -1]], spread[::-1], inside[:0]):
            docs, counts = arrays.clause_counts(index, doc_of)
            expected = np.bincount(doc_of[index], minlength=len(sizes) + 1)
            assert docs.tolist() == np.flatnonzero(expected).tolist()
            assert counts.tolist() == expected[expected > 0].tolist()
    assert DocumentArrays.build(rows, ["x"], ["y"])._bounds is not None
    assert DocumentArrays.build(gap, ["x"], ["y"])._bounds is None
