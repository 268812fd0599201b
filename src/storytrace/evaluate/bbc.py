"""BBC News 2004-05: are the exact duplicates found, and are different articles kept apart?

The set holds 2,225 articles, among them about a hundred groups of files whose whole text is
the same once lower-cased and stripped of whitespace and punctuation. Every group must end up
inside one story. And no duplicate link (``duplicate`` or ``near_duplicate``, directly or
through other copies) may join two different articles: two articles are different when
less than half of the 8-word sequences of the shorter body occur in the other, a test that
does not depend on storytrace's own alignment. Versions (an update that reports the next
development) are stories too, but not duplicates, so they are not counted here.
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from pathlib import Path

from storytrace.api import find_stories
from storytrace.config import Config
from storytrace.evaluate.measures import Measure, Suite

CORPUS = "bbc"
_SAME_ARTICLE = 0.5
_GRAM = 8


def _normalised(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _grams(text: str) -> set[tuple[str, ...]]:
    body = text.split("\n", 1)[1] if "\n" in text else text
    words = re.findall(r"\w+", body.lower())
    return {tuple(words[i : i + _GRAM]) for i in range(len(words) - _GRAM + 1)}


def different_articles(a: str, b: str) -> bool:
    """Less than half of the shorter body's 8-word sequences occur in the other body."""
    ga, gb = _grams(a), _grams(b)
    fewer = min(len(ga), len(gb))
    return fewer > 0 and len(ga & gb) < _SAME_ARTICLE * fewer


def _components(links: list[tuple[str, str]]) -> list[list[str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b in links:
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    return list(groups.values())


def measure_bbc(data: Path, config: Config) -> list[Measure]:
    """Run storytrace over the BBC folder and check duplicate groups and merges."""
    folder = data / CORPUS
    texts = {
        p.relative_to(folder).as_posix(): p.read_bytes().decode("latin-1")
        for p in sorted(folder.rglob("*.txt"))
    }
    same: dict[str, list[str]] = defaultdict(list)
    for doc_id, text in texts.items():
        same[_normalised(text)].append(doc_id)
    groups = [ids for ids in same.values() if len(ids) > 1]
    with tempfile.TemporaryDirectory(prefix="storytrace-eval-") as tmp:
        run = find_stories(folder, Path(tmp) / "run", config)
        stories = run.table("stories", columns=["story_id", "doc_id"]).to_pylist()
        pairs = run.table("pairs", columns=["doc_a", "doc_b", "relation"]).to_pylist()
    story = {r["doc_id"]: r["story_id"] for r in stories}
    found = sum(1 for g in groups if g[0] in story and all(story.get(d) == story[g[0]] for d in g))
    copies = _components(
        [
            (p["doc_a"], p["doc_b"])
            for p in pairs
            if p["relation"] in ("duplicate", "near_duplicate")
        ]
    )
    merged = sum(
        1
        for docs in copies
        if any(different_articles(texts[a], texts[b]) for a in docs for b in docs if a < b)
    )
    return [
        Measure(
            "bbc.duplicate_groups_found",
            "BBC exact-duplicate groups found (all copies in one story)",
            1.0,
            found / len(groups) if groups else 0.0,
            detail=f"{found}/{len(groups)}",
        ),
        Measure(
            "bbc.duplicates_joining_different_articles",
            "BBC duplicate groups joining two different articles (lower is better)",
            0.0,
            float(merged),
            higher_is_better=False,
            detail=f"{merged} of {len(copies)} groups",
            count=True,
        ),
    ]


SUITE = Suite("bbc", (CORPUS,), measure_bbc)
