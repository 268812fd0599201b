"""The run directory: final tables, work tables, completion records and the manifest.

Layout of ``RUN/``::

    manifest.json            "status": "running" from the start, "complete" only at the end
    documents.parquet ...    the six tables users read
    work/<table>.parquet     what one stage hands to the next (row identity by uid)
    stages/<stage>.json      a stage's completion record: its key and the tables it wrote

Every file is written beside its place and renamed into it, and a stage's record is written
after its tables, so a run killed at any point (``kill -9``, a full disk, a preempted
machine) leaves only whole files and records of stages whose tables are all there. Running
the same command again reuses every stage whose record carries the key it would compute
now, and redoes the rest.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FINAL_TABLES = ("documents", "pairs", "passages", "stories", "changes", "rejects")
"""The tables of a complete run, in ``RUN/<name>.parquet``."""


class IncompleteRunError(FileNotFoundError):
    """The folder holds a run that has not finished (it was interrupted, or still runs)."""


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """``data`` as JSON at ``path``, written beside it and renamed into place."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object at ``path``, or None when it is missing or not a whole object."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def check_complete(path: Path) -> dict[str, Any]:
    """The manifest of the complete run at ``path``; raises FileNotFoundError (an
    :class:`IncompleteRunError` for a run that has not finished) naming what is missing."""
    manifest = read_json(path / "manifest.json")
    if manifest is None:
        raise FileNotFoundError(f"{path} is not a storytrace run (no readable manifest.json)")
    missing = [f"{t}.parquet" for t in FINAL_TABLES if not (path / f"{t}.parquet").is_file()]
    status = manifest.get("status", "complete")  # runs written before the run store
    if status != "complete":
        planned = manifest.get("stages", [])
        done = {p.stem for p in (path / "stages").glob("*.json")}
        left = [s for s in planned if s not in done] if isinstance(planned, list) else []
        what = ", ".join([*(f"stage {s}" for s in left), *missing]) or "its final manifest"
        raise IncompleteRunError(
            f"{path} is an incomplete storytrace run (status {status!r}): missing {what}. "
            "Run the same `storytrace run` command again to finish it."
        )
    if missing:
        raise FileNotFoundError(
            f"{path} is not a complete storytrace run: {', '.join(missing)} missing"
        )
    return manifest


@dataclass(frozen=True)
class StageRecord:
    """What a finished stage left: the key it was run with and what it wrote."""

    stage: str
    key: str
    tables: list[str]
    seconds: float = 0.0
    facts: dict[str, Any] = field(default_factory=dict)
    """What later steps and the manifest need of the stage (counts, input digests)."""


class RunStore:
    """One run directory, opened for writing."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.work = root / "work"
        self.records = root / "stages"

    @classmethod
    def prepare(cls, out: Path, force: bool = False) -> RunStore:
        """Create the run directory, before any work, or say why it cannot be used.

        A new or empty folder, or an earlier run (it has ``manifest.json``), is fine. A folder
        holding other files is refused unless ``force``: a mistyped ``-o`` must not scatter
        run files among someone's documents, or overwrite a file of theirs that shares a
        name. Raises OSError (FileExistsError, NotADirectoryError, PermissionError, ...).
        """
        if out.exists() and not out.is_dir():
            raise NotADirectoryError(f"{out} is a file, not a folder: choose a folder for the run")
        is_run = (out / "manifest.json").is_file()
        if out.is_dir() and not force and not is_run and any(out.iterdir()):
            raise FileExistsError(
                f"{out} holds files and is not a storytrace run (no manifest.json): choose a "
                "new or empty folder, or force it (--force, or force=True in Python)"
            )
        store = cls(out)
        for folder in (out, store.work, store.records):
            folder.mkdir(parents=True, exist_ok=True)
        for leftover in [*out.glob(".*.partial"), *store.work.glob(".*.partial")]:
            leftover.unlink(missing_ok=True)  # a write cut short by a killed run
        return store

    def path(self, table: str) -> Path:
        """Where ``table`` lives: final tables at the top, work tables under ``work/``."""
        return (
            self.root / f"{table}.parquet"
            if table in FINAL_TABLES
            else self.work / f"{table}.parquet"
        )

    def start(self, manifest: Mapping[str, Any]) -> None:
        """Mark the run as running (before any stage), with what it is about to do."""
        write_json(self.root / "manifest.json", {**manifest, "status": "running"})

    def finish(self, manifest: Mapping[str, Any]) -> None:
        """Mark the run complete: the last write of a run."""
        write_json(self.root / "manifest.json", {**manifest, "status": "complete"})

    def record(self, stage: str) -> StageRecord | None:
        """The completion record of ``stage`` if it is whole and all its tables exist."""
        data = read_json(self.records / f"{stage}.json")
        if data is None or not {"stage", "key", "tables"} <= data.keys():
            return None
        tables = [str(t) for t in data["tables"]]
        if not all(self.path(t).is_file() for t in tables):
            return None
        return StageRecord(
            stage,
            str(data["key"]),
            tables,
            float(data.get("seconds", 0.0)),
            dict(data.get("facts", {})),
        )

    def complete(self, record: StageRecord) -> None:
        """Write ``record`` (after the stage's tables are in place)."""
        write_json(self.records / f"{record.stage}.json", record.__dict__)

    def forget(self, stages: Sequence[str]) -> None:
        """Drop the records of ``stages`` (before redoing them)."""
        for stage in stages:
            (self.records / f"{stage}.json").unlink(missing_ok=True)
