"""Verify a candidate pair: exact figures, aligned passages, relation.

Candidates come from hashed signatures and may be wrong; verification recomputes everything
exactly from both texts. It works on clean text (boilerplate removed) and maps the passages'
offsets back to the original texts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Any

import numpy as np

from storytrace.clean.offsets import Segment, to_original
from storytrace.config import Config
from storytrace.fingerprint.hashing import U64
from storytrace.fingerprint.shingles import shingle_set
from storytrace.fingerprint.tokens import Tokens, tokenize
from storytrace.match.align import (
    Passage,
    UniqueGrams,
    align,
    anchor_width,
    coverage,
    unique_anchor_grams,
)
from storytrace.match.facts import (
    Edits,
    Fact,
    Mask,
    distinctive_words,
    fact_mask,
    facts_in,
    figures_in,
    shared_facts,
    substitutions,
)
from storytrace.match.figures import Figures
from storytrace.match.formula import (
    FORMULA_TEXT,
    FormulaModel,
    formula_share,
    in_sorted,
    ticker_roots,
    title_codes,
)
from storytrace.match.relate import coverage_relation, relate
from storytrace.model import DocText
from storytrace.schema import STORY_RELATIONS
from storytrace.stories.timeline import days_apart


@dataclass(frozen=True)
class Verdict:
    relation: str | None
    reason: str
    figures: Figures
    passages: list[Passage]


def _containment(inter: int, size: int) -> float:
    return inter / size if size else 0.0


def _aligned_figures(
    passages: list[Passage], a: Tokens, b: Tokens
) -> tuple[Counter[Fact], Counter[Fact]]:
    """Figures inside the aligned passages of each side, as multisets."""
    figures_a: Counter[Fact] = Counter()
    figures_b: Counter[Fact] = Counter()
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


@dataclass(frozen=True)
class Side:
    """One text of a pair, as verification sees it."""

    tokens: Tokens
    text: str
    """The clean text whose words ``tokens`` are."""
    formula: Mask
    """Which words are formula wording in this corpus (see :mod:`storytrace.match.formula`)."""
    seed: int
    published: datetime | None = None
    title_facts: Counter[Fact] = field(default_factory=Counter)
    """Words of the title that are not formula in titles of this corpus (names, figures)."""
    title_names: frozenset[int] = frozenset()
    """Those of them that are not figures: the subject the item names in its headline."""
    title_tickers: frozenset[int] = frozenset()
    """The words of the headline's tickers ("<WBAT.O>"), a code of its subject."""
    title_codes: frozenset[str] = frozenset()
    """The headline's tickers themselves ("WBAT.O")."""
    headline_wording: U64 = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    """The words this corpus's headlines use as formula ("BANK", "NATIONAL", "CORP"),
    sorted: capitalised in a body, they are a kind of subject, not someone."""
    _shingles: dict[int, U64] = field(default_factory=dict, repr=False, compare=False)
    _grams: dict[int, UniqueGrams] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, text: str, config: Config, published: datetime | None = None) -> Side:
        """A text compared on its own, without a corpus to learn formula wording from."""
        tokens = tokenize(text, config.seed)
        return cls(tokens, text, np.zeros(len(tokens), dtype=bool), config.seed, published)

    @classmethod
    def in_corpus(
        cls, doc: DocText, tokens: Tokens, formula_mask: Mask, model: FormulaModel, seed: int
    ) -> Side:
        """A document of a run: ``formula_mask`` marks its formula wording (from ``model``),
        whose headline words are read with the same model."""
        return cls(
            tokens,
            doc.clean_text,
            formula_mask,
            seed,
            doc.published,
            model.title_facts(doc.title, seed),
            model.title_names(doc.title, seed),
            model.title_tickers(doc.title, seed),
            title_codes(doc.title),
            model.title_words,
        )

    def shingle_set(self, size: int) -> U64:
        """The text's distinct shingles, once per text: a text is in several pairs."""
        if size not in self._shingles:
            self._shingles[size] = shingle_set(self.tokens.hashes, size, self.seed)
        return self._shingles[size]

    def anchor_grams(self, width: int) -> UniqueGrams:
        """The text's unique anchor n-grams, once per text and width."""
        if width not in self._grams:
            self._grams[width] = unique_anchor_grams(self.tokens.hashes, width, self.seed)
        return self._grams[width]

    @cached_property
    def names(self) -> Mask:
        """Figures and names (see :func:`storytrace.match.facts.fact_mask`), once per text."""
        return fact_mask(self.text, self.tokens)

    @cached_property
    def distinctive(self) -> Mask:
        return distinctive_words(self.tokens, self.names, self.formula, self.seed)

    @cached_property
    def facts(self) -> Counter[Fact]:
        return facts_in(self.tokens, self.distinctive, 0, len(self.tokens))

    @cached_property
    def formula_share(self) -> float:
        return formula_share(self.formula)


def headline_subjects(a: Side, b: Side, edits: Edits) -> int:
    """How many words name each text's own subject (the fewer of the two sides) when the two
    texts show them to be two subjects, else 0. Own subject: names one headline has and the
    other lacks. The texts show two subjects when the bodies swap those names in a factual
    substitution (one fund's notice beside another's: the same body but for the fund's
    name), or when the bodies name no one in common, so that the headlines alone say whom
    each item is about ("FIRST CHICAGO RAISES PRIME RATE" and "NORTH CAROLINA FEDERAL RAISES
    PRIME RATE" over "The bank said it raised its prime rate to 8 pct"; "ST LOUIS HOGS" and
    "ST PAUL HOGS" over "Hog prices are expected steady"). A reprint with a rewritten
    headline keeps the body's names (Baglini, Argentina, Mendoza), and a text whose case was
    lost (all lower case) shows no names to compare, so neither counts.

    Two headlines coding two companies (tickers, none in common) say it most plainly; their
    bodies' shared words of a kind ("Bank", "National", which headlines of the corpus use as
    formula wording) name no one, and the headlines' own names may be such words too
    ("CHEMICAL <CHL>" beside "FIRST WISCONSIN NAT'L BANK <FWB>", both raising the prime
    rate): there each body must name someone the other does not, and no one else in common."""
    codes_a, codes_b = ticker_roots(a.title_codes), ticker_roots(b.title_codes)
    two_codes = bool(codes_a and codes_b) and not codes_a & codes_b
    names_a, names_b = a.title_names, b.title_names
    if two_codes:
        # A ticker names its company even when its letters are a common headline word
        # ("FIRST INTERSTATE <I>").
        names_a, names_b = names_a | a.title_tickers, names_b | b.title_tickers
    own_a, own_b = names_a - names_b, names_b - names_a
    codes_only = (own_a | own_b) <= (a.title_tickers | b.title_tickers)
    if not own_a or not own_b or (codes_only and not two_codes):
        # A headline that differs in its ticker alone is a re-issue correcting the code
        # ("<WBAT.O>" for "<WEBAT.O>"), not another subject.
        return 0
    swaps = min(len(own_a & edits.swapped_a), len(own_b & edits.swapped_b))
    if swaps or a.text.islower() or b.text.islower():
        return swaps
    body_a = np.unique(a.tokens.hashes[a.names & ~a.tokens.numeric & ~a.formula])
    body_b = np.unique(b.tokens.hashes[b.names & ~b.tokens.numeric & ~b.formula])
    shared = np.intersect1d(body_a, body_b, assume_unique=True)
    if two_codes:
        if codes_only and (len(shared) == len(body_a) or len(shared) == len(body_b)):
            return 0
        shared = shared[~in_sorted(shared, a.headline_wording)]
    if len(shared):
        return 0
    return min(len(own_a), len(own_b))


def _own_passage_words(passage: Passage, a: Side, b: Side, config: Config) -> int:
    """Length of a passage (words, on its shorter side) when it is the texts' own text: mostly
    outside formula wording, with its figures (all but one) and most of its names the same on
    both sides. 0 otherwise: a formula sentence filled in twice is not reuse, and a reused
    passage keeps its figures."""
    words = min(passage.a_words, passage.b_words)
    formula = max(
        int(a.formula[passage.a_start : passage.a_end].sum()),
        int(b.formula[passage.b_start : passage.b_end].sum()),
    )
    if 2 * formula > words:
        return 0
    figures_a = Counter(figures_in(a.tokens, passage.a_start, passage.a_end))
    figures_b = Counter(figures_in(b.tokens, passage.b_start, passage.b_end))
    if max(sum((figures_a - figures_b).values()), sum((figures_b - figures_a).values())) > 1:
        return 0
    facts_a = facts_in(a.tokens, a.distinctive, passage.a_start, passage.a_end)
    facts_b = facts_in(b.tokens, b.distinctive, passage.b_start, passage.b_end)
    fewer = min(sum(facts_a.values()), sum(facts_b.values()))
    if fewer and shared_facts(facts_a, facts_b) < config.min_fact_agreement * fewer:
        return 0
    return words


def with_edits(figures: Figures, side_a: Side, side_b: Side) -> Figures:
    """``figures`` with the edits between the two texts counted (see
    :func:`storytrace.match.facts.substitutions`)."""
    edits = substitutions(side_a.tokens.hashes, side_b.tokens.hashes, side_a.names, side_b.names)
    return replace(
        figures,
        factual_edits=edits.factual,
        other_edits=edits.other,
        headline_subjects=headline_subjects(side_a, side_b, edits),
    )


def measure(side_a: Side, side_b: Side, config: Config) -> Verdict:
    """All figures and the relation of two clean texts.

    The relation and every figure are decided on passages of at least ``min_passage_words``;
    once two texts are one story, shorter shared runs (``detail_passage_words``) are added to
    the reported passages, so a reader sees every quote kept through a rewrite. Every pair
    passes the formula guard once, with all its facts (see :mod:`storytrace.match.guard`).
    """
    a, b = side_a.tokens, side_b.tokens
    sa, sb = side_a.shingle_set(config.shingle_size), side_b.shingle_set(config.shingle_size)
    shared = len(np.intersect1d(sa, sb, assume_unique=True))
    union = len(sa) + len(sb) - shared
    shortest = min(len(a), len(b))
    strong_min = max(1, min(config.min_passage_words, shortest))
    detail_min = max(1, min(config.detail_passage_words, strong_min))
    width = anchor_width(a.hashes, b.hashes, config.align_seed_words)
    every = align(
        a.hashes,
        b.hashes,
        config.align_seed_words,
        config.align_max_gap,
        detail_min,
        config.seed,
        (side_a.anchor_grams(width), side_b.anchor_grams(width)),
    )
    strong = [p for p in every if min(p.a_words, p.b_words) >= strong_min]
    facts_a, facts_b = side_a.facts, side_b.facts
    shorter = side_a if len(a) <= len(b) else side_b
    formula_text = shorter.formula_share >= FORMULA_TEXT
    # A formula item names its subject mostly in the headline ("SEVEN OAKS INTERNATIONAL INC
    # IN PAYOUT" over "Qtly div four cts vs four cts prior"), so its headline's facts count
    # too. Headlines of ordinary stories are left out: versions often rewrite them.
    if formula_text:
        facts_a, facts_b = facts_a + side_a.title_facts, facts_b + side_b.title_facts
    figures = replace(
        _figures(a, b, shared, union, len(sa), len(sb), strong),
        facts_a=sum(facts_a.values()),
        facts_b=sum(facts_b.values()),
        facts_shared=shared_facts(facts_a, facts_b),
        days_apart=days_apart(side_a.published, side_b.published),
        formula_text=formula_text,
        same_ticker=bool(side_a.title_codes & side_b.title_codes),
        longest_own_passage=max(
            (_own_passage_words(p, side_a, side_b, config) for p in strong), default=0
        ),
    )
    # The edits are counted only where the coverage alone would make one story: they cost a
    # full diff of the two texts, and only the guard reads them.
    if not figures.identical and coverage_relation(figures, config) is not None:
        figures = with_edits(figures, side_a, side_b)
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


def verdict_rows(
    a: DocText, b: DocText, side_a: Side, side_b: Side, verdict: Verdict
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The row of ``pairs.parquet`` and the rows of ``passages.parquet`` of a verdict on
    documents ``a`` and ``b`` (``a.doc_id < b.doc_id``), offsets into the original texts."""
    f = verdict.figures
    row = {
        "doc_a": a.doc_id,
        "doc_b": b.doc_id,
        "relation": verdict.relation,
        "jaccard": round(f.jaccard, 6),
        "containment_a_in_b": round(f.containment_a_in_b, 6),
        "containment_b_in_a": round(f.containment_b_in_a, 6),
        "coverage_a": round(f.coverage_a, 6),
        "coverage_b": round(f.coverage_b, 6),
        "passages": f.passages,
        "longest_passage_words": f.longest_passage,
        "reason": verdict.reason,
    }
    spans = passage_offsets(verdict.passages, side_a.tokens, side_b.tokens, a.segments, b.segments)
    passages = [
        {"doc_a": a.doc_id, "doc_b": b.doc_id, "passage": n, **passage_fields(p, span)}
        for n, (p, span) in enumerate(zip(verdict.passages, spans, strict=True))
    ]
    return row, passages


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
