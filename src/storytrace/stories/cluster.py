"""Stories: connected components over duplicate, near-duplicate, version and excerpt links.

Partial reuse is reported in the pairs table but never merges two stories: a quoted paragraph
does not make two articles one story. Story ids are derived from the members' doc ids, so the
same documents and links give the same ids on every run and engine.

Within a story the documents are ordered by when they appeared (see
:mod:`storytrace.stories.timeline`: published time, else a date or re-issue mark in the text); the
first is the origin. Every other document takes its role from its link to the origin when
there is one, otherwise from its strongest link in the story.

Exact copies are linked only to their group's first document (see :mod:`storytrace.match.copies`),
so "its link to the origin" is read between groups of exact duplicates: a copy of an article
that is a version of the origin is a version of the origin too, as its text is the same.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime

from storytrace.schema import STORY_RELATIONS
from storytrace.stories.timeline import Evidence, describe, in_order

_ROLE_OF_RELATION = {
    "duplicate": "duplicate",
    "near_duplicate": "duplicate",
    "version": "version",
    "excerpt": "excerpt",
}
_STRENGTH = {"duplicate": 0, "near_duplicate": 1, "version": 2, "excerpt": 3}


@dataclass(frozen=True)
class StoryMember:
    story_id: str
    doc_id: str
    role: str
    order: int
    published: datetime | None
    size: int
    evidence: str


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while x != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, x: str, y: str) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            # The smaller id becomes the root, so the result does not depend on edge order.
            lo, hi = sorted((rx, ry))
            self.parent[hi] = lo


def _ordered(x: str, y: str) -> tuple[str, str]:
    return (x, y) if x <= y else (y, x)


def story_id(members: list[str]) -> str:
    """Deterministic story id from the smallest member doc_id."""
    return "story-" + hashlib.sha1(min(members).encode("utf-8")).hexdigest()[:12]


def build_stories(
    links: list[tuple[str, str, str]], evidence: dict[str, Evidence]
) -> list[StoryMember]:
    """Stories from ``(doc_a, doc_b, relation)`` links and each document's evidence of time;
    sorted by story_id, then order (see :func:`storytrace.stories.timeline.in_order`)."""

    uf = _UnionFind()
    copies = _UnionFind()  # groups of exact duplicates
    # Each document's strongest link: one entry per document, not per link, so a run with
    # millions of near-duplicate pairs does not hold them twice over in dictionaries.
    strongest: dict[str, str] = {}
    for a, b, relation in links:
        if relation not in STORY_RELATIONS:
            continue
        uf.union(a, b)
        for doc in (a, b):
            if doc not in strongest or _STRENGTH[relation] < _STRENGTH[strongest[doc]]:
                strongest[doc] = relation
        if relation == "duplicate":
            copies.union(a, b)
    # Links between groups of exact duplicates, for the relation of a copy to the origin;
    # keyed by the ordered pair of groups.
    group_links: dict[tuple[str, str], str] = {}
    for a, b, relation in links:
        if relation in STORY_RELATIONS:
            group_links[_ordered(copies.find(a), copies.find(b))] = relation
    groups: dict[str, list[str]] = defaultdict(list)
    for doc in strongest:
        groups[uf.find(doc)].append(doc)

    members: list[StoryMember] = []
    for docs in groups.values():
        ordered = in_order(docs, evidence)
        origin = ordered[0]
        sid = story_id(docs)
        for rank, doc in enumerate(ordered):
            group, origin_group = copies.find(doc), copies.find(origin)
            if doc == origin:
                role = "origin"
            elif group == origin_group:
                role = "duplicate"
            elif _ordered(group, origin_group) in group_links:
                role = _ROLE_OF_RELATION[group_links[_ordered(group, origin_group)]]
            else:
                role = _ROLE_OF_RELATION[strongest[doc]]
            e = evidence.get(doc)
            published = e.when if e is not None and e.dated_by == "published" else None
            said = describe(e) if e is not None else "no evidence"
            members.append(StoryMember(sid, doc, role, rank, published, len(docs), said))
    members.sort(key=lambda m: (m.story_id, m.order))
    return members


def keep_story_ids(
    members: list[StoryMember], previous: dict[str, str]
) -> tuple[list[StoryMember], list[tuple[str, str]]]:
    """Stories of a run that grew (``storytrace add``) under the ids they had before.

    ``previous`` is each article's story id in the run added to. A story keeps the old id of
    its earliest article that had one (in the story's order), so an id a user has written
    down goes on naming the same story; when articles join two old stories into one, the
    other old ids are returned as merged into it, ``(story_id, merged)``. A story with no
    old article keeps its own id. Links only grow as articles are added, so an old story is
    not split; if one were, the first of its parts (by id) keeps the id.
    """
    if not previous:
        return members, []
    by_story: dict[str, list[StoryMember]] = defaultdict(list)
    for member in members:
        by_story[member.story_id].append(member)
    renamed: dict[str, str] = {}
    merges: list[tuple[str, str]] = []
    claimed: set[str] = set()
    for sid in sorted(by_story):
        ordered = sorted(by_story[sid], key=lambda m: m.order)
        old = list(dict.fromkeys(previous[m.doc_id] for m in ordered if m.doc_id in previous))
        keep = next((o for o in old if o not in claimed), None)
        if keep is not None:
            claimed.add(keep)
            renamed[sid] = keep
            merges += [(keep, other) for other in old if other != keep]
    for sid in sorted(by_story):
        if sid not in renamed:
            renamed[sid] = sid if sid not in claimed else f"{sid}-new"
    out = [replace(m, story_id=renamed[m.story_id]) for m in members]
    out.sort(key=lambda m: (m.story_id, m.order))
    return out, sorted(set(merges))
