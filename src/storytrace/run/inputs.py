"""The state of a run's input files on disk, to tell on a rerun whether ingest can be reused.

Each file's size and modification time, as listing finds them, is cheap to take; a change
re-reads the inputs, and their content digests (taken while reading, see
:mod:`storytrace.ingest.digests`) decide whether the stages after ingest can be reused.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storytrace.ingest.sources import Source, discover


def input_state(inputs: Sequence[str | Path]) -> list[list[Any]]:
    """Every file ingest would read (input, name, size, mtime in ns), and every input it
    would reject or skip: equal states read equal records."""
    state: list[list[Any]] = []
    for found in discover(inputs):
        if isinstance(found, Source):
            try:
                stat = found.path.stat()
                state.append([found.input, found.name, stat.st_size, stat.st_mtime_ns])
            except OSError as err:
                state.append([found.input, found.name, str(err)])
        else:
            state.append([found.input, type(found).__name__])
    return state
