"""The results table (markdown), the targets with pass/fail, and ``bench/results/README.md``."""

from __future__ import annotations

import json
from pathlib import Path

SIZE_ORDER = ("1k", "10k", "100k", "1M")
GB = 1024


def _row(rows: list[dict], scenario: str, system: str) -> dict | None:
    return next((r for r in rows if r["scenario"] == scenario and r["system"] == system), None)


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "–"


def targets(result: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for the targets of the 1M size (evaluated at any size)."""
    rows = result["results"]
    out: list[tuple[str, str, bool | None]] = []
    city = _row(rows, "city_topic", "api-nocache")
    city_ds = _row(rows, "city_topic", "datasette")
    if city:
        out.append(("city+topic with total and facets, uncached: p99 ≤ 25 ms", f"{city['p99_ms']:.1f} ms",
                    city["p99_ms"] <= 25))
    if city and city_ds:
        if city_ds["rps"]:
            ratio = city["rps"] / city_ds["rps"]
            out.append(("city+topic, uncached: ≥ 10× Datasette's throughput", f"{ratio:.1f}×", ratio >= 10))
        else:
            out.append(("city+topic, uncached: ≥ 10× Datasette's throughput",
                        "not measured: Datasette completed no request in the window", None))
    common = _row(rows, "fts_common", "api-nocache")
    if common:
        out.append(("relevance full text, common two-character words, uncached: p99 ≤ 100 ms",
                    f"{common['p99_ms']:.1f} ms", common["p99_ms"] <= 100))
    repeated, bare = _row(rows, "repeated", "api"), _row(rows, "repeated", "bare")
    if repeated and bare:
        ratio = repeated["rps"] / bare["rps"] if bare["rps"] else 0
        out.append(("repeated identical queries: ≥ 0.5 × the bare-bytes throughput", f"{ratio:.2f}×", ratio >= 0.5))
    memory = result.get("memory_peak_mb", {})
    api_mb = max(memory.get("api", 0), memory.get("api-nocache", 0))
    out.append(("API memory (peak RSS, one worker) ≤ 1 GB", f"{api_mb:,} MB", api_mb <= GB))
    store = result["store_build"]
    out.append(("store on disk ≤ 3 × the CSV size", f"{store['ratio_to_csv']:.2f}× ({store['bytes'] / 2**20:,.0f} MB "
                f"for {result['csv_bytes'] / 2**20:,.0f} MB of CSV)", store["ratio_to_csv"] <= 3))
    v = result["validation"]
    out.append(("full validation ≤ 60 s and ≤ 2 GB", f"{v['seconds']:.1f} s, {v['peak_mb']:,} MB",
                v["ok"] and v["seconds"] <= 60 and v["peak_mb"] <= 2 * GB))
    return out


def table(result: dict) -> str:
    rows = result["results"]
    m = result["machine"]
    lines = [
        f"### {result['size']} clauses ({result['clauses']:,}, seed {result['seed']})"
        + (" — quick smoke run, not a measurement" if result.get("quick") else ""),
        "",
        f"{m['date']}, commit {m['git_commit']}, {m['cpu']} ({m['cores']} cores), Python {m['python']}, "
        f"load average at the end {m['load_average']}. wrk: warm-up {result['durations']['warmup']} s, latency "
        f"pass {result['durations']['latency']} s on 1 connection (p50, p99), throughput pass "
        f"{result['durations']['throughput']} s on {result['durations']['connections']} connections (req/s, loaded "
        "p99); servers on core 1, wrk on core 0 (two-worker runs on both cores). † requests too slow for the "
        "windows, timed one after another instead (p99 = the slowest, req/s = one connection's rate).",
        "",
        "| scenario | system | req/s | p50 ms | p99 ms | loaded p99 ms | vs Datasette | vs bare | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    bare = _row(rows, "repeated", "bare")
    for r in rows:
        ds = _row(rows, r["scenario"], "datasette")
        vs_ds = _ratio(r["rps"], ds["rps"]) if ds and r["system"] != "datasette" else ""
        vs_bare = _ratio(r["rps"], bare["rps"]) if bare and r["system"] != "bare" else ""
        mark = " †" if r.get("sequential") else ""
        lines.append(f"| {r['scenario']} | {r['system']}{mark} | {r['rps']:,.1f} | {r['p50_ms']:.2f} | "
                     f"{r['p99_ms']:.2f} | {r['p99_loaded_ms']:.2f} | {vs_ds} | {vs_bare} | {r['errors']} |")
    v, s = result["validation"], result["store_build"]
    lines += [
        "",
        f"Build and data: CSV {result['csv_bytes'] / 2**20:,.1f} MB; validation (every check) {v['seconds']:.1f} s, "
        f"{v['clauses_per_second']:,} clauses/s, peak {v['peak_mb']:,} MB; store build (CSV → SQLite with "
        f"indexes and full-text) {s['seconds']:.1f} s, {s['clauses_per_second']:,} clauses/s, peak {s['peak_mb']:,} "
        f"MB, {s['bytes'] / 2**20:,.1f} MB on disk ({s['ratio_to_csv']:.2f}× the CSV); Datasette database "
        f"{result['datasette_bytes'] / 2**20:,.1f} MB. Peak RSS (MB): "
        + ", ".join(f"{k} {v:,}" for k, v in result["memory_peak_mb"].items()) + ".",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    verdict = {None: "n/a", True: "pass", False: "FAIL"}
    lines += [f"| {name} | {measured} | {verdict[ok]} |" for name, measured, ok in targets(result)]
    return "\n".join(lines) + "\n"


def _urls(result: dict) -> str:
    lines = ["| scenario | what | API (first URL) | Datasette (first URL) |", "|---|---|---|---|"]
    rows = result["results"]
    for name, what in result["scenarios"].items():
        api, ds = _row(rows, name, "api"), _row(rows, name, "datasette")
        lines.append(f"| {name} | {what} | `{api['url'] if api else ''}` | `{ds['url'] if ds else ''}` |")
    return "\n".join(lines) + "\n"


def write_readme(directory: Path) -> Path:
    results = [json.loads(p.read_text(encoding="utf-8")) for p in directory.glob("*.json")]
    results.sort(key=lambda r: SIZE_ORDER.index(r["size"]) if r["size"] in SIZE_ORDER else 99)
    parts = [
        "# Benchmark results",
        "",
        "Written by `./run bench` (see `bench/__main__.py` for what runs, `bench/scenarios.py` for the queries). "
        "Systems: `api` is `python -m api` as deployed (one worker; response cache and facet cache on), "
        "`api-nocache` the same with `--no-caches` (every request computed), `datasette` Datasette on the same rows "
        "(facets on, its defaults), `bare` a minimal ASGI app under the same server returning precomputed bytes of "
        "the size of the `repeated` response, `-2w` two workers. Scenarios with several URLs cycle through them.",
        "",
    ]
    for result in results:
        parts += [table(result), "Queries:", "", _urls(result)]
    path = directory / "README.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
