"""Start and stop the servers under test, pinned to CPU cores, and read their peak memory."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PYTHON = sys.executable
BIN = Path(PYTHON).parent


#: Ports the servers under test may use (first-last), e.g. to keep clear of other services: env BENCH_PORTS.
PORTS = os.environ.get("BENCH_PORTS", "8180-8199")

#: Datasette as its documentation recommends for complete answers: no facet suggestions (each costs a
#: query) and time limits long enough for every requested facet and every count to finish.
DATASETTE_SETTINGS = {
    "suggest_facets": "off",
    "facet_time_limit_ms": "10000",
    "sql_time_limit_ms": "10000",
    "default_facet_size": "100",
    "max_returned_rows": "1000",
}


def free_port() -> int:
    """The first port of :data:`PORTS` nothing listens on."""
    first, _, last = PORTS.partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS} (set BENCH_PORTS=first-last)")


def pinned(cores: str, command: Sequence[str]) -> list[str]:
    """``command`` run on ``cores`` (taskset when available)."""
    return ["taskset", "-c", cores, *command] if shutil.which("taskset") else list(command)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += children(p)
    return pids


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def peak_rss_mb(self) -> float:
        """Peak resident memory of the server's processes (the main process and its workers), summed."""
        return sum(_status_kb(p, "VmHWM") for p in tree(self.process.pid)) / 1024

    def rss_mb(self) -> float:
        return sum(_status_kb(p, "VmRSS") for p in tree(self.process.pid)) / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def tcp_sockets(port: int, state: str) -> set[str]:
    """Inodes of this machine's TCP sockets (IPv4 and IPv6) with local port ``port`` in ``state``
    (``0A`` listening, ``01`` established), read from ``/proc/net``; empty where that does not exist."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[1].endswith(f":{port:04X}") and fields[3] == state:
                found.add(fields[9])
    return found


def ready(url: str, port: int, listeners: int) -> bool:
    """Whether ``url`` answers 200 and (on Linux) ``listeners`` sockets listen on ``port``: with
    several SO_REUSEPORT workers, one answering does not mean the others have started."""
    if listeners > 1 and Path("/proc/net/tcp").exists() and len(tcp_sockets(port, "0A")) < listeners:
        return False
    with urllib.request.urlopen(url, timeout=5) as response:
        return bool(response.status == 200)


def start(
    name: str,
    command: Sequence[str],
    port: int,
    log_dir: Path,
    ready_path: str = "/",
    env: dict[str, str] | None = None,
    timeout: float = 900,
    listeners: int = 1,
) -> Server:
    """Start ``command`` and wait until it answers ``ready_path`` with 200 on ``port`` (and, for
    ``listeners`` > 1, until that many sockets listen there)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}; see {log}:\n{log.read_text()[-2000:]}")
        try:
            if ready(url + ready_path, port, listeners):
                return Server(name, url, process, log)
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{name} did not answer within {timeout} s; see {log}")


def api_command(data_root: Path, store_dir: Path, port: int, *options: str) -> list[str]:
    """The command line of ``python -m api`` serving ``data_root`` on ``port``, quiet, with further ``options``."""
    return [
        PYTHON,
        "-m",
        "api",
        "--data-root",
        str(data_root),
        "--store-dir",
        str(store_dir),
        "--port",
        str(port),
        "--log-level",
        "warning",
        *options,
    ]


def api(
    data_root: Path,
    store_dir: Path,
    cores: str,
    log_dir: Path,
    *,
    workers: int = 1,
    caches: bool = True,
    name: str = "api",
) -> Server:
    port = free_port()
    command = api_command(data_root, store_dir, port, "--workers", str(workers))
    if not caches:
        command.append("--no-caches")
    return start(name, pinned(cores, command), port, log_dir, "/health", listeners=workers)


def datasette(db: Path, cores: str, log_dir: Path) -> Server:
    port = free_port()
    command = [str(BIN / "datasette"), "serve", "-i", str(db), "--port", str(port)]
    for name, value in DATASETTE_SETTINGS.items():
        command += ["--setting", name, value]
    return start("datasette", pinned(cores, command), port, log_dir, "/-/versions.json")


def bare(body: Path, cores: str, log_dir: Path) -> Server:
    port = free_port()
    command = [
        PYTHON,
        "-m",
        "uvicorn",
        "bench.bare:app",
        "--port",
        str(port),
        "--http",
        "httptools",
        "--lifespan",
        "off",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return start("bare", pinned(cores, command), port, log_dir, "/", env={"BENCH_BARE_FILE": str(body)})
