"""Ingest against a few thousand bad inputs made from real articles (see bench/bad_inputs).

One run of the slice feeds every test; each test is one promise ingest makes, and its
failure lists the broken cases by kind with examples. The full-size run with figures is
``python -m bench.fuzz_ingest``. FIFOs, symlinks to ``/dev/zero`` and gzip bombs run in
child processes with a timeout and a memory cap, so a hang fails a test instead of pytest.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.bad_inputs import generate, load_articles
from bench.bad_inputs.check import Report
from bench.bad_inputs.pool import Pool
from bench.bad_inputs.run import run_cases

SEED = 1987
SLICE = 2_500
"""Batch cases in the slice: every kind many times over, in about half a minute."""


@pytest.fixture(scope="module")
def report(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Report:
    pool = Pool(load_articles(shared_data, reuters_files=1))
    cases = generate(SLICE, SEED, pool, endless_cases=5, bombs=3, bomb_bytes=256 << 20)
    return run_cases(cases, tmp_path_factory.mktemp("bad-inputs"))


def _holds(report: Report, *problems: str) -> None:
    broken = [report.describe(p) for p in problems if report.count(p)]
    assert not broken, "\n\n".join(broken)


def test_the_slice_covers_thousands_of_inputs(report: Report) -> None:
    assert report.inputs >= 2_000
    assert report.good >= 2_000


def test_ingest_never_raises(report: Report) -> None:
    _holds(report, "crash")


def test_ingest_finishes_on_fifos_and_endless_files(report: Report) -> None:
    _holds(report, "hang")


def test_every_record_is_in_exactly_one_table(report: Report) -> None:
    _holds(report, "lost", "duplicated", "unexpected")


def test_every_reject_has_a_reason(report: Report) -> None:
    _holds(report, "no-reason")


def test_every_good_article_is_kept_intact(report: Report) -> None:
    _holds(report, "rejected-good", "altered")


def test_bad_records_and_garbage_are_not_documents(report: Report) -> None:
    _holds(report, "accepted-bad", "garbage")


def test_skipped_files_and_items_are_counted(report: Report) -> None:
    _holds(report, "skips-miscounted")


def test_nothing_outside_the_collection_is_read(report: Report) -> None:
    _holds(report, "read-refused")


def test_peak_memory_is_bounded_by_the_largest_document(report: Report) -> None:
    _holds(report, "memory")
