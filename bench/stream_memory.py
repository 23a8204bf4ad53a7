"""Peak memory of the API while it streams every clause of a large corpus as JSON Lines.

``python -m bench.stream_memory --clauses 1000000 --port 8144`` generates the seeded corpus
(:mod:`bench.corpus`), builds its store, starts ``python -m api`` on it, reads
``/clauses.ndjson`` (everything, then a full-text query) and samples the server's resident
memory every 100 ms: all of it (``VmRSS``), the process's own (``RssAnon``) and the pages of
mapped files (``RssFile``: the store, which SQLite maps and the kernel can drop at any time).
Memory is flat when the peak while streaming stays near the memory at rest, whatever the number
of clauses.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from bench.corpus import write_corpus

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> dict[str, float]:
    """Resident memory: all of it, the process's own (anonymous), and pages of mapped files (the SQLite store)."""
    wanted = {"VmRSS:": "rss", "RssAnon:": "anon", "RssFile:": "file"}
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key = line.split(":")[0] + ":"
        if key in wanted:
            found[wanted[key]] = int(line.split()[1]) / 1024
    return found


def stream(url: str, pid: int) -> dict[str, float]:
    """Read ``url`` to the end, sampling the server's memory; lines, bytes, seconds and peak RSS."""
    peak = [rss_mb(pid)]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak.append(rss_mb(pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    lines = size = 0
    with urllib.request.urlopen(url, timeout=3600) as response:
        for line in response:
            lines += 1
            size += len(line)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return {
        "lines": lines,
        "mb": round(size / 1e6, 1),
        "seconds": round(seconds, 1),
        **{f"peak_{k}_mb": round(max(s[k] for s in peak), 1) for k in ("rss", "anon", "file")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stream_memory", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clauses", type=int, default=1_000_000)
    parser.add_argument("--port", type=int, default=8144)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench-stream")
    args = parser.parse_args(argv)
    work = args.work / str(args.clauses)
    if not (work / "releases").is_dir():
        write_corpus(work, args.clauses, 1)
    env = {
        **os.environ,
        "API_DATA_ROOT": str(work),
        "API_STORE_DIR": str(work / "store"),
        "API_PORT": str(args.port),
        "API_LOG_LEVEL": "warning",
    }
    server = subprocess.Popen([sys.executable, "-m", "api", "--response-cache-mb", "0"], env=env, cwd=ROOT)
    try:
        base = f"http://127.0.0.1:{args.port}"
        while True:
            try:
                urllib.request.urlopen(f"{base}/health", timeout=5).read()
                break
            except OSError:
                if server.poll() is not None:
                    return 1
                time.sleep(1)
        at_rest = {f"{k}_mb": round(v, 1) for k, v in rss_mb(server.pid).items()}
        result = {
            "clauses": args.clauses,
            "at_rest": at_rest,
            "all": stream(f"{base}/clauses.ndjson", server.pid),
            "q=人才": stream(f"{base}/clauses.ndjson?q=%E4%BA%BA%E6%89%8D&order=document", server.pid),
        }
        print(json.dumps(result, ensure_ascii=False, indent=2))
    finally:
        server.terminate()
        server.wait(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
