"""Text queries (api.text_match: posting lists, bigram positions, reading the text) find exactly the clauses holding
the terms."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import numpy as np
import pytest

from api import clause_text, search_index, text_match
from api import search_syntax as syntax
from api.store import Store
from api.text_search import SearchQuery, search_text
from scripts import vocab
from tests.helpers import API_FIXTURE, API_STORE_DIR


def _small_store(rows: list[tuple[str, str]]) -> sqlite3.Connection:
    """A store of ``rows`` (heading, text) with the search tables, filled as the store builder fills them."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE clause_rows (n INTEGER PRIMARY KEY, heading BLOB NOT NULL, text BLOB NOT NULL)")
    codec = clause_text.Codec.trained([text for _, text in rows])
    clause_text.write_dictionary(db, codec)
    db.executemany(
        "INSERT INTO clause_rows (heading, text) VALUES (?, ?)", [(codec.frame(h), codec.frame(t)) for h, t in rows]
    )
    postings = search_index.Postings(len(rows))
    for n, (heading, text) in enumerate(rows, start=1):
        postings.add(n, search_text(heading, text))
    postings.write(db, postings.rows())
    return db


def _holds(term: str, heading: str, text: str) -> bool:
    """What a term means, read off the text."""
    return term.lower() in search_text(heading, text).lower()


def _oracle(node: syntax.Node, heading: str, text: str) -> bool:
    if isinstance(node, syntax.Term):
        return _holds(node.text, heading, text)
    if isinstance(node, syntax.Not):
        return not _oracle(node.node, heading, text)
    found = (_oracle(child, heading, text) for child in node.nodes)
    return all(found) if isinstance(node, syntax.AllOf) else any(found)


def test_postings_hold_bigrams_and_run_ends() -> None:
    db = _small_store([("", "人才政策，人才。"), ("标题", "5G 沙盒"), ("", "AB-c")])
    assert search_index.postings(db, "人才")[0].tolist() == [1]
    assert search_index.postings(db, "人才")[1].tolist() == [2]
    assert search_index.clause_numbers(db, "5g").tolist() == [2]  # lower-cased
    assert search_index.clause_numbers(db, "策").tolist() == [1]  # a run end: 政策 is followed by ，
    assert search_index.clause_numbers(db, "c").tolist() == [3]  # a run of one character ends too
    assert search_index.clause_numbers(db, "b").tolist() == [3]
    assert text_match.numbers(db, syntax.Term("才"), 3).tolist() == [1]
    assert text_match.numbers(db, syntax.Term("题"), 3).tolist() == [
        2
    ]  # the heading, which the text does not start with
    assert search_index.clause_lengths(db).tolist() == [
        4,
        3,
        1,
    ]  # bigrams only: 人才 才政 政策 人才 | 标题 5g 沙盒 | ab


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("人才", [1, 2]),
        ("才", [1, 2]),
        ("人才政策", [1]),
        ("策，人", [1]),  # across punctuation
        ('"沙盒 5G"', [3]),
        ("盒 5", [3]),
        ("5%", [4]),
        ("%%", []),
        ("人才 -政策", [2]),
        ("政策 OR 沙盒", [1, 3]),
        ("(人才 OR 沙盒) -政策", [2, 3]),
        ("监管沙盒", []),
        ("、、", [4]),
        ("，，，", [4]),
    ],
)
def test_small_queries(q: str, expected: list[int]) -> None:
    rows = [("", "人才政策，人才。"), ("", "引进人才"), ("", "沙盒 5G 沙盒"), ("", "利率5%、、，，，")]
    db = _small_store(rows)
    tree = SearchQuery.parse(q).tree
    assert text_match.numbers(db, tree, len(rows)).tolist() == expected
    assert expected == [n for n, (h, t) in enumerate(rows, start=1) if _oracle(tree, h, t)]


QUERIES = [
    "人才",
    "才",
    "金融科技",
    "区块链 -上海",
    "数据 OR 支付",
    '"金融科技发展"',
    "第一条",
    "（一）",
    "5G",
    "g",
    "人民银行 OR 銀行",
    "(监管 OR 风险) -数据",
    "的",
    "、",
    "金融 科技 发展",
    "-人才 OR 沙盒",
]


@pytest.mark.parametrize("q", QUERIES)
def test_matches_equal_a_scan_of_every_clause(q: str) -> None:
    release = Store.open(API_FIXTURE, API_STORE_DIR).get("0.2.0")
    rows = release.db.execute("SELECT n, heading, text FROM clauses ORDER BY n").fetchall()
    tree = SearchQuery.parse(q).tree
    expected = [n for n, heading, text in rows if _oracle(tree, heading, text)]
    assert text_match.numbers(release.db, tree, len(rows)).tolist() == expected


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """The store of the repository's own working package (every document, 3,000+ clauses)."""
    store = Store.open(vocab.ROOT, tmp_path_factory.mktemp("store"))
    yield store.get("working").db
    store.close()


CORPUS_QUERIES = [
    *QUERIES,
    "个人信息",
    "支付机构 OR 征信机构",
    "反洗钱 -义务",
    "条",
    "ai",
    "第十",
    "数据安全 OR 网络安全",
]


@pytest.mark.parametrize("q", CORPUS_QUERIES)
def test_corpus_matches_equal_a_scan(corpus: sqlite3.Connection, q: str) -> None:
    rows = corpus.execute("SELECT n, heading, text FROM clauses ORDER BY n").fetchall()
    tree = SearchQuery.parse(q).tree
    expected = [n for n, heading, text in rows if _oracle(tree, heading, text)]
    assert text_match.numbers(corpus, tree, len(rows)).tolist() == expected
    assert expected or q in {"第一条", "（一）", "ai"}  # headings like 第一条 and （一） are numbering, not text


SPREAD = [int(x) for x in np.cumsum(np.random.default_rng(3).integers(1, 200_000, 3000))]  # gaps past uint16


@pytest.mark.parametrize(
    ("numbers", "kept_as"),
    [
        ([], "plain"),
        ([7], "plain"),
        ([1, 2, 3], "compact"),
        ([5, 70_000, 140_000, 4_000_000_000], "plain"),
        (list(range(65_530, 65_540)), "compact"),
        (list(range(1, 70_000, 3)), "compact"),  # 23,333 clauses: too many to compress
        (list(range(1, 50_000, 3)), "compressed"),
        (list(range(65_530, 65_600)), "compressed"),
        (SPREAD, "compressed"),
    ],
)
def test_posting_lists_decode_as_encoded(numbers: list[int], kept_as: str) -> None:
    n, hi = search_index.encode(np.asarray(numbers, np.uint32))
    assert search_index.decode(len(numbers), n, hi).tolist() == numbers
    assert len(n) + len(hi) <= 4 * len(numbers)  # never larger than plain uint32
    assert kept_as == ("compact" if hi else "plain" if len(n) == 4 * len(numbers) else "compressed")


@pytest.mark.parametrize("counts", [[], [1], [1, 1, 1], [3], [1, 2, 1, 255, 1], [7] * 300, [1] * 70_000 + [9], [300]])
def test_counts_decode_as_encoded(counts: list[int]) -> None:
    blob = search_index.encode_counts(np.asarray(counts, np.uint32))
    assert search_index.decode_counts(len(counts), blob).tolist() == counts
    assert len(blob) == 8 * sum(c != 1 for c in counts)  # nothing kept for a count of 1


@pytest.mark.parametrize("positions", [[], [0], [3, 9, 65_535], [0, 65_536], [70_000, 5]])
def test_positions_decode_as_encoded(positions: list[int]) -> None:
    blob = search_index.encode_positions(np.asarray(positions, np.uint32))
    assert search_index.decode_positions(len(positions), blob).tolist() == positions
    assert len(blob) == (4 if max(positions, default=0) >= 1 << 16 else 2) * len(positions)  # short: kept as is


@pytest.mark.parametrize("positions", [list(range(0, 400, 2)) * 3, [70_000 + i % 7 for i in range(500)]])
def test_many_positions_are_compressed(positions: list[int]) -> None:
    blob = search_index.encode_positions(np.asarray(positions, np.uint32))
    assert len(blob) < 2 * len(positions)
    assert search_index.decode_positions(len(positions), blob).tolist() == positions


def test_occurrences_hold_every_position_and_ranking_caps_the_count() -> None:
    text = "金融" * 300 + "。" + "x" * 70_000 + "金融科技"
    db = _small_store([("", "科技金融"), ("", text), ("金融", "")])
    found = search_index.occurrences(db, "金融")
    assert [(int(k) >> 32, int(k) & 0xFFFFFFFF) for k in found] == [
        (1, 2),
        *((2, 2 * i) for i in range(300)),
        (2, 70_601),
        (3, 0),
    ]
    assert search_index.postings(db, "金融")[1].tolist() == [1, 255, 1]  # counted up to 255 for ranking
    assert text_match.numbers(db, syntax.Term("金融科技"), 3).tolist() == [2]  # found past position 65,535
    assert text_match.numbers(db, syntax.Term("融金融"), 3).tolist() == [2]
    assert text_match.numbers(db, syntax.Term("技金融"), 3).tolist() == [1]


def test_postings_keep_every_count(corpus: sqlite3.Connection) -> None:
    rows = corpus.execute("SELECT n, heading, text FROM clauses ORDER BY n").fetchall()
    for bigram in ("金融", "数据", "科技"):
        said, tf = search_index.postings(corpus, bigram)
        lowered = {n: search_text(heading, text).lower() for n, heading, text in rows}
        assert tf.tolist() == [lowered[n].count(bigram) for n in said.tolist()]
        assert tf.max() > 1  # the sparse counts are exercised
