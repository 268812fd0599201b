"""Every engine writes the same tables: the promise a distributed engine is held to.

The same corpus (the seeds, the 600-item Reuters sample and 400 BBC articles) goes through
the local engine in this process, the local engine with two worker processes, the
reordering engine, which cuts batches to a third, shuffles rows, packs groups in descending
key order and runs the tasks last to first, and Apache Spark (``local[2]``). A stage
function that depended on batch boundaries, on row order inside a task or on which task ran
first would show here as a difference in some table, work tables included.

What is compared is every table of the run, final and work: the local engines' files byte
for byte; the Spark engine writes each table as a folder of part files (its executors
write them, see :mod:`storytrace.table_files`), so its tables are compared row for row, in
order, with their Arrow types. The Spark run is cut into parts of 500 rows, so that the
order across parts is tested too. The script-laden run of ``conftest.xss_run`` (hostile
ids, titles and sources, and a rejected record) goes through Spark too, against the local
engine's run of it.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from storytrace import table_files
from storytrace.api import open_run
from storytrace.config import Config
from storytrace.engines import Engine, LocalEngine
from storytrace.engines.reordering import ReorderingEngine
from storytrace.engines.spark import SparkEngine, start_session
from storytrace.run.loop import run
from storytrace.run.stages import STAGES
from storytrace.run.store import FINAL_TABLES

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BBC_PER_TOPIC = 80
# Batches of 150 documents: every per-document and group step has several tasks, so the
# two workers and the reordering engine do cut the work differently.
CONFIG = Config(batch_size=150)
PART_ROWS = 500
"""Rows per part of a table the Spark engine writes in these tests: several parts each for
the documents, pairs and changes."""


@pytest.fixture(scope="module")
def corpus(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    bbc = tmp_path_factory.mktemp("engines-bbc")
    for topic in sorted(p for p in (shared_data / "bbc").iterdir() if p.is_dir()):
        (bbc / topic.name).mkdir()
        for article in sorted(topic.glob("*.txt"))[:BBC_PER_TOPIC]:
            shutil.copyfile(article, bbc / topic.name / article.name)
    return [EXAMPLES / "seeds", EXAMPLES / "reuters-sample.jsonl.gz", bbc]


def _run(corpus: list[Path], out: Path, engine: Engine, config: Config = CONFIG) -> Path:
    try:
        run(corpus, out, config, engine=engine)
    finally:
        engine.close()
    return out


@pytest.fixture(scope="module")
def reference(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _run(corpus, tmp_path_factory.mktemp("engine-local-1") / "run", LocalEngine(1))


def _tables(run_dir: Path) -> list[Path]:
    """Every table of the run, final and work, by its path inside the run (a table in
    parts is its folder)."""
    found = [*run_dir.glob("*.parquet"), *run_dir.glob("work/*.parquet")]
    return sorted(p.relative_to(run_dir) for p in found)


@pytest.mark.parametrize(
    "make_engine",
    [lambda: LocalEngine(2), ReorderingEngine],
    ids=["local-2-workers", "reordering"],
)
def test_every_engine_writes_the_same_tables(
    corpus: list[Path], reference: Path, tmp_path: Path, make_engine: type[Engine]
) -> None:
    other = _run(corpus, tmp_path / "run", make_engine())
    assert_same_tables(reference, other)


def assert_same_tables(reference: Path, other: Path) -> None:
    tables = _tables(reference)
    assert {Path(f"{t}.parquet") for t in FINAL_TABLES} <= set(tables)
    assert tables == _tables(other)
    differ = [str(t) for t in tables if not _same_table(reference / t, other / t)]
    assert not differ, f"tables that differ from the local engine's: {differ}"


def _same_table(reference: Path, other: Path) -> bool:
    if other.is_file():
        return reference.read_bytes() == other.read_bytes()
    return table_files.read(reference).equals(table_files.read(other))


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    """One Spark session for the module (its start-up is most of a small run's time), with
    few shuffle partitions: the corpus is small, and each partition is a task to schedule."""
    session = start_session("local[2]", shuffle_partitions=4)
    yield session
    session.stop()


def test_spark_writes_the_same_tables(
    corpus: list[Path], reference: Path, tmp_path: Path, spark: SparkSession
) -> None:
    other = _run(corpus, tmp_path / "run", SparkEngine(session=spark, part_rows=PART_ROWS))
    assert_same_tables(reference, other)
    finished = open_run(other)  # readers take a Spark run as any other
    assert finished.manifest["engine"] == "spark"
    assert finished.stories.num_rows == pq.read_metadata(reference / "stories.parquet").num_rows
    documents = other / "documents.parquet"
    assert documents.is_dir() and len(table_files.parts(documents)) > 1


def test_a_spark_table_reads_as_one_table_in_duckdb_pandas_and_polars(
    corpus: list[Path], reference: Path, tmp_path: Path, spark: SparkSession
) -> None:
    """What a data engineer does with a run: point DuckDB, pandas or polars at the
    table's folder. Each gives the local engine's rows, in the local engine's order."""
    other = _run(corpus, tmp_path / "run", SparkEngine(session=spark, part_rows=PART_ROWS))
    columns = ["doc_id", "title", "words", "published"]
    want = pq.read_table(reference / "documents.parquet", columns=columns).to_pylist()
    folder = other / "documents.parquet"
    assert len(table_files.parts(folder)) > 1
    query = f"SELECT {', '.join(columns)} FROM read_parquet('{folder}')"
    assert duckdb.sql(query).arrow().read_all().to_pylist() == want
    assert pl.read_parquet(folder, columns=columns).to_dicts() == want
    frame = pd.read_parquet(folder, columns=["doc_id", "words"])  # pandas: nulls as NaN
    assert frame.to_dict("records") == [{"doc_id": r["doc_id"], "words": r["words"]} for r in want]


def test_spark_writes_the_same_tables_of_hostile_text(
    xss_run: Path, tmp_path: Path, spark: SparkSession
) -> None:
    """Ids, titles and sources that carry markup, and a rejected record, cross the JVM and
    come back as they were (the local run was made with the default settings)."""
    corpus = xss_run.parent / "xss.jsonl"
    other = _run([corpus], tmp_path / "run", SparkEngine(session=spark), Config())
    assert_same_tables(xss_run, other)
    manifest = json.loads((other / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["rejects"] == 1
    assert manifest["counts"]["documents_in_stories"] == 2


def test_the_corpus_gives_every_stage_work(reference: Path) -> None:
    """The comparison above is not vacuous: stories, changes and copies were found, and
    every stage left its record."""
    assert pq.read_metadata(reference / "stories.parquet").num_rows > 50
    assert pq.read_metadata(reference / "changes.parquet").num_rows > 50
    assert pq.read_metadata(reference / "work" / "copies.parquet").num_rows > 0
    assert sorted(p.stem for p in (reference / "stages").glob("*.json")) == sorted(
        s.name for s in STAGES
    )


def _awkward_inputs(folder: Path) -> list[str]:
    """A collection with what a serial read must put in order: ids repeated across files
    (the first one wins), texts without id repeated across files (numbered ~2, ~3 in input
    order), records without text, a gzip file cut short, a file of unknown type, a hidden
    file, a Parquet file and a folder name with brackets."""
    story = (
        "The port authority said on Monday that container traffic rose for a third month, "
        "as shipping lines brought back routes they had cut during the winter storms."
    )
    other = "Farmers in the valley began the harvest early after a dry and unusually warm spring."
    part = folder / "feed [a]"
    part.mkdir(parents=True)
    first = [
        {"id": "a-1", "text": story, "title": "Port traffic up", "published": "2021-03-01"},
        {"text": story},
        {"id": "a-2", "text": ""},
        {"id": "a-3", "text": other, "url": "https://valley.example/harvest"},
    ]
    (part / "one.jsonl").write_text("\n".join(json.dumps(r) for r in first) + "\n{broken\n")
    second = [
        {"id": "a-1", "text": other},
        {"text": story},
        {"id": "b-1", "text": story + " More."},
    ]
    (part / "two.jsonl").write_text("\n".join(json.dumps(r) for r in second) + "\n")
    whole = gzip.compress(("\n".join(json.dumps(r) for r in second) + "\n").encode())
    (part / "three.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    (part / "notes.md").write_text("not an article collection\n")
    (part / ".hidden.txt").write_text(story)
    pq.write_table(
        pa.table({"id": ["p-1", "a-3"], "text": [other + " Also.", story]}), folder / "t.parquet"
    )
    (folder / "loose.txt").write_text(story)
    return [
        str(part),
        str(folder / "t.parquet"),
        str(folder / "loose.txt"),
        str(folder / "t.parquet"),
    ]


def test_spark_reads_awkward_inputs_into_the_rows_of_a_serial_read(
    tmp_path: Path, spark: SparkSession
) -> None:
    """Spark's tasks read the files in parallel; ids, rejects, skips and input digests
    come out as the local engine's serial read gives them. The folder is also given to
    Spark as a ``file://`` URI, which goes through Spark's own listing, as ``hdfs://`` or
    ``s3a://`` would."""
    inputs = _awkward_inputs(tmp_path / "in")
    config = Config(batch_size=4)
    reference = _run(inputs, tmp_path / "local", LocalEngine(1), config)
    rejects = pq.read_table(reference / "rejects.parquet").column("reason").to_pylist()
    assert sum("duplicate id" in r for r in rejects) >= 3  # a-1; a-3 and p-1, parquet given twice
    assert any(r.startswith("cannot read") for r in rejects)  # the gzip file cut short
    other = _run(inputs, tmp_path / "spark", SparkEngine(session=spark), config)
    assert_same_tables(reference, other)
    manifests = [json.loads((r / "manifest.json").read_text("utf-8")) for r in (reference, other)]
    assert manifests[0]["inputs"] == manifests[1]["inputs"]
    assert manifests[0]["skipped"] == manifests[1]["skipped"]

    uri = ["file://" + str(Path(inputs[0]).resolve())]  # as Hadoop takes it, not %-encoded
    by_uri = open_run(_run(uri, tmp_path / "uri", SparkEngine(session=spark), config))
    local = open_run(_run([inputs[0]], tmp_path / "local-folder", LocalEngine(1), config))
    assert (
        by_uri.documents.column("doc_id").to_pylist()
        == local.documents.column("doc_id").to_pylist()
    )
    assert by_uri.manifest["inputs"][0]["sha256"] == local.manifest["inputs"][0]["sha256"]
