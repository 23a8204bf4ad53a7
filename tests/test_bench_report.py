"""The benchmark's report: which size the README's targets come from, the 3M size for the cost curve only, and
target 6 with the server's CPU time per request."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from bench import report

RESULTS = Path(__file__).resolve().parent.parent / "bench" / "results"


@pytest.fixture
def result() -> dict:
    """A recorded 1M result (the committed one): every field a real run writes."""
    return dict(json.loads((RESULTS / "1M.json").read_text(encoding="utf-8")))


def _cached_rows(rps: float, bare_rps: float, cpu_us: float, bare_cpu_us: float) -> list[dict]:
    row = {"scenario": "city_topic", "system": "api", "rps": rps, "bare_rps": bare_rps, "rps_passes": [rps] * 3}
    costly = {**row, "scenario": "fts_rare", "cpu_us": cpu_us, "bare_cpu_us": bare_cpu_us}
    cheap = {**row, "scenario": "repeated", "cpu_us": bare_cpu_us + 1, "bare_cpu_us": bare_cpu_us}
    return [row, costly, cheap]


def test_target_6_gives_the_cpu_time_of_the_costliest_cached_scenario(result: dict) -> None:
    result["results"] = _cached_rows(rps=800, bare_rps=1000, cpu_us=25.0, bare_cpu_us=20.0)
    name, measured, ok = report._cached(result, None) or ("", "", None)
    assert name.startswith("6. ")
    assert measured == (
        "0.80× (city_topic against the bare passes taken in turn with it); server CPU per request 25.0 µs vs the "
        "bare route's 20.0 µs (0.80×, fts_rare)"
    )
    assert ok is True


def test_target_6_without_cpu_times_says_nothing_of_them(result: dict) -> None:
    rows = _cached_rows(rps=700, bare_rps=1000, cpu_us=25.0, bare_cpu_us=20.0)
    for row in rows:
        row.pop("cpu_us", None)
    result["results"] = rows
    assert report._cached(result, None) == (
        "6. cached paths ≥ 0.75× the bare-bytes route (the slowest cached scenario)",
        "0.70× (city_topic against the bare passes taken in turn with it)",
        False,
    )


def test_a_size_for_the_cost_curve_only_has_no_anchor_target_and_no_datasette_database(result: dict) -> None:
    curve = copy.deepcopy(result)
    curve["size"] = next(iter(report.CURVE_ONLY))
    curve.pop("datasette_bytes")
    curve["results"] = [r for r in curve["results"] if r["system"] != "datasette"]
    assert [name[:2] for name, *_ in report.targets(curve)] == ["2.", "3a", "3b", "4.", "5.", "6."]
    assert "no Datasette database (a size for the cost curve only)" in report.table(curve)


def test_the_readme_shows_the_targets_at_1m_when_a_larger_size_ran_too(result: dict) -> None:
    larger = copy.deepcopy(result)
    larger["size"], larger["machine"] = "3M", {**larger["machine"], "git_commit": "later"}
    section = report.readme_section([result, larger])
    assert section.startswith(f"Latest run (1M clauses, {result['machine']['date']}, commit ")
    assert "commit later" not in section
    assert list(report.SIZES)[-1] == "3M" and report.TARGET_SIZE == "1M"


def test_target_4_compares_two_workers_with_the_one_measured_in_turn_with_them(result: dict) -> None:
    two = {"scenario": "city_topic", "system": "api-nocache-2w", "rps": 1900.0, "rps_passes": [1900.0] * 3}
    one = {"scenario": "city_topic", "system": "api-nocache-1w", "rps": 1000.0, "rps_passes": [1000.0] * 3}
    early = {"scenario": "city_topic", "system": "api-nocache", "rps": 1200.0}
    result["results"] = [early, two, one]
    assert report._workers(result, None) == (
        "4. two workers ≥ 1.8× one worker's uncached throughput (city+topic)",
        "1.90× (1,900 vs 1,000 req/s, medians of passes taken in turn; wrk shares a core with a worker)",
        True,
    )
    result["results"] = [early, {k: v for k, v in two.items() if k != "rps_passes"}]  # a run before the pairing
    assert report._workers(result, None) == (
        "4. two workers ≥ 1.8× one worker's uncached throughput (city+topic)",
        "1.58× (1,900 vs 1,200 req/s; wrk shares a core with a worker)",
        False,
    )
