"""In-process timings: the API's answer to a list query (``list_clauses``: total, facets and a page of rows,
every cache off) and the tantivy anchor's (page, total and facets), called directly, one thread.

``python -m bench.inprocess <work dir> <tantivy dir> <scenarios json>`` prints one JSON line: per scenario
and system, p50 and p99 in ms over ``ROUNDS`` passes through the scenario's queries (after one warm pass).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROUNDS = 10
MIN_SAMPLES = 100


def _percentiles(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 3),
        "samples": len(samples),
    }


def _time(call: Callable[[dict[str, str]], Any], queries: list[dict[str, str]]) -> dict[str, float]:
    for q in queries:  # warm: the first touch of each index page and column
        call(q)
    rounds = max(ROUNDS, -(-MIN_SAMPLES // len(queries)))
    samples = []
    for _ in range(rounds):
        for q in queries:
            started = time.perf_counter()
            call(q)
            samples.append((time.perf_counter() - started) * 1000)
    return _percentiles(samples)


def api_caller(work: Path) -> Callable[[dict[str, str]], Any]:
    from api.clause_listing import ListRequest, list_clauses
    from api.store import Store

    store = Store.open(work, work / "store", build=False)
    store.warm()
    store.disable_caches()
    release = store.latest
    assert release is not None

    def call(params: dict[str, str]) -> Any:
        req = ListRequest(
            city=[params["city"]] if "city" in params else None,
            topic=[params["topic"]] if "topic" in params else None,
            q=params.get("q"),
        )
        return list_clauses(release, req)

    return call


#: What the fast paths rest on; without them every answer comes from SQL (the reference).
FAST_PATHS = {"document_arrays": None, "topic_codes": None, "has_bigram_postings": False, "fact_columns": None}


def compare_paths(work: Path, plan: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    """Every list query's whole answer (page, total, facets) with the in-memory paths and from SQL alone."""
    import msgspec

    from api.clause_listing import ListRequest, list_clauses
    from api.store import Store

    store = Store.open(work, work / "store", build=False)
    store.disable_caches()
    release = store.latest
    assert release is not None
    queries = [q for queries in plan.values() for q in queries]

    def answers() -> list[bytes]:
        return [
            msgspec.json.encode(
                list_clauses(
                    release,
                    ListRequest(
                        city=[q["city"]] if "city" in q else None,
                        topic=[q["topic"]] if "topic" in q else None,
                        q=q.get("q"),
                    ),
                )
            )
            for q in queries
        ]

    fast = answers()
    release.__dict__.update(FAST_PATHS)
    reference = answers()
    differ = [q for q, a, b in zip(queries, fast, reference, strict=True) if a != b]
    return {"checked": len(queries), "agree": len(queries) - len(differ), "differences": differ}


def main(argv: list[str]) -> int:
    work, index, plan = Path(argv[0]), Path(argv[1]), json.loads(argv[2])
    from bench.tantivy_anchor import Anchor

    systems = {"api-nocache": api_caller(work), "tantivy": Anchor(index).answer}
    out: dict[str, dict[str, Any]] = {}
    for name, queries in plan.items():
        out[name] = {system: _time(call, queries) for system, call in systems.items()}
    out["paths_agree"] = compare_paths(work, plan)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
