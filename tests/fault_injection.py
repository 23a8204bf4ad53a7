"""Fault injection: kill the build and the API server at random points, then check what is left.

``python -m tests.fault_injection [--runs 20] [--seed 1] [--port 8131]`` runs the full experiment and
prints the figures; ``tests/test_faults.py`` runs a few rounds of it in the suite.

Build: a scratch copy of the repository alternates between two source states (with and without one
document), so every build changes the committed files. Each round starts ``python -m scripts.build``,
kills it (SIGKILL or SIGTERM, alternately) after a random delay within the length of a whole build,
and checks that every committed file is byte for byte the file of one of the two states (never half
written); then the start-up sweep of the next build runs and the committed package must be exactly
one state as a whole, with no ``.build-*`` directory left.

Server: each round starts ``python -m api`` on a scratch copy of the data with an empty or a complete
store directory and downloads a release file and /health in a loop until it is killed at a random
point (during the store build or while serving). Every complete download must equal the release's
file; the next start must leave no temporary store file and serve every release.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.servers import api_command
from scripts.package import released_versions

ROOT = Path(__file__).resolve().parent.parent
KILL_SIGNALS = (signal.SIGKILL, signal.SIGTERM)
DROPPED = "qingdao-2021"


@dataclass
class Tally:
    runs: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


# -- the build ----------------------------------------------------------------------------------------


def scratch_repository(base: Path) -> Path:
    root = base / "repo"
    for rel in ("datapackage", "schemas", "releases", "datapackage.json"):
        src = ROOT / rel
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, root / rel)
    return root


def package_files(root: Path) -> dict[str, bytes]:
    """The committed package: every built file (sources, vocabularies and releases left out)."""
    out = {}
    for path in sorted((root / "datapackage" / "data").rglob("*")) + sorted((root / "schemas").glob("*.json")):
        if path.is_file():
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    out["datapackage.json"] = (root / "datapackage.json").read_bytes()
    return out


def set_state(root: Path, aside: Path, with_document: bool) -> None:
    """Put the sources of one document in place (state A) or aside (state B)."""
    meta = json.loads((ROOT / "datapackage/sources" / f"{DROPPED}.json").read_text(encoding="utf-8"))
    for rel in (f"datapackage/sources/{DROPPED}.json", meta["source_file"]):
        here, there = root / rel, aside / Path(rel).name
        if with_document and there.exists():
            there.replace(here)
        elif not with_document and here.exists():
            there.parent.mkdir(parents=True, exist_ok=True)
            here.replace(there)


def build_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "scripts.build", "--root", str(root)]


def build_faults(runs: int, seed: int) -> Tally:
    from scripts.build import sweep_staging

    rng = random.Random(seed)
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="faults-build-") as tmp:
        root, aside = scratch_repository(Path(tmp)), Path(tmp) / "aside"
        states, whole = {}, 0.0
        for with_document in (True, False):
            set_state(root, aside, with_document)
            began = time.perf_counter()
            subprocess.run(build_command(root), cwd=ROOT, check=True, capture_output=True)
            whole = max(whole, time.perf_counter() - began)
            states[with_document] = package_files(root)
        current = False  # the last state built above
        for i in range(runs):
            target = not current  # every round changes the committed package
            set_state(root, aside, target)
            sig = KILL_SIGNALS[i % 2]
            proc = subprocess.Popen(build_command(root), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, whole * 1.5))
            proc.send_signal(sig)
            code = proc.wait()
            tally.runs += 1
            committed = package_files(root)
            for rel, data in committed.items():
                if data not in (states[True].get(rel), states[False].get(rel)):
                    tally.problems.append(f"round {i}: {rel} is neither state's file (half-written)")
            leftovers = [p.name for p in root.iterdir() if p.name.startswith(".build-")]
            swept = sweep_staging(root)  # the start-up of the next build
            committed = package_files(root)
            state = next((s for s in (True, False) if committed == states[s]), None)
            if state is None:
                tally.problems.append(f"round {i}: after the next start the package is a mix of both states")
            else:
                current = state
            if any(p.name.startswith(".build-") for p in root.iterdir()):
                tally.problems.append(f"round {i}: a staging directory survived the next start")
            how = "finished" if code == 0 else f"killed by {signal.Signals(sig).name}"
            after = "new package" if state == target else "old package"
            debris = (
                f", {len(leftovers)} staging dir(s) left"
                + (" (rolled forward)" if state == target and swept else " (swept)")
                if leftovers
                else ""
            )
            tally.count(f"{how} → {after}{debris}")
        set_state(root, aside, True)
        done = subprocess.run(build_command(root), cwd=ROOT, capture_output=True)
        if done.returncode != 0 or package_files(root) != states[True]:
            tally.problems.append("the final build after all rounds failed or differs")
    tally.seconds = time.perf_counter() - started
    return tally


# -- the server ---------------------------------------------------------------------------------------


def scratch_data(base: Path) -> Path:
    root = base / "data"
    for rel in ("datapackage", "schemas", "releases", "datapackage.json"):
        src = ROOT / rel
        (shutil.copytree if src.is_dir() else shutil.copyfile)(
            src, root / rel, **({"ignore": shutil.ignore_patterns("sources")} if src.is_dir() else {})
        )
    return root


def server_command(root: Path, port: int) -> list[str]:
    return api_command(root, root / "var" / "store", port, "--response-cache-mb", "0")


def poll(port: int, expected: bytes, stop: threading.Event, seen: dict[str, int]) -> None:
    import httpx

    url = f"http://127.0.0.1:{port}/releases/1.0.0/files/datapackage/data/clauses.csv"
    while not stop.is_set():
        try:
            response = httpx.get(url, timeout=2)
        except httpx.HTTPError:
            seen["refused or cut"] = seen.get("refused or cut", 0) + 1
            time.sleep(0.02)
            continue
        key = "served whole" if response.content == expected else f"served other ({response.status_code})"
        seen[key] = seen.get(key, 0) + 1


def time_to_serve(root: Path, port: int) -> float:
    """Seconds from the start of the server until /health answers."""
    import httpx

    began = time.perf_counter()
    proc = subprocess.Popen(server_command(root, port), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - began < 120:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    return time.perf_counter() - began
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("the server did not start within 120 s")
    finally:
        proc.terminate()
        proc.wait()


def server_faults(runs: int, seed: int, port: int) -> Tally:
    from api.store import Store

    rng = random.Random(seed)
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="faults-server-") as tmp:
        root = scratch_data(Path(tmp))
        store_dir = root / "var" / "store"
        expected = (root / "releases/1.0.0/datapackage/data/clauses.csv").read_bytes()
        startup = time_to_serve(root, port)  # with the store to build: the longest start
        shutil.rmtree(store_dir, ignore_errors=True)
        for i in range(runs):
            if i % 2 == 0:
                shutil.rmtree(store_dir, ignore_errors=True)  # every other round builds the stores
            sig = KILL_SIGNALS[(i // 2) % 2]
            stop, seen = threading.Event(), {}
            poller = threading.Thread(target=poll, args=(port, expected, stop, seen), daemon=True)
            proc = subprocess.Popen(
                server_command(root, port), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            poller.start()
            time.sleep(rng.uniform(0, startup * 2.5))
            proc.send_signal(sig)
            proc.wait()
            stop.set()
            poller.join()
            tally.runs += 1
            for key, n in seen.items():
                tally.outcomes[key] = tally.outcomes.get(key, 0) + n
            if any(k.startswith("served other") for k in seen):
                tally.problems.append(f"round {i}: a download differed from the release file: {seen}")
            temporary = [p.name for p in store_dir.glob(".*.tmp*")] if store_dir.is_dir() else []
            tally.count(
                f"killed by {signal.Signals(sig).name} {'building' if not seen.get('served whole') else 'serving'}"
                + (", temporary store file left" if temporary else "")
            )
            store = Store.open(root, store_dir)  # the next start
            if [p.name for p in store_dir.glob(".*.tmp*")]:
                tally.problems.append(f"round {i}: the next start left a temporary store file")
            if store.failed or set(store.versions) != set(released_versions(root)):
                tally.problems.append(f"round {i}: the next start serves {store.versions}, failed {store.failed}")
            store.close()
    tally.seconds = time.perf_counter() - started
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="rounds of each experiment (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8131)
    args = parser.parse_args(argv)
    ok = True
    for name, tally in (
        ("build", build_faults(args.runs, args.seed)),
        ("server", server_faults(args.runs, args.seed, args.port)),
    ):
        print(f"{name}: {tally.runs} rounds in {tally.seconds:.1f} s")
        for outcome, n in sorted(tally.outcomes.items()):
            print(f"  {n:5d}  {outcome}")
        for problem in tally.problems:
            print(f"  PROBLEM: {problem}")
        ok = ok and not tally.problems
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
