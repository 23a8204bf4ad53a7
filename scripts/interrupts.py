"""Interrupted commands leave nothing behind: signals become clean exits, stale temporary files are swept.

* :func:`terminate_cleanly` turns SIGTERM and SIGHUP into :class:`SystemExit`, so ``finally`` blocks and
  context managers remove their temporary files (Python's default for SIGTERM is to die on the spot).
* :func:`deferred_signals` holds those signals (and SIGINT) back while a set of files is moved into
  place, so an interrupted publish never leaves half of the new files beside half of the old ones.
* Temporary files and directories carry the process ID in their name; :func:`sweep` removes those
  of processes that no longer run (killed with SIGKILL, or by a power cut) when the next one starts.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

CLEAN_EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
DEFERRED_SIGNALS = {signal.SIGTERM, signal.SIGHUP, signal.SIGINT}


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise SystemExit (exit status 128 + the signal's number)."""
    if not _in_main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _exit) for sig in CLEAN_EXIT_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Within the block, SIGTERM, SIGHUP and SIGINT wait; they are delivered when it ends."""
    if not _in_main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, DEFERRED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def pid_alive(pid: int) -> bool:
    """Whether a process with this ID runs (on this machine)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(directory: Path, pattern: re.Pattern[str], finish: Callable[[Path], bool] | None = None) -> list[Path]:
    """Remove the entries of ``directory`` whose name matches ``pattern`` and whose ``pid`` group is dead.

    ``finish(path)`` may complete an interrupted job instead (True: done, the entry is gone or kept on
    purpose). Returns the entries removed or finished.
    """
    swept: list[Path] = []
    if not directory.is_dir():
        return swept
    for path in sorted(directory.iterdir()):
        m = pattern.fullmatch(path.name)
        if m is None or pid_alive(int(m["pid"])):
            continue
        if finish is None or not finish(path):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        swept.append(path)
    return swept
