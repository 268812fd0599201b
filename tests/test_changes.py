"""Sentence changes between versions, on the seeds and on judged Reuters versions."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storytrace import Config
from storytrace.clean import clean_lines
from storytrace.stories.changes import Change, SentenceChanges, sentence_changes
from storytrace.stories.sentences import split_sentences
from storytrace.stories.word_diff import diff_rows, word_edits

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
VOA, GLOBALSECURITY = SEEDS / "002_b386addb4608aa0f.txt", SEEDS / "000_afb563e75b84724c.txt"


def changes_between(old: str, new: str) -> SentenceChanges:
    return sentence_changes(clean_lines(old).text, clean_lines(new).text, Config())


def of_kind(result: SentenceChanges, kind: str) -> list[Change]:
    return [c for c in result.changes if c.kind == kind]


@pytest.fixture(scope="module")
def seed_changes() -> SentenceChanges:
    """VOA's version (older) to GlobalSecurity.org's rewritten, expanded reprint (newer)."""
    return changes_between(VOA.read_text("utf-8"), GLOBALSECURITY.read_text("utf-8"))


def test_paragraphs_only_the_later_seed_has_are_added(seed_changes: SentenceChanges) -> None:
    added = {c.new_text for c in of_kind(seed_changes, "added")}
    for sentence in (
        "Direct interaction",
        "The remarks from Tillerson were the clearest to date about how the two countries "
        "interact, and they came amid rising tensions and a war of words between them.",
        'Trump also said at the U.N. on September 19 that the U.S. would "totally destroy" '
        "North Korea if it carried out an attack.",
        "Tillerson added, though, that as far as he knew, the president had not drawn any red "
        "lines.",
        "Implementing sanctions",
    ):
        assert sentence in added
    removed = {c.old_text for c in of_kind(seed_changes, "removed")}
    assert "We're not in a dark situation, a blackout." in removed


def test_shared_seed_sentences_are_not_changes(seed_changes: SentenceChanges) -> None:
    # Both versions print these; they differ only in a comma or the shape of an apostrophe.
    listed = {c.old_text for c in seed_changes.changes} | {c.new_text for c in seed_changes.changes}
    for kept in (
        "Earlier Saturday Tillerson met with China's top diplomat, State Councilor Yang Jiechi, "
        "and Foreign Minister Wang Yi.",
        "If fully implemented, the ban on those items could substantially reduce North Korea’s "
        "revenues this year.",
        "It will exploit whatever it can get from China, but it doesn't look for political "
        "guidance from China.",
    ):
        assert kept not in listed
    assert seed_changes.unchanged == 7


def test_edited_seed_sentences_are_changed_with_a_word_diff(
    seed_changes: SentenceChanges,
) -> None:
    changed = {c.new_text: c for c in of_kind(seed_changes, "changed")}
    partner = changed["China is North Korea's No. 1 trade partner."]
    assert partner.old_text == "China is North Korea’s number one trade partner."
    assert ("removed", "number one") in partner.word_diff
    assert ("added", "No. 1") in partner.word_diff
    credit = changed["VOA State Department correspondent Nike Ching contributed to this report."]
    assert credit.old_text == "VOA's Nike Ching contributed to this report."
    assert not any(c.moved for c in changed.values())  # the shared text keeps its order


def test_a_sentence_split_in_two_is_changed_twice_not_added(
    seed_changes: SentenceChanges,
) -> None:
    """VOA's long first sentence became two in the later version: the channel to Pyongyang,
    and Tillerson in Beijing seeking China's cooperation (moved to the front)."""
    parts = [c for c in of_kind(seed_changes, "changed") if c.old_index == 1]
    assert [c.new_text[:30] for c in parts] == [
        "Tillerson was in Beijing on Sa",
        "Tillerson revealed the U.S. ha",
    ]
    assert all(c.old_text.startswith("The United States has opened a direct") for c in parts)


def test_sentences_that_change_place_are_moved(seed_texts: list[str]) -> None:
    """VOA's paragraphs in another order: Paal's quote moved to the top is three sentences
    moved; nothing is removed and added again."""
    voa = clean_lines(seed_texts[1]).text
    paragraphs = voa.split("\n\n")
    quote = next(i for i, p in enumerate(paragraphs) if p.startswith("“The North is"))
    reordered = "\n\n".join([paragraphs[quote], *paragraphs[:quote], *paragraphs[quote + 1 :]])
    result = sentence_changes(voa, reordered, Config())
    assert [(c.kind, c.new_index) for c in result.changes] == [
        ("moved", 0),
        ("moved", 1),
        ("moved", 2),
    ]
    assert (
        result.changes[0].new_text
        == "“The North is very reluctant to take instructions from China."
    )
    assert result.unchanged == len(split_sentences(voa)) - 3


def test_a_restructured_reuters_rewrite_moves_sentences(reuters_texts: dict[str, str]) -> None:
    """Judged VERSION, "B restructured rewrite, reordered and trimmed": sentences from the
    end of the first take open the second, some word for word, some edited."""
    result = changes_between(reuters_texts["reuters-5376"], reuters_texts["reuters-5561"])
    moved = {c.new_text for c in result.changes if c.moved}
    word_for_word = {c.new_text for c in of_kind(result, "moved")}
    assert (
        "It also forces the administration to act rapidly when an industry complains that a "
        "surge in imports threatens its existence."
    ) in word_for_word
    assert (
        "In writing the bill, the subcommittee rejected calls for trade relief for specific "
        "industries such as textiles."
    ) in word_for_word
    assert "Generally, the bill's provisions toughen U.S. enforcement of trade laws." in moved
    edited = next(c for c in of_kind(result, "changed") if c.new_text.startswith("Generally"))
    assert edited.old_text == (
        "For the most part, the trade bill's provisions toughen U.S. enforcement of trade laws."
    )
    assert not {c.old_text for c in of_kind(result, "removed")} & {
        c.new_text for c in of_kind(result, "added")
    }


def test_an_edited_sentence_that_changes_place_is_changed_and_moved(
    reuters_texts: dict[str, str],
) -> None:
    """Judged VERSION, every sentence lightly edited; the strike sentence put first."""
    old = clean_lines(reuters_texts["reuters-21341"]).text
    new = clean_lines(reuters_texts["reuters-21338"]).text
    spans = split_sentences(new)
    strike = new[spans[-1].start : spans[-1].end]
    reordered = strike + " " + new[: spans[-1].start]
    result = sentence_changes(old, reordered, Config())
    assert [(c.kind, c.moved) for c in result.changes] == [
        ("changed", True),
        ("changed", False),
        ("changed", False),
    ]
    assert result.changes[0].new_text.startswith("The union hareatened to strike")


@pytest.mark.parametrize(
    ("old", "new", "removed", "added"),
    [
        ("reuters-18947", "reuters-18958", "65", "81"),  # CORRECTED: debt amount
        ("reuters-9330", "reuters-9390", "14", "1.4"),  # (CORRECTED): cts per share
    ],
)
def test_a_corrected_reissue_shows_the_corrected_figure(
    reuters_texts: dict[str, str], old: str, new: str, removed: str, added: str
) -> None:
    result = changes_between(reuters_texts[old], reuters_texts[new])
    [corrected] = [c for c in of_kind(result, "changed") if ("removed", removed) in c.word_diff]
    assert corrected.word_diff[corrected.word_diff.index(("removed", removed)) + 1] == (
        "added",
        added,
    )
    assert corrected.similarity is not None and corrected.similarity > 0.9
    assert not of_kind(result, "removed")


def test_every_sentence_is_accounted_for_on_judged_versions(
    shared_data: Path, reuters_texts: dict[str, str]
) -> None:
    """On every judged Reuters version pair, each sentence of the older text is unchanged,
    moved, changed or removed, and each of the newer one unchanged, moved, changed or added:
    none is lost, and only the parts of a split or merged sentence share an index."""
    with (shared_data / "reuters_judged_dev.tsv").open(encoding="utf-8") as fh:
        versions = [r for r in csv.DictReader(fh, delimiter="\t") if r["label"] == "VERSION"]
    assert len(versions) == 31
    for row in versions:
        old, new = (clean_lines(reuters_texts[row[k]]).text for k in ("a", "b"))
        result = sentence_changes(old, new, Config())
        old_seen = Counter(c.old_index for c in result.changes if c.old_index is not None)
        new_seen = Counter(c.new_index for c in result.changes if c.new_index is not None)
        assert len(old_seen) + result.unchanged == len(_worded(old)), row["pair"]
        assert len(new_seen) + result.unchanged == len(_worded(new)), row["pair"]
        for c in result.changes:
            if old_seen[c.old_index] > 1 or new_seen[c.new_index] > 1:
                assert c.kind == "changed", row["pair"]


def _worded(text: str) -> list[str]:
    return [s for s in (text[a:b] for a, b in split_sentences(text)) if any(map(str.isalnum, s))]


def test_word_diff_keeps_every_word_of_both_sides() -> None:
    old = 'Tseng posted net income of 258,125, or 14 cts per share, "a record," it said.'
    new = "Tseng posted net income of 258,125, or 1.4 cts per share, it said on Friday."
    rows = diff_rows(old, new, word_edits(old, new, seed=1))
    before = " ".join(r["text"] for r in rows if r["op"] != "added")
    after = " ".join(r["text"] for r in rows if r["op"] != "removed")
    assert re.findall(r"\w+", before) == re.findall(r"\w+", old)
    assert re.findall(r"\w+", after) == re.findall(r"\w+", new)
    assert ("removed", "14") in [(r["op"], r["text"]) for r in rows]
    assert ("removed", '"a record,"') in [(r["op"], r["text"]) for r in rows]


_VOA_PARAGRAPHS = clean_lines(VOA.read_text("utf-8")).text.split("\n\n")


@settings(max_examples=60, deadline=None)
@given(
    st.permutations(range(len(_VOA_PARAGRAPHS))),
    st.sets(st.integers(0, len(_VOA_PARAGRAPHS) - 1)),
    st.sets(st.integers(0, len(_VOA_PARAGRAPHS) - 1)),
)
def test_reordered_and_cut_versions_account_for_every_sentence(
    order: list[int], dropped: set[int], edited: set[int]
) -> None:
    """Any reordering, cutting and light editing of VOA's paragraphs: identical sentences are
    never added or removed, and every sentence of both texts is accounted for."""
    new_paragraphs = [
        _VOA_PARAGRAPHS[p].replace(" the ", " this ") if p in edited else _VOA_PARAGRAPHS[p]
        for p in order
        if p not in dropped
    ]
    old, new = "\n\n".join(_VOA_PARAGRAPHS), "\n\n".join(new_paragraphs) or "Nothing."
    result = sentence_changes(old, new, Config())
    removed = {c.old_text for c in of_kind(result, "removed")}
    added = {c.new_text for c in of_kind(result, "added")}
    assert not removed & added
    old_seen = {c.old_index for c in result.changes if c.old_index is not None}
    new_seen = {c.new_index for c in result.changes if c.new_index is not None}
    assert len(old_seen) + result.unchanged == len(_worded(old))
    assert len(new_seen) + result.unchanged == len(_worded(new))
