"""storytrace export: one article per story (or per source of a story), each saying what it
stands for, in files that pandas, polars, DuckDB and ``datasets`` read as they are."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import storytrace
from storytrace import find_stories


def _documents(run: Path) -> pa.Table:
    return pq.read_table(run / "documents.parquet", columns=["doc_id", "published", "words"])


@pytest.mark.parametrize("keep", ["origin", "earliest", "longest"])
def test_one_article_per_story_stands_for_all_of_it(
    demo_run: Path, tmp_path: Path, keep: str
) -> None:
    run = storytrace.open_run(demo_run)
    exported = run.export(tmp_path / "out.parquet", keep=keep)
    stories = run.stories.to_pylist()
    documents = _documents(demo_run).to_pylist()
    story_ids = {row["story_id"] for row in stories}
    kept = [row for row in exported.to_pylist() if row["story_id"] is not None]
    assert sorted(row["story_id"] for row in kept) == sorted(story_ids)  # one per story
    in_stories = {row["doc_id"] for row in stories}
    alone = {row["doc_id"] for row in exported.to_pylist() if row["story_id"] is None}
    assert alone == {d["doc_id"] for d in documents} - in_stories  # every other article
    assert pc.sum(exported["stands_for"]).as_py() == len(documents)
    facts = {d["doc_id"]: d for d in documents}
    for row in kept:
        members = [s for s in stories if s["story_id"] == row["story_id"]]
        assert row["stands_for"] == len(members)
        assert row["copies"] == sum(m["role"] == "duplicate" for m in members)
        assert row["versions"] == sum(m["role"] in ("version", "excerpt") for m in members)
        if keep == "origin":
            assert row["role"] == "origin"
        elif keep == "longest":
            assert row["words"] == max(facts[m["doc_id"]]["words"] for m in members)
        else:
            known = [
                facts[m["doc_id"]]["published"] for m in members if facts[m["doc_id"]]["published"]
            ]
            assert row["published"] == (min(known) if known else None)
    assert pq.read_table(tmp_path / "out.parquet").equals(exported)


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory: pytest.TempPathFactory, seed_texts: list[str]) -> Path:
    """The two seed versions printed by two sources, one of them twice (an exact copy)."""
    folder = tmp_path_factory.mktemp("two-sources")
    rows = [
        {
            "id": "voa-1",
            "source": "voa",
            "text": seed_texts[1],
            "published": "2017-09-30T10:00:00Z",
        },
        {
            "id": "voa-2",
            "source": "voa",
            "text": seed_texts[1],
            "published": "2017-09-30T12:00:00Z",
        },
        {
            "id": "gs-1",
            "source": "globalsecurity",
            "text": seed_texts[0],
            "published": "2017-10-01T08:00:00Z",
        },
    ]
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    find_stories([path], folder / "run")
    return folder / "run"


def test_per_source_keeps_every_source_of_a_story(two_sources: Path, tmp_path: Path) -> None:
    run = storytrace.open_run(two_sources)
    assert run.stories.num_rows == 3, "the seeds and the copy make one story"
    one = run.export(tmp_path / "one.parquet")
    assert one.column("doc_id").to_pylist() == ["voa-1"] and one["stands_for"][0].as_py() == 3
    each = run.export(tmp_path / "each.parquet", per_source=True).to_pylist()
    assert {(r["source"], r["doc_id"], r["stands_for"], r["copies"]) for r in each} == {
        ("voa", "voa-1", 2, 1),
        ("globalsecurity", "gs-1", 1, 0),
    }
    preferred = run.export(tmp_path / "gs.parquet", keep="source:reuters,globalsecurity")
    assert preferred.column("doc_id").to_pylist() == ["gs-1"]


def test_the_export_loads_in_the_tools_data_engineers_use(demo_run: Path, tmp_path: Path) -> None:
    from datasets import Dataset

    command = [sys.executable, "-m", "storytrace", "export", str(demo_run)]
    for name in ("out.parquet", "out.jsonl"):
        done = subprocess.run(
            [*command, "-o", str(tmp_path / name)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert "articles written to" in done.stdout
    expected = pq.read_table(tmp_path / "out.parquet")
    rows, ids = expected.num_rows, sorted(expected.column("doc_id").to_pylist())
    parquet, jsonl = str(tmp_path / "out.parquet"), str(tmp_path / "out.jsonl")
    for frame in (pd.read_parquet(parquet), pd.read_json(jsonl, lines=True)):
        assert len(frame) == rows and sorted(frame["doc_id"]) == ids
    for polars_frame in (pl.read_parquet(parquet), pl.read_ndjson(jsonl)):
        assert polars_frame.height == rows and sorted(polars_frame["doc_id"].to_list()) == ids
    for source in (f"read_parquet('{parquet}')", f"read_json_auto('{jsonl}')"):
        ((count,),) = duckdb.sql(f"select count(*) from {source}").fetchall()
        assert count == rows
    for dataset in (Dataset.from_parquet(parquet), Dataset.from_json(jsonl)):
        assert isinstance(dataset, Dataset)
        assert dataset.num_rows == rows and sorted(dataset["doc_id"]) == ids


def test_an_unknown_rule_or_format_is_a_clear_error(demo_run: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "storytrace", "export", str(demo_run)]
    for extra, said in (
        (["-o", str(tmp_path / "a.parquet"), "--keep", "newest"], "unknown keep rule 'newest'"),
        (["-o", str(tmp_path / "a.csv")], "name it .parquet or .jsonl"),
        (["-o", str(tmp_path / "a.parquet"), "--keep", "source:"], "at least one source name"),
    ):
        done = subprocess.run([*command, *extra], capture_output=True, text=True)
        assert done.returncode == 2 and said in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "a.parquet").exists()
