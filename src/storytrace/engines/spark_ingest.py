"""Ingest on Spark: the tasks read the input files where they live, in parallel.

The files are listed here (local folders as :func:`storytrace.ingest.ingest` walks them; a
URI such as ``hdfs://`` or ``s3a://`` through Spark's own listing, with the user's Hadoop
settings), their bytes are read by Spark's ``binaryFile`` source in the executors, and the
format readers run in the tasks (:func:`storytrace.ingest.in_parts.read_files`). Only the
ids of the documents come back to this process, to be given in input order
(:func:`storytrace.ingest.in_parts.assign_ids`); the documents stay in Spark and are
written by the executors. A file is read by one task, whole: a single file of more than
2 GiB is more than ``binaryFile`` holds, so split such a file (most writers cut their output
into parts anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from storytrace.config import Config
from storytrace.engines.base import Ingested
from storytrace.ingest import in_parts
from storytrace.schema import RAW_WORK

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from storytrace.engines.spark import SparkEngine

_GLOB = "\\[]{}*?"


def _literal(uri: str) -> str:
    """``uri`` as Hadoop reads it literally, not as a glob."""
    for special in _GLOB:
        uri = uri.replace(special, "\\" + special)
    return uri


def list_files(session: SparkSession, uri: str) -> list[tuple[str, int]]:
    """The files below ``uri`` (or ``uri`` itself), as Spark lists them, with their sizes.
    Only names and sizes are asked for, so ``binaryFile`` reads no content."""
    frame = (
        session.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(_literal(uri))
        .select("path", "length")
    )
    return [(str(r["path"]), int(r["length"])) for r in frame.collect()]


def spark_ingest(engine: SparkEngine, inputs: Sequence[str | Path], config: Config) -> Ingested:
    """See the module docs."""
    from pyspark.sql import functions as sf

    from storytrace.engines.spark import SparkFrame, from_wire

    session = engine.session
    plan = in_parts.plan(inputs, config, partial(list_files, session))
    paths = sorted({in_parts.location(source) for _, source in plan.sources})
    if not paths:
        empty = {name: schema.empty_table() for name, schema in in_parts.OUTPUTS.items()}
        ids, _ = in_parts.assign_ids(empty["docs"].select(list(in_parts.ID_COLUMNS)))
        return Ingested(
            engine.put(RAW_WORK.empty_table()),
            in_parts.rejects(plan, empty["rejects"], empty["rejects"]),
            in_parts.skips(plan, empty["skips"]),
            in_parts.input_records(plan, empty["files"]),
        )
    uris = [_literal(p if in_parts.is_remote(p) else "file://" + p) for p in paths]
    contents = session.read.format("binaryFile").load(uris).select("path", "content")
    # A task reads whole files: about two tasks per core, or one per file when fewer.
    per_task = max(1, -(-len(paths) // (2 * session.sparkContext.defaultParallelism)))
    frames = engine.map_batches(
        in_parts.read_files,
        SparkFrame(in_parts.CONTENTS, contents, rows=len(paths)),
        in_parts.OUTPUTS,
        per_task,
        {"config": config, "sources": plan.by_path()},
    )
    docs = frames["docs"].df(session)
    id_rows = from_wire(
        docs.select(*in_parts.ID_COLUMNS).toArrow(),
        pa.schema([in_parts.DOCS.field(n) for n in in_parts.ID_COLUMNS]),
    )
    ids, duplicates = in_parts.assign_ids(id_rows)
    place = ["order", "seq"]
    kept = docs.drop("doc_id").join(engine.put(ids).df(session), place)
    raw = kept.select(*[sf.col("final_id").alias("doc_id") if n == "doc_id" else sf.col(n)
                        for n in RAW_WORK.names])  # fmt: skip
    read = {n: engine.collect(frames[n]) for n in ("rejects", "skips", "files")}
    unread = {o for o, _ in plan.sources} - set(read["files"].column("order").to_pylist())
    if unread:  # a path Spark spelt otherwise than it was listed: say so, lose nothing
        lost = sorted(source.input for o, source in plan.sources if o in unread)
        raise RuntimeError(f"Spark did not hand over the bytes of {len(lost)} files: {lost[:5]}")
    dropped = read["rejects"].slice(0, 0)
    if duplicates.num_rows:  # the documents rejected for a repeated id, with their records
        found = docs.join(engine.put(duplicates).df(session), place)
        columns = [sf.col("final_id").alias("doc_id") if n == "doc_id" else sf.col(n)
                   for n in in_parts.FILE_REJECTS.names]  # fmt: skip
        dropped = from_wire(found.select(*columns).toArrow(), in_parts.FILE_REJECTS)
    return Ingested(
        SparkFrame(RAW_WORK, raw, rows=ids.num_rows),
        in_parts.rejects(plan, read["rejects"], dropped),
        in_parts.skips(plan, read["skips"]),
        in_parts.input_records(plan, read["files"]),
    )
