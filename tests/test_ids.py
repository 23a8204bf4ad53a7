import pytest

from scripts.ids import CLAUSE_ID_RE, ClauseRef, build_clause_id, parent_clause_id, segment, split_clause_id


@pytest.mark.parametrize(
    "clause_id",
    [
        "qingdao-2021.2.4",
        "pboc-2019.3.1.1",
        "shenzhen-2023.3.1.box1",
        "pboc-2019.1.1.p1.fn1",
        "qingdao-2021.preamble",
        "pboc-2019.2.2.b3",
    ],
)
def test_build_and_split_round_trip(clause_id: str) -> None:
    ref = split_clause_id(clause_id)
    assert build_clause_id(ref.document_id, ref.path) == clause_id
    assert CLAUSE_ID_RE.match(clause_id)


def test_split_gives_document_and_path() -> None:
    assert split_clause_id("shenzhen-2023.3.1.box1") == ClauseRef("shenzhen-2023", ("3", "1", "box1"))


@pytest.mark.parametrize(
    "bad",
    [
        "qingdao-2021",
        "Qingdao-2021.1",
        "qingdao-2021.0",
        "qingdao-2021.1.x2",
        "qingdao-2021..1",
        "qingdao 2021.1",
        "qingdao-2021.01",
        "青岛.1",
    ],
)
def test_invalid_ids_are_rejected(bad: str) -> None:
    assert not CLAUSE_ID_RE.match(bad)
    with pytest.raises(ValueError, match="not a valid clause ID"):
        split_clause_id(bad)


def test_segments_and_parents() -> None:
    assert [
        segment("item", 4),
        segment("paragraph", 2),
        segment("box", 1),
        segment("footnote", 1),
        segment("preamble", 0),
    ] == ["4", "p2", "box1", "fn1", "preamble"]
    assert parent_clause_id("pboc-2019.1.1.p1.fn1") == "pboc-2019.1.1.p1"
    assert parent_clause_id("qingdao-2021.2") is None
    with pytest.raises(ValueError):
        segment("item", 0)
