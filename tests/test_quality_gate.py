"""The quality gate: no change may lower a figure of ``storytrace eval`` silently.

The figures are measured on the real labelled data beside the project and compared with
``tests/quality/baseline.json``. A change that makes one worse fails here; if the loss is
intended, the baseline is rewritten in the same commit (``storytrace eval --write-baseline
tests/quality/baseline.json``), where a reviewer sees it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storytrace.config import Config
from storytrace.evaluate.baseline import baseline_of, regressions
from storytrace.evaluate.measures import Measure, Suite, one_pair
from storytrace.evaluate.registry import SUITES
from storytrace.evaluate.runner import SuiteResult, evaluate, missing_data

BASELINE = Path(__file__).parent / "quality" / "baseline.json"


@pytest.mark.parametrize("suite", SUITES, ids=[s.name for s in SUITES])
def test_no_figure_falls_below_the_baseline(shared_data: Path, suite: Suite) -> None:
    if missing_data(shared_data, suite):
        pytest.skip(f"no data for {suite.name} in {shared_data}")
    results = evaluate(shared_data, Config(), [suite])
    problems = regressions(json.loads(BASELINE.read_text("utf-8")), results)
    assert not problems, "\n".join(problems)


def test_the_gate_fails_when_a_figure_drops() -> None:
    """The gate is not a formality: a lower figure on the same data is reported."""
    pinned = json.loads(BASELINE.read_text("utf-8"))
    name, suite = next(iter(pinned["suites"].items()))
    key, figure = next(iter(suite["figures"].items()))
    worse = figure["measured"] - 0.01 if figure["higher_is_better"] else figure["measured"] + 1
    result = SuiteResult(
        name, suite["data_digest"], [Measure(key, key, 0.0, worse, figure["higher_is_better"])]
    )
    assert regressions(pinned, [result]) == [
        f"{key}: {round(worse, 4)} is worse than the baseline {figure['measured']}"
    ]


def test_one_judged_pair_is_within_tolerance_and_two_are_not() -> None:
    """A share of 31 judged pairs may lose one pair; losing two fails the gate."""
    pinned = {
        "suites": {
            "reuters": {
                "data_digest": "d",
                "figures": {"reuters.x": {"measured": 0.9677, "higher_is_better": True}},
            }
        }
    }
    tolerance = one_pair(31)

    def result(hits: int) -> SuiteResult:
        measure = Measure("reuters.x", "x", 0.95, hits / 31, tolerance=tolerance)
        return SuiteResult("reuters", "d", [measure])

    assert regressions(pinned, [result(29)]) == []
    assert regressions(pinned, [result(28)]) == [
        "reuters.x: 0.9032 is worse than the baseline 0.9677"
    ]


def test_another_tools_figures_are_reported_not_gated() -> None:
    """trafilatura's F1 is printed beside storytrace's, but its next release cannot fail
    storytrace's gate, and the baseline does not pin it."""
    peer = Measure("x.trafilatura_f1", "trafilatura", 0.0, 0.5, gated=False)
    ours = Measure("x.storytrace_f1", "storytrace", 0.0, 0.9)
    pinned = baseline_of([SuiteResult("x", "d", [peer, ours])])
    assert list(pinned["suites"]["x"]["figures"]) == ["x.storytrace_f1"]
    lower = Measure("x.trafilatura_f1", "trafilatura", 0.0, 0.1, gated=False)
    assert regressions(pinned, [SuiteResult("x", "d", [lower, ours])]) == []
