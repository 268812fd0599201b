"""The figures verification measures for one pair of texts, which every decision reads.

Relating two texts (:mod:`storytrace.match.relate`) and keeping formula items apart
(:mod:`storytrace.match.guard`) are pure functions of these figures and the config, so a grid
of settings can be tried over pairs measured once (:mod:`storytrace.evaluate.guard`).
"""

from __future__ import annotations

from dataclasses import dataclass


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
    """Distinctive facts of A: figures, and names outside formula wording (with the headline's
    when the texts are formula wording, see :attr:`formula_text`)."""
    facts_b: int = 0
    facts_shared: int = 0
    """Facts the two texts share."""
    days_apart: float | None = None
    """Days between the two publication times, when both are known."""
    headline_subjects: int = 0
    """Words naming each headline's own subject, when the texts show the two subjects to be
    different (the fewer of the two sides; when measured; see
    :func:`storytrace.match.verify.headline_subjects`)."""
    formula_text: bool = False
    """The shorter text is mostly formula wording of its corpus (a notice, a results table):
    its facts are few, and its headline names its subject."""
    same_ticker: bool = False
    """Both headlines carry one ticker ("<TMG>"): the items are about one company."""
    longest_own_passage: int = 0
    """The longest passage (words, on its shorter side) that is the texts' own text: mostly
    outside formula wording, and with the same names on both sides."""

    @property
    def fewer_facts(self) -> int:
        """The facts of the text with fewer of them."""
        return min(self.facts_a, self.facts_b)

    @property
    def differing_facts(self) -> int:
        """Facts of the text with fewer facts that the other text lacks."""
        return self.fewer_facts - self.facts_shared

    @property
    def fact_agreement(self) -> float:
        """Share of the facts of the text with fewer facts that the other text has too."""
        fewer = self.fewer_facts
        return self.facts_shared / fewer if fewer else 1.0

    @property
    def short_coverage(self) -> float:
        """Coverage of the shorter text."""
        return self.coverage_a if self.words_a <= self.words_b else self.coverage_b
