"""A test engine that runs the same stage functions as differently as it can.

It exists to prove that the tables of a run do not depend on how an engine cuts and orders
the work (the promise a distributed engine relies on): batches are a third of the asked
size, groups are packed in descending key order, the rows of every input are shuffled
(with a fixed seed) before they are cut, and the tasks run last to first. Everything runs in
this process. ``tests/test_engines.py`` requires its tables to equal the local engine's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from storytrace.engines.base import Keyed
from storytrace.engines.cogroup import compact, plan_groups
from storytrace.engines.local import LocalEngine, Task

_SEED = 20261203


def _shuffled(table: pa.Table) -> pa.Table:
    order = np.random.default_rng(_SEED).permutation(table.num_rows)
    return compact(table, order.astype(np.int64))


class ReorderingEngine(LocalEngine):
    """The local engine's frames, with tasks cut smaller, shuffled and run in reverse."""

    name = "reordering"

    def __init__(self) -> None:
        super().__init__(workers=1)

    def _batch_tasks(self, frame: pa.Table, batch_rows: int) -> tuple[list[Task], int]:
        size = max(1, batch_rows // 3)
        frame = _shuffled(frame)
        count = -(-frame.num_rows // size)
        tasks = [(compact(frame.slice(k * size, size)),) for k in reversed(range(count))]
        return tasks, count

    def _group_tasks(self, inputs: Sequence[Keyed], batch_rows: int) -> tuple[list[Task], int]:
        frames = [_shuffled(i.frame) for i in inputs]
        keys = [f.column(i.key) for f, i in zip(frames, inputs, strict=True)]
        plan = plan_groups(keys, max(1, batch_rows // 3), descending=True)
        tasks = [
            tuple(compact(f, plan.rows(k, n)) for n, f in enumerate(frames))
            for k in reversed(range(len(plan)))
        ]
        return tasks, len(tasks)
