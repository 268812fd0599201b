"""Grow a run with new articles, keeping the ids of the stories it already has.

``storytrace add RUN INPUT...`` runs the pipeline over the run's inputs and the new ones,
in place, as one run of their union (so story membership is exactly that of a run over both,
and a killed ``add`` resumes like any run), with the run's stories given to the cluster stage:
each story keeps its old id, and stories that a new article joins are recorded as merged
(see :func:`storytrace.stories.cluster.keep_story_ids`). The run's settings are kept.

Every stage is run again, so adding costs a re-run; what is kept is the stories' identity.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from storytrace import table_files
from storytrace.on_demand import run_config
from storytrace.run.loop import RunSummary, run
from storytrace.run.progress import Progress
from storytrace.run.store import read_json
from storytrace.schema import PREVIOUS_STORIES


def _previous_stories(run_dir: Path) -> pa.Table:
    """The stories to keep: those of the last complete run, or, when an ``add`` was cut
    short, those it had already recorded."""
    for path in (run_dir / "work" / "previous_stories.parquet", run_dir / "stories.parquet"):
        if table_files.exists(path):
            table = table_files.read(path, columns=PREVIOUS_STORIES.names)
            if table.num_rows or path.name == "stories.parquet":
                return table.cast(PREVIOUS_STORIES)
    return PREVIOUS_STORIES.empty_table()


def add(
    run_dir: str | Path, inputs: Sequence[str | Path], progress: Progress | None = None
) -> RunSummary:
    """Add the articles of ``inputs`` to the run at ``run_dir`` (see the module docstring).
    FileNotFoundError when ``run_dir`` holds no run."""
    root = Path(run_dir)
    manifest = read_json(root / "manifest.json")
    if manifest is None:
        raise FileNotFoundError(f"{root} is not a storytrace run: `storytrace run` it first")
    had = manifest.get("input_paths") or [i["path"] for i in manifest.get("inputs", [])]
    union = list(dict.fromkeys([*map(str, had), *(str(Path(p).resolve()) for p in inputs)]))
    resuming = manifest.get("status") != "complete" and had == union
    return run(
        union,
        root,
        run_config(manifest),
        progress,
        force=not resuming,
        previous=_previous_stories(root),
    )
