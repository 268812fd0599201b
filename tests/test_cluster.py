"""Stories and roles from pair links."""

from __future__ import annotations

from datetime import UTC, datetime

from storytrace.clean import clean_lines
from storytrace.stories.cluster import build_stories
from storytrace.stories.timeline import Evidence, evidence_of


def _day(n: int) -> Evidence:
    return Evidence(datetime(2017, 9, n, tzinfo=UTC), "published", (), 100)


def test_a_copy_takes_the_relation_of_its_group_to_the_origin() -> None:
    # rep and its exact copies are linked to each other only as a star; the verified link to
    # the origin is on rep alone.
    links = [
        ("origin", "rep", "version"),
        ("rep", "rep-copy-1", "duplicate"),
        ("rep", "rep-copy-2", "duplicate"),
        ("origin", "origin-copy", "duplicate"),
        ("other", "rep", "excerpt"),
    ]
    published = {"origin": _day(1), "rep": _day(3), "rep-copy-1": _day(2), "other": _day(4)}
    members = build_stories(links, published)
    roles = {m.doc_id: m.role for m in members}
    assert roles == {
        "origin": "origin",
        "origin-copy": "duplicate",
        "rep": "version",
        "rep-copy-1": "version",
        "rep-copy-2": "version",
        "other": "excerpt",
    }
    assert len({m.story_id for m in members}) == 1
    assert [m.doc_id for m in members][:3] == ["origin", "rep-copy-1", "rep"]


def test_a_copy_published_first_is_the_origin() -> None:
    links = [("a", "b", "duplicate"), ("a", "c", "near_duplicate")]
    members = build_stories(links, {"b": _day(1), "a": _day(2), "c": _day(3)})
    assert {m.doc_id: m.role for m in members} == {
        "b": "origin",
        "a": "duplicate",
        "c": "duplicate",
    }


def test_partial_links_make_no_story() -> None:
    assert build_stories([("a", "b", "partial")], {}) == []


def test_without_times_a_dated_byline_then_a_reissue_mark_then_length_decide() -> None:
    evidence = {
        "byline": evidence_of(None, "By Jane Doe September 29, 2017\n\nText.", None, 250),
        "next day": evidence_of(None, "By Jane Doe September 30, 2017\n\nText.", None, 100),
        "plain": evidence_of(None, "Text without a date.", None, 300),
        "corrected": evidence_of("CORRECTED - ACME NET", "Text.", None, 200),
        "longer": evidence_of(None, "Text without a date, and more.", None, 400),
    }
    links = [("byline", "plain", "version"), ("plain", "corrected", "version")]
    links += [("plain", "longer", "version"), ("plain", "next day", "version")]
    members = build_stories(links, evidence)
    # Undated texts are placed at the story's earliest date; there, length decides.
    order = ["byline", "plain", "longer", "corrected", "next day"]
    assert [m.doc_id for m in members] == order
    assert members[0].role == "origin"
    assert members[0].evidence == "date in text 2017-09-29"
    assert "CORRECTED" in members[3].evidence


def test_the_shorter_seed_is_the_origin(seed_texts: list[str]) -> None:
    """Without publication times, VOA's own page (the shorter, earlier version) comes first."""
    gs, voa = (clean_lines(text).text for text in seed_texts)  # as a run sees them
    evidence = {
        "gs": evidence_of(None, gs, None, len(gs.split())),
        "voa": evidence_of(None, voa, None, len(voa.split())),
    }
    members = build_stories([("gs", "voa", "version")], evidence)
    assert [(m.doc_id, m.role) for m in members] == [("voa", "origin"), ("gs", "version")]
