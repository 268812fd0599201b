"""Every suite ``storytrace eval`` knows, in the order its table prints them."""

from __future__ import annotations

from storytrace.evaluate import bbc, bbc_events, clough, judged_pairs, semeval
from storytrace.evaluate.extraction import AEB, L3S
from storytrace.evaluate.measures import Suite

SUITES: tuple[Suite, ...] = (
    judged_pairs.SUITE,
    bbc.SUITE,
    clough.SUITE,
    AEB,
    L3S,
    semeval.SUITE,
    bbc_events.SUITE,
)
