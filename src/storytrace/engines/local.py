"""The embedded engine: stage functions in this process or in a local process pool.

Tasks are submitted in order and their results collected in the same order, so the output
does not depend on which worker finishes first. Only a few tasks per worker are in flight at
once: a task is taken from the sequence (and, for :class:`~storytrace.engines.tasks.Tasks`,
built) when a worker is about to need it, so the tasks of a large run never all sit in memory.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
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
        # The fork server imports the stages once; each pool's workers fork from it with
        # numpy, pyarrow and storytrace loaded, instead of importing them again per stage.
        context.set_forkserver_preload(["storytrace.run.loop"])
        workers = min(self.workers, len(tasks))
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            upcoming = iter(tasks)
            in_flight: deque[Future[R]] = deque(
                pool.submit(fn, task) for task in islice(upcoming, _IN_FLIGHT * workers)
            )
            results = []
            while in_flight:
                results.append(in_flight.popleft().result())
                if on_done:
                    on_done(len(results) - 1)
                for task in islice(upcoming, 1):
                    in_flight.append(pool.submit(fn, task))
            return results


_IN_FLIGHT = 2
"""Tasks in flight per worker: one running, one waiting in the queue so no worker idles."""
