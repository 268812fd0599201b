"""Alignment and relations: moved paragraphs, small edits, figures, the seed pair."""

from __future__ import annotations

import numpy as np

from storytrace import Config, compare
from storytrace.fingerprint.tokens import tokenize
from storytrace.match.align import align
from storytrace.match.facts import figures_in

P1 = (
    "The central bank raised its main interest rate by half a point on Thursday, "
    "saying inflation had stayed above its target for most of the past year."
)
P2 = (
    "Economists had expected a smaller move, and the currency rose sharply against the dollar "
    "in the minutes after the decision was published in the capital."
)
P3 = (
    "The governor told reporters that further increases could not be ruled out if prices "
    "kept rising at the current pace through the summer months."
)


def _words(text: str) -> np.ndarray:
    return tokenize(text, seed=1).hashes


def test_moved_paragraphs_are_separate_passages() -> None:
    a = "\n\n".join([P1, P2, P3])
    b = "\n\n".join([P3, P1, P2])
    passages = align(_words(a), _words(b), 3, 12, 10, seed=1)
    covered = sum(p.a_words for p in passages)
    assert covered == len(_words(a))
    assert len(passages) == 2  # P1+P2 stay together, P3 moved


def test_small_edits_do_not_break_a_passage() -> None:
    edited = P1.replace("half a point", "a quarter point").replace("Thursday", "Friday")
    passages = align(_words(P1), _words(edited), 3, 12, 10, seed=1)
    assert len(passages) == 1
    assert passages[0].similarity < 1.0
    assert passages[0].a_words >= len(_words(P1)) - 1


def test_compare_relations() -> None:
    article = "\n\n".join([P1, P2, P3])
    assert compare(article, article).relation == "duplicate"
    light = article.replace("Thursday", "Friday")
    assert compare(article, light).relation == "near_duplicate"
    assert compare(P1 + "\n\n" + P2, article).relation == "excerpt"
    unrelated = (
        "Heavy rain flooded several villages in the north overnight, and rescue teams "
        "evacuated hundreds of families to schools on higher ground, officials said."
    )
    assert compare(article, unrelated).relation is None


def test_compare_reports_offsets_into_original_text() -> None:
    a = "Breaking News\n\n" + P1 + "\n\n" + P2
    b = P2 + "\n\nShare\n\n" + P1
    result = compare(a, b)
    assert result.passages
    for p in result.passages:
        assert a[p["a_start"] : p["a_end"]] == p["a_text"]
        assert p["a_text"].split()[0] in (P1.split()[0], P2.split()[0])
        assert "Breaking" not in p["a_text"] and "Share" not in p["b_text"]


def test_config_round_trips_through_toml() -> None:
    config = Config(lsh_threshold=0.6, max_df=10)
    assert Config.from_toml(config.to_toml()) == config


def test_formula_notices_with_different_figures_are_not_related(
    reuters_texts: dict[str, str],
) -> None:
    """Two Fed repo notices: the same sentence frame, different amounts and rates."""
    docs = reuters_texts
    result = compare(docs["reuters-10503"], docs["reuters-3164"])
    assert result.relation is None
    assert result.reason.startswith("same wording, different figures")


def test_corrected_reissue_changing_one_figure_stays_linked(reuters_texts: dict[str, str]) -> None:
    """A corrected re-issue (14 cts -> 1.4 cts) keeps the other figures: still one story."""
    docs = reuters_texts
    assert compare(docs["reuters-9330"], docs["reuters-9390"]).relation in (
        "near_duplicate",
        "version",
    )


def test_figures_glued_by_marks_count_once() -> None:
    tokens = tokenize("rate 6-1/8 pct, 1,234,000 dlrs, 12.1 mln in 1987 605 up 5 - 6", 1)
    assert len(figures_in(tokens, 0, len(tokens))) == 7


def test_a_correction_of_the_only_figure_stays_related() -> None:
    story = "\n\n".join([P1, P2, "The bank said lending grew 14 pct in the first quarter."])
    corrected = story.replace("14 pct", "1.4 pct")
    assert compare(story, corrected).relation == "near_duplicate"


def test_short_texts_relate_only_as_duplicates() -> None:
    article = "\n\n".join([P1, P2, P3])
    assert compare("The central bank", article).relation is None
    assert compare("Rates rise", "Rates rise").relation == "duplicate"


def test_detail_passages_are_reported_but_do_not_count() -> None:
    quote_a = "Analysts in the capital said the move was widely expected by markets."
    quote_b = "Officials said the move was widely expected by markets overseas."
    a = "\n\n".join([P1, P2, quote_a])
    b = "\n\n".join([P1, P2, P3, quote_b])
    result = compare(a, b)
    strong = result.figures["passages"]
    assert len(result.passages) > strong  # the 5-word "move was widely expected by" run
