"""Stories and roles from pair links."""

from __future__ import annotations

from datetime import UTC, datetime

from storytrace.cluster import build_stories


def _day(n: int) -> datetime:
    return datetime(2017, 9, n, tzinfo=UTC)


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
