"""The embedded engine: stage functions in this process or in a pool of local processes.

Frames are Arrow tables in this process. Tasks are submitted in order and their results
collected in the same order, and only a few tasks per worker are in flight at once: a task's
rows are taken out of its frame when a worker is about to need them, so the tasks of a large
run never all sit in memory.

The pool lives as long as the engine (one start-up per run, not per stage). Its workers die
with the run (see :func:`die_with_run`), and the fork server and resource tracker end once
the workers have, so a ``kill -9`` of a run leaves nothing running behind it.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa

from storytrace import table_files
from storytrace.config import Config
from storytrace.engines.base import Ingested, Keyed, OnDone, StageFn
from storytrace.engines.cogroup import compact, plan_groups
from storytrace.engines.orphans import RUN_PID_VARIABLE, kill_with_parent
from storytrace.engines.parquet import sort_on, write_table
from storytrace.ingest import ingest
from storytrace.model import with_uids
from storytrace.schema import SKIPPED

_IN_FLIGHT = 2
"""Tasks in flight per worker: one running, one waiting in the queue so no worker idles."""

_WATCH_SECONDS = 1.0
"""How often a worker checks for its run where the kernel cannot tell it (not Linux)."""


def die_with_run(run_pid: int) -> None:
    """End this worker as soon as the run process ``run_pid`` ends, however it ends.

    A pool's workers hold both ends of its task queue, so when the run is killed they wait
    on the queue for ever, and the fork server and resource tracker wait for them: the
    kernel's notice of the run's end (a pidfd becoming readable) is what stops them. A
    watcher thread blocks on it and exits the worker at once.
    """

    def watch_pidfd(fd: int) -> None:
        select.select([fd], [], [])
        os._exit(1)

    def watch_polling() -> None:
        while True:
            try:
                os.kill(run_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass
            time.sleep(_WATCH_SECONDS)

    kill_with_parent()  # the kernel's guard, for a worker too busy for its watcher thread
    try:
        fd = os.pidfd_open(run_pid)
    except (AttributeError, OSError):
        threading.Thread(target=watch_polling, daemon=True).start()
        return
    threading.Thread(target=watch_pidfd, args=(fd,), daemon=True).start()


Task = tuple[pa.Table, ...]


def concat(tables: Iterable[pa.Table], schema: pa.Schema) -> pa.Table:
    """One table of ``schema`` from the tables of every task."""
    parts = [t.cast(schema) for t in tables]
    return pa.concat_tables(parts) if parts else schema.empty_table()


def _call(fn: StageFn, params: Mapping[str, Any], task: Task) -> dict[str, pa.Table]:
    return fn(*task, **params)


class LocalEngine:
    """Runs tasks in a pool of ``workers`` processes (0: one per core; 1: in this process)."""

    name = "local"

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    # -- frames ----------------------------------------------------------------------------

    def ingest(
        self, inputs: Sequence[str | Path], config: Config, progress: OnDone | None = None
    ) -> Ingested:
        """The readers in this process, one file after the other (they stream: a file is
        never held whole)."""
        found = ingest(inputs, config, progress=progress)
        skips = pa.Table.from_pylist([asdict(skip) for skip in found.skips], schema=SKIPPED)
        return Ingested(with_uids(found.documents), found.rejects, skips, found.inputs)

    def put(self, table: pa.Table) -> pa.Table:
        return table

    def read(self, path: Path, columns: Sequence[str] | None = None) -> pa.Table:
        return table_files.read(path, columns)

    def write(self, frame: pa.Table, path: Path, sort_keys: Sequence[str]) -> None:
        write_table(sort_on(frame, sort_keys), path)

    def num_rows(self, frame: pa.Table) -> int:
        return int(frame.num_rows)

    def collect(self, frame: pa.Table) -> pa.Table:
        return frame

    # -- work ------------------------------------------------------------------------------

    def map_batches(
        self,
        fn: StageFn,
        frame: pa.Table,
        outputs: Mapping[str, pa.Schema],
        batch_rows: int,
        params: Mapping[str, Any],
        on_done: OnDone | None = None,
    ) -> dict[str, pa.Table]:
        tasks, count = self._batch_tasks(frame, batch_rows)
        return self._gather(fn, params, tasks, count, outputs, on_done)

    def group_apply(
        self,
        fn: StageFn,
        inputs: Sequence[Keyed],
        outputs: Mapping[str, pa.Schema],
        batch_rows: int,
        params: Mapping[str, Any],
        on_done: OnDone | None = None,
    ) -> dict[str, pa.Table]:
        tasks, count = self._group_tasks(inputs, batch_rows)
        return self._gather(fn, params, tasks, count, outputs, on_done)

    def _batch_tasks(self, frame: pa.Table, batch_rows: int) -> tuple[Iterable[Task], int]:
        """Consecutive slices of ``batch_rows`` rows, each copied out when it is sent."""
        count = -(-frame.num_rows // batch_rows)
        tasks = ((compact(frame.slice(k * batch_rows, batch_rows)),) for k in range(count))
        return tasks, count

    def _group_tasks(self, inputs: Sequence[Keyed], batch_rows: int) -> tuple[Iterable[Task], int]:
        """Runs of whole groups in ascending key order, taken from every input."""
        frames: list[pa.Table] = [i.frame for i in inputs]
        plan = plan_groups(
            [f.column(i.key) for f, i in zip(frames, inputs, strict=True)], batch_rows
        )
        tasks = (
            tuple(compact(f, plan.rows(k, n)) for n, f in enumerate(frames))
            for k in range(len(plan))
        )
        return tasks, len(plan)

    def _gather(
        self,
        fn: StageFn,
        params: Mapping[str, Any],
        tasks: Iterable[Task],
        count: int,
        outputs: Mapping[str, pa.Schema],
        on_done: OnDone | None,
    ) -> dict[str, pa.Table]:
        results = self._run(partial(_call, fn, params), tasks, count, on_done)
        return {
            name: concat((r[name] for r in results), schema) for name, schema in outputs.items()
        }

    def _run(
        self,
        call: Callable[[Task], dict[str, pa.Table]],
        tasks: Iterable[Task],
        count: int,
        on_done: OnDone | None,
    ) -> list[dict[str, pa.Table]]:
        results: list[dict[str, pa.Table]] = []
        if self.workers <= 1 or count <= 1:
            for task in tasks:
                results.append(call(task))
                if on_done:
                    on_done(len(results) - 1)
            return results
        pool = self._start()
        upcoming = iter(tasks)
        in_flight: deque[Future[dict[str, pa.Table]]] = deque(
            pool.submit(call, task) for task in islice(upcoming, _IN_FLIGHT * self.workers)
        )
        while in_flight:
            results.append(in_flight.popleft().result())
            if on_done:
                on_done(len(results) - 1)
            for task in islice(upcoming, 1):
                in_flight.append(pool.submit(call, task))
        return results

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver: workers start from a clean interpreter, not a fork of a process that
            # may hold DuckDB or rich threads. The fork server imports the stages once; the
            # workers fork from it with numpy, pyarrow and storytrace loaded.
            # The fork server dies with the run, and its workers with it (engines.orphans).
            os.environ[RUN_PID_VARIABLE] = str(os.getpid())
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["storytrace.engines.orphans", "storytrace.run.stages"])
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=die_with_run,
                initargs=(os.getpid(),),
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
