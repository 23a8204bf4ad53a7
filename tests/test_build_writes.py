"""The store builder's writes: batches that wait for the full-text thread, and the full-text index filled by ranges."""

from __future__ import annotations

import sqlite3

import pytest

from api.build_writes import Batches, FullText
from api.text_search import search_text

ROWS = [("标题", "金融科技发展"), ("", "数字人民币试点"), ("第一条", "第一条 支付清算")]


def _db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    db.execute("CREATE TABLE clause_rows (n INTEGER PRIMARY KEY, heading TEXT NOT NULL, text TEXT NOT NULL)")
    db.execute("CREATE TABLE t (x INTEGER)")
    return db


def test_batches_write_once_size_rows_wait_and_writing_is_allowed() -> None:
    db, allowed, writes = _db(), [False], []
    batches = Batches(db, size=2, may_write=lambda: allowed[0], written=lambda: writes.append(batches.count))
    for x in range(7):  # not allowed: held until four times the size
        batches.add("INSERT INTO t VALUES (?)", (x,))
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0 and batches.count == 7
    batches.add("INSERT INTO t VALUES (?)", (7,))
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 8 and writes == [0]
    allowed[0] = True
    batches.add("INSERT INTO t VALUES (?)", (8,))
    batches.add("INSERT INTO t VALUES (?)", (9,))
    batches.add("INSERT INTO t VALUES (?)", (10,))
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 10 and batches.count == 1
    batches.flush()
    assert [x for (x,) in db.execute("SELECT x FROM t")] == list(range(11)) and len(writes) == 3


def test_full_text_indexes_each_range_once() -> None:
    db = _db()
    db.execute("CREATE VIRTUAL TABLE fts_trigram USING fts5(body, tokenize = 'trigram', content = '')")
    db.executemany("INSERT INTO clause_rows (heading, text) VALUES (?, ?)", ROWS)
    full_text = FullText(db)
    full_text.upto(2)
    full_text.upto(2)  # nothing new
    full_text.upto(3)
    full_text.finish()
    full_text.close()
    assert len(full_text.started) == 2 and full_text.idle()
    found = {
        q: [n for (n,) in db.execute("SELECT rowid FROM fts_trigram WHERE fts_trigram MATCH ?", (f'"{q}"',))]
        for q in ("金融科技", "数字人民币", "支付清算", "第一条", "标题\n金融")
    }
    assert found == {"金融科技": [1], "数字人民币": [2], "支付清算": [3], "第一条": [3], "标题\n金融": [1]}
    assert search_text(*ROWS[0]) == "标题\n金融科技发展"  # the heading is indexed with the text


def test_full_text_raises_what_its_statement_raised() -> None:
    db = _db()  # no fts_trigram table
    db.executemany("INSERT INTO clause_rows (heading, text) VALUES (?, ?)", ROWS)
    full_text = FullText(db)
    full_text.upto(3)
    with pytest.raises(sqlite3.OperationalError, match="no such table: fts_trigram"):
        full_text.finish()
    full_text.close()
