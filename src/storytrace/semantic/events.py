"""Events: groups of stories that report one event, above the stories of text reuse.

A story is one text and its copies and versions; an event is every story about one
happening, linked by ``same_event`` pairs (two articles in two stories, alike in meaning).
Stories are never merged or changed: an event only lists which stories it holds. An
article in no story is a story of its own here.

Linking every pair over the threshold into one component would chain topics: a strike
links to a second strike that links to a pay deal, and so on until a section of the paper
is one event. Two guards stop the chain, calibrated on the BBC News set (see
``storytrace.evaluate.bbc_events`` and ``Config.max_event_stories``): a link must be
mutual, each article among the other's nearest neighbours (see
:func:`storytrace.semantic.neighbours.nearest_pairs`), and an event stops growing at
``max_event_stories`` stories, links being taken strongest first, so the closest stories
of an event come together before any weaker link is considered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass


def event_id(doc_ids: Sequence[str]) -> str:
    """Deterministic event id from the smallest member doc_id (as story ids are made)."""
    return "event-" + hashlib.sha1(min(doc_ids).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Link:
    """A same-event pair between two stories, with its similarity."""

    story_a: str
    story_b: str
    similarity: float


def group_stories(links: Sequence[Link], max_stories: int) -> list[list[str]]:
    """Events of two or more stories from ``links``: strongest link first (ties by story
    ids), two events joined only while together they hold at most ``max_stories``
    stories. Each event's stories sorted; events sorted by their first story.

    >>> group_stories([Link("a", "b", 0.9), Link("b", "c", 0.8), Link("c", "d", 0.7)], 3)
    [['a', 'b', 'c']]
    """
    parent: dict[str, str] = {}
    size: dict[str, int] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        size.setdefault(x, 1)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ordered = sorted(links, key=lambda k: (-k.similarity, k.story_a, k.story_b))
    for link in ordered:
        ra, rb = find(link.story_a), find(link.story_b)
        if ra == rb or size[ra] + size[rb] > max_stories:
            continue
        lo, hi = sorted((ra, rb))  # the smaller id is the root: no dependence on order
        parent[hi] = lo
        size[lo] += size[hi]
    groups: dict[str, list[str]] = {}
    for story in parent:
        groups.setdefault(find(story), []).append(story)
    events = [sorted(g) for g in groups.values() if len(g) > 1]
    return sorted(events)
