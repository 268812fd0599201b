"""The formula guard as a set, on the judged Reuters pairs: each check earns its place, and
the settings carry over to pairs they were not chosen on."""

from __future__ import annotations

from pathlib import Path

import pytest

from storytrace import find_stories
from storytrace.config import Config
from storytrace.evaluate.guard import Measured, ablation, cross_validate, judged_sides, measured
from storytrace.evaluate.judged_pairs import CORPUS, JUDGED, read_judged


@pytest.fixture(scope="module")
def judged(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[Measured], list[str]]:
    run_dir = tmp_path_factory.mktemp("guard") / "run"
    run = find_stories(sorted((shared_data / CORPUS).glob("*.sgm")), run_dir, Config())
    sides = judged_sides(run, read_judged(shared_data / JUDGED), Config())
    return measured(sides, Config()), [f"{s.a} {s.b}" for s in sides]


def test_every_judged_pair_is_measured(judged: tuple[list[Measured], list[str]]) -> None:
    pairs, _ = judged
    assert len(pairs) == 229
    assert {p.label for p in pairs} == {"DUPLICATE", "VERSION", "TEMPLATE", "PARTIAL"}


@pytest.mark.parametrize("part", ["shared facts", "days apart", "factual edits"])
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
