"""The API on the fixture package: whole JSON bodies of representative requests, errors included.

The fixture (tests/fixtures/api) holds a working package 0.2.0 (national, Chongqing,
Qingdao and Shenzhen documents) and a cut release 0.1.0 without Chongqing. Expected
bodies of the longer responses are in tests/fixtures/api/expected/; after a deliberate
change of the API, regenerate them with ``API_UPDATE_EXPECTED=1 pytest tests/test_api.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from litestar.testing import TestClient

from scripts import vocab
from tests.helpers import API_FIXTURE

EXPECTED = API_FIXTURE / "expected"
UPDATE = os.environ.get("API_UPDATE_EXPECTED") == "1"


def expected(name: str, actual: Any) -> Any:
    path = EXPECTED / f"{name}.json"
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("clauses_qingdao_talent", "/clauses?city=qingdao&topic=talent"),
        ("clauses_q_sandbox", "/clauses?q=沙盒"),
        ("clauses_q_talent_page", "/clauses?q=人才&limit=2"),
        ("clauses_q_digital_rmb_document_order", "/clauses?q=数字人民币&order=document&limit=3"),
        ("clauses_q_english_topic_label", "/clauses?q=Digital%20RMB&limit=2"),
        ("clause_bullet", "/clauses/qingdao-2021.3.1.b1"),
        ("clause_section", "/clauses/pboc-2019.2.1?release=0.1.0"),
        ("clause_with_erratum", "/clauses/shenzhen-2023.1.2"),
        ("clause_with_citation", "/clauses/qingdao-2021.preamble"),
        ("clause_with_measures", "/clauses/qingdao-2021.1.2"),
        ("clause_similar", "/clauses/shenzhen-2023.1.1/similar"),
        ("clause_similar_none", "/clauses/qingdao-2021.3.1/similar"),
        ("document_pboc_cited_by", "/documents/pboc-2019/cited-by"),
        ("document_qingdao_cited_by_none", "/documents/qingdao-2021/cited-by"),
        ("measures", "/measures"),
        ("measures_targets", "/measures?kind=target&kind=deadline&city=qingdao"),
        ("measures_unit", "/measures?unit=万元"),
        ("documents", "/documents"),
        ("document_chongqing", "/documents/chongqing-2020"),
        ("topics_release_0_1_0", "/topics?release=0.1.0"),
        ("releases", "/releases"),
        ("release_0_1_0", "/releases/0.1.0"),
        ("release_latest", "/releases/latest"),
        ("changes_0_1_0_to_0_2_0", "/releases/0.1.0/changes/0.2.0"),
        ("health", "/health"),
        ("index", "/api"),
    ],
)
def test_whole_body(client: TestClient, name: str, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.json() == expected(name, response.json())


def problem(status: int, detail: str, instance: str, *params: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "/problems/invalid-parameter" if status == 400 else "/problems/not-found",
        "title": {400: "Bad Request", 404: "Not Found"}[status],
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if params:
        body["invalid_params"] = list(params)
    return body


CITIES = list(vocab.CITIES)
KINDS = ["preamble", "part", "section", "item", "article", "bullet", "box", "paragraph", "footnote"]
CLAUSE_PARAMS = [
    "as_of",
    "city",
    "cursor",
    "document",
    "include_descendants",
    "kind",
    "level",
    "limit",
    "offset",
    "order",
    "q",
    "release",
    "topic",
    "topic_mode",
]


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (
            "/clauses?city=qingdao&city=atlantis",
            problem(
                400,
                "Invalid value for city.",
                "/clauses",
                {"name": "city", "reason": "unknown city: 'atlantis'", "valid_values": CITIES},
            ),
        ),
        (
            "/clauses?kind=chapter&level=national&level=county",
            problem(
                400,
                "Invalid values for level, kind.",
                "/clauses",
                {
                    "name": "level",
                    "reason": "unknown level: 'county'",
                    "valid_values": ["national", "provincial", "municipal"],
                },
                {"name": "kind", "reason": "unknown kind: 'chapter'", "valid_values": KINDS},
            ),
        ),
        (
            "/clauses?topic_mode=some",
            problem(
                400,
                "Invalid value for topic_mode.",
                "/clauses",
                {"name": "topic_mode", "reason": "unknown topic_mode: 'some'", "valid_values": ["any", "all"]},
            ),
        ),
        (
            "/clauses?limit=0",
            problem(
                400,
                "Invalid value for limit.",
                "/clauses",
                {"name": "limit", "reason": "limit must be an integer from 1 to 500 (Expected `int` >= 1)"},
            ),
        ),
        (
            "/clauses?limit=501",
            problem(
                400,
                "Invalid value for limit.",
                "/clauses",
                {"name": "limit", "reason": "limit must be an integer from 1 to 500 (Expected `int` <= 500)"},
            ),
        ),
        (
            "/clauses?limit=ten",
            problem(
                400,
                "Invalid value for limit.",
                "/clauses",
                {"name": "limit", "reason": "limit must be an integer from 1 to 500 (Expected `int`, got `str`)"},
            ),
        ),
        (
            "/clauses?offset=-1",
            problem(
                400,
                "Invalid value for offset.",
                "/clauses",
                {"name": "offset", "reason": "offset must be an integer from 0 to 10000000 (Expected `int` >= 0)"},
            ),
        ),
        (
            "/clauses?cursor=not-a-cursor",
            problem(
                400,
                "Invalid value for cursor.",
                "/clauses",
                {"name": "cursor", "reason": "not a cursor given by this API; pass meta.next_cursor unchanged"},
            ),
        ),
        (
            "/clauses?q=%20%20",
            problem(
                400,
                "Invalid value for q.",
                "/clauses",
                {"name": "q", "reason": "q must contain at least one non-space character"},
            ),
        ),
        (
            "/clauses?q=%00%00%00",
            problem(
                400,
                "Invalid value for q.",
                "/clauses",
                {"name": "q", "reason": "control characters are not allowed (U+0000 at character 1)"},
            ),
        ),
        (
            "/clauses?document=Qingdao_2021",
            problem(
                400,
                "Invalid value for document.",
                "/clauses",
                {
                    "name": "document",
                    "reason": "'Qingdao_2021' is not a document ID (lowercase ASCII such as 'qingdao-2021')",
                },
            ),
        ),
        (
            "/clauses?cty=qingdao",
            problem(
                400,
                "Invalid value for cty.",
                "/clauses",
                {"name": "cty", "reason": "unknown parameter 'cty' for /clauses", "valid_values": CLAUSE_PARAMS},
            ),
        ),
        (
            "/topics?limit=5",
            problem(
                400,
                "Invalid value for limit.",
                "/topics",
                {"name": "limit", "reason": "unknown parameter 'limit' for /topics", "valid_values": ["release"]},
            ),
        ),
        (
            "/clauses?document=qingdao-2012",
            problem(404, "No document 'qingdao-2012' in release 0.2.0; see GET /documents.", "/clauses"),
        ),
        (
            "/clauses/qingdao-2021.9.9",
            problem(404, "No clause 'qingdao-2021.9.9' in release 0.2.0.", "/clauses/qingdao-2021.9.9"),
        ),
        (
            "/clauses/chongqing-2020.1.1?release=0.1.0",
            problem(404, "No clause 'chongqing-2020.1.1' in release 0.1.0.", "/clauses/chongqing-2020.1.1"),
        ),
        (
            "/clauses/not an id",
            problem(404, "No clause 'not an id' in release 0.2.0.", "/clauses/not%20an%20id"),
        ),
        (
            "/documents/shanghai-2019",
            problem(404, "No document 'shanghai-2019' in release 0.2.0.", "/documents/shanghai-2019"),
        ),
        (
            "/clauses/qingdao-2021.9.9/similar",
            problem(404, "No clause 'qingdao-2021.9.9' in release 0.2.0.", "/clauses/qingdao-2021.9.9/similar"),
        ),
        (
            "/documents/chongqing-2020/cited-by?release=0.1.0",
            problem(404, "No document 'chongqing-2020' in release 0.1.0.", "/documents/chongqing-2020/cited-by"),
        ),
        (
            "/measures?kind=bonus",
            problem(
                400,
                "Invalid value for kind.",
                "/measures",
                {"name": "kind", "reason": "unknown kind: 'bonus'", "valid_values": list(vocab.MEASURE_KINDS)},
            ),
        ),
        (
            "/measures?unit=万元&unit=公斤",
            problem(
                400,
                "Invalid value for unit.",
                "/measures",
                {"name": "unit", "reason": "unknown unit: '公斤'", "valid_values": list(vocab.measure_units())},
            ),
        ),
        (
            "/measures?document=shanghai-2019",
            problem(404, "No document 'shanghai-2019' in release 0.2.0; see GET /documents.", "/measures"),
        ),
        (
            "/clauses?release=9.9.9",
            problem(404, "No release '9.9.9' is served (served: 0.1.0, 0.2.0, latest, working).", "/clauses"),
        ),
        (
            "/releases/2.0.0",
            problem(404, "No release '2.0.0' is served (served: 0.1.0, 0.2.0, latest, working).", "/releases/2.0.0"),
        ),
        (
            "/releases/0.1.0/files/secret.txt",
            problem(
                404,
                "No file 'secret.txt' in release 0.1.0; see GET /releases/0.1.0.",
                "/releases/0.1.0/files/secret.txt",
            ),
        ),
        (
            "/releases/0.1.0/files/..%2F..%2F..%2Fdatapackage.json",
            problem(
                404,
                "No file '../../../datapackage.json' in release 0.1.0; see GET /releases/0.1.0.",
                "/releases/0.1.0/files/../../../datapackage.json",
            ),
        ),
        (
            "/no/such/path",
            problem(404, "No resource at /no/such/path.", "/no/such/path"),
        ),
    ],
)
def test_error_body(client: TestClient, url: str, body: dict[str, Any]) -> None:
    response = client.get(url)
    assert response.status_code == body["status"], response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == body


def test_method_not_allowed_is_a_problem(client: TestClient) -> None:
    response = client.post("/clauses")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 405
