"""Run one tool as a child process and measure its wall time and peak memory.

Peak memory is the largest *sum* of resident set sizes over the whole process tree (the tool
and every worker it starts), sampled from ``/proc`` every 50 ms. ``/usr/bin/time -v`` and
``getrusage`` report the largest single process instead, which hides a pool of workers.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")
_INTERVAL = 0.05


@dataclass(frozen=True)
class Measured:
    wall_s: float
    peak_rss_bytes: int
    returncode: int


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants right now."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss(current)
        todo.extend(_children(current))
    return total


def run_measured(command: list[str], log: Path, env: dict[str, str] | None = None) -> Measured:
    """Run ``command`` to completion with its output in ``log``; time it and sample memory."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        peak = 0
        while child.poll() is None:
            peak = max(peak, tree_rss(child.pid))
            time.sleep(_INTERVAL)
        wall = time.perf_counter() - started
    return Measured(round(wall, 2), peak, child.returncode)
