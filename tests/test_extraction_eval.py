"""The extraction suites: the benchmark's measure, and both suites run on a few real pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from storytrace import Config
from storytrace.evaluate.extraction import AEB, L3S, aeb_pages, compare_extraction, l3s_pages
from storytrace.evaluate.overlap import counts, scores
from storytrace.evaluate.registry import SUITES


def test_shingle_measure_by_hand() -> None:
    gold = "one two three four five six"  # shingles: 1-4, 2-5, 3-6
    exact = counts(gold, gold)
    assert (exact.tp, exact.fp, exact.fn) == (1.0, 0.0, 0.0)
    extra = counts(gold, gold + " Share on Facebook")  # 3 found, 3 extra
    assert (extra.tp, extra.fp, extra.fn) == (0.5, 0.5, 0.0)
    nothing = counts(gold, "")
    result = scores([exact, extra, nothing])
    assert result.precision == pytest.approx((1.0 + 0.5) / 2)  # the empty page has no precision
    assert result.recall == pytest.approx((1.0 + 1.0 + 0.0) / 3)  # but costs recall
    assert result.f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))


def test_both_sets_are_registered() -> None:
    assert AEB in SUITES and L3S in SUITES
    assert AEB.folders == ("article_extraction_benchmark",) and L3S.folders == ("l3s_gn1",)


def test_suites_run_on_a_few_pages(shared_data: Path) -> None:
    for pages, with_title in (
        (aeb_pages(shared_data)[:6], False),
        (l3s_pages(shared_data)[:6], True),
    ):
        assert all(page.gold for page in pages)
        result = compare_extraction(pages, Config(workers=1), with_title)
        assert result.storytrace.pages == result.trafilatura.pages == 6
        assert result.storytrace.f1 > 0.8 and result.trafilatura.f1 > 0.7
