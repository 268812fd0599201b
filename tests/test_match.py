"""storytrace match: a new article looked up in a finished run, which is only read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import storytrace
from storytrace.archive.match import Match


def _table_bytes(run: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(run.rglob("*.parquet"))}


def test_a_reprint_of_a_seed_is_matched_to_the_seed_story(
    demo_run: Path, seed_paths: list[Path], seed_texts: list[str]
) -> None:
    run = storytrace.open_run(demo_run)
    seed_story = run.story(seed_paths[0].name).story_id
    before = _table_bytes(demo_run)
    found = run.match({"id": "reprint", "text": seed_texts[1], "published": "2017-10-02"})
    assert isinstance(found, Match) and found.article == "reprint"
    assert found.story_id == seed_story and found.relation == "duplicate"
    closest = found.partners[0]
    assert closest["doc_id"] == seed_paths[1].name and closest["coverage_a"] == 1.0
    # the other seed, a rewritten version, is named too, with the passages they share
    other = next(p for p in found.partners if p["doc_id"] == seed_paths[0].name)
    assert other["relation"] == "version"
    for passage in other["passage_list"]:
        assert passage["a_text"] == seed_texts[1][passage["a_start"] : passage["a_end"]]
        assert passage["b_text"] == seed_texts[0][passage["b_start"] : passage["b_end"]]
    assert _table_bytes(demo_run) == before, "matching wrote to the run"


def test_an_updated_wire_story_finds_its_story(demo_run: Path) -> None:
    """A Reuters article of the sample with a paragraph added: a version of its story, or
    the article itself when it is alone there."""
    run = storytrace.open_run(demo_run)
    documents = run.table("documents", columns=["doc_id", "text", "words"]).to_pylist()
    stories = {r["doc_id"]: r["story_id"] for r in run.stories.to_pylist()}
    article = next(
        d
        for d in documents
        if d["doc_id"] in stories and d["doc_id"].startswith("reuters") and d["words"] > 150
    )
    updated = article["text"] + (
        "\n\nThe company said later on Tuesday that talks with its lenders would resume next "
        "week, and that it expected a decision on the new credit line by the end of the month."
    )
    found = run.match(updated)
    assert found.story_id == stories[article["doc_id"]]
    assert found.relation in ("near_duplicate", "version", "excerpt")  # the old one is inside
    assert article["doc_id"] in {p["doc_id"] for p in found.partners}


def test_an_article_of_another_corpus_is_no_match(demo_run: Path, shared_data: Path) -> None:
    bbc = (shared_data / "bbc" / "sport" / "001.txt").read_text(encoding="latin-1")
    found = storytrace.open_run(demo_run).match(bbc)
    assert found.relation is None and found.story_id is None and not found.partners
    assert found.reason.startswith("no match")


def test_match_on_the_command_line_reads_files_and_json_lines(
    demo_run: Path, seed_paths: list[Path], seed_texts: list[str], tmp_path: Path
) -> None:
    records = [
        json.dumps({"id": "from-stdin", "text": seed_texts[0]}),
        "not json",
        json.dumps({"id": "empty", "text": "   "}),
    ]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "storytrace",
            "match",
            str(demo_run),
            str(seed_paths[1]),
            "-",
            "--json",
        ],
        input="\n".join(records) + "\n",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr  # two records could not be matched
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["article"] for a in answers] == [seed_paths[1].name, "from-stdin"]
    assert {a["relation"] for a in answers} == {"duplicate"}
    assert "stdin record 2: invalid JSON" in done.stderr
    assert "stdin record 3" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_a_text_without_words_is_a_clear_error(demo_run: Path, text: str) -> None:
    with pytest.raises(ValueError, match=r"has no text|no words"):
        storytrace.open_run(demo_run).match({"text": text})


_MORGAN = (
    "J.P. Morgan and Co Inc said it is\nraising its prime lending rate to 7-3/4 pct from "
    "7-1/2 pct,\neffective today.\n    Most major U.S. banks are now posting a 7-3/4 pct rate.\n"
    "Citibank was the first to announce an increase on Tuesday.\n Reuter\n"
)


def test_another_banks_notice_of_one_formula_is_not_matched_as_a_copy(demo_run: Path) -> None:
    """The archive holds J.P. Morgan's prime-rate notice. Another bank's notice, the same
    words with its own name, is an item of the formula, not a copy; Morgan's own notice
    sent again is a copy."""
    run = storytrace.open_run(demo_run)
    fleet = {
        "id": "fleet",
        "title": "FLEET FINANCIAL <FLT> RAISES PRIME RATE",
        "text": _MORGAN.replace("J.P. Morgan and Co Inc", "Fleet Financial Group Inc"),
        "published": "1987-04-01",
    }
    found = run.match(fleet)
    # Morgan's notice shares every word but the bank's name: two items, so not a partner.
    assert all(p["doc_id"] != "reuters-12592" for p in found.partners)
    assert found.story_id is None or found.story_id != run.story("reuters-12592").story_id
    again = run.match(
        {"id": "again", "title": "J.P. MORGAN <JPM> INCREASES PRIME RATE", "text": _MORGAN}
    )
    assert again.relation == "duplicate"
    assert any(p["doc_id"] == "reuters-12592" for p in again.partners)
