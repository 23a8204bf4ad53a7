"""HTTP load with wrk: a warm-up, then a latency pass (one connection) and a throughput pass (several).

A scenario is a list of request targets (path and query); wrk cycles through them
in order with a small Lua script, so a scenario can be one URL repeated or a set of
distinct queries (to measure uncached work).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

from bench.servers import pinned

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Durations:
    warmup: int = 3
    latency: int = 5
    throughput: int = 8
    connections: int = 8


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    p99_loaded_ms: float
    requests: int
    errors: int
    #: True when requests were too slow for wrk's windows and were timed one after another instead.
    sequential: bool = False

    def as_json(self) -> dict[str, float]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def encode(target: str) -> str:
    """A request target with every non-ASCII character percent-encoded."""
    return quote(target, safe="/?&=:,~%._-")


def _lua(targets: list[str]) -> str:
    paths = ",\n".join('  "' + encode(t).replace("\\", "\\\\").replace('"', '\\"') + '"' for t in targets)
    return (
        f"local paths = {{\n{paths}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )


def _ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not m:
        raise ValueError(f"cannot read wrk latency {value!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse(output: str) -> dict[str, float]:
    """Requests/sec, p50 and p99 (ms), request and error counts from ``wrk --latency`` output."""
    out: dict[str, float] = {}
    for pct, key in (("50", "p50"), ("99", "p99")):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", output, re.M)
        if m:
            out[key] = _ms(m.group(1))
    m = re.search(r"Requests/sec:\s+([\d.]+)", output)
    out["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"(\d+) requests in", output)
    out["requests"] = int(m.group(1)) if m else 0
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors += sum(int(g) for g in m.groups()) if m else 0
    out["errors"] = errors
    return out


def _wrk(url: str, script: Path, seconds: int, connections: int, cores: str) -> dict[str, float]:
    command = pinned(
        cores,
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency", "-s", str(script), url],
    )
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse(done.stdout)


SEQUENTIAL_REQUESTS = 8
SEQUENTIAL_TIMEOUT = 300


def _get(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return 200 <= response.status < 400
    except (urllib.error.URLError, TimeoutError, OSError):
        return False


def _sequential(base_url: str, targets: list[str], count: int = SEQUENTIAL_REQUESTS) -> dict[str, float]:
    """Requests one after another, each waited for: for a system slower than wrk's windows."""
    times, errors = [], 0
    started = time.perf_counter()
    for i in range(count):
        t = time.perf_counter()
        errors += not _get(base_url + encode(targets[i % len(targets)]), SEQUENTIAL_TIMEOUT)
        times.append((time.perf_counter() - t) * 1000)
    elapsed = time.perf_counter() - started
    return {
        "rps": count / elapsed,
        "p50": statistics.median(times),
        "p99": max(times),
        "requests": count,
        "errors": errors,
    }


@contextlib.contextmanager
def _script(targets: list[str]) -> Iterator[Path]:
    """A temporary wrk script cycling through ``targets``, removed afterwards."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as f:
        f.write(_lua(targets))
        script = Path(f.name)
    try:
        yield script
    finally:
        script.unlink(missing_ok=True)


def throughput(base_url: str, targets: list[str], durations: Durations, cores: str) -> dict[str, float]:
    """One more throughput pass (no warm-up, no latency pass) on a server run before: req/s, requests, errors…"""
    with _script(targets) as script:
        return _wrk(base_url, script, durations.throughput, durations.connections, cores)


def run(base_url: str, targets: list[str], durations: Durations, cores: str) -> Result:
    """Warm-up, then the latency and throughput passes.

    After the warm-up one request is waited for, so a server still busy with the warm-up's queue
    finishes it before the measured passes. A pass in which no request completed (each took longer
    than the window) is replaced by requests timed one after another (``sequential`` in the result):
    its p99 is then the slowest of those requests and its req/s one connection's rate.
    """
    sequential = False
    with _script(targets) as script:
        if durations.warmup:
            _wrk(base_url, script, durations.warmup, durations.connections, cores)
            _get(base_url + encode(targets[0]), SEQUENTIAL_TIMEOUT)
        single = _wrk(base_url, script, durations.latency, 1, cores)
        if not single["requests"]:
            single, sequential = _sequential(base_url, targets), True
        loaded = _wrk(base_url, script, durations.throughput, durations.connections, cores)
        if not loaded["requests"]:
            _get(base_url + encode(targets[0]), SEQUENTIAL_TIMEOUT)
            loaded, sequential = dict(single), True
    return Result(
        rps=loaded["rps"],
        p50_ms=single.get("p50", 0.0),
        p99_ms=single.get("p99", 0.0),
        p99_loaded_ms=loaded.get("p99", 0.0),
        requests=int(single["requests"] + loaded["requests"]),
        errors=int(single["errors"] + loaded["errors"]),
        sequential=sequential,
    )
