"""The one run loop: ingest -> clean -> copies -> sign -> candidates -> verify -> cluster ->
changes -> write.

Every engine is driven by this loop; an engine only decides where the stage functions of
:mod:`storytrace.run.stages` run. Exact copies are set aside after cleaning and get their pairs
from :mod:`storytrace.match.copies`; only one representative of each goes through the later stages.
The loop writes the run directory:

``documents.parquet``, ``pairs.parquet``, ``passages.parquet``, ``stories.parquet``,
``changes.parquet``, ``rejects.parquet`` and ``manifest.json`` (config, input digests, version,
counts, timings).

Tables are sorted on their keys and written with fixed settings, so the same input and config
give byte-identical tables.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from storytrace.arrow_rows import take_rows
from storytrace.clean.recurring import DocumentLines
from storytrace.config import Config
from storytrace.engines import Engine, LocalEngine
from storytrace.engines.tasks import Tasks, compact
from storytrace.fingerprint.lsh import optimal_bands
from storytrace.ingest import ingest
from storytrace.ingest.records import Reject
from storytrace.ingest.sources import Source, discover
from storytrace.match.candidates import verification_order
from storytrace.match.copies import copy_groups, copy_pairs, same_item_copies
from storytrace.match.formula import FormulaModel, learn_formula
from storytrace.match.near_duplicate_check import jaccard_batch
from storytrace.model import DocText
from storytrace.run.progress import Progress, SilentProgress
from storytrace.run.stages import (
    Cleaned,
    Signed,
    changes_batch,
    clean_columns,
    find_candidates,
    line_keys_batch,
    recurring_lines,
    sign_batch,
    verify_batch,
)
from storytrace.schema import CHANGES, DOCUMENTS, PAIRS, PASSAGES, REJECTS, RELATIONS, STORIES
from storytrace.stories.cluster import build_stories
from storytrace.stories.timeline import TOP_CHARACTERS, evidence_of
from storytrace.version import __version__

# Columns of the documents table that stages after clean read.
_WORKING_COLUMNS = [
    "doc_id",
    "source",
    "title",
    "published",
    "clean_text",
    "clean_map",
    "words",
    "digest",
]

TABLES = ("documents", "pairs", "passages", "stories", "changes", "rejects")

# Pairs verified per task: large enough that process start-up and pickling are noise, small
# enough that the progress bar moves every second or so.
_PAIRS_PER_TASK = 2000
# Consecutive versions compared per task. A comparison costs about half a millisecond, and a
# worker process needs about a second to start and import its libraries, so a task is a few
# seconds of work: all of Reuters-21578 (1,795 comparisons) is one task, done in this process.
_VERSIONS_PER_TASK = 5000

ROW_GROUP_ROWS = 10_000
"""Rows per Parquet row group of every table. A documents row (text, clean text, offset map)
is a few KB, so a documents row group is some tens of MB: small enough for readers to stream
a large run one row group at a time, large enough that row-group overhead is noise."""


@dataclass
class RunSummary:
    """What a run produced, as printed at the end of ``storytrace run``."""

    run_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def _clean_task(task: tuple[pa.Table, list[dict[int, str]]], config: Config) -> Cleaned:
    return clean_columns(task[0], config, task[1])


def _line_keys_task(raw: pa.Table) -> list[DocumentLines]:
    return line_keys_batch(raw)


def _sign_task(task: tuple[int, list[str]], config: Config) -> Signed:
    return sign_batch(task[0], task[1], config)


def _changes_task(
    task: tuple[list[tuple[str, int, int, int]], dict[int, DocText]], config: Config
) -> pa.Table:
    return changes_batch(task[0], task[1], config)


def _verify_task(
    task: tuple[list[tuple[int, int]], dict[int, DocText], FormulaModel], config: Config
) -> tuple[pa.Table, pa.Table]:
    if config.mode == "near_duplicates":
        return jaccard_batch(task[0], task[1], config)
    return verify_batch(task[0], task[1], task[2], config)


def _digest_path(path: Path) -> dict[str, Any]:
    """sha256 of an input as ingest reads it: a file's bytes, or a folder's readable files
    (relative path and bytes, in ingest's order; hidden files and unknown types are left out,
    as ingest leaves them out).

    It runs after the whole run, so it must not fail: an input that cannot be read (missing,
    of an unknown type, without permission) was already rejected by ingest and gets an
    ``error`` here instead of a digest.
    """

    def failed(where: str, reason: str) -> dict[str, Any]:
        inside = f"{where}: " if where != str(path) else ""  # a file inside a folder input
        return {"path": str(path), "error": inside + reason}

    sources: list[Source] = []
    for found in discover([path]):
        if isinstance(found, Reject):
            return failed(found.input, found.reason)
        if isinstance(found, Source):
            sources.append(found)
    h = hashlib.sha256()
    size = 0
    for source in sources:
        if path.is_dir():
            h.update(source.name.encode() + b"\0")
        try:
            with source.path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
                    size += len(block)
        except OSError as err:
            return failed(source.input, f"cannot read file: {err.strerror or err}")
    return {"path": str(path), "files": len(sources), "bytes": size, "sha256": h.hexdigest()}


def write_table(table: pa.Table, path: Path) -> None:
    """Parquet with fixed settings and fixed row groups, so equal tables give equal bytes.

    The Parquet writer decides page and dictionary boundaries chunk by chunk, so the same rows
    arriving in other Arrow chunks (another ``batch_size``, another number of workers) give
    other bytes once a column passes the 1 MiB page size. Each row group is therefore written
    from one contiguous chunk of exactly ``ROW_GROUP_ROWS`` rows (fewer in the last one).
    Combining one row group at a time, not the whole table, keeps every column of a chunk far
    below Arrow's 2 GiB limit for one string array.
    """
    with pq.ParquetWriter(
        path, table.schema, compression="zstd", write_statistics=True, use_dictionary=True
    ) as writer:
        for start in range(0, max(table.num_rows, 1), ROW_GROUP_ROWS):
            group = table.slice(start, ROW_GROUP_ROWS).combine_chunks()
            writer.write_table(group, row_group_size=ROW_GROUP_ROWS)


class _Stages:
    """Times each stage and reports it to the progress reporter."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str, total: int | None) -> Iterator[Callable[[int], None]]:
        self.progress.start(name, total)
        began = time.perf_counter()
        try:
            yield lambda _i: self.progress.advance(1)
        finally:
            self.timings[name] = round(time.perf_counter() - began, 3)
            self.progress.finish()


def _batches(table: pa.Table, size: int) -> Tasks[pa.Table]:
    """Batches of ``size`` rows, each copied out of ``table`` when a worker needs it."""
    return Tasks(-(-table.num_rows // size), lambda k: compact(table.slice(k * size, size)))


def _concat(tables: Sequence[pa.Table], schema: pa.Schema) -> pa.Table:
    return pa.concat_tables([t.cast(schema) for t in tables]) if tables else schema.empty_table()


def prepare_run_dir(out: Path, force: bool = False) -> None:
    """Create the run directory, before any work, or say why it cannot be used.

    A new or empty folder, or an earlier run (it has ``manifest.json``), is fine. A folder
    holding other files is refused unless ``force``: a mistyped ``-o`` must not scatter six
    run files among someone's documents, or overwrite a file of theirs that shares a name.
    Raises OSError (FileExistsError, NotADirectoryError, PermissionError, ...).
    """
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} is a file, not a folder: choose a folder for the run")
    is_run = (out / "manifest.json").is_file()
    if out.is_dir() and not force and not is_run and any(out.iterdir()):
        raise FileExistsError(
            f"{out} holds files and is not a storytrace run (no manifest.json): choose a "
            "new or empty folder, or force it (--force, or force=True in Python)"
        )
    out.mkdir(parents=True, exist_ok=True)


@dataclass
class _Cleaned:
    documents: pa.Table
    rejects: pa.Table


def _ingest_and_clean(
    inputs: Sequence[str | Path], config: Config, engine: Engine, stages: _Stages
) -> _Cleaned:
    with stages.stage("ingest", None):
        ingested = ingest(list(inputs), config, progress=stages.progress.advance)
    raw_batches = _batches(ingested.documents, config.batch_size)
    # Template lines are counted over the whole corpus before any document is cleaned.
    with stages.stage("recurring", len(raw_batches)) as done:
        lines = [doc for batch in engine.map(_line_keys_task, raw_batches, done) for doc in batch]
        recurring = recurring_lines(lines, ingested.documents, config)
    size = config.batch_size
    tasks = Tasks(
        len(raw_batches), lambda n: (raw_batches[n], recurring[n * size : (n + 1) * size])
    )
    with stages.stage("clean", len(raw_batches)) as done:
        cleaned = engine.map(partial(_clean_task, config=config), tasks, done)
    raw = ingested.documents
    documents = _concat(
        [c.documents(raw.slice(n * size, size)) for n, c in enumerate(cleaned)], DOCUMENTS
    )
    rejects = _concat([ingested.rejects, *(c.rejects for c in cleaned)], REJECTS)
    return _Cleaned(documents, rejects)


def _candidate_pairs(
    documents: pa.Table,
    representatives: list[int],
    config: Config,
    engine: Engine,
    stages: _Stages,
) -> tuple[list[tuple[int, int]], FormulaModel]:
    """Sign the representatives; find candidate pairs (as document indices) and learn the
    corpus's formula wording."""
    texts, size = documents.column("clean_text"), config.batch_size

    def sign_task(k: int) -> tuple[int, list[str]]:
        # Representatives ascend, so a task's texts lie in one short slice of the column;
        # taking from the slice keeps take() from joining every chunk of the column first.
        reps = representatives[k * size : (k + 1) * size]
        inside = texts.slice(reps[0], reps[-1] - reps[0] + 1)
        local = pa.array([r - reps[0] for r in reps], type=pa.int64())
        return k * size, inside.take(local).to_pylist()

    sign_tasks = Tasks(-(-len(representatives) // size), sign_task)
    with stages.stage("sign", len(sign_tasks)) as done:
        signed = engine.map(partial(_sign_task, config=config), sign_tasks, done)
    with stages.stage("candidates", None):
        if not signed:
            return [], FormulaModel(np.empty(0, dtype=np.uint64))
        bands = pa.concat_tables([s.bands for s in signed])
        fps = pa.concat_tables([s.fingerprints for s in signed])
        cand = find_candidates(bands, fps, config)
        reps = np.asarray(representatives, dtype=np.int64)
        rep_index = pa.array(reps, type=pa.int64())
        formula = learn_formula(
            pa.concat_tables([s.skeletons for s in signed]),
            documents.column("source").take(rep_index).to_pylist(),
            documents.column("title").take(rep_index).to_pylist(),
            config.formula_min_docs,
            config.seed,
        )
        # Candidates index the representatives; verify needs document indices, and gets
        # them grouped by story so that each task ships few texts.
        firsts = reps[cand.column("a").to_numpy()]
        seconds = reps[cand.column("b").to_numpy()]
        order = verification_order(firsts, seconds)
        pairs = list(zip(firsts[order].tolist(), seconds[order].tolist(), strict=True))
        return pairs, formula


def _verify(
    documents: pa.Table,
    pairs_idx: list[tuple[int, int]],
    copies: list[tuple[int, int]],
    formula: FormulaModel,
    config: Config,
    engine: Engine,
    stages: _Stages,
) -> tuple[pa.Table, pa.Table]:
    """Pairs and passages of the candidates and of the exact copies, sorted on their keys."""
    columns = documents.select(["doc_id", "clean_text", "clean_map", "published", "title"])

    def verify_task(k: int) -> tuple[list[tuple[int, int]], dict[int, DocText], FormulaModel]:
        # Only this task's documents become Python objects, when a worker is about to need them.
        chunk = pairs_idx[k * _PAIRS_PER_TASK : (k + 1) * _PAIRS_PER_TASK]
        needed = sorted({d for pair in chunk for d in pair})
        rows = take_rows(columns, needed)
        docs = {d: DocText.from_row(row) for d, row in zip(needed, rows, strict=True)}
        return chunk, docs, formula

    verify_tasks = Tasks(-(-len(pairs_idx) // _PAIRS_PER_TASK), verify_task)
    with stages.stage("verify", len(verify_tasks)) as done:
        verified = engine.map(partial(_verify_task, config=config), verify_tasks, done)
        texts = documents.column("clean_text")
        copies = same_item_copies(
            copies,
            Tasks(documents.num_rows, lambda i: str(texts[i].as_py())),
            documents.column("published").to_pylist(),
            formula,
            config,
        )
        copy_pair_rows, copy_passage_rows = copy_pairs(copies, documents)
    pairs = _concat([*(v[0] for v in verified), copy_pair_rows], PAIRS).sort_by(
        [("doc_a", "ascending"), ("doc_b", "ascending")]
    )
    passages = _concat([*(v[1] for v in verified), copy_passage_rows], PASSAGES).sort_by(
        [("doc_a", "ascending"), ("doc_b", "ascending"), ("passage", "ascending")]
    )
    return pairs, passages


def _stories(documents: pa.Table, pairs: pa.Table) -> pa.Table:
    # Only linked documents need evidence of time, so only they become Python rows.
    linked = pc.is_in(
        documents.column("doc_id"),
        value_set=pa.concat_arrays(
            [pairs.column("doc_a").combine_chunks(), pairs.column("doc_b").combine_chunks()]
        ),
    )
    # Evidence reads a date near the top of the text only (see storytrace.stories.timeline).
    columns = pa.table(
        {
            "doc_id": documents.column("doc_id"),
            "title": documents.column("title"),
            "clean_text": pc.utf8_slice_codeunits(
                documents.column("clean_text"), 0, TOP_CHARACTERS
            ),
            "published": documents.column("published"),
            "words": documents.column("words"),
        }
    )
    evidence = {
        row["doc_id"]: evidence_of(row["title"], row["clean_text"], row["published"], row["words"])
        for row in take_rows(
            columns, np.flatnonzero(linked.to_numpy(zero_copy_only=False)).tolist()
        )
    }
    links = list(
        zip(
            pairs.column("doc_a").to_pylist(),
            pairs.column("doc_b").to_pylist(),
            pairs.column("relation").to_pylist(),
            strict=True,
        )
    )
    members = build_stories(links, evidence)
    return pa.Table.from_pylist([m.__dict__ for m in members], schema=STORIES)


def _versions(documents: pa.Table, stories: pa.Table) -> list[tuple[str, int, int, int]]:
    """``(story_id, order, old, new)`` of each story's consecutive articles: ``old`` and
    ``new`` are document indices, ``order`` is the new one's place in the story. An article
    that is an exact copy of the one before it is left out."""
    index = {d: i for i, d in enumerate(documents.column("doc_id").to_pylist())}
    copy_keys = list(
        zip(
            documents.column("digest").to_pylist(),
            documents.column("words").to_pylist(),
            strict=True,
        )
    )
    versions = []
    previous: tuple[str, int] | None = None
    for story_id, doc_id, order in zip(
        stories.column("story_id").to_pylist(),
        stories.column("doc_id").to_pylist(),
        stories.column("order").to_pylist(),
        strict=True,
    ):
        i = index[doc_id]
        if previous and previous[0] == story_id and copy_keys[previous[1]] != copy_keys[i]:
            versions.append((story_id, order, previous[1], i))
        previous = (story_id, i)
    return versions


def _changes(
    documents: pa.Table, stories: pa.Table, config: Config, engine: Engine, stages: _Stages
) -> pa.Table:
    """Sentence changes between consecutive versions of every story, sorted on their keys.
    None in the near-duplicate mode, which finds copies only."""
    if config.mode == "near_duplicates":
        return CHANGES.empty_table()
    versions = _versions(documents, stories)
    needed = sorted({d for *_, old, new in versions for d in (old, new)})
    rows = take_rows(documents.select(["doc_id", "clean_text", "clean_map"]), needed)
    docs = {d: DocText.from_row(row) for d, row in zip(needed, rows, strict=True)}
    tasks = []
    for i in range(0, len(versions), _VERSIONS_PER_TASK):
        chunk = versions[i : i + _VERSIONS_PER_TASK]
        tasks.append((chunk, {d: docs[d] for *_, old, new in chunk for d in (old, new)}))
    with stages.stage("changes", len(tasks)) as done:
        found = engine.map(partial(_changes_task, config=config), tasks, done)
    keys = ["story_id", "order", "change"]
    return _concat(found, CHANGES).sort_by([(k, "ascending") for k in keys])


def _counts(tables: dict[str, pa.Table], candidates: int, copies: int) -> dict[str, int]:
    stories = tables["stories"]
    return {
        "documents": tables["documents"].num_rows,
        "rejects": tables["rejects"].num_rows,
        "exact_copies": copies,
        "candidates": candidates,
        "pairs": tables["pairs"].num_rows,
        "passages": tables["passages"].num_rows,
        "stories": len(set(stories.column("story_id").to_pylist())),
        "documents_in_stories": stories.num_rows,
        "changes": tables["changes"].num_rows,
    }


def run(
    inputs: Sequence[str | Path],
    run_dir: str | Path,
    config: Config | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
    force: bool = False,
) -> RunSummary:
    """Run the whole pipeline over ``inputs`` and write the run directory ``run_dir``.

    ``force`` writes into a folder that holds other files (see :func:`prepare_run_dir`).
    """
    config = config or Config()
    engine = engine or LocalEngine(config.workers)
    out = Path(run_dir)
    prepare_run_dir(out, force)
    stages = _Stages(progress or SilentProgress())
    started = time.perf_counter()

    cleaned = _ingest_and_clean(inputs, config, engine, stages)
    rejects = cleaned.rejects
    # The original texts and the removed spans are only written out: written now, they need
    # not stay in memory beside the clean texts for the rest of the run.
    with stages.stage("write documents", None):
        write_table(cleaned.documents, out / "documents.parquet")
    documents = cleaned.documents.select(_WORKING_COLUMNS)
    del cleaned
    # Exact copies skip sign, candidates and verify: only their representative goes on.
    representatives, copies = copy_groups(
        documents.column("digest").to_pylist(), documents.column("words").to_pylist()
    )
    pairs_idx, formula = _candidate_pairs(documents, representatives, config, engine, stages)
    pairs, passages = _verify(documents, pairs_idx, copies, formula, config, engine, stages)
    with stages.stage("cluster", None):
        stories = _stories(documents, pairs)
    changes = _changes(documents, stories, config, engine, stages)

    tables = {
        "pairs": pairs,
        "passages": passages,
        "stories": stories,
        "changes": changes,
        "rejects": rejects,
    }
    with stages.stage("write", len(tables)) as done:
        for i, (name, table) in enumerate(tables.items()):
            write_table(table, out / f"{name}.parquet")
            done(i)
    tables["documents"] = documents

    relation_counts = {r: 0 for r in RELATIONS}
    for r in pairs.column("relation").to_pylist():
        relation_counts[r] += 1
    counts = _counts(tables, len(pairs_idx), len(copies))
    bands_n, rows_n = optimal_bands(config.lsh_threshold, config.num_perm)
    stages.timings["total"] = round(time.perf_counter() - started, 3)
    manifest = {
        "storytrace": __version__,
        "config": config.to_dict(),
        "config_tag": config.tag,
        "lsh": {"bands": bands_n, "rows": rows_n},
        "inputs": [_digest_path(Path(p)) for p in inputs],
        "counts": counts,
        "relations": relation_counts,
        "timings": stages.timings,
        "tables": {name: f"{name}.parquet" for name in TABLES},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return RunSummary(out, counts, relation_counts, stages.timings)
