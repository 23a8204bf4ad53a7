"""The explorer's version pages on the fixture's two-version regulation (demo-law-2019 → demo-law-2023)."""

from __future__ import annotations

from litestar.testing import TestClient

from api.explorer.textdiff import Segment, side_by_side
from tests.test_explorer import hit_ids, page


def test_side_by_side_marks_the_changed_characters() -> None:
    left, right = side_by_side("为了规范示例活动，制定本条例。", "为了规范示例活动，保护当事人合法权益，制定本条例。")
    assert left == [Segment("为了规范示例活动，", False), Segment("制定本条例。", False)]
    assert right == [
        Segment("为了规范示例活动，", False),
        Segment("保护当事人合法权益，", True),
        Segment("制定本条例。", False),
    ]
    left, right = side_by_side("自2019年6月1日起", "自2023年7月1日起")
    assert "".join(s.text for s in left if s.changed) == "196"
    assert "".join(s.text for s in right if s.changed) == "237"


def test_search_as_of_shows_the_version_in_force(client: TestClient) -> None:
    both = "document=demo-law-2019&document=demo-law-2023&limit=100"
    old = hit_ids(page(client, f"/?as_of=2020-01-01&{both}"))
    assert old and all(i.startswith("demo-law-2019.") for i in old)
    new = page(client, f"/?as_of=2025-06-01&{both}")
    assert hit_ids(new) and all(i.startswith("demo-law-2023.") for i in hit_ids(new))
    assert new.find("input", id="as_of").attrs["value"] == "2025-06-01"
    chip = new.find("a", class_="as-of")
    assert "2025-06-01" in chip.text and "as_of" not in chip.attrs["href"]
    assert "as_of=2025-06-01" in new.find("a", class_="json-link").attrs["href"]
    assert page(client, "/?as_of=1999-01-01").find("p", class_="empty")
    page(client, "/?as_of=2020-02-30", status=400)


def test_work_page_lists_versions_and_the_changes_of_each_revision(client: TestClient) -> None:
    doc = page(client, "/work/demo-law")
    assert [tr.attrs["data-document"] for tr in doc.find("table", class_="versions").find_all("tr")[1:]] == [
        "demo-law-2019",
        "demo-law-2023",
    ]
    rows = doc.find("table", class_="changes").find_all("tr")[1:]
    assert [[td.text.strip() for td in tr.find_all("td")[:3]] for tr in rows] == [
        ["第一条", "第一条", "amended"],
        ["第二条", "第三条", "renumbered"],
        ["第三条", "第四条", "renumbered"],
        ["第四条", "第五条", "renumbered-and-amended"],
        ["—", "第二条", "added"],
    ]
    assert rows[0].find("a", class_="compare-link").attrs["href"] == "/compare/demo-law-2019.art1/demo-law-2023.art1"
    page(client, "/work/no-such-law", status=404)


def test_compare_page_shows_both_versions_with_marks(client: TestClient) -> None:
    doc = page(client, "/compare/demo-law-2019.art4/demo-law-2023.art5")
    assert doc.find("h1").text == "第四条 → 第五条"
    old, new = doc.find("section", class_="old"), doc.find("section", class_="new")
    assert old.find("p", class_="compare-text").text == "本条例自2019年6月1日起施行。"
    assert [d.text for d in old.find_all("del")] == ["19", "6"] and [i.text for i in new.find_all("ins")] == ["23", "7"]
    page(client, "/compare/demo-law-2019.art4/demo-law-2023.art9", status=404)


def test_clause_and_document_pages_link_the_versions(client: TestClient) -> None:
    doc = page(client, "/clause/demo-law-2023.art3")
    items = doc.find("section", class_="clause-versions").find_all("li")
    assert "第二条" in items[0].text and "renumbered" in items[1].text
    assert items[1].find("a", class_="compare-link").attrs["href"] == "/compare/demo-law-2019.art2/demo-law-2023.art3"
    assert page(client, "/document/demo-law-2019").find("a", class_="work-link").attrs["href"] == "/work/demo-law"
    assert not page(client, "/document/pboc-2019").find_all("a", class_="work-link")
