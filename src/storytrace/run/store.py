"""The run directory: final tables, work tables, completion records and the manifest.

Layout of ``RUN/``::

    manifest.json            "status": "running" from the start, "complete" only at the end
    documents.parquet ...    the six tables users read, as of the last complete run
    work/<table>.parquet     every table a stage writes, the six included (row identity by uid)
    stages/<stage>.json      a stage's completion record: its key, its tables and their stamps
    .lock                    held (``flock``) by the run writing the folder

Every file is written beside its place and renamed into it, and a stage's record is written
after its tables, so a run killed at any point (``kill -9``, a full disk, a preempted
machine) leaves only whole files and records of stages whose tables are all there. Running
the same command again reuses every stage whose record carries the key it would compute
now, and redoes the rest.

The six tables users read are published (hard-linked from ``work/``) only when the run is
done, and the complete manifest lists a stamp of each (size and a digest of its Parquet
footer). So a run that fails on a full disk leaves the tables of the run before it as they
were, and a reader can tell a folder whose tables do not all come from the run its manifest
describes (two runs writing one folder, a table copied in from elsewhere) and refuse it.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storytrace import table_files
from storytrace.atomic import naming, writing
from storytrace.table_files import stamp

FINAL_TABLES = ("documents", "pairs", "passages", "stories", "changes", "rejects")
"""The tables of a complete run, in ``RUN/<name>.parquet``."""


LOCK = ".lock"
"""The file a writing run holds an exclusive ``flock`` on; the kernel drops it when the run
ends, however it ends, so a held lock means a run is writing the folder now."""


class IncompleteRunError(FileNotFoundError):
    """The folder holds a run that has not finished (it was interrupted, or still runs)."""


class MixedRunError(FileNotFoundError):
    """The folder's tables are not all the ones its complete manifest was written with.

    A FileNotFoundError like the others of :func:`check_complete`, so that every caller
    that refuses a folder that is not a usable run refuses this one too.
    """


class RunBusyError(FileExistsError):
    """Another run is writing the folder now (it holds the folder's lock)."""


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """``data`` as JSON at ``path``, written beside it and renamed into place."""
    with writing(path) as partial:
        partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object at ``path``, or None when it is missing or not a whole object."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def held(path: Path) -> bool:
    """A run is writing the folder ``path`` now (it holds the folder's lock)."""
    try:
        fd = os.open(path / LOCK, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def check_complete(path: Path) -> dict[str, Any]:
    """The manifest of the complete run at ``path``; raises FileNotFoundError naming what is
    wrong: an :class:`IncompleteRunError` for a run that has not finished (still running,
    or killed), a :class:`MixedRunError` for a table that is not the one the manifest was
    written with."""
    manifest = read_json(path / "manifest.json")
    if manifest is None:
        raise FileNotFoundError(f"{path} is not a storytrace run (no readable manifest.json)")
    missing = [
        f"{t}.parquet" for t in FINAL_TABLES if not table_files.exists(path / f"{t}.parquet")
    ]
    status = manifest.get("status", "complete")  # runs written before the run store
    if status != "complete":
        if held(path):
            raise IncompleteRunError(
                f"{path} is an incomplete storytrace run: a run is writing it now. "
                "Wait for it to finish."
            )
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
    stamps = manifest.get("stamps")
    if isinstance(stamps, dict):  # absent from runs written before the stamps
        for table in FINAL_TABLES:
            want = stamps.get(table)
            found = stamp(path / f"{table}.parquet")
            if not isinstance(want, dict) or {k: want.get(k) for k in found} != found:
                raise MixedRunError(
                    f"cannot read {path / f'{table}.parquet'}: it is not the table this run "
                    "wrote (changed since: damaged, or replaced by a table of another run). "
                    "Run `storytrace run` again with --force, or into a new folder."
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
    """One run directory, opened for writing by this process (it holds the folder's lock
    until :meth:`close`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.work = root / "work"
        self.records = root / "stages"
        self._lock: int | None = None

    @classmethod
    def prepare(cls, out: Path, force: bool = False) -> RunStore:
        """Create the run directory, before any work, or say why it cannot be used.

        A new or empty folder, or an earlier run (it has ``manifest.json``), is fine. A folder
        holding other files is refused unless ``force``: a mistyped ``-o`` must not scatter
        run files among someone's documents, or overwrite a file of theirs that shares a
        name. A folder another run is writing is refused (:class:`RunBusyError`): two runs
        in one folder would each read tables the other wrote. Raises OSError
        (FileExistsError, NotADirectoryError, PermissionError, ...).
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
        store._take_lock()
        for folder in (out, store.work, store.records):
            # a write cut short by a killed run, or a folder table it was replacing
            for leftover in [*folder.glob(".*.partial"), *folder.glob(".*.old")]:
                table_files.remove(leftover)
        return store

    def _take_lock(self) -> None:
        try:
            fd = os.open(self.root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise naming(err, self.root) from err
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RunBusyError(
                f"{self.root} is being written by another storytrace run now: wait for it "
                "to end, or choose another folder"
            ) from None
        self._lock = fd

    def close(self) -> None:
        """Let other runs write the folder."""
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def path(self, table: str) -> Path:
        """Where a stage writes ``table`` and later stages read it: ``work/``, the six
        final tables included (they are published at the top by :meth:`finish`)."""
        return self.work / f"{table}.parquet"

    def manifest(self) -> dict[str, Any] | None:
        """The manifest the folder holds now, if any."""
        return read_json(self.root / "manifest.json")

    def start(self, manifest: Mapping[str, Any]) -> None:
        """Mark the run as running (before any stage), with what it is about to do."""
        write_json(self.root / "manifest.json", {**manifest, "status": "running"})

    def restore(self, manifest: Mapping[str, Any]) -> None:
        """Put back the manifest of the complete run this one was to replace, after this
        one failed: the top-level tables are still that run's (nothing is published before
        :meth:`finish`). On a disk too full even for that, the folder stays incomplete."""
        with suppress(OSError):
            write_json(self.root / "manifest.json", manifest)

    def finish(self, manifest: Mapping[str, Any], records: Mapping[str, StageRecord]) -> None:
        """Publish the final tables and mark the run complete: the last writes of a run.

        Each table is hard-linked from ``work/`` (no second copy on disk; copied where the
        file system has no hard links; a table in parts, part by part), and the manifest
        lists what each one is: the stage that wrote it, that stage's key, and the table's
        :func:`stamp`.
        """
        made_by = {t: r for r in records.values() for t in r.tables}
        stamps: dict[str, dict[str, Any]] = {}
        for table in FINAL_TABLES:
            source, target = self.path(table), self.root / f"{table}.parquet"
            with writing(target) as partial:
                if source.is_dir():
                    partial.mkdir()
                    for part in table_files.parts(source):
                        _link(part, partial / part.name)
                else:
                    _link(source, partial)
            record = made_by[table]
            stamps[table] = {"stage": record.stage, "key": record.key, **stamp(target)}
        write_json(
            self.root / "manifest.json", {**manifest, "status": "complete", "stamps": stamps}
        )

    def record(self, stage: str) -> StageRecord | None:
        """The completion record of ``stage`` if it is whole and its tables are the ones it
        wrote (each table's :func:`stamp` is the one the record holds)."""
        data = read_json(self.records / f"{stage}.json")
        if data is None or not {"stage", "key", "tables", "stamps"} <= data.keys():
            return None
        tables = [str(t) for t in data["tables"]]
        stamps = data["stamps"]
        for table in tables:
            path = self.path(table)
            if (
                not table_files.exists(path)
                or not isinstance(stamps, dict)
                or stamps.get(table) != stamp(path)
            ):
                return None
        return StageRecord(
            stage,
            str(data["key"]),
            tables,
            float(data.get("seconds", 0.0)),
            dict(data.get("facts", {})),
        )

    def complete(self, record: StageRecord) -> None:
        """Write ``record`` (after the stage's tables are in place), with their stamps."""
        stamps = {t: stamp(self.path(t)) for t in record.tables}
        write_json(self.records / f"{record.stage}.json", {**record.__dict__, "stamps": stamps})

    def forget(self, stages: Sequence[str]) -> None:
        """Drop the records of ``stages`` (before redoing them)."""
        for stage in stages:
            (self.records / f"{stage}.json").unlink(missing_ok=True)

    def clear(self) -> None:
        """Start clean: drop every stage record and work table of the run the folder held.
        Its published tables and manifest stay until this run publishes its own (or are
        put back by :meth:`restore` if it fails)."""
        for path in self.records.glob("*.json"):
            path.unlink(missing_ok=True)
        for path in self.work.glob("*.parquet"):
            table_files.remove(path)


def _link(source: Path, target: Path) -> None:
    """A hard link of ``source`` at ``target``, or a copy where links cannot be made."""
    try:
        os.link(source, target)
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT):
            raise
        shutil.copyfile(source, target)
