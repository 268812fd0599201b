"""Is this article already in the archive, in which story, and where did its text come from?

Monitoring teams and fact-checkers ask this of one article at a time. The article is cleaned
and signed with the run's own settings, its candidates are looked up in the run's index
(:mod:`storytrace.archive.index`), and each candidate is verified as the run verifies a pair:
the answer is the relation to its closest members, the aligned passages with offsets into
both texts, and the story they belong to; or no match, with the nearest near-misses.
Nothing is written to the run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from storytrace.archive.index import ArchiveIndex, read_documents
from storytrace.clean import clean_lines
from storytrace.config import Config
from storytrace.fingerprint.signing import band_keys_of, fingerprints_of
from storytrace.fingerprint.tokens import tokenize
from storytrace.model import DocText
from storytrace.on_demand import pair_row

MOST_CANDIDATES: Final = 20
"""Candidates verified per article: the archive's articles sharing the most buckets and
fingerprints with it. A story printed a thousand times needs only its closest prints to be
named; verifying 20 costs tens of milliseconds."""
NEAR_MISSES: Final = 3
RANK: Final = {"duplicate": 0, "near_duplicate": 1, "version": 2, "excerpt": 3, "partial": 4}


@dataclass(frozen=True)
class Match:
    """How one new article relates to a run: its story (None when it matches none, or only
    articles in no story), the relation to its closest partner and why, every related
    partner with figures and passages, and, with no match, the nearest near-misses. For a
    run made with ``--semantic``, ``same_event`` names the archived articles outside the
    matched story that report its event in other words (see
    :mod:`storytrace.archive.events`)."""

    article: str
    story_id: str | None
    relation: str | None
    reason: str
    partners: list[dict[str, Any]] = field(default_factory=list)
    near_misses: list[dict[str, Any]] = field(default_factory=list)
    same_event: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _strength(partner: dict[str, Any]) -> tuple[int, float, str]:
    coverage = max(partner["coverage_a"], partner["coverage_b"])
    return (RANK.get(partner["relation"], len(RANK)), -coverage, partner["doc_id"])


def match_article(
    run_dir: Path,
    index: ArchiveIndex,
    story_of: dict[str, str],
    config: Config,
    article: str,
    text: str,
    published: datetime | None = None,
    title: str | None = None,
) -> Match:
    """Match ``text`` (named ``article``) against the run at ``run_dir``; ``story_of`` maps
    the run's doc ids to their story ids. ValueError when the text has no words."""
    cleaned = clean_lines(text)
    tokens = tokenize(cleaned.text, config.seed)
    if len(tokens) == 0:
        raise ValueError(f"cannot match {article}: no words left after boilerplate removal")
    keys = band_keys_of([tokens.hashes], config)[0]
    fingerprints = fingerprints_of([tokens.hashes], config)[0]
    found = index.candidates(keys, fingerprints, config.min_shared_fingerprints, MOST_CANDIDATES)
    mine = DocText(article, cleaned.text, tuple(cleaned.segments), published, title)
    events = (
        index.events.same_event(title, cleaned.text, story_of, config)
        if index.events is not None and config.semantic
        else []
    )
    related: list[dict[str, Any]] = []
    unrelated: list[dict[str, Any]] = []
    for row in read_documents(run_dir, [doc_id for doc_id, _, _ in found]):
        partner = DocText.from_row(row)
        pair, passages = pair_row(mine, partner, config, index.formula)
        shown = {
            "doc_id": partner.doc_id,
            "story_id": story_of.get(partner.doc_id),
            **{k: v for k, v in pair.items() if k not in ("doc_a", "doc_b", "on_demand")},
            "passage_list": [
                {
                    **{k: v for k, v in p.items() if k not in ("doc_a", "doc_b")},
                    "a_text": text[p["a_start"] : p["a_end"]],
                    "b_text": str(row["text"])[p["b_start"] : p["b_end"]],
                }
                for p in passages
            ],
        }
        (related if pair["relation"] is not None else unrelated).append(shown)
    if not related:
        unrelated.sort(key=lambda p: (-p["jaccard"], p["doc_id"]))
        reason = (
            f"no match: {len(unrelated)} candidates verified, none related"
            if unrelated
            else "no match: no article of the run shares enough wording to be a candidate"
        )
        return Match(article, None, None, reason, [], unrelated[:NEAR_MISSES], events)
    related.sort(key=_strength)
    best = related[0]
    story_id = best["story_id"] or next((p["story_id"] for p in related if p["story_id"]), None)
    reused = {p["doc_id"] for p in related}
    others = [
        e
        for e in events
        if e["doc_id"] not in reused and (story_id is None or e["story_id"] != story_id)
    ]
    return Match(article, story_id, best["relation"], best["reason"], related, [], others)
