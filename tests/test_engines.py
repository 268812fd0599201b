"""Every engine writes the same tables: the promise a distributed engine is held to.

The same corpus (the seeds, the 600-item Reuters sample and 400 BBC articles) goes through
the local engine in this process, the local engine with two worker processes, and the
reordering engine, which cuts batches to a third, shuffles rows, packs groups in descending
key order and runs the tasks last to first. A stage function that depended on batch
boundaries, on row order inside a task or on which task ran first would show here as a
difference in some table, work tables included.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from storytrace.config import Config
from storytrace.engines import Engine, LocalEngine
from storytrace.engines.reordering import ReorderingEngine
from storytrace.run.loop import run
from storytrace.run.stages import STAGES
from storytrace.run.store import FINAL_TABLES

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BBC_PER_TOPIC = 80
# Batches of 150 documents: every per-document and group step has several tasks, so the
# two workers and the reordering engine do cut the work differently.
CONFIG = Config(batch_size=150)


@pytest.fixture(scope="module")
def corpus(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    bbc = tmp_path_factory.mktemp("engines-bbc")
    for topic in sorted(p for p in (shared_data / "bbc").iterdir() if p.is_dir()):
        (bbc / topic.name).mkdir()
        for article in sorted(topic.glob("*.txt"))[:BBC_PER_TOPIC]:
            shutil.copyfile(article, bbc / topic.name / article.name)
    return [EXAMPLES / "seeds", EXAMPLES / "reuters-sample.jsonl.gz", bbc]


def _run(corpus: list[Path], out: Path, engine: Engine) -> Path:
    try:
        run(corpus, out, CONFIG, engine=engine)
    finally:
        engine.close()
    return out


@pytest.fixture(scope="module")
def reference(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _run(corpus, tmp_path_factory.mktemp("engine-local-1") / "run", LocalEngine(1))


def _tables(run_dir: Path) -> list[Path]:
    """Every table of the run, final and work, by its path inside the run."""
    return sorted(p.relative_to(run_dir) for p in run_dir.rglob("*.parquet"))


@pytest.mark.parametrize(
    "make_engine",
    [lambda: LocalEngine(2), ReorderingEngine],
    ids=["local-2-workers", "reordering"],
)
def test_every_engine_writes_the_same_tables(
    corpus: list[Path], reference: Path, tmp_path: Path, make_engine: type[Engine]
) -> None:
    other = _run(corpus, tmp_path / "run", make_engine())
    tables = _tables(reference)
    assert {Path(f"{t}.parquet") for t in FINAL_TABLES} <= set(tables)
    assert tables == _tables(other)
    differ = [str(t) for t in tables if (reference / t).read_bytes() != (other / t).read_bytes()]
    assert not differ, f"tables that differ from the local engine's: {differ}"


def test_the_corpus_gives_every_stage_work(reference: Path) -> None:
    """The comparison above is not vacuous: stories, changes and copies were found, and
    every stage left its record."""
    assert pq.read_metadata(reference / "stories.parquet").num_rows > 50
    assert pq.read_metadata(reference / "changes.parquet").num_rows > 50
    assert pq.read_metadata(reference / "work" / "copies.parquet").num_rows > 0
    assert sorted(p.stem for p in (reference / "stages").glob("*.json")) == sorted(
        s.name for s in STAGES
    )
