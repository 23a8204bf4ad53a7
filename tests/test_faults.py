"""A bounded run of the fault injection (``tests/fault_injection.py``): kill the build and the server at
random points; no half-written file is committed or served, and the next start is clean.

Two rounds of each here (about 30 s); ``python -m tests.fault_injection --runs 20`` is the full experiment.
"""

from __future__ import annotations

from tests.fault_injection import build_faults, server_faults

PORT = 8131


def test_killed_builds_leave_one_whole_package_and_no_debris() -> None:
    tally = build_faults(runs=2, seed=7)
    assert tally.runs == 2 and tally.problems == []


def test_killed_servers_never_serve_a_partial_file_and_start_clean() -> None:
    tally = server_faults(runs=2, seed=7, port=PORT)
    assert tally.runs == 2 and tally.problems == []
