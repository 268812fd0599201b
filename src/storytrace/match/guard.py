"""One guard keeps the items of a formula apart: texts that share wording but not facts.

News written from a formula (dividend notices, earnings tables, market reports, prime-rate
moves) shares its wording across hundreds of unrelated items; "Comerica said it raised its
prime rate" and "Chemical said it raised its prime rate" align almost completely. Copies and
versions of one story keep their facts and edit their wording; items of one formula keep the
wording and change the facts. The guard reads only facts, measured once per pair (see
:class:`storytrace.match.figures.Figures`), and asks four questions of them, each a way the
items of one formula differ:

``shared facts``
    the figures and names (outside formula wording; with the headline's for formula texts)
    of the text with fewer of them are mostly missing from the other (unless the texts are
    one company's item re-issued the same day, a results table restated: :func:`reissued`);
``headline subject``
    each headline names a subject the other lacks, and the bodies swap those names or name
    no one in common;
``days apart``
    the texts lie more than a few days apart and differ in a fact, or repeat formula
    wording word for word (the week's next notice);
``aligned figures``
    inside the text they share, most figures differ (the shorter item of a formula has few
    facts of its own, so the share of its facts can pass where the aligned text cannot);
``factual edits``
    the edits between the texts mostly swap a figure or a name for another.

Every verified pair, every exact copy (:mod:`storytrace.match.copies`) and every pair
compared on demand passes through :func:`formula_item`, once, with all its facts measured.
The settings are calibrated together, by cross-validation on judged pairs
(:mod:`storytrace.evaluate.guard`, ``python -m bench.guard``): each setting below is the one
chosen on every fold, or the simpler rule where the folds tie.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from storytrace.config import Config
from storytrace.match.figures import Figures

OFF: Mapping[str, Any] = {
    "min_fact_agreement": 0.0,
    "headline_subject_names": 0,
    "max_days_apart": 1e9,
    "min_figure_agreement": 0.0,
    "formula_factual_edits": 1_000_000,
}
"""The settings that turn each question of the guard off."""

PARTS: Mapping[str, str] = {
    "shared facts": "min_fact_agreement",
    "headline subject": "headline_subject_names",
    "days apart": "max_days_apart",
    "aligned figures": "min_figure_agreement",
    "factual edits": "formula_factual_edits",
}
"""The guard's questions, each by the setting that turns it off."""


def later_item(
    days_apart: float | None, differing_facts: int, repeated_formula: bool, config: Config
) -> str | None:
    """Why two texts published ``days_apart`` days apart are two items of one formula, or
    None. A correction or an update follows within hours; a formula's next item comes days
    later with other facts, or word for word (``repeated_formula``: "1.5 billion dlrs of
    customer repurchase agreements" again). Formula wording repeated exactly tells nothing
    of the item, since the formula's words are its items' words; a text that was edited and
    kept every fact (a results table re-issued with two more lines) is the item re-issued."""
    if days_apart is None or days_apart <= config.max_days_apart:
        return None
    if differing_facts > 0:
        return f"published {days_apart:.0f} days apart with other facts: a later item"
    if repeated_formula:
        return f"formula wording repeated {days_apart:.0f} days later: the formula's next item"
    return None


def reissued(f: Figures, config: Config) -> bool:
    """Whether two texts are one company's formula item sent again soon after (a results
    table restated): formula texts whose headlines carry one ticker, published within
    ``reissue_days``, keeping ``reissue_fact_agreement`` of their facts and
    ``reissue_coverage`` of their text."""
    return (
        f.formula_text
        and f.short_coverage >= config.reissue_coverage
        and f.same_ticker
        and config.reissue_days > 0
        and f.days_apart is not None
        and f.days_apart <= config.reissue_days
        and f.fact_agreement >= min(config.reissue_fact_agreement, config.min_fact_agreement)
    )


def formula_item(f: Figures, config: Config) -> str | None:
    """Why two texts sharing text are two items of one formula (or two events), not one
    story, or None when their facts allow one story."""
    # One changed fact is what a correction or an update does; a formula swaps several.
    if (
        f.differing_facts >= 2
        and f.fact_agreement < config.min_fact_agreement
        and not reissued(f, config)
    ):
        return (
            f"other facts: {f.facts_shared} of {f.fewer_facts} figures and names shared "
            "(a formula or another event, not a copy)"
        )
    names = config.headline_subject_names
    if names and f.headline_subjects >= names:
        return (
            f"another subject: each headline names one the other lacks "
            f"({f.headline_subjects} word{'s' if f.headline_subjects != 1 else ''}), and the "
            "bodies swap it or name no one in common: two items of one formula, not a copy"
        )
    later = later_item(f.days_apart, f.differing_facts, f.identical and f.formula_text, config)
    if later is not None:
        return f"{later} ({f.facts_shared} of {f.fewer_facts} facts shared)"
    disagreeing = f.figures_aligned - f.figures_agreeing
    # One changed figure is what a correction does ("14 pct" -> "1.4 pct"); a formula swaps
    # several.
    if disagreeing >= 2 and f.figures_agreeing < config.min_figure_agreement * f.figures_aligned:
        return (
            f"same wording, different figures: {f.figures_agreeing} of {f.figures_aligned} "
            "figures in the aligned text agree (a formula, not a copy)"
        )
    # One company's item re-issued with its table restated (operating for net figures, a
    # line added) swaps figures as a formula does; its headlines carry the same ticker.
    if (
        not f.same_ticker
        and f.factual_edits >= config.formula_factual_edits
        and f.factual_edits >= f.other_edits
    ):
        return (
            f"same text with other facts: {f.factual_edits} of {f.factual_edits + f.other_edits}"
            " edits swap names or figures (a formula, not a copy)"
        )
    return None
