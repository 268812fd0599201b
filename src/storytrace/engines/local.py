"""The embedded engine: stage functions in this process or in a local process pool.

Tasks are submitted in order and their results collected in the same order, so the output
does not depend on which worker finishes first.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Engine(Protocol):
    """What the run loop needs of an engine: map a pure function over tasks, in order."""

    def map(
        self,
        fn: Callable[[T], R],
        tasks: Sequence[T],
        on_done: Callable[[int], None] | None = None,
    ) -> list[R]: ...


class LocalEngine:
    """Runs tasks in a pool of ``workers`` processes (0: one per core; 1: in this process)."""

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers or os.cpu_count() or 1

    def map(
        self,
        fn: Callable[[T], R],
        tasks: Sequence[T],
        on_done: Callable[[int], None] | None = None,
    ) -> list[R]:
        """``[fn(t) for t in tasks]``; ``on_done(i)`` is called as task ``i`` completes."""
        if self.workers <= 1 or len(tasks) <= 1:
            results = []
            for i, task in enumerate(tasks):
                results.append(fn(task))
                if on_done:
                    on_done(i)
            return results
        # forkserver: workers start from a clean interpreter, not a fork of a process that may
        # hold DuckDB or rich threads.
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(
            max_workers=min(self.workers, len(tasks)), mp_context=context
        ) as pool:
            results = []
            for i, result in enumerate(pool.map(fn, tasks)):
                results.append(result)
                if on_done:
                    on_done(i)
            return results
