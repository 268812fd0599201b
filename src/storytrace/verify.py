"""Verify a candidate pair: exact figures, aligned passages, relation.

Candidates come from hashed signatures and may be wrong; verification recomputes everything
exactly from both texts. It works on clean text (boilerplate removed) and maps the passages'
offsets back to the original texts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from storytrace.align import Passage, align, coverage
from storytrace.clean.offsets import Segment, to_original
from storytrace.config import Config
from storytrace.facts import fact_mask, substitutions
from storytrace.fingerprint.shingles import shingle_set
from storytrace.fingerprint.tokens import Tokens
from storytrace.relate import Figures, relate
from storytrace.schema import STORY_RELATIONS


@dataclass(frozen=True)
class Verdict:
    relation: str | None
    reason: str
    figures: Figures
    passages: list[Passage]


def _containment(inter: int, size: int) -> float:
    return inter / size if size else 0.0


def figures_in(tokens: Tokens, start: int, end: int) -> list[tuple[int, ...]]:
    """Figures among words ``start:end``: numeric words glued by one mark ("6-1/8",
    "1,234,000", "12.1") are one figure, since the tokenizer splits them at the marks."""
    figures: list[list[int]] = []
    for i in (np.flatnonzero(tokens.numeric[start:end]) + start).tolist():
        if figures and i > start and tokens.glued[i] and tokens.numeric[i - 1]:
            figures[-1].append(int(tokens.hashes[i]))
        else:
            figures.append([int(tokens.hashes[i])])
    return [tuple(f) for f in figures]


def _aligned_figures(
    passages: list[Passage], a: Tokens, b: Tokens
) -> tuple[Counter[tuple[int, ...]], Counter[tuple[int, ...]]]:
    """Figures inside the aligned passages of each side, as multisets."""
    figures_a: Counter[tuple[int, ...]] = Counter()
    figures_b: Counter[tuple[int, ...]] = Counter()
    for p in passages:
        figures_a.update(figures_in(a, p.a_start, p.a_end))
        figures_b.update(figures_in(b, p.b_start, p.b_end))
    return figures_a, figures_b


def _figures(
    a: Tokens, b: Tokens, shared: int, union: int, sa: int, sb: int, passages: list[Passage]
) -> Figures:
    aligned = sum(max(p.a_words, p.b_words) for p in passages)
    matched = sum(p.matched for p in passages)
    figures_a, figures_b = _aligned_figures(passages, a, b)
    return Figures(
        words_a=len(a),
        words_b=len(b),
        identical=len(a) == len(b) and bool(np.array_equal(a.hashes, b.hashes)),
        jaccard=shared / union if union else 0.0,
        containment_a_in_b=_containment(shared, sa),
        containment_b_in_a=_containment(shared, sb),
        coverage_a=coverage(passages, len(a), "a"),
        coverage_b=coverage(passages, len(b), "b"),
        identity=matched / aligned if aligned else 0.0,
        passages=len(passages),
        longest_passage=max((min(p.a_words, p.b_words) for p in passages), default=0),
        figures_aligned=max(sum(figures_a.values()), sum(figures_b.values())),
        figures_agreeing=sum((figures_a & figures_b).values()),
    )


def measure(a: Tokens, b: Tokens, config: Config, texts: tuple[str, str] | None = None) -> Verdict:
    """All figures and the relation of two tokenised clean texts.

    The relation and every figure are decided on passages of at least ``min_passage_words``;
    once two texts are one story, shorter shared runs (``detail_passage_words``) are added to
    the reported passages, so a reader sees every quote kept through a rewrite. With the
    clean ``texts`` (whose words ``a`` and ``b`` are), a story relation is also checked for
    being a formula filled with other facts (see :mod:`storytrace.facts`).
    """
    sa = shingle_set(a.hashes, config.shingle_size, config.seed)
    sb = shingle_set(b.hashes, config.shingle_size, config.seed)
    shared = len(np.intersect1d(sa, sb, assume_unique=True))
    union = len(sa) + len(sb) - shared
    shortest = min(len(a), len(b))
    strong_min = max(1, min(config.min_passage_words, shortest))
    detail_min = max(1, min(config.detail_passage_words, strong_min))
    every = align(
        a.hashes,
        b.hashes,
        config.align_seed_words,
        config.align_max_gap,
        detail_min,
        config.seed,
    )
    strong = [p for p in every if min(p.a_words, p.b_words) >= strong_min]
    figures = _figures(a, b, shared, union, len(sa), len(sb), strong)
    relation, reason = relate(figures, config)
    if texts is not None and relation in STORY_RELATIONS and relation != "duplicate":
        edits = substitutions(a.hashes, b.hashes, fact_mask(texts[0], a), fact_mask(texts[1], b))
        figures = replace(figures, factual_edits=edits.factual, other_edits=edits.other)
        relation, reason = relate(figures, config)
    reported = every if relation in STORY_RELATIONS else strong
    return Verdict(relation, reason, figures, reported)


@dataclass(frozen=True)
class CharSpan:
    """A passage as character offsets into the two original texts."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int


def passage_fields(passage: Passage, span: CharSpan) -> dict[str, Any]:
    """The columns of a passages row that describe one passage (offsets, sizes, similarity)."""
    return {
        "a_start": span.a_start,
        "a_end": span.a_end,
        "b_start": span.b_start,
        "b_end": span.b_end,
        "a_words": passage.a_words,
        "b_words": passage.b_words,
        "similarity": round(passage.similarity, 6),
    }


def passage_offsets(
    passages: list[Passage],
    a: Tokens,
    b: Tokens,
    a_map: tuple[Segment, ...] | list[Segment],
    b_map: tuple[Segment, ...] | list[Segment],
) -> list[CharSpan]:
    """Character offsets of word-range passages in both original texts."""
    if not passages:
        return []
    a_s = [p.a_start for p in passages]
    a_e = [p.a_end - 1 for p in passages]
    b_s = [p.b_start for p in passages]
    b_e = [p.b_end - 1 for p in passages]
    oa_s = to_original(a_map, a.starts[a_s])
    oa_e = to_original(a_map, a.ends[a_e], is_end=True)
    ob_s = to_original(b_map, b.starts[b_s])
    ob_e = to_original(b_map, b.ends[b_e], is_end=True)
    return [
        CharSpan(int(w), int(x), int(y), int(z))
        for w, x, y, z in zip(oa_s, oa_e, ob_s, ob_e, strict=True)
    ]
