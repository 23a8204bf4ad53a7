"""``python -m bench.reuse [--clauses N]``: time and memory of the text-reuse stage on a synthetic corpus.

The corpus is the benchmark's seeded synthetic package (``bench.corpus``; written under
``var/bench/reuse-<N>/`` and reused): clauses recombined from the phrases of the real ones, so every
phrase recurs in hundreds of clauses of hundreds of documents — a worst case for candidate generation,
not a sample of real reuse (quality is measured on the real corpus, ``tests/test_similarity.py``).
Each document is taken as a work of its own, and as a policy document (so the paraphrase rule, with its
character-bigram vectors, runs on every candidate pair: the worst case again). The stage runs in a
child process; printed: its seconds, its CPU seconds (the wall time grows when other jobs share the
machine), the child's peak resident memory, and how many clause pairs were candidates and kept.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import RELEASE, write_corpus
from scripts import similarity

ROOT = Path(__file__).resolve().parent.parent
SEED = 20240601


def corpus(clauses: int) -> Path:
    """The clauses.csv of a synthetic package of ``clauses`` clauses, generated once."""
    work = ROOT / "var" / "bench" / f"reuse-{clauses}"
    path = work / "releases" / RELEASE / "datapackage" / "data" / "clauses.csv"
    if not path.is_file():
        write_corpus(work, clauses, SEED)
    return path


def stage(path: Path) -> dict:
    """Run the reuse stage on the clauses at ``path``; what it found and how long each part took."""
    csv.field_size_limit(1 << 24)
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if similarity.eligible(r)]
    texts = [similarity.normalise(similarity.comparison_text(r))[0] for r in rows]
    works = [r["document_id"] for r in rows]
    started, cpu_started = time.perf_counter(), time.process_time()
    decision = similarity.Decision.of(texts, works, policy=[True] * len(texts))  # paraphrase rule everywhere
    weighted = time.perf_counter()
    candidates = kept = 0
    for i, j, shared in similarity.shared_weights(decision.shingled):
        candidates += int((decision.work_index[i] != decision.work_index[j]).sum())
        kept += len(decision.kept(i, j, shared)[0])
    done, cpu_done = time.perf_counter(), time.process_time()
    n = len(texts)
    return {
        "eligible_clauses": n,
        "all_pairs": n * (n - 1) // 2,
        "candidate_pairs": candidates,
        "kept_pairs": kept,
        "weighted_4grams": int((decision.shingled.weights > 0).sum()),
        "4grams": len(decision.shingled.weights),
        "seconds_weights": round(weighted - started, 2),
        "seconds_candidates_and_scores": round(done - weighted, 2),
        "seconds_total": round(done - started, 2),
        "cpu_seconds_total": round(cpu_done - cpu_started, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=100_000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(stage(args.child)))
        return
    path = corpus(args.clauses)
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.reuse", "--child", str(path)], stdout=subprocess.PIPE, cwd=ROOT
    )
    out = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the reuse stage failed on {path}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024)
    print(json.dumps({"clauses": args.clauses, **result}, indent=2))


if __name__ == "__main__":
    main()
