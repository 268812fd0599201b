"""Name the relation between two articles from their figures, with a reason a person can read.

The decision uses the aligned coverage of each text (share of its words inside aligned
passages) rather than shingle Jaccard alone: a rewritten version moves and edits paragraphs,
which breaks many shingles but few passages. Jaccard and containment are reported beside it.

Before the coverage decides, three checks can rule a pair out: a text too short to prove
anything, aligned text whose figures mostly differ, and edits that mostly swap names or
figures (see :mod:`storytrace.match.facts`). News written from a formula (earnings, dividends,
money-market notices) shares its wording across hundreds of unrelated items; what makes two
items one story is that they share their facts.
"""

from __future__ import annotations

from dataclasses import dataclass

from storytrace.config import Config


@dataclass(frozen=True)
class Figures:
    """What verification measured for one pair of texts."""

    words_a: int
    words_b: int
    identical: bool
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float
    coverage_a: float
    coverage_b: float
    identity: float
    """Words matched exactly / words inside passages (on the longer side of each passage)."""
    passages: int
    longest_passage: int
    figures_aligned: int = 0
    """Figures (words with digits) inside the aligned text, on the side that has more."""
    figures_agreeing: int = 0
    """Of those, how many the other side has too."""
    factual_edits: int = 0
    """Edits that swap a few words holding a figure or a name for others (when measured)."""
    other_edits: int = 0
    """All other edits between the two texts (when measured)."""
    facts_a: int = 0
    """Distinctive facts of A: figures, and names outside formula wording."""
    facts_b: int = 0
    facts_shared: int = 0
    """Facts the two texts share."""
    days_apart: float | None = None
    """Days between the two publication times, when both are known."""
    subject_swaps: int = 0
    """Words of each headline's own subject that its body swaps for the other's subject (the
    fewer of the two sides; when measured)."""
    longest_own_passage: int = 0
    """The longest passage (words, on its shorter side) that is the texts' own text: mostly
    outside formula wording, and with the same facts on both sides."""

    @property
    def fact_agreement(self) -> float:
        """Share of the facts of the text with fewer facts that the other text has too."""
        fewer = min(self.facts_a, self.facts_b)
        return self.facts_shared / fewer if fewer else 1.0


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _formula_reason(f: Figures, config: Config) -> str | None:
    """Why the two texts cannot be one story although they share text, or None."""
    fewer_facts = min(f.facts_a, f.facts_b)
    # As with figures, one changed fact is what a correction or an update does.
    if fewer_facts - f.facts_shared >= 2 and f.fact_agreement < config.min_fact_agreement:
        return (
            f"other facts: {f.facts_shared} of {fewer_facts} figures and names shared "
            "(a formula or another event, not a copy)"
        )
    # An item names its subject in the headline (see Config.headline_subject_names).
    names = config.headline_subject_names
    if names and f.subject_swaps >= names:
        return (
            f"another subject: each headline names one the other lacks, and the bodies swap "
            f"it ({f.subject_swaps} word{'s' if f.subject_swaps != 1 else ''}): two items of "
            "one formula, not a copy"
        )
    if (
        f.days_apart is not None
        and f.days_apart > config.max_days_apart
        and f.facts_shared < fewer_facts
    ):
        return (
            f"published {f.days_apart:.0f} days apart with other facts "
            f"({f.facts_shared} of {fewer_facts} shared): a later item of one formula"
        )
    disagreeing = f.figures_aligned - f.figures_agreeing
    # One changed figure is what a correction does ("14 pct" -> "1.4 pct"); a formula swaps
    # several.
    if disagreeing >= 2 and f.figures_agreeing < config.min_figure_agreement * f.figures_aligned:
        return (
            f"same wording, different figures: {f.figures_agreeing} of {f.figures_aligned} "
            "figures in the aligned text agree (a formula, not a copy)"
        )
    if f.factual_edits >= config.formula_factual_edits and f.factual_edits >= f.other_edits:
        return (
            f"same text with other facts: {f.factual_edits} of {f.factual_edits + f.other_edits}"
            " edits swap names or figures (a formula, not a copy)"
        )
    return None


def relate(f: Figures, config: Config) -> tuple[str | None, str]:
    """``(relation, reason)``; relation is None when the texts are not related."""
    if f.identical:
        return "duplicate", f"same {f.words_a} words after normalisation"
    short_cov = f.coverage_a if f.words_a <= f.words_b else f.coverage_b
    short_side = "A" if f.words_a <= f.words_b else "B"
    aligned = (
        f"{_pct(f.coverage_a)} of A and {_pct(f.coverage_b)} of B aligned in "
        f"{f.passages} passage{'s' if f.passages != 1 else ''}, {_pct(f.identity)} of aligned "
        f"words identical"
    )
    if min(f.words_a, f.words_b) < config.min_passage_words:
        return None, f"too short to relate: {min(f.words_a, f.words_b)} words"
    formula = _formula_reason(f, config)
    if formula is None:
        if (
            min(f.coverage_a, f.coverage_b) >= config.near_duplicate_coverage
            and f.identity >= config.near_duplicate_coverage
        ):
            return "near_duplicate", f"almost all text shared: {aligned}"
        if short_cov >= config.excerpt_coverage and f.identity >= config.excerpt_coverage:
            return "excerpt", f"{short_side} is contained in the longer text: {aligned}"
        if short_cov >= config.version_coverage:
            return "version", f"same story rewritten or updated: {aligned}"
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
