"""``python -m bench`` (``./run bench``): the benchmark harness.

For each size: generate the synthetic corpus (seeded; kept under ``var/bench/<size>/`` and reused
while its parameters are the same), validate it, build the API's store and Datasette's database,
then load-test with wrk, the servers pinned to one core and wrk to the other, after a warm-up:

* ``api``: ``python -m api`` as deployed (one worker, response and facet caches on);
* ``api-nocache``: the same with ``--no-caches``, so every request computes its answer;
* ``datasette``: Datasette on the same rows, the same queries as URL filters, facets on;
* ``bare``: a minimal ASGI app under stock uvicorn (httptools) returning precomputed bytes of the
  size of the API's ``repeated`` response (the practical limit of a Python server here);
* ``api-nocache-2w``, ``api-2w``: two workers (on both cores, sharing one with wrk); the uncached one is
  measured in turn with ``api-nocache-1w``, one worker up beside it.

A size of ``report.CURVE_ONLY`` (3M) is run for the cost curve only: no Datasette, no two workers.

Prints one table per size and writes ``bench/results/<size>.json`` and ``bench/results/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import answers, cpu_cost, load, report, servers
from bench.corpus import RELEASE, csv_bytes, write_corpus
from bench.scenarios import Scenario, scenarios
from bench.tantivy_anchor import Anchor

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
SIZES = report.SIZES
SEED = 20240601
SERVER_CORES, WRK_CORES, ALL_CORES = "1", "0", "0,1"
#: Throughput passes of each cached scenario and of the bare route, taken in turn (see ``_interleave``).
PAIRED_PASSES = 3


def _timed(command: list[str]) -> tuple[dict, float]:
    """Run ``command`` (which prints one JSON line); its result and peak resident memory in MB."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
    out = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed with exit status {process.returncode}")
    return json.loads(out.decode().strip().splitlines()[-1]), usage.ru_maxrss / 1024


def _store_current(release_dir: Path, store: Path) -> bool:
    """Whether ``store`` was built from ``release_dir`` by the present store code."""
    from api.package import SourcePackage
    from api.store_builder import STORE_FORMAT, stored_meta

    if not store.is_file():
        return False
    package = SourcePackage.load(release_dir / "datapackage.json", "release")
    meta = stored_meta(store)
    return meta.get("format") == STORE_FORMAT and meta.get("source_hash") == package.source_hash(STORE_FORMAT)


def _corpus(work: Path, clauses: int, log: Callable[[str], None]) -> dict:
    """Generate the corpus unless the one on disk is of this size, seed and generator; drop what was built on
    an older one. What generating cost (empty when nothing was generated)."""
    stamp = work / "corpus.json"
    wanted = {"clauses": clauses, "seed": SEED, "generator": (ROOT / "bench" / "corpus.py").stat().st_mtime_ns}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return {}
    log(f"[{work.name}] generating {clauses:,} clauses")
    started = time.perf_counter()
    write_corpus(work, clauses, SEED)
    info = {"generate_seconds": round(time.perf_counter() - started, 2)}
    shutil.rmtree(work / "tantivy", ignore_errors=True)
    for stale in (
        work / "store",
        work / "bench.db",
        work / "store.json",
        work / "tantivy.json",
        work / "validation.json",
    ):
        if stale.is_dir():
            for f in stale.iterdir():
                f.unlink()
        else:
            stale.unlink(missing_ok=True)
    stamp.write_text(json.dumps(wanted))
    return info


def _validation(work: Path, clauses: int, log: Callable[[str], None], prepared: bool) -> dict:
    """Every check of the package over the corpus, timed (or the figures recorded when it was, if prepared)."""
    validated = work / "validation.json"
    if prepared and validated.is_file():
        recorded: dict = json.loads(validated.read_text())
        log(f"[{work.name}] reusing the validation of {recorded['measured_at']}")
        return recorded
    log(f"[{work.name}] validating")
    load_before = [round(x, 2) for x in os.getloadavg()]
    result, peak = _timed([sys.executable, "-m", "bench.tasks", "validate", str(work / "releases" / RELEASE)])
    info = {
        "seconds": round(result["seconds"], 2),
        "peak_mb": round(peak),
        "ok": result["ok"],
        "problems": result["problems"],
        "checks": result["checks"],
        "clauses_per_second": round(clauses / result["seconds"]),
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_at_start": load_before,
    }
    validated.write_text(json.dumps(info))
    return info


def _store_build(work: Path, clauses: int, csv_size: int, log: Callable[[str], None], prepared: bool) -> dict:
    """The API's store built from the corpus, timed (or reused when prepared and built by the present code)."""
    release_dir, store, recorded = (
        work / "releases" / RELEASE,
        work / "store" / f"{RELEASE}.sqlite",
        work / "store.json",
    )
    if prepared and recorded.is_file() and _store_current(release_dir, store):
        info: dict = json.loads(recorded.read_text())
        log(f"[{work.name}] reusing the API store built {info['built_at']}")
        return info
    log(f"[{work.name}] building the API store")
    started_load = [round(x, 2) for x in os.getloadavg()]
    result, peak = _timed([sys.executable, "-m", "bench.tasks", "store", str(release_dir), str(store)])
    info = {
        "seconds": round(result["seconds"], 2),
        "peak_mb": round(peak),
        "clauses_per_second": round(clauses / result["seconds"]),
        "bytes": result["bytes"],
        "ratio_to_csv": round(result["bytes"] / csv_size, 2),
        "built_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_at_start": started_load,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    recorded.write_text(json.dumps(info))
    return info


def _anchor_builds(work: Path, log: Callable[[str], None]) -> dict:
    """The Datasette database (not for a size of :data:`report.CURVE_ONLY`) and the tantivy index of the corpus,
    built when missing."""
    release_dir = work / "releases" / RELEASE
    info: dict[str, Any] = {}
    db = work / "bench.db"
    if not db.is_file() and work.name not in report.CURVE_ONLY:
        log(f"[{work.name}] building the Datasette database")
        result, _ = _timed([sys.executable, "-m", "bench.tasks", "datasette", str(release_dir), str(db)])
        info["datasette_build"] = {"seconds": round(result["seconds"], 2)}
    if db.is_file():
        info["datasette_bytes"] = db.stat().st_size
    index = work / "tantivy"
    if not (index / "meta.json").is_file() or not (work / "tantivy.json").is_file():
        log(f"[{work.name}] building the tantivy index")
        result, peak = _timed([sys.executable, "-m", "bench.tantivy_anchor", str(release_dir), str(index)])
        (work / "tantivy.json").write_text(json.dumps({**result, "peak_mb": round(peak)}))
    info["tantivy_build"] = json.loads((work / "tantivy.json").read_text())
    return info


def prepare(size: str, clauses: int, log: Callable[[str], None], prepared: bool = False) -> dict:
    """Corpus, validation, store and Datasette database of one size; what each step cost."""
    work = WORK / size
    info: dict[str, Any] = _corpus(work, clauses, log)
    info["csv_bytes"] = csv_bytes(work / "releases" / RELEASE)
    info["validation"] = _validation(work, clauses, log, prepared)
    info["store_build"] = _store_build(work, clauses, info["csv_bytes"], log, prepared)
    return {**info, **_anchor_builds(work, log)}


def inprocess(work: Path, plan: list, log: Callable[[str], None]) -> dict:
    """In-process timings of the API and the tantivy anchor (a process of its own, on the servers' core)."""
    log("  in-process timings (api-nocache, tantivy)")
    queries = {s.name: s.params for s in plan if s.params and s.name != "repeated"}
    command = servers.pinned(
        SERVER_CORES, [sys.executable, "-m", "bench.inprocess", str(work), str(work / "tantivy"), json.dumps(queries)]
    )
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _list_targets(plan: list) -> list[tuple[str, str, dict[str, str], str]]:
    """(scenario, API target, its filters, Datasette target) of every distinct list query."""
    seen, out = set(), []
    for s in plan:
        for api_target, ds_target, params in zip(s.api, s.datasette, s.params, strict=False):
            if api_target not in seen:
                seen.add(api_target)
                out.append((s.name, api_target, params, ds_target))
    return out


def _measured(
    server: servers.Server, system: str, scenario: str, targets: list[str], durations: load.Durations, cores: str
) -> tuple[dict, str]:
    """One row of the results (``server`` under load on ``targets``) and its log line."""
    started = time.perf_counter()
    load_before = round(os.getloadavg()[0], 2)
    result = load.run(server.url, targets, durations, cores)
    row = {
        "scenario": scenario,
        "system": system,
        **result.as_json(),
        "url": targets[0],
        "distinct_urls": len(targets),
        # The 1-minute load average around the row: an outlier row is told apart from a loaded moment.
        "load_average": [load_before, round(os.getloadavg()[0], 2)],
    }
    line = (
        f"  {system:12} {scenario:13} {result.rps:9.1f} req/s  p50 {result.p50_ms:8.2f} ms  "
        f"p99 {result.p99_ms:8.2f} ms  ({time.perf_counter() - started:.0f} s)"
    )
    return row, line


@dataclass(frozen=True)
class Reference:
    """A server each row of another is measured in turn with, so their ratio is of passes seconds apart, not
    minutes: the bare route for the cached API (target 6), one worker for two (target 4)."""

    server: servers.Server
    system: str
    #: Its targets (None: the scenario's own) and the prefix of the keys the paired row keeps of it.
    targets: list[str] | None
    key: str
    #: The scenarios whose rows of it are results too (for the others, only its figures in the paired row).
    kept: frozenset[str]


def _measure(
    server: servers.Server,
    system: str,
    plan: list,
    durations: load.Durations,
    cores: str,
    rows: list[dict],
    log: Callable[[str], None],
    reference: Reference | None = None,
) -> None:
    """Rows of ``plan`` on ``server``. With a ``reference`` (up on the same cores, idle meanwhile), each row is
    followed by a pass of it, then both take more passes in turn (:func:`_interleave`)."""
    for scenario in plan:
        targets = scenario.datasette if system == "datasette" else scenario.api
        row, line = _measured(server, system, scenario.name, targets, durations, cores)
        rows.append(row)
        log(line)
        if reference is not None:
            their_targets = reference.targets or targets
            paired, line = _measured(reference.server, reference.system, scenario.name, their_targets, durations, cores)
            log(line)
            _interleave(row, paired, (server, targets), (reference.server, their_targets), durations, cores, log)
            row[f"{reference.key}_rps"], row[f"{reference.key}_cpu_us"] = paired["rps"], paired["cpu_us"]
            if scenario.name in reference.kept:
                rows.append(paired)


def _interleave(
    row: dict,
    paired: dict,
    mine: tuple[servers.Server, list[str]],
    theirs: tuple[servers.Server, list[str]],
    durations: load.Durations,
    cores: str,
    log: Callable[[str], None],
) -> None:
    """:data:`PAIRED_PASSES` throughput passes of two servers (each with its targets) in turn, the first being the
    rows' own: each row's req/s becomes the median of its passes (all kept as ``rps_passes``). The passes after
    the first also measure the server's CPU time per request (:mod:`bench.cpu_cost`; ``cpu_us``), which time
    taken by other work does not move. One 8-second pass moves by 10 % or more on a shared machine; the median
    of passes taken in turn is steadier than any one pair."""
    passes: tuple[list[float], list[float]] = ([row["rps"]], [paired["rps"]])
    costs: tuple[list[float], list[float]] = ([], [])
    for _ in range(PAIRED_PASSES - 1):
        for i, (server, targets) in enumerate((mine, theirs)):
            rps, us = cpu_cost.measured_pass(server, targets, durations, cores)
            passes[i].append(rps)
            costs[i].append(us)
    for r, rates, times in zip((row, paired), passes, costs, strict=True):
        r["rps_passes"] = [round(x, 1) for x in rates]
        r["rps"] = statistics.median(rates)
        r["cpu_us_passes"] = [round(x, 2) for x in times]
        r["cpu_us"] = round(statistics.median(times), 2)
    log(
        f"    passes in turn: {row['system']} {row['rps_passes']} ({row['cpu_us_passes']} µs CPU per request), "
        f"{paired['system']} {paired['rps_passes']} ({paired['cpu_us_passes']} µs)"
    )


def repeated_body(server: servers.Server, repeated: Scenario) -> bytes:
    """The body of the ``repeated`` scenario's URL from ``server``: what the bare route serves."""
    with urllib.request.urlopen(server.url + load.encode(repeated.api[0])) as response:
        return bytes(response.read())


class SizeRun:
    """The load tests of one size: each system's servers in turn, the anchors' answers and their checks."""

    def __init__(self, size: str, durations: load.Durations, log: Callable[[str], None]) -> None:
        self.work = WORK / size
        self.plan = scenarios(self.work / "releases" / RELEASE)
        self.by_name = {s.name: s for s in self.plan}
        self.targets = _list_targets(self.plan)
        self.durations, self.log = durations, log
        self.rows: list[dict] = []
        self.memory: dict[str, float] = {}
        self.references: dict[str, dict] = {}
        self.anchor_answers: dict[str, dict[str, dict]] = {"datasette": {}, "tantivy": {}}

    def measure_on(
        self,
        server: servers.Server,
        system: str,
        chosen: list,
        record_memory: bool = True,
        then: Callable[[servers.Server], bytes | None] | None = None,
        reference: Reference | None = None,
    ) -> bytes | None:
        """Load-test ``chosen`` scenarios on a started server (each measured in turn with ``reference`` when
        given), note its peak memory, run ``then``, stop it."""
        try:
            _measure(server, system, chosen, self.durations, WRK_CORES, self.rows, self.log, reference)
            if record_memory:
                self.memory[system] = server.peak_rss_mb()
            return then(server) if then else None
        finally:
            server.stop()

    def api_answers(self, server: servers.Server) -> None:
        for _, target, _, _ in self.targets:
            self.references[target] = answers.api_answer(server.url, target)

    def datasette_answers(self, server: servers.Server) -> None:
        for _, target, _, ds_target in self.targets:
            self.anchor_answers["datasette"][target] = answers.datasette_answer(server.url, ds_target)

    def run(self) -> bytes:
        """Every system under load, one after the other; the body of the repeated URL (for the bare route)."""
        work, plan, logs = self.work, self.plan, self.work / "logs"
        api = servers.api
        self.measure_on(
            api(work, work / "store", SERVER_CORES, logs, caches=False, name="api-nocache"),
            "api-nocache",
            [s for s in plan if s.name != "repeated"],
            then=self.api_answers,
        )
        anchor = Anchor(work / "tantivy")
        self.anchor_answers["tantivy"] = {target: anchor.answer(params) for _, target, params, _ in self.targets}
        del anchor
        cached = api(work, work / "store", SERVER_CORES, logs, caches=True, name="api")
        body = repeated_body(cached, self.by_name["repeated"])
        bare_file = work / "bare-body.json"
        bare_file.write_bytes(body)
        bare = servers.bare(bare_file, SERVER_CORES, logs)
        try:
            # The bare route's pass after `repeated` is its row in the results too.
            paired = Reference(bare, "bare", ["/"], "bare", frozenset({"repeated"}))
            self.measure_on(cached, "api", plan, reference=paired)
        finally:
            bare.stop()
        if work.name in report.CURVE_ONLY:
            return body
        repeated = [self.by_name["repeated"]]
        self.measure_on(
            servers.datasette(work / "bench.db", SERVER_CORES, logs), "datasette", plan, then=self.datasette_answers
        )
        self.workers()
        two_cached = api(work, work / "store", ALL_CORES, logs, workers=2, caches=True, name="api-2w")
        self.measure_on(two_cached, "api-2w", repeated)
        return body

    def workers(self) -> None:
        """Two workers (on both cores, sharing one with wrk) and one (on the servers' core), uncached, on
        city+topic, measured in turn (target 4)."""
        work, logs = self.work, self.work / "logs"
        one = servers.api(work, work / "store", SERVER_CORES, logs, caches=False, name="api-nocache-1w")
        try:
            two = servers.api(work, work / "store", ALL_CORES, logs, workers=2, caches=False, name="api-nocache-2w")
            paired = Reference(one, "api-nocache-1w", None, "one_worker", frozenset({"city_topic"}))
            self.measure_on(two, "api-nocache-2w", [self.by_name["city_topic"]], reference=paired)
        finally:
            one.stop()

    def checks(self) -> dict[str, dict]:
        """Each anchor's answers checked against the API's, scenario by scenario."""
        out: dict[str, dict] = {}
        for system, got in self.anchor_answers.items():
            if not got:  # not run at this size (report.CURVE_ONLY)
                continue
            for scenario in dict.fromkeys(name for name, *_ in self.targets):
                mine = {t for name, t, *_ in self.targets if name == scenario}
                out.setdefault(system, {})[scenario] = answers.check(
                    {t: self.references[t] for t in mine},
                    {t: got[t] for t in mine},
                    compare_page=system == "tantivy" and scenario in ("city_topic", "repeated"),
                )
        return out


def bench_size(
    size: str, clauses: int, durations: load.Durations, log: Callable[[str], None], prepared: bool = False
) -> dict:
    info = prepare(size, clauses, log, prepared)
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    run = SizeRun(size, durations, log)
    body = run.run()
    checks = run.checks()
    timings = inprocess(run.work, run.plan, log)
    paths_agree = timings.pop("paths_agree", None)
    return {
        "answer_checks": checks,
        "inprocess": timings,
        "paths_agree": paths_agree,
        "load_average_at_start": load_at_start,
        "size": size,
        "clauses": clauses,
        "seed": SEED,
        "bare_body_bytes": len(body),
        "machine": machine(),
        "durations": durations.__dict__,
        **info,
        "memory_peak_mb": {k: round(v) for k, v in run.memory.items()},
        "scenarios": {s.name: s.what for s in run.plan},
        "results": run.rows,
    }


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    # The harness's own output (results of a size run before this one, the README's section) is not a change.
    own = [f":(exclude){RESULTS.relative_to(ROOT)}", ":(exclude)README.md"]
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", *own],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": commit.stdout.strip() + ("+dirty" if dirty.stdout.strip() else ""),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./run bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="1k,100k,1M",
        help=f"comma-separated sizes out of {', '.join(SIZES)} ({', '.join(sorted(report.CURVE_ONLY))}: for the "
        "cost curve only, without Datasette or two workers)",
    )
    parser.add_argument("--quick", action="store_true", help="short load runs (a smoke run, not a measurement)")
    parser.add_argument(
        "--prepared",
        action="store_true",
        help="reuse a store built by the present code and the corpus's validation, with the figures "
        "recorded when they were measured (var/bench/<size>/store.json, validation.json), instead of "
        "measuring them again",
    )
    parser.add_argument("--no-write", action="store_true", help="print the table, do not write bench/results/")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    if not load.wrk_available():
        print("error: wrk not found (Debian: apt-get install wrk)", file=sys.stderr)
        return 1
    durations = load.Durations(1, 2, 2, 4) if args.quick else load.Durations()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    failed = False
    for size in sizes:
        result = bench_size(size, SIZES[size], durations, log, args.prepared)
        broken = [f"{r['system']} {r['scenario']}" for r in result["results"] if r["errors"] or not r["requests"]]
        broken += [
            f"{system} {scenario}: answers differ"
            for system, by_scenario in result["answer_checks"].items()
            for scenario, c in by_scenario.items()
            if c["differences"]
        ]
        if broken:
            failed = True
            log(f"[{size}] errors or no answers: {', '.join(broken)}")
        result["quick"] = args.quick
        print(report.table(result))
        if not args.no_write:
            RESULTS.mkdir(parents=True, exist_ok=True)
            (RESULTS / f"{size}.json").write_text(
                json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            report.write_readme(RESULTS, ROOT / "README.md")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
