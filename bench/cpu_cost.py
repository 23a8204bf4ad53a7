"""Server CPU time per request: a steadier measure of a server's cost than requests per second.

Throughput on a shared machine moves by 10 % or more from one pass to the next: other work takes the
server's core for a while, and wrk's own core is busy too. The CPU time the server's processes spend per
request served moves much less, since time the server does not get is not counted. On one saturated core,
requests per second are close to one over the CPU time per request, so the ratio of two servers' CPU
times per request stands for the ratio of their throughputs.

``python -m bench.cpu_cost SIZE`` measures the cached API (as ``./run bench`` starts it) on the scenarios
of the paired passes and the bare route, in turn, and prints µs per request of each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

from bench import load, servers

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of ``pid`` and its descendants still running, in seconds."""
    total = 0
    for p in servers.tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / TICKS_PER_SECOND


def measured_pass(
    server: servers.Server, targets: list[str], durations: load.Durations, cores: str
) -> tuple[float, float]:
    """Requests per second and µs of the server's CPU per request over one throughput pass on ``targets``."""
    before = cpu_seconds(server.process.pid)
    result = load.throughput(server.url, targets, durations, cores)
    spent = cpu_seconds(server.process.pid) - before
    if not result["requests"] or result["errors"]:
        raise RuntimeError(f"{server.name}: {result['requests']} requests, {result['errors']} errors")
    return result["rps"], spent / result["requests"] * 1e6


def main(argv: list[str] | None = None) -> int:
    from bench.__main__ import RELEASE, SERVER_CORES, WORK, WRK_CORES, repeated_body
    from bench.scenarios import scenarios

    parser = argparse.ArgumentParser(prog="python -m bench.cpu_cost", description=__doc__.split("\n\n")[0])
    parser.add_argument("size", help="a size prepared by ./run bench (var/bench/<size>/)")
    parser.add_argument("--passes", type=int, default=3, help="passes of each server, taken in turn")
    parser.add_argument("--seconds", type=int, default=6, help="length of each pass")
    parser.add_argument("--scenarios", default="repeated,city_topic,fts_rare", help="comma-separated scenarios")
    args = parser.parse_args(argv)
    work = WORK / args.size
    durations = load.Durations(throughput=args.seconds)
    plan = {s.name: s for s in scenarios(work / "releases" / RELEASE)}
    logs = work / "logs"
    api = servers.api(work, work / "store", SERVER_CORES, logs)
    bare_file = work / "bare-body.json"  # the body of the repeated URL, as the bench serves it
    bare_file.write_bytes(repeated_body(api, plan["repeated"]))
    bare = servers.bare(bare_file, SERVER_CORES, logs)
    try:
        runs: dict[str, list[float]] = {}
        for name in args.scenarios.split(","):
            for _ in range(args.passes):
                for label, server, targets in ((name, api, plan[name].api), ("bare", bare, ["/"])):
                    _, us = measured_pass(server, targets, durations, WRK_CORES)
                    runs.setdefault(label, []).append(us)
    finally:
        api.stop()
        bare.stop()
    medians = {label: round(statistics.median(v), 2) for label, v in runs.items()}
    print(json.dumps({"us_per_request": medians, "passes": runs}), file=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
