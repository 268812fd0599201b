"""Name the relation between two articles from their figures, with a reason a person can read.

The decision uses the aligned coverage of each text (share of its words inside aligned
passages) rather than shingle Jaccard alone: a rewritten version moves and edits paragraphs,
which breaks many shingles but few passages. Jaccard and containment are reported beside it.

Before the coverage decides, two things can rule a pair out: a text too short to prove
anything, and the formula guard (:mod:`storytrace.match.guard`): news written from a formula
(earnings, dividends, money-market notices) shares its wording across hundreds of unrelated
items, and what makes two items one story is that they share their facts.
"""

from __future__ import annotations

from storytrace.config import Config
from storytrace.match.figures import Figures
from storytrace.match.guard import formula_item, later_item, reissued


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def coverage_relation(f: Figures, config: Config) -> str | None:
    """The story relation the aligned coverage alone gives two texts, or None: what they
    would be if the formula guard let them be one story. A company's table re-issued
    restated (:func:`storytrace.match.guard.reissued`) is a version by its facts, however
    little of its wording it keeps."""
    if min(f.coverage_a, f.coverage_b) >= config.near_duplicate_coverage and (
        f.identity >= config.near_duplicate_coverage
    ):
        return "near_duplicate"
    if f.short_coverage >= config.excerpt_coverage and f.identity >= config.excerpt_coverage:
        return "excerpt"
    if f.short_coverage >= config.version_coverage or reissued(f, config):
        return "version"
    return None


def relate(f: Figures, config: Config) -> tuple[str | None, str]:
    """``(relation, reason)``; relation is None when the texts are not related."""
    if f.identical:
        later = later_item(f.days_apart, 0, f.formula_text, config)
        if later is not None:
            return None, later
        return "duplicate", f"same {f.words_a} words after normalisation"
    short_side = "A" if f.words_a <= f.words_b else "B"
    aligned = (
        f"{_pct(f.coverage_a)} of A and {_pct(f.coverage_b)} of B aligned in "
        f"{f.passages} passage{'s' if f.passages != 1 else ''}, {_pct(f.identity)} of aligned "
        f"words identical"
    )
    if min(f.words_a, f.words_b) < config.min_passage_words:
        return None, f"too short to relate: {min(f.words_a, f.words_b)} words"
    formula = formula_item(f, config)
    relation = coverage_relation(f, config) if formula is None else None
    if formula is not None and min(f.coverage_a, f.coverage_b) >= config.version_coverage:
        # Both texts are mostly the text they share, and their facts make two items: that
        # text is their formula's (a notice repeated with another figure), not a passage
        # one reused in an otherwise different text.
        return None, f"{formula}: {aligned}"
    if relation == "near_duplicate":
        return relation, f"almost all text shared: {aligned}"
    if relation == "excerpt":
        return relation, f"{short_side} is contained in the longer text: {aligned}"
    if relation == "version":
        return relation, f"same story rewritten or updated: {aligned}"
    # Two different stories can still share a passage (a background paragraph, a quote), as
    # long as the passage is their own text and not formula wording.
    if f.longest_own_passage >= config.partial_min_words:
        return "partial", (
            f"shared passage of {f.longest_own_passage} words in otherwise different texts: "
            f"{aligned}"
        )
    if formula is not None:
        return None, f"{formula}: {aligned}"
    return None, f"too little shared text: {aligned}"
