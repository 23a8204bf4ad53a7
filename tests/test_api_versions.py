"""Versions of a law through the API: works, point in time, changes, a clause across versions (whole bodies).

The fixture package holds a made-up regulation in two versions, ``demo-law-2019`` (in force 2019-06-01 to
2023-07-01) and ``demo-law-2023``; the older release 0.1.0 has no works resources at all. Regenerate the
longer bodies with ``API_UPDATE_EXPECTED=1``.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.test_api import expected, problem


def ids(body: dict[str, Any]) -> list[str]:
    return [c["id"] for c in body["data"]]


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("works_versioned", "/works?versioned=true"),
        ("work_demo_law", "/works/demo-law"),
        ("work_demo_law_as_of_2020", "/works/demo-law/as-of/2020-01-01"),
        ("work_demo_law_as_of_before", "/works/demo-law/as-of/2010-01-01"),
        ("work_demo_law_changes", "/works/demo-law/changes?from=demo-law-2019&to=demo-law-2023"),
        ("work_demo_law_changes_articles", "/works/demo-law/changes?level=article"),
        ("clause_versions_renumbered", "/clauses/demo-law-2019.art2/versions"),
        ("clause_versions_added", "/clauses/demo-law-2023.art2/versions"),
        ("clause_versions_paragraph", "/clauses/demo-law-2023.art3.p2/versions"),
        ("work_of_one_version_old_release", "/works/pboc?release=0.1.0"),
    ],
)
def test_whole_body(client: TestClient, name: str, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.json() == expected(name, response.json())


def test_as_of_selects_the_version_in_force(client: TestClient) -> None:
    old = client.get("/clauses?document=demo-law-2019&document=demo-law-2023&as_of=2020-01-01&limit=500").json()
    assert ids(old) and all(i.startswith("demo-law-2019.") for i in ids(old))
    assert old["meta"]["facets"]["document"] == {"demo-law-2019": 6}
    new = client.get("/clauses?document=demo-law-2019&document=demo-law-2023&as_of=2025-06-01&limit=500").json()
    assert ids(new) and all(i.startswith("demo-law-2023.") for i in ids(new))
    # Documents that are not versioned count from their date on: before every document, nothing.
    assert client.get("/clauses?as_of=2000-01-01").json()["meta"]["total"] == 0
    everything = client.get("/clauses?as_of=2025-06-01").json()["meta"]["facets"]["document"]
    assert "demo-law-2019" not in everything and "pboc-2019" in everything
    csv = client.get("/clauses.csv?as_of=2020-01-01&document=demo-law-2023").text
    assert csv.splitlines()[1:] == []


def test_as_of_with_the_other_filters_and_a_cursor(client: TestClient) -> None:
    first = client.get("/clauses?as_of=2020-01-01&city=national&limit=3").json()
    again = client.get(
        "/clauses",
        params={"as_of": "2020-01-01", "city": "national", "limit": 3, "cursor": first["meta"]["next_cursor"]},
    ).json()
    assert not set(ids(first)) & set(ids(again))
    other = client.get(
        "/clauses",
        params={"as_of": "2025-01-01", "city": "national", "limit": 3, "cursor": first["meta"]["next_cursor"]},
    )
    assert other.status_code == 400 and other.json()["invalid_params"][0]["name"] == "cursor"


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (
            "/clauses?as_of=2020-13-01",
            problem(
                400,
                "Invalid value for as_of.",
                "/clauses",
                {"name": "as_of", "reason": "'2020-13-01' is not a calendar day: write YYYY-MM-DD, e.g. 2020-01-01"},
            ),
        ),
        (
            "/works/demo-law/as-of/2020",
            problem(
                400,
                "Invalid value for date.",
                "/works/demo-law/as-of/2020",
                {"name": "date", "reason": "'2020' is not a calendar day: write YYYY-MM-DD, e.g. 2020-01-01"},
            ),
        ),
        (
            "/works/no-such-law",
            problem(
                404,
                "No work 'no-such-law' in release 0.2.0; a work ID is a document ID without its year (see GET /works).",
                "/works/no-such-law",
            ),
        ),
        (
            "/works/no-such-law/as-of/2020-01-01",
            problem(
                404,
                "No work 'no-such-law' in release 0.2.0; a work ID is a document ID without its year (see GET /works).",
                "/works/no-such-law/as-of/2020-01-01",
            ),
        ),
        (
            "/works/demo-law/changes?from=demo-law-2023",
            problem(
                400,
                "Invalid value for from.",
                "/works/demo-law/changes",
                {
                    "name": "from",
                    "reason": "demo-law-2023 is the latest version",
                    "valid_values": ["demo-law-2019", "demo-law-2023"],
                },
            ),
        ),
        (
            "/works/demo-law/changes?from=pboc-2019&level=chapter",
            problem(
                400,
                "Invalid value for level.",
                "/works/demo-law/changes",
                {"name": "level", "reason": "unknown level: 'chapter'", "valid_values": ["article", "paragraph"]},
            ),
        ),
        (
            "/works/demo-law/changes?to=qingdao-2021",
            problem(
                400,
                "Invalid value for to.",
                "/works/demo-law/changes",
                {
                    "name": "to",
                    "reason": "'qingdao-2021' is not a version of this work",
                    "valid_values": ["demo-law-2019", "demo-law-2023"],
                },
            ),
        ),
        (
            "/works/pboc/changes",
            problem(404, "pboc has one version in release 0.2.0: there are no changes to list.", "/works/pboc/changes"),
        ),
        (
            "/works/demo-law/changes?since=2019",
            problem(
                400,
                "Invalid value for since.",
                "/works/demo-law/changes",
                {
                    "name": "since",
                    "reason": "unknown parameter 'since' for /works/demo-law/changes",
                    "valid_values": ["from", "level", "release", "to"],
                },
            ),
        ),
        (
            "/works?versioned=maybe",
            problem(
                400,
                "Invalid value for versioned.",
                "/works",
                {"name": "versioned", "reason": "versioned must be true or false (Expected `bool`, got `str`)"},
            ),
        ),
        (
            "/clauses/demo-law-2019.art9/versions",
            problem(404, "No clause 'demo-law-2019.art9' in release 0.2.0.", "/clauses/demo-law-2019.art9/versions"),
        ),
    ],
)
def test_error_body(client: TestClient, url: str, body: dict[str, Any]) -> None:
    response = client.get(url)
    assert response.status_code == body["status"], response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json() == body


def test_openapi_documents_the_version_endpoints(client: TestClient) -> None:
    spec = client.get("/schema/openapi.json").json()
    for path in (
        "/works/{work_id}",
        "/works/{work_id}/as-of/{date}",
        "/works/{work_id}/changes",
        "/clauses/{clause_id}/versions",
    ):
        operation = spec["paths"][path]["get"]
        assert operation["summary"] and {"200", "400", "404"} <= set(operation["responses"])
    params = {p["name"] for p in spec["paths"]["/clauses"]["get"]["parameters"]}
    assert "as_of" in params
    changes = {p["name"] for p in spec["paths"]["/works/{work_id}/changes"]["get"]["parameters"]}
    assert {"from", "to", "level"} <= changes
