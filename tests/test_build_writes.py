"""The store builder's writes: rows held in batches and written one statement at a time."""

from __future__ import annotations

import sqlite3

import pytest

from api.build_writes import Batches


def test_batches_write_once_size_rows_wait_and_at_flush() -> None:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("CREATE TABLE t (x INTEGER)")
    db.execute("CREATE TABLE u (y TEXT)")
    batches = Batches(db, size=3)
    batches.add("INSERT INTO t VALUES (?)", (1,))
    batches.add("INSERT INTO u VALUES (?)", ("a",))
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0 and batches.count == 2
    batches.add("INSERT INTO t VALUES (?)", (2,))
    assert [x for (x,) in db.execute("SELECT x FROM t")] == [1, 2] and batches.count == 0
    assert [y for (y,) in db.execute("SELECT y FROM u")] == ["a"]
    batches.add("INSERT INTO t VALUES (?)", (3,))
    batches.flush()
    assert [x for (x,) in db.execute("SELECT x FROM t")] == [1, 2, 3] and batches.count == 0


def test_background_batches_write_in_order_and_raise_what_writing_raised() -> None:
    db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    db.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
    batches = Batches(db, size=2, background=True)
    try:
        for x in range(7):
            batches.add("INSERT INTO t VALUES (?)", (x,))
        batches.flush()
        batches.wait()
        assert [x for (x,) in db.execute("SELECT x FROM t")] == list(range(7))
        batches.add("INSERT INTO t VALUES (?)", (3,))  # already there
        batches.flush()
        with pytest.raises(sqlite3.IntegrityError, match=r"UNIQUE constraint failed: t\.x"):
            batches.wait()
    finally:
        batches.close()
