"""Clause headings and texts kept as Zstandard frames (api.clause_text): read back exactly, by Python and by SQL."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from api import clause_text, store_builder

TEXTS = [f"第{i}条 金融机构应当建立健全数据安全管理制度，第{i}项措施。" * (1 + i % 4) for i in range(3000)]


def _store(codec: clause_text.Codec) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    clause_text.write_dictionary(db, codec)
    db.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, text BLOB NOT NULL)")
    db.executemany("INSERT INTO t (text) VALUES (?)", [(codec.frame(t),) for t in TEXTS])
    return db


def test_frames_read_back_exactly_and_compress() -> None:
    codec = clause_text.Codec.trained(TEXTS)
    assert codec.dictionary  # enough text to train on
    frames = [codec.frame(t) for t in ["", "标", *TEXTS]]
    assert [codec.text(f) for f in frames] == ["", "标", *TEXTS]
    assert sum(map(len, frames)) * 3 < sum(len(t.encode()) for t in TEXTS)


def test_too_little_text_has_no_dictionary_and_still_reads_back() -> None:
    codec = clause_text.Codec.trained(["金融科技", ""])
    assert codec.dictionary == b"" and codec.text(codec.frame("金融科技")) == "金融科技"


def test_sql_function_is_named_for_the_dictionary_and_decodes() -> None:
    trained, plain = clause_text.Codec.trained(TEXTS), clause_text.Codec(b"")
    assert trained.sql_function != plain.sql_function
    assert trained.sql_function == clause_text.Codec(trained.dictionary).sql_function
    db = _store(trained)
    codec = clause_text.register(db)
    assert codec.sql_function == trained.sql_function
    got = [t for (t,) in db.execute(f"SELECT {codec.sql_function}(text) FROM t ORDER BY n")]
    assert got == TEXTS


def test_each_thread_has_its_own_codec() -> None:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    clause_text.write_dictionary(db, clause_text.Codec.trained(TEXTS))
    codecs = [clause_text.codec(db)]
    other = threading.Thread(target=lambda: codecs.append(clause_text.codec(db)))
    other.start()
    other.join()
    assert codecs[0] is clause_text.codec(db) and codecs[1] is not codecs[0]


def test_frames_together_are_the_frames_one_by_one() -> None:
    codec = clause_text.Codec.trained(TEXTS)
    assert codec.frames(["", "标", *TEXTS[:50]]) == [codec.frame(t) for t in ["", "标", *TEXTS[:50]]]
    assert codec.frames([]) == []


def test_the_builder_frames_the_heading_and_text_columns() -> None:
    db = sqlite3.connect(":memory:")
    db.executescript(store_builder.SCHEMA)
    columns = [name for _, name, *_ in db.execute("PRAGMA table_info(clause_rows)")]
    assert [columns[i] for i in store_builder.CLAUSE_FRAMED] == ["heading", "text"]
    assert store_builder.CLAUSE_INSERT.count("?") == len(columns)


def test_headings_are_decoded_once_and_the_kept_ones_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    codec = clause_text.Codec.trained(TEXTS)
    monkeypatch.setattr(clause_text, "HEADINGS_KEPT", 3)
    frames = [codec.frame(h) for h in ("第一章 总则", "第二章 监督管理", "", "第三章 法律责任")]
    assert [codec.heading(f) for f in frames[:3]] == ["第一章 总则", "第二章 监督管理", ""]
    assert codec.heading(frames[0]) is codec.heading(frames[0]) and len(codec.headings) == 3
    assert codec.heading(frames[3]) == "第三章 法律责任" and len(codec.headings) == 1  # full: dropped, then kept
