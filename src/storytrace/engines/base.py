"""The engine protocol: what the run loop asks of an engine, and nothing more.

An engine holds tables as *frames* of its own kind (the local engine: Arrow tables in this
process; a distributed engine: its own datasets, never collected whole). The loop only
calls the methods below, with pure stage functions from :mod:`storytrace.run.stages`:

- :meth:`Engine.map_batches` runs a function on batches of rows (per-document work);
- :meth:`Engine.group_apply` runs a function on *complete groups* of rows sharing a key,
  taken from one or more frames at once (a co-group: the rows of every input with that key
  arrive together);
- :meth:`Engine.collect` brings a frame into this process as one Arrow table, for the few
  steps that need the whole of a small table (the key counts, the links between documents).

A stage function takes Arrow tables (one per input) and keyword parameters (the config and
any small broadcast tables) and returns a dict of Arrow tables, one per output. It must give
the same rows whatever the batch boundaries, the order of the tasks or the order of the
groups inside a task: the loop sorts every output on its keys when it is written, so an
engine may return rows in any order. The conformance test (``tests/test_engines.py``) runs
the same corpus through every engine and requires identical tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

StageFn = Callable[..., dict[str, pa.Table]]
"""``fn(*tables, **params) -> {output name: table}``: a pure, module-level function (it is
pickled to send it to workers)."""

OnDone = Callable[[int], None]
"""Called with the number of a task as it completes, to move a progress bar."""


@dataclass(frozen=True)
class Ingested:
    """What an engine's ingest read: the documents as a frame (schema ``RAW_WORK``), the
    rejects and skips in the order a serial read meets them, and the manifest's entry of
    each input (its digest, or why it could not be read)."""

    raw: Any
    rejects: pa.Table
    skips: pa.Table
    inputs: list[dict[str, Any]]


@dataclass(frozen=True)
class Keyed:
    """One input of a co-group: a frame and the name of its key column."""

    frame: Any
    key: str


class Engine(Protocol):
    """Where the stage functions run. Frames are the engine's own; see the module docs."""

    name: str

    def ingest(
        self, inputs: Sequence[str | Path], config: Any, progress: OnDone | None = None
    ) -> Ingested:
        """Read the inputs (files, folders, and for a distributed engine any URI it reads)
        into documents, with the rows of :func:`storytrace.ingest.ingest`."""
        ...

    def put(self, table: pa.Table) -> Any:
        """A frame holding ``table`` (a table made in this process)."""
        ...

    def read(self, path: Path, columns: Sequence[str] | None = None) -> Any:
        """A frame of the Parquet table at ``path`` (only ``columns``, when given)."""
        ...

    def write(self, frame: Any, path: Path, sort_keys: Sequence[str]) -> None:
        """Write ``frame`` at ``path`` sorted on ``sort_keys``, atomically: a reader sees the
        old file or the complete new one, never a part."""
        ...

    def num_rows(self, frame: Any) -> int: ...

    def collect(self, frame: Any) -> pa.Table:
        """The whole frame as one Arrow table in this process."""
        ...

    def map_batches(
        self,
        fn: StageFn,
        frame: Any,
        outputs: Mapping[str, pa.Schema],
        batch_rows: int,
        params: Mapping[str, Any],
        on_done: OnDone | None = None,
    ) -> dict[str, Any]:
        """``fn(batch, **params)`` over batches of about ``batch_rows`` rows; one frame per
        output, with its schema."""
        ...

    def group_apply(
        self,
        fn: StageFn,
        inputs: Sequence[Keyed],
        outputs: Mapping[str, pa.Schema],
        batch_rows: int,
        params: Mapping[str, Any],
        on_done: OnDone | None = None,
    ) -> dict[str, Any]:
        """``fn(*tables, **params)`` over complete groups: every row of every input whose key
        falls in a task's groups is in that task's tables (possibly none of one input). A
        task holds whole groups of about ``batch_rows`` rows in all."""
        ...

    def close(self) -> None:
        """Stop whatever the engine started (worker processes, sessions)."""
        ...
