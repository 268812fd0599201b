"""Clough-Stevenson: does the reuse score separate copied answers from original ones?

95 short answers were written from five source texts, each with a known degree of reuse:
cut (copied and pasted), light and heavy (revised, more or less), and non (written from the
answerer's own knowledge). The reuse score of an answer is the share of its words that
storytrace aligns to its source (``coverage_a`` of ``storytrace compare ANSWER SOURCE``).
ROC AUC measures how well that one number ranks every reused answer above every original one.
"""

from __future__ import annotations

import csv
from pathlib import Path

from storytrace.api import compare
from storytrace.config import Config
from storytrace.evaluate.measures import Measure, Suite

CORPUS = "clough_stevenson"


def roc_auc(positive: list[float], negative: list[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half).

    >>> roc_auc([0.9, 0.8], [0.1, 0.8])
    0.875
    """
    if not positive or not negative:
        return 0.0
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def reuse_scores(data: Path, config: Config) -> list[tuple[str, float]]:
    """``(category, score)`` of every answer of the set."""
    folder = data / CORPUS
    with (folder / "file_information.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if not r["File"].startswith("orig")]
    scores = []
    for row in rows:
        answer = (folder / row["File"]).read_text(encoding="latin-1")
        source = (folder / f"orig_task{row['Task']}.txt").read_text(encoding="latin-1")
        scores.append(
            (row["Category"], float(compare(answer, source, config).figures["coverage_a"]))
        )
    return scores


def measure_clough(data: Path, config: Config) -> list[Measure]:
    scores = reuse_scores(data, config)
    positive = [s for c, s in scores if c != "non"]
    negative = [s for c, s in scores if c == "non"]
    return [
        Measure(
            "clough.reuse_auc",
            "Clough-Stevenson reuse score, ROC AUC (cut/light/heavy vs non)",
            0.95,
            roc_auc(positive, negative),
            detail=f"{len(positive)} reused, {len(negative)} original answers",
        )
    ]


SUITE = Suite("clough", (CORPUS,), measure_clough)
