"""Token precision, recall and F1 of an extracted text against a gold text, per page.

The measure of the article extraction benchmark (scrapinghub/article-extraction-benchmark,
the ``article_extraction_benchmark`` data set), so that figures compare with the ones it
publishes:

* a token is a run of word characters (``\\w+``), case kept;
* the texts are compared as multisets of 4-token shingles, so that a word in the wrong
  place (a menu entry that happens to say "news") does not count as found;
* per page, true positives, false positives and false negatives are divided by their sum,
  so that a long page weighs no more than a short one;
* precision is averaged over the pages where something was extracted, recall over the pages
  where the gold has text, and F1 is the harmonic mean of the two averages. A page where
  nothing was extracted therefore costs recall, not precision.

Example::

    >>> page = counts("The talks resume next week in Geneva", "The talks resume next week")
    >>> round(page.tp, 2), round(page.fp, 2), round(page.fn, 2)
    (0.5, 0.0, 0.5)
    >>> round(scores([page]).f1, 3)
    0.667
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

__all__ = ["PageCounts", "Scores", "counts", "scores"]

SHINGLE: Final = 4
_TOKEN: Final = re.compile(r"\w+")


@dataclass(frozen=True)
class PageCounts:
    """Shares of one page's shingles found (tp), extra (fp) and missed (fn); they sum to 1."""

    tp: float
    fp: float
    fn: float


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    pages: int


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def counts(gold: str, extracted: str) -> PageCounts:
    """How ``extracted`` matches ``gold`` on one page."""
    want, got = _shingles(gold), _shingles(extracted)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    if total == 0:
        return PageCounts(0.0, 0.0, 0.0)
    return PageCounts(tp / total, fp / total, fn / total)


def _precision(page: PageCounts) -> float:
    if page.fp == page.fn == 0:
        return 1.0
    return page.tp / (page.tp + page.fp)


def _recall(page: PageCounts) -> float:
    if page.fp == page.fn == 0:
        return 1.0
    return page.tp / (page.tp + page.fn)


def scores(pages: Sequence[PageCounts]) -> Scores:
    """Precision and recall averaged over pages, and their F1 (see the module docstring)."""
    extracted = [_precision(p) for p in pages if p.tp + p.fp > 0]
    expected = [_recall(p) for p in pages if p.tp + p.fn > 0]
    precision = sum(extracted) / len(extracted) if extracted else 0.0
    recall = sum(expected) / len(expected) if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, len(pages))
