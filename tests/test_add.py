"""storytrace add: a run grown with new articles has the stories of a run over both, and the
stories it had keep their ids; stories a new article joins are recorded as merged."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from storytrace import find_stories, open_run

EXAMPLES = Path(__file__).parents[1] / "examples"


def _stories(run: Path) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for row in pq.read_table(run / "stories.parquet", columns=["story_id", "doc_id"]).to_pylist():
        found.setdefault(row["story_id"], set()).add(row["doc_id"])
    return {k: frozenset(v) for k, v in found.items()}


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def by_date(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The bundled Reuters sample split by date: the first half, then the second."""
    folder = tmp_path_factory.mktemp("by-date")
    with gzip.open(EXAMPLES / "reuters-sample.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rows.sort(key=lambda r: (r.get("published") or "", r.get("id") or ""))
    half = len(rows) // 2
    return _write(folder / "first.jsonl", rows[:half]), _write(folder / "second.jsonl", rows[half:])


def test_adding_the_second_half_gives_the_stories_of_one_run_over_both(
    by_date: tuple[Path, Path], tmp_path: Path
) -> None:
    first, second = by_date
    grown = tmp_path / "grown"
    find_stories([first], grown)
    before = _stories(grown)
    done = subprocess.run(
        [sys.executable, "-m", "storytrace", "add", str(grown), str(second), "--quiet"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "stories merged into another" in done.stdout
    after = _stories(grown)
    whole = _stories(find_stories([first, second], tmp_path / "whole").path)
    assert set(after.values()) == set(whole.values())
    assert len(after) > len(before) > 0
    for story_id, members in before.items():  # every old story keeps its id and its articles
        assert story_id in after and members <= after[story_id]
    changes = pq.read_table(grown / "changes.parquet", columns=["story_id"]).column("story_id")
    assert set(changes.to_pylist()) <= set(after)
    assert open_run(grown).documents.num_rows == open_run(tmp_path / "whole").documents.num_rows


def test_an_article_that_joins_two_stories_merges_them_under_the_older_id(
    reuters_texts: dict[str, str], tmp_path: Path
) -> None:
    texts = [t for _, t in sorted(reuters_texts.items()) if 150 <= len(t.split()) <= 300][:2]
    x, y = texts
    rows = [
        {"id": "x1", "text": x, "published": "1987-03-01T10:00:00Z"},
        {"id": "x2", "text": x, "published": "1987-03-01T12:00:00Z"},
        {"id": "y1", "text": y, "published": "1987-03-02T10:00:00Z"},
        {"id": "y2", "text": y, "published": "1987-03-02T12:00:00Z"},
    ]
    run = tmp_path / "run"
    find_stories([_write(tmp_path / "old.jsonl", rows)], run)
    before = _stories(run)
    assert len(before) == 2
    older = next(sid for sid, docs in before.items() if "x1" in docs)
    newer = next(sid for sid, docs in before.items() if "y1" in docs)
    both = [{"id": "z", "text": x + "\n\n" + y, "published": "1987-03-03T10:00:00Z"}]
    from storytrace.archive.add import add

    add(run, [_write(tmp_path / "new.jsonl", both)])
    after = _stories(run)
    assert after == {older: frozenset({"x1", "x2", "y1", "y2", "z"})}
    assert open_run(run).merges.to_pylist() == [{"story_id": older, "merged": newer}]


def test_adding_to_a_folder_that_is_not_a_run_is_a_clear_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "storytrace", "add", str(tmp_path), str(EXAMPLES / "seeds")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "is not a storytrace run" in done.stderr
    assert "Traceback" not in done.stderr
