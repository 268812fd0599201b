"""The formula guard as a set, on the judged Reuters pairs: each check earns its place, and
the settings carry over to pairs they were not chosen on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from storytrace import find_stories
from storytrace.api import Run
from storytrace.config import Config
from storytrace.evaluate.guard import Measured, ablation, cross_validate, judged_sides, measured
from storytrace.evaluate.judged_pairs import CORPUS, JUDGED, read_judged
from storytrace.match.verify import measure


@pytest.fixture(scope="module")
def reuters(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    run_dir = tmp_path_factory.mktemp("guard") / "run"
    return find_stories(sorted((shared_data / CORPUS).glob("*.sgm")), run_dir, Config())


@pytest.fixture(scope="module")
def judged(shared_data: Path, reuters: Run) -> tuple[list[Measured], list[str]]:
    sides = judged_sides(reuters, read_judged(shared_data / JUDGED), Config())
    return measured(sides, Config()), [f"{s.a} {s.b}" for s in sides]


def _story_of(run: Run) -> dict[str, str]:
    rows = run.table("stories", columns=["doc_id", "story_id"]).to_pylist()
    return {r["doc_id"]: r["story_id"] for r in rows}


def test_a_short_formula_item_beside_a_longer_one_stays_apart(reuters: Run) -> None:
    """Joliet's hog market (receipts of 200 head, top 50.50 dlrs) inside St Paul's (2,800
    head, 50.00 to 50.50): most of the shorter item's facts are the other's, but the figures
    of the text they share are not."""
    story = _story_of(reuters)
    a, b = "reuters-13587", "reuters-13654"
    assert a not in story or story.get(a) != story.get(b)
    (pair,) = judged_sides(reuters, [(a, b, "TEMPLATE")], Config())
    assert measure(pair.side_a, pair.side_b, Config()).relation is None
    # Its headline names another city over a body that names none, so the headline
    # question keeps it apart too; without both it would link.
    for part in ({"min_figure_agreement": 0.0}, {"headline_subject_names": 0}):
        assert measure(pair.side_a, pair.side_b, replace(Config(), **part)).relation is None
    off = replace(Config(), min_figure_agreement=0.0, headline_subject_names=0)
    assert measure(pair.side_a, pair.side_b, off).relation == "excerpt"


def test_time_apart_splits_a_repeated_notice_not_a_reissued_table(reuters: Run) -> None:
    """The Fed's notice of 1.5 billion dlrs of customer repurchases, word for word three
    weeks later, is the next notice; Golden Enterprises' quarter, re-issued three weeks later
    with its dividend and share count added and every figure kept, is the same item."""
    story = _story_of(reuters)
    assert story.get("reuters-522") is None or story.get("reuters-522") != story.get("reuters-8344")
    assert story["reuters-6620"] == story["reuters-15233"]


def test_every_judged_pair_is_measured(judged: tuple[list[Measured], list[str]]) -> None:
    pairs, _ = judged
    assert len(pairs) == 229
    assert {p.label for p in pairs} == {"DUPLICATE", "VERSION", "TEMPLATE", "PARTIAL"}


@pytest.mark.parametrize("part", ["shared facts", "days apart", "headline subject"])
def test_each_check_keeps_formula_pairs_apart(
    judged: tuple[list[Measured], list[str]], part: str
) -> None:
    """Without the check, more TEMPLATE pairs are linked, and no copy or version is gained."""
    rows = ablation(judged[0], Config())
    every, without = rows["every check"], rows[f"without {part}"]
    assert without.template_linked > every.template_linked
    assert without.story_linked == every.story_linked


def test_without_a_guard_half_the_formula_pairs_would_link(
    judged: tuple[list[Measured], list[str]],
) -> None:
    rows = ablation(judged[0], Config())
    assert rows["no check"].template_linked > 0.4
    assert rows["every check"].template_linked <= 0.03


def test_settings_chosen_on_other_folds_hold_on_the_fold_left_out(
    judged: tuple[list[Measured], list[str]],
) -> None:
    pairs, keys = judged
    cv = cross_validate(pairs, keys, Config())
    assert cv.held_out.story_linked >= 0.95
    assert cv.held_out.template_linked <= 0.03
    assert len(cv.per_fold) == 5


def test_headlines_alone_name_the_subjects_of_two_items(reuters: Run) -> None:
    """Comerica's prime rate move and North Carolina Federal's, in bodies that name neither
    bank as a name ("The bank said it raised its prime rate to 7-3/4 pct"), are two items;
    a reprint with its headline rewritten (Baglini's remarks, "DEBT PROPOSAL FAULTED BY
    ARGENTINE OBSERVER" and "ARGENTINE OBSERVER CRITICAL OF DEBT STANCE") keeps the body's
    names and stays one story, and so does a results table re-issued with its ticker
    corrected (Westport Bancorp's <WBAT.O> and <WEBAT.O>)."""
    story = _story_of(reuters)
    assert story.get("reuters-12514") is None or story.get("reuters-12514") != story.get(
        "reuters-12571"
    )
    assert story["reuters-2786"] == story["reuters-2823"]
    assert story["reuters-20388"] == story["reuters-20930"]
    (pair,) = judged_sides(reuters, [("reuters-12514", "reuters-12571", "TEMPLATE")], Config())
    off = replace(Config(), headline_subject_names=0)
    assert measure(pair.side_a, pair.side_b, off).relation == "version"


def test_banks_coded_in_their_headlines_are_two_items(reuters: Run) -> None:
    """A day of prime-rate moves: Chemical <CHL>, Boatmen's National Bank <BOAT>, First
    Wisconsin <FWB> and Manufacturers National <MNTL>, each body naming its own bank and
    sharing only words of a kind ("Bank", "National") with the others. Their headlines'
    own names are common headline words (CHEMICAL) or tickers alone, so before the tickers
    counted, each pair was linked as a version and the day's notices made one story."""
    story = _story_of(reuters)
    banks = ["reuters-11934", "reuters-12102", "reuters-12112", "reuters-12235"]
    assert len({story.get(d, d) for d in banks}) == len(banks)
    (pair,) = judged_sides(reuters, [("reuters-11934", "reuters-12112", "TEMPLATE")], Config())
    verdict = measure(pair.side_a, pair.side_b, Config())
    assert verdict.relation is None and verdict.figures.headline_subjects >= 1


def test_one_companys_results_restated_stay_one_item(reuters: Run) -> None:
    """Musicland's third quarter, re-issued the same day with "Revs" as "Sales" and the
    average shares rounded (9,148,000 as 9.1 mln): edits that swap figures, as a formula's
    do, but both headlines carry the ticker <TMG>. The factual-edits question would have
    split them."""
    story = _story_of(reuters)
    assert story["reuters-20105"] == story["reuters-20228"]
    (pair,) = judged_sides(reuters, [("reuters-20105", "reuters-20228", "VERSION")], Config())
    verdict = measure(pair.side_a, pair.side_b, Config())
    assert verdict.figures.same_ticker
    assert verdict.figures.factual_edits >= Config().formula_factual_edits


def test_a_results_table_reissued_restated_is_a_version(reuters: Run) -> None:
    """Southwest Bancorp's third quarter re-sent two hours later with operating figures for
    net ones ("Oper shr loss 82 cts vs profit 12 cts" for "Shr loss primary 82 cts vs profit
    15 cts"), and Vornado's fourth quarter restated the same way: they share less than half of
    their text and of their facts, yet both headlines carry one ticker on one day, so each is
    one item re-issued. Without the re-issue rule they are unrelated."""
    story = _story_of(reuters)
    for a, b in (("reuters-21300", "reuters-21447"), ("reuters-15594", "reuters-15851")):
        assert story.get(a) is not None and story.get(a) == story.get(b)
        (pair,) = judged_sides(reuters, [(a, b, "VERSION")], Config())
        verdict = measure(pair.side_a, pair.side_b, Config())
        assert verdict.relation == "version"
        assert verdict.figures.short_coverage < Config().version_coverage or (
            verdict.figures.fact_agreement < Config().min_fact_agreement
        )
        off = replace(Config(), reissue_days=0.0)
        assert measure(pair.side_a, pair.side_b, off).relation is None
