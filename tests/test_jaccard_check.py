"""The near_duplicates mode: what MinHash tools find, checked by exact Jaccard, no alignment."""

from __future__ import annotations

from pathlib import Path

import pytest

from storytrace import Config, find_stories, open_run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SAMPLE = EXAMPLES / "reuters-sample.jsonl.gz"
VOA, GLOBALSECURITY = "002_b386addb4608aa0f.txt", "000_afb563e75b84724c.txt"


@pytest.fixture(scope="module")
def near_dup_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("near-dup-run")
    config = Config(mode="near_duplicates", lsh_threshold=0.7, workers=1)
    find_stories([EXAMPLES / "seeds", SAMPLE], out, config)
    return out


def test_only_copies_are_found_and_nothing_is_aligned(near_dup_run: Path) -> None:
    run = open_run(near_dup_run)
    pairs = run.pairs.to_pylist()
    assert {p["relation"] for p in pairs} == {"duplicate", "near_duplicate"}
    near = [p for p in pairs if p["relation"] == "near_duplicate"]
    assert near and all(p["jaccard"] >= 0.7 and p["passages"] == 0 for p in near)
    passages = {(p["doc_a"], p["doc_b"]) for p in run.passages.to_pylist()}
    assert not passages & {(p["doc_a"], p["doc_b"]) for p in near}


def test_the_seed_version_is_not_a_near_duplicate(near_dup_run: Path) -> None:
    # Jaccard 0.18: what MinHash tools miss, and the stories mode finds.
    assert open_run(near_dup_run).story_of(VOA) == [VOA]


def test_the_judged_duplicates_are_still_linked(near_dup_run: Path) -> None:
    run = open_run(near_dup_run)
    assert "reuters-12612" in run.story_of("reuters-12440")


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode must be one of"):
        Config(mode="fast")
