"""The results table (markdown), the targets with pass/fail, and ``bench/results/README.md``."""

from __future__ import annotations

import json
from pathlib import Path

#: The corpus sizes the harness can run, smallest first (``./run bench --sizes``).
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000, "3M": 3_000_000}
#: The size the targets are set for, and the size its growth is measured from.
TARGET_SIZE, GROWTH_FROM = "1M", "100k"
#: Sizes run for the cost curve only: no Datasette (its answers there pass the 10 s time limit it is given) and
#: no two-worker runs; the API (uncached and cached, with the bare route), tantivy and the in-process timings.
CURVE_ONLY = frozenset({"3M"})
GB = 1024


def _row(rows: list[dict], scenario: str, system: str) -> dict | None:
    return next((r for r in rows if r["scenario"] == scenario and r["system"] == system), None)


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "–"


def _inprocess(result: dict, scenario: str, system: str = "api-nocache") -> dict | None:
    return (result.get("inprocess") or {}).get(scenario, {}).get(system)


def _anchors_honest(result: dict) -> tuple[str, bool]:
    rows = result["results"]
    ds_errors = sum(r["errors"] for r in rows if r["system"] == "datasette")
    checks = result.get("answer_checks") or {}
    checked = {
        system: (sum(c["checked"] for c in by.values()), sum(c["agree"] for c in by.values()))
        for system, by in checks.items()
    }
    measured = f"Datasette errors {ds_errors}; answers agreeing with the API: " + ", ".join(
        f"{system} {agree}/{total}" for system, (total, agree) in checked.items()
    )
    ok = (
        ds_errors == 0
        and "tantivy" in checked
        and "datasette" in checked
        and all(agree == total for total, agree in checked.values())
    )
    return measured, ok


Met = tuple[str, str, bool | None]


def _anchors(result: dict, smaller: dict | None) -> Met | None:
    if result["size"] in CURVE_ONLY:
        return None
    return (
        "1. honest anchors: Datasette with complete answers and 0 errors, tantivy, every answer checked",
        *_anchors_honest(result),
    )


def _common_word(result: dict, smaller: dict | None) -> Met | None:
    common = _inprocess(result, "fts_common")
    if not common:
        return None
    http_row = _row(result["results"], "fts_common", "api-nocache")
    http = f"; over HTTP p50 {http_row['p50_ms']:.1f} ms, p99 {http_row['p99_ms']:.1f} ms" if http_row else ""
    return (
        "2. common-word relevance with total and all facets, uncached: p50 ≤ 5 ms, p99 ≤ 10 ms "
        "(in-process), ranked by bm25 or an equally principled score",
        f"p50 {common['p50_ms']:.1f} ms, p99 {common['p99_ms']:.1f} ms{http}; ranking: BM25 over "
        "character bigrams (k1 1.2, b 0.75), ties in document order",
        common["p50_ms"] <= 5 and common["p99_ms"] <= 10,
    )


def _city_topic(result: dict, smaller: dict | None) -> Met | None:
    city = _inprocess(result, "city_topic")
    if not city:
        return None
    return (
        "3a. city+topic with total and facets, uncached: p50 ≤ 1 ms in-process",
        f"{city['p50_ms']:.2f} ms",
        city["p50_ms"] <= 1,
    )


def _city_topic_http(result: dict, smaller: dict | None) -> Met | None:
    city_http = _row(result["results"], "city_topic", "api-nocache")
    if not city_http:
        return None
    return (
        "3b. city+topic, uncached: ≥ 1,000 req/s on one core over HTTP",
        f"{city_http['rps']:,.0f} req/s",
        city_http["rps"] >= 1000,
    )


def _city_topic_growth(result: dict, smaller: dict | None) -> Met | None:
    city = _inprocess(result, "city_topic")
    small = _inprocess(smaller, "city_topic") if smaller else None
    if not (city and small and smaller):
        return None
    growth = city["p50_ms"] / small["p50_ms"]
    return (
        f"3c. city+topic p50 at {result['size']} within 1.5× of {smaller['size']} (in-process)",
        f"{growth:.2f}× ({small['p50_ms']:.2f} → {city['p50_ms']:.2f} ms)",
        growth <= 1.5,
    )


def _workers(result: dict, smaller: dict | None) -> Met | None:
    rows = result["results"]
    two = _row(rows, "city_topic", "api-nocache-2w")
    # One worker measured in turn with two (results since the pairing), else the uncached row of the run's start.
    one = _row(rows, "city_topic", "api-nocache-1w") or _row(rows, "city_topic", "api-nocache")
    if not (two and one):
        return None
    ratio = two["rps"] / one["rps"] if one["rps"] else 0
    paired = ", medians of passes taken in turn" if "rps_passes" in two else ""
    return (
        "4. two workers ≥ 1.8× one worker's uncached throughput (city+topic)",
        f"{ratio:.2f}× ({two['rps']:,.0f} vs {one['rps']:,.0f} req/s{paired}; wrk shares a core with a worker)",
        ratio >= 1.8,
    )


def _store(result: dict, smaller: dict | None) -> Met | None:
    store = result["store_build"]
    api_mb = result.get("memory_peak_mb", {}).get("api-nocache", 0)
    loaded = (
        f" (built at a load average of {store['load_average_at_start'][0]} at its start, "
        f"{store.get('load_average_at_end', ['?'])[0]} at its end: not a clean figure)"
        if store.get("built_at") and _build_loaded(store)
        else ""
    )
    return (
        "5. store ≤ 1× the CSV, built in ≤ 60 s; server memory ≤ 600 MB",
        f"{store['ratio_to_csv']:.2f}× ({store['bytes'] / 2**20:,.0f} MB for {result['csv_bytes'] / 2**20:,.0f}"
        f" MB of CSV), {store['seconds']:.0f} s{loaded}; {api_mb:,} MB peak RSS (api-nocache)",
        store["ratio_to_csv"] <= 1 and store["seconds"] <= 60 and api_mb <= 600,
    )


def _cached(result: dict, smaller: dict | None) -> Met | None:
    rows = result["results"]
    bare = _row(rows, "repeated", "bare")
    cached = [(r, _bare_rps(r, bare)) for r in rows if r["system"] == "api"]
    if not (cached and all(rps for _, rps in cached)):
        return None
    worst, rps = min(cached, key=lambda pair: pair[0]["rps"] / pair[1])
    ratio = worst["rps"] / rps
    paired = (
        " against the bare passes taken in turn with it"
        if "rps_passes" in worst
        else " against the bare pass right after it"
        if "bare_rps" in worst
        else ""
    )
    return (
        "6. cached paths ≥ 0.75× the bare-bytes route (the slowest cached scenario)",
        f"{ratio:.2f}× ({worst['scenario']}{paired}){_cpu_costs(cached)}",
        ratio >= 0.75,
    )


def _cpu_costs(cached: list[tuple[dict, float]]) -> str:
    """The server's CPU time per request of the costliest cached scenario and of the bare route, when measured."""
    costs = [r for r, _ in cached if r.get("cpu_us") and r.get("bare_cpu_us")]
    if not costs:
        return ""
    worst = max(costs, key=lambda r: r["cpu_us"] / r["bare_cpu_us"])
    return (
        f"; server CPU per request {worst['cpu_us']:.1f} µs vs the bare route's {worst['bare_cpu_us']:.1f} µs "
        f"({worst['bare_cpu_us'] / worst['cpu_us']:.2f}×, {worst['scenario']})"
    )


def _bare_rps(row: dict, bare: dict | None) -> float:
    """The bare route's rate to compare ``row`` with: the pass paired with it when there is one (results since
    the pairing), else the bare route's row; 0 when there is neither."""
    return float(row.get("bare_rps") or (bare["rps"] if bare else 0))


#: The targets of issue 18 (set for 1M clauses; evaluated at any size), each a function of a size's result
#: and the next smaller size's (for growth); None when the run lacks what it needs.
TARGETS = (_anchors, _common_word, _city_topic, _city_topic_http, _city_topic_growth, _workers, _store, _cached)


def targets(result: dict, smaller: dict | None = None) -> list[Met]:
    """(target, measured, met) of every target the result has the figures for."""
    return [met for target in TARGETS if (met := target(result, smaller)) is not None]


def table(result: dict, smaller: dict | None = None) -> str:
    rows = result["results"]
    m = result["machine"]
    lines = [
        f"### {result['size']} clauses ({result['clauses']:,}, seed {result['seed']})"
        + (" — quick smoke run, not a measurement" if result.get("quick") else ""),
        "",
        f"{m['date']}, commit {m['git_commit']}, {m['cpu']} ({m['cores']} cores), Python {m['python']}, "
        f"load average at the start {result.get('load_average_at_start', '?')} and at the end "
        f"{m['load_average']}{LOADED_NOTE if _loaded(result) else ''}. "
        f"wrk: warm-up {result['durations']['warmup']} s, latency "
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
        vs_bare = _ratio(r["rps"], rps) if (rps := _bare_rps(r, bare)) and r["system"] != "bare" else ""
        mark = " †" if r.get("sequential") else ""
        lines.append(
            f"| {r['scenario']} | {r['system']}{mark} | {r['rps']:,.1f} | {r['p50_ms']:.2f} | "
            f"{r['p99_ms']:.2f} | {r['p99_loaded_ms']:.2f} | {vs_ds} | {vs_bare} | {r['errors']} |"
        )
    v, s = result["validation"], result["store_build"]
    lines += [
        "",
        f"Build and data: CSV {result['csv_bytes'] / 2**20:,.1f} MB; validation (every check) {v['seconds']:.1f} s, "
        f"{v['clauses_per_second']:,} clauses/s, peak {v['peak_mb']:,} MB; store build (CSV → SQLite with "
        f"indexes and posting lists) {s['seconds']:.1f} s, {s['clauses_per_second']:,} clauses/s, peak "
        f"{s['peak_mb']:,} MB, {s['bytes'] / 2**20:,.1f} MB on disk ({s['ratio_to_csv']:.2f}× the CSV)"
        + (
            f", built {s['built_at']} at a load average of {s['load_average_at_start']} at its start and "
            f"{s.get('load_average_at_end', '?')} at its end"
            if s.get("built_at")
            else ""
        )
        + _datasette_build(result)
        + f"; tantivy index {_tantivy_build(result)}. Peak RSS (MB): "
        + ", ".join(f"{k} {v:,}" for k, v in result["memory_peak_mb"].items())
        + ".",
        "",
        *_inprocess_table(result),
        *_checks_table(result),
        "| target | measured | |",
        "|---|---|---|",
    ]
    verdict = {None: "n/a", True: "pass", False: "FAIL"}
    lines += [f"| {name} | {measured} | {verdict[ok]} |" for name, measured, ok in targets(result, smaller)]
    return "\n".join(lines) + "\n"


#: Load averages (1 min) above these mean other work ran beside the benchmark: before it starts, and at its end
#: (where the benchmark's own server and wrk account for about 2 on this 2-core machine).
LOADED_AT_START, LOADED_AT_END = 1.5, 3.5
LOADED_NOTE = " (a LOADED machine: other work ran beside the benchmark, figures are not clean)"


def _build_loaded(build: dict) -> bool:
    return max(build.get("load_average_at_start", [0])[0], build.get("load_average_at_end", [9])[0]) > LOADED_AT_START


def _loaded(result: dict) -> bool:
    start = result.get("load_average_at_start", [0])[0]
    return start > LOADED_AT_START or result["machine"]["load_average"][0] > LOADED_AT_END


def _datasette_build(result: dict) -> str:
    if "datasette_bytes" not in result:
        return "; no Datasette database (a size for the cost curve only)"
    return f"; Datasette database {result['datasette_bytes'] / 2**20:,.1f} MB"


def _tantivy_build(result: dict) -> str:
    t = result.get("tantivy_build")
    return f"{t['bytes'] / 2**20:,.1f} MB, built in {t['seconds']:.1f} s" if t else "not built"


def _inprocess_table(result: dict) -> list[str]:
    timings = result.get("inprocess") or {}
    if not timings:
        return []
    lines = [
        "In-process, one thread, every cache off (the API's `list_clauses`: total, facets and a page of 50 "
        "rows; tantivy: a page of 50 stored IDs, the exact total and five terms aggregations):",
        "",
        "| scenario | api-nocache p50 ms | p99 ms | tantivy p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, by in timings.items():
        a, t = by.get("api-nocache", {}), by.get("tantivy", {})
        lines.append(
            f"| {name} | {a.get('p50_ms', 0):.2f} | {a.get('p99_ms', 0):.2f} | {t.get('p50_ms', 0):.2f} | "
            f"{t.get('p99_ms', 0):.2f} |"
        )
    return [*lines, ""]


def _checks_table(result: dict) -> list[str]:
    checks = result.get("answer_checks") or {}
    if not checks:
        return []
    lines = [
        "Answer checks (total and the five facets of every distinct list query against the API's; tantivy's "
        "page too in document order; see `bench/answers.py`):",
        "",
        "| anchor | scenario | queries | agree | differences |",
        "|---|---|---:|---:|---|",
    ]
    for system, by in checks.items():
        for scenario, c in by.items():
            diff = "; ".join(f"`{t}`: {', '.join(d)}" for t, d in list(c["differences"].items())[:3])
            lines.append(f"| {system} | {scenario} | {c['checked']} | {c['agree']} | {diff} |")
    paths = result.get("paths_agree")
    if paths:
        lines.append(
            f"| the API from SQL alone (no in-memory paths; whole answers, pages included) | every list "
            f"query | {paths['checked']} | {paths['agree']} | {paths['differences'][:3] or ''} |"
        )
    return [*lines, ""]


def _urls(result: dict) -> str:
    lines = ["| scenario | what | API (first URL) | Datasette (first URL) |", "|---|---|---|---|"]
    rows = result["results"]
    for name, what in result["scenarios"].items():
        api, ds = _row(rows, name, "api"), _row(rows, name, "datasette")
        lines.append(f"| {name} | {what} | `{api['url'] if api else ''}` | `{ds['url'] if ds else ''}` |")
    return "\n".join(lines) + "\n"


SYSTEMS = (
    "Systems: `api` is `python -m api` as deployed (one worker; response cache and facet cache on), `api-nocache` "
    "the same with `--no-caches` (every request computed), `datasette` Datasette on the same rows configured for "
    "complete answers (facet suggestions off, 10 s facet and SQL time limits, the topic filter through the index on "
    "`clause_topics`, its trigram full-text index for `_search`, LIKE over heading and text for two-character "
    "words, which a trigram index cannot search), `tantivy` the Rust search engine through its official Python "
    "binding over the same rows (character bigrams, fast fields for the facets; in-process only), `bare` a minimal "
    "ASGI app under stock uvicorn (httptools, uvloop) returning precomputed bytes of the size of the `repeated` "
    "response (up beside `api` on the same core: each `api` row is followed by a pass of it, then two more "
    "throughput passes of each are taken in turn, which also measure the server's CPU time per request; both rows "
    "give the median of their three, and `vs bare` is the ratio of the medians), `-2w` two workers (each with its "
    "own SO_REUSEPORT socket; `api-nocache-2w` is measured in turn with `api-nocache-1w`, one worker up beside it, "
    "in the same way). Scenarios with several URLs cycle through them. The 3M size is run for the cost "
    "curve only (no Datasette, whose answers there pass its 10 s time limit, and no two-worker runs)."
)
PLOT = "cost.svg"
README_START, README_END = "<!-- bench results: start -->", "<!-- bench results: end -->"


def plot(results: list[dict], path: Path) -> Path | None:
    """The cost curve: p50 by corpus size for each list scenario (API uncached in-process and over HTTP, tantivy)."""
    sized = [r for r in results if r.get("inprocess") and not r.get("quick")]
    if len(sized) < 2:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    sizes = [r["clauses"] for r in sized]
    for scenario in ("city_topic", "fts_common", "fts_rare"):
        for system, style in (("api-nocache", "-o"), ("tantivy", "--s")):
            ys = [(_inprocess(r, scenario, system) or {}).get("p50_ms") for r in sized]
            if all(ys):
                ax.plot(sizes, [float(y or 0) for y in ys], style, label=f"{scenario}, {system} (in-process)")
        http = [(_row(r["results"], scenario, "api-nocache") or {}).get("p50_ms") for r in sized]
        if all(http):
            ax.plot(sizes, [float(y or 0) for y in http], ":^", label=f"{scenario}, api-nocache (HTTP)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("clauses")
    ax.set_ylabel("p50 latency, ms (log)")
    ax.set_title("Uncached cost by corpus size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    with plt.rc_context({"svg.hashsalt": PLOT}):  # fixed element IDs: the same results draw the same bytes
        fig.savefig(path, metadata={"Date": None})
    plt.close(fig)
    return path


def _smaller(results: list[dict], result: dict) -> dict | None:
    if result["size"] != TARGET_SIZE:
        return None
    return next((r for r in results if r["size"] == GROWTH_FROM), None)


def readme_section(results: list[dict]) -> str:
    """The README's generated part of the performance section: the targets at :data:`TARGET_SIZE` (or at the
    largest size measured when it was not run)."""
    if not results:
        return ""
    shown = next((r for r in results if r["size"] == TARGET_SIZE), results[-1])
    verdict = {None: "n/a", True: "pass", False: "FAIL"}
    m = shown["machine"]
    lines = [
        f"Latest run ({shown['size']} clauses, {m['date']}, commit {m['git_commit']}, load average at the start "
        f"{shown.get('load_average_at_start', '?')}{LOADED_NOTE if _loaded(shown) else ''}), generated from "
        "[`bench/results/`](bench/results/README.md) by `./run bench`:",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *(
            f"| {name} | {measured} | {verdict[ok]} |"
            for name, measured, ok in targets(shown, _smaller(results, shown))
        ),
    ]
    return "\n".join(lines) + "\n"


def update_readme(readme: Path, results: list[dict]) -> None:
    """Replace the generated part of ``readme`` (between the bench markers) with :func:`readme_section`."""
    if not readme.is_file():
        return
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        return
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(f"{head}{README_START}\n{readme_section(results)}{README_END}{tail}", encoding="utf-8")


def write_readme(directory: Path, readme: Path | None = None) -> Path:
    results = [json.loads(p.read_text(encoding="utf-8")) for p in directory.glob("*.json")]
    results.sort(key=lambda r: list(SIZES).index(r["size"]) if r["size"] in SIZES else 99)
    parts = [
        "# Benchmark results",
        "",
        "Written by `./run bench` (see `bench/__main__.py` for what runs, `bench/scenarios.py` for the queries). "
        + SYSTEMS,
        "",
    ]
    if plot(results, directory / PLOT):
        parts += [f"![Uncached p50 latency by corpus size]({PLOT})", ""]
    for result in results:
        parts += [table(result, _smaller(results, result)), "Queries:", "", _urls(result)]
    path = directory / "README.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    if readme is not None:
        update_readme(readme, results)
    return path
