"""The one run loop: the stages of :mod:`storytrace.run.stages`, in order, on any engine.

For each stage the loop computes its key (the settings it reads, the keys of the stages
whose tables it reads, and for ingest the state of the input files). A stage whose
completion record in the run directory carries that key is reused; any other is run, its
tables written, then its record. So the same command after a crash resumes at the first
stage that did not finish, and a changed setting redoes the stages that read it and those
after them, and says so.

The loop holds no stage logic: it hands each step's function and tables to the engine,
writes what the stage keeps, and keeps the manifest (``"status": "running"`` until the
very end; config, input digests, version, counts and timings).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from storytrace import table_files
from storytrace.config import Config
from storytrace.engines import Engine, Keyed, engine_for
from storytrace.fingerprint.lsh import optimal_bands
from storytrace.ingest import skipped_by_reason
from storytrace.ingest.records import Skipped
from storytrace.run.inputs import input_state
from storytrace.run.progress import Progress, SilentProgress
from storytrace.run.stages import STAGES, TABLES, Stage, Step
from storytrace.run.store import FINAL_TABLES, RunStore, StageRecord, check_complete
from storytrace.schema import PREVIOUS_STORIES, RELATIONS
from storytrace.version import __version__

__all__ = ["FINAL_TABLES", "RunSummary", "run"]


@dataclass
class RunSummary:
    """What a run produced, as printed at the end of ``storytrace run``."""

    run_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)
    """Stages taken from an earlier, interrupted or identical run."""
    skipped: dict[str, dict[str, int]] = field(default_factory=dict)
    """What the inputs held but the run left out on purpose, counted by reason:
    ``{"files": {reason: n}, "items": {reason: n}}`` (see ``work/skipped.parquet``)."""


def _hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:20]


def _inner(stage: Stage) -> set[str]:
    return {t for step in stage.steps for t in step.writes}


def _upstream(stage: Stage) -> list[str]:
    """The stages whose kept tables ``stage`` reads."""
    producers = {t: s.name for s in STAGES for t in s.keeps}
    read = {r.table for step in stage.steps for r in step.reads} | {
        b for step in stage.steps for b in step.broadcast
    }
    return sorted({producers[t] for t in read - _inner(stage)})


def _settings(stage: Stage, config: Config) -> dict[str, Any]:
    return {name: getattr(config, name) for name in stage.settings}


@dataclass
class _Loop:
    """One run: the store, the engine, the config and what the stages have done."""

    store: RunStore
    engine: Engine
    config: Config
    progress: Progress
    inputs: list[str | Path]
    previous: pa.Table | None = None
    """``storytrace add``: the stories of the run added to (schema PREVIOUS_STORIES)."""
    identity: dict[str, str] = field(default_factory=dict)
    """Per stage, what later keys depend on (its key; for ingest, the input digests)."""

    def key(self, stage: Stage) -> str:
        material: dict[str, Any] = {
            "stage": stage.name,
            "storytrace": __version__,
            "settings": _settings(stage, self.config),
            "upstream": {s: self.identity[s] for s in _upstream(stage)},
        }
        if stage.reads_inputs:
            material["inputs"] = [str(p) for p in self.inputs]
            material["state"] = input_state(self.inputs)
        return _hash(material)

    def run_stage(self, stage: Stage, key: str) -> StageRecord:
        began = time.perf_counter()
        self.progress.start(stage.name, None)
        try:
            if stage.reads_inputs:
                facts = self._ingest()
            else:
                frames: dict[str, Any] = {}
                for step in stage.steps:
                    frames.update(self._step(step, frames))
                for name in stage.keeps:
                    self.engine.write(frames[name], self.store.path(name), TABLES[name].sort_keys)
                facts = {n: self.engine.num_rows(frames[t]) for n, t in stage.facts.items()}
        finally:
            self.progress.finish()
        facts["settings"] = _settings(stage, self.config)
        seconds = round(time.perf_counter() - began, 3)
        return StageRecord(stage.name, key, list(stage.keeps), seconds, facts)

    def _ingest(self) -> dict[str, Any]:
        read = self.engine.ingest(self.inputs, self.config, self.progress.advance)
        self.engine.write(read.raw, self.store.path("raw"), TABLES["raw"].sort_keys)
        self.engine.write(self.engine.put(read.rejects), self.store.path("ingest_rejects"), ())
        self.engine.write(self.engine.put(read.skips), self.store.path("skipped"), ())
        previous = (self.previous or PREVIOUS_STORIES.empty_table()).cast(PREVIOUS_STORIES)
        previous = previous.sort_by([("doc_id", "ascending"), ("story_id", "ascending")])
        self.engine.write(
            self.engine.put(previous), self.store.path("previous_stories"), ("doc_id",)
        )
        return {
            "inputs": read.inputs,
            "skipped": skipped_by_reason(Skipped(**row) for row in read.skips.to_pylist()),
            "previous_stories": _hash(previous.to_pydict()) if previous.num_rows else None,
        }

    def _frame(self, name: str, columns: Sequence[str] | None, frames: Mapping[str, Any]) -> Any:
        if name in frames:
            return frames[name]
        return self.engine.read(self.store.path(name), columns)

    def _step(self, step: Step, frames: Mapping[str, Any]) -> dict[str, Any]:
        if step.only_if is not None and not getattr(self.config, step.only_if):
            return {n: self.engine.put(TABLES[n].schema.empty_table()) for n in step.writes}
        inputs = [self._frame(r.table, r.columns, frames) for r in step.reads]
        params: dict[str, Any] = {
            b: self.engine.collect(self._frame(b, None, frames)) for b in step.broadcast
        }
        if step.config:
            params["config"] = self.config
        outputs = {name: TABLES[name].schema for name in step.writes}
        batch_rows = step.batch_rows or self.config.batch_size
        advance = lambda _task: self.progress.advance(1)  # noqa: E731
        if step.kind == "map":
            (frame,) = inputs
            return self.engine.map_batches(step.fn, frame, outputs, batch_rows, params, advance)
        if step.kind == "group":
            keyed = [Keyed(f, str(r.key)) for f, r in zip(inputs, step.reads, strict=True)]
            return self.engine.group_apply(step.fn, keyed, outputs, batch_rows, params, advance)
        tables = [self.engine.collect(f) for f in inputs]
        found = step.fn(*tables, **params)
        return {name: self.engine.put(found[name].cast(schema)) for name, schema in outputs.items()}


def run(
    inputs: Sequence[str | Path],
    run_dir: str | Path,
    config: Config | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
    force: bool = False,
    previous: pa.Table | None = None,
) -> RunSummary:
    """Run the whole pipeline over ``inputs`` and write the run directory ``run_dir``.

    ``previous`` (doc_id, story_id), given by ``storytrace add``, names the stories of the
    run being grown: they keep their ids (see :func:`storytrace.stories.cluster.keep_story_ids`).

    An earlier run of the same inputs in ``run_dir`` (finished or interrupted) is resumed:
    its stages whose inputs and settings are unchanged are reused, so the tables are those
    a fresh run would write. A run of other inputs is refused (FileExistsError) unless
    ``force``, which starts clean; ``force`` also writes into a folder that holds other
    files (see :meth:`RunStore.prepare`). If this run fails (a full disk, say), the
    complete run the folder held before is left readable.
    """
    config = config or Config()
    store = RunStore.prepare(Path(run_dir), force)
    try:
        before = _take_over(store, inputs, force, progress or SilentProgress())
        try:
            return _run(store, inputs, config, progress, engine, previous)
        except Exception:
            if before is not None:
                store.restore(before)
            raise
    finally:
        store.close()


def _take_over(
    store: RunStore, inputs: Sequence[str | Path], force: bool, progress: Progress
) -> dict[str, Any] | None:
    """Decide what happens to the run ``store`` holds, before this one writes anything.

    The same inputs: it is resumed. Other inputs: refused unless ``force``, which drops
    every stage of it, so that no table of it can be reused beside the new documents. The
    complete manifest to put back if this run fails, when the folder holds a complete run.
    """
    manifest = store.manifest()
    if manifest is None:
        return None
    paths = _input_paths(inputs)
    recorded = manifest.get("input_paths")
    if recorded is None:  # written before input_paths: the paths as they were given
        recorded = [i.get("path") for i in manifest.get("inputs", []) if isinstance(i, dict)]
        paths = [str(p) for p in inputs]
    if recorded != paths:
        state = "complete" if manifest.get("status", "complete") == "complete" else "unfinished"
        if not force:
            raise FileExistsError(
                f"{store.root} holds a run of other inputs ({state}: "
                f"{', '.join(map(str, recorded)) or 'none'}): pass --force to replace it "
                "(force=True in Python), or choose a new folder"
            )
        progress.note(f"replacing the {state} run of other inputs in {store.root}")
        store.clear()
    try:
        return check_complete(store.root)
    except FileNotFoundError:
        return None


def _input_paths(inputs: Sequence[str | Path]) -> list[str]:
    """The inputs as absolute paths: what tells "the same command" from another one run
    from another folder."""
    return [str(Path(p).resolve()) for p in inputs]


def _run(
    store: RunStore,
    inputs: Sequence[str | Path],
    config: Config,
    progress: Progress | None,
    engine: Engine | None,
    previous: pa.Table | None = None,
) -> RunSummary:
    own_engine = engine is None
    engine = engine or engine_for(config)
    progress = progress or SilentProgress()
    loop = _Loop(store, engine, config, progress, list(inputs), previous)
    started = time.perf_counter()
    header = {
        "storytrace": __version__,
        "config": config.to_dict(),
        "config_tag": config.tag,
        "engine": engine.name,
        "stages": [s.name for s in STAGES],
        "input_paths": _input_paths(inputs),
    }
    records: dict[str, StageRecord] = {}
    reused: list[str] = []
    try:
        store.start({**header, "inputs": [{"path": str(p)} for p in inputs]})
        for stage in STAGES:
            key = loop.key(stage)
            earlier = store.record(stage.name)
            if earlier is not None and earlier.key == key:
                reused.append(stage.name)
                record = earlier
            else:
                _tell(progress, stage, earlier, config, reused, len(records))
                store.forget([stage.name])
                record = loop.run_stage(stage, key)
                store.complete(record)
            records[stage.name] = record
            loop.identity[stage.name] = _identity(record)
    finally:
        if own_engine:
            engine.close()
    if len(reused) == len(STAGES):
        progress.note(f"all {len(STAGES)} stages already done in {store.root}: nothing to redo")
    timings = {name: r.seconds for name, r in records.items()}
    timings["total"] = round(time.perf_counter() - started, 3)
    counts, relations = _counts(store, records)
    skipped = records["ingest"].facts.get("skipped", {"files": {}, "items": {}})
    bands_n, rows_n = optimal_bands(config.lsh_threshold, config.num_perm)
    manifest = {
        **header,
        "lsh": {"bands": bands_n, "rows": rows_n},
        "inputs": records["ingest"].facts["inputs"],
        "skipped": skipped,
        "counts": counts,
        "relations": relations,
        "timings": timings,
        "reused_stages": reused,
        "tables": {name: f"{name}.parquet" for name in FINAL_TABLES},
    }
    store.finish(manifest, records)
    return RunSummary(store.root, counts, relations, timings, reused, skipped)


def _identity(record: StageRecord) -> str:
    """What the keys of later stages depend on: for ingest, the content of the inputs
    (a file touched but unchanged re-reads it, and reuses everything after it)."""
    if record.stage == "ingest":
        facts = record.facts
        return _hash([facts.get("inputs"), facts.get("settings"), facts.get("previous_stories")])
    return record.key


def _tell(
    progress: Progress,
    stage: Stage,
    earlier: StageRecord | None,
    config: Config,
    reused: list[str],
    done: int,
) -> None:
    """Say, before a stage runs, that earlier ones were reused, or why this one is redone."""
    if reused and len(reused) == done:
        progress.note(
            f"resuming: {len(reused)} of {len(STAGES)} stages already done ({', '.join(reused)})"
        )
    if earlier is None:
        return
    before = earlier.facts.get("settings", {})
    changed = [
        f"{name} {before.get(name)!r} -> {value!r}"
        for name, value in _settings(stage, config).items()
        if before.get(name) != value
    ]
    later = [s.name for s in STAGES[STAGES.index(stage) :]]
    why = f"settings changed ({', '.join(changed)})" if changed else "what it reads changed"
    progress.note(f"{stage.name}: {why}: redoing {', '.join(later)}")


def _rows(path: Path) -> int:
    return table_files.num_rows(path)


def _counts(
    store: RunStore, records: Mapping[str, StageRecord]
) -> tuple[dict[str, int], dict[str, int]]:
    stories = table_files.read(store.path("stories"), columns=["story_id"]).column("story_id")
    relation = table_files.read(store.path("pairs"), columns=["relation"]).column("relation")
    relations = {r: 0 for r in RELATIONS}
    for item in pc.value_counts(relation.combine_chunks()).to_pylist():
        relations[item["values"]] = item["counts"]
    counts = {
        "documents": _rows(store.path("documents")),
        "rejects": _rows(store.path("rejects")),
        "exact_copies": int(records["copies"].facts.get("exact_copies", 0)),
        "candidates": int(records["candidates"].facts.get("candidates", 0)),
        "pairs": _rows(store.path("pairs")),
        "passages": _rows(store.path("passages")),
        "stories": len(pc.unique(stories.combine_chunks())) if len(stories) else 0,
        "documents_in_stories": len(stories),
        "changes": _rows(store.path("changes")),
    }
    return counts, relations
