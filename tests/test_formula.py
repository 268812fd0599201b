"""Formula wording is learned from items of a formula, never from the prints of one story."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa

from storytrace.fingerprint.tokens import tokenize
from storytrace.match.facts import fact_mask
from storytrace.match.formula import (
    SKELETONS,
    FormulaModel,
    in_sorted,
    learn_formula,
    skeleton_fingerprints,
)

STORY = (
    "Sandoz Corp, a U.S. subsidiary of Sandoz AG, is establishing a 50 mln dlr "
    "euro-commercial paper program, Morgan Guaranty Ltd said as one of the dealers. The "
    "other dealer is Swiss Bank Corp International Ltd and Morgan Guaranty Trust Co of New "
    "York is issuing and paying agent. Paper will have maturities between seven and 183 days "
    "and will be issued in global and definitive form."
)
COMPANIES = ["Acme", "Borden", "Carlisle", "Dover", "Emhart", "Fluor", "Gencorp", "Harsco"]


def _notice(rng: random.Random) -> str:
    now, before = rng.randint(5, 60), rng.randint(5, 60)
    month, day = rng.choice(["April", "May", "June"]), rng.randint(1, 28)
    name = f"{rng.choice(COMPANIES)} {rng.choice(['Inc', 'Corp', 'Co'])}"
    return (
        f"{name} said its board declared a quarterly dividend of {now} cts a share, against "
        f"{before} cts prior, payable {month} {day} to holders of record {month} {day - 1 or 1}."
    )


def _print(rng: random.Random) -> str:
    """One print of STORY: a lower-case word or two replaced, figures and names kept."""
    words = STORY.split()
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(words))
        if words[at].isalpha() and words[at].islower():
            words[at] = rng.choice(["new", "large", "further", "planned"])
    if rng.random() < 0.2:  # cut short, as a teaser is
        words = words[: rng.randint(len(words) // 2, len(words) - 1)]
    return " ".join(words)


def _model(texts: list[str]) -> FormulaModel:
    tokens = [tokenize(text, 1) for text in texts]
    facts = [fact_mask(text, t) for text, t in zip(texts, tokens, strict=True)]
    found = skeleton_fingerprints(tokens, facts, 5, 6, 1)
    table = pa.table(
        {
            "fp": np.concatenate([fp for fp, _ in found]),
            "doc": np.repeat(np.arange(len(texts), dtype=np.int32), [len(fp) for fp, _ in found]),
            "filling": np.concatenate([filling for _, filling in found]),
        },
        schema=SKELETONS,
    )
    return learn_formula(table, [None] * len(texts), [None] * len(texts), 10, 1)


def _formula_share(model: FormulaModel, text: str) -> float:
    return float(model.mask(tokenize(text, 1), 5, 6, 1).mean())


def test_a_story_printed_a_thousand_times_keeps_its_own_wording() -> None:
    rng = random.Random(7)
    prints = [_print(rng) for _ in range(1000)]
    notices = [_notice(rng) for _ in range(200)]
    model = _model(prints + notices)
    assert _formula_share(model, STORY) < 0.1
    assert _formula_share(model, notices[0]) > 0.5


def test_counting_prints_as_items_would_make_the_story_a_formula() -> None:
    # The same prints, each filled with other facts (a figure changed in every sentence),
    # are items of a formula: the model must learn their wording.
    rng = random.Random(7)
    items = [_print(rng).replace("50", str(n)).replace("183", str(n + 200)) for n in range(300)]
    model = _model(items)
    assert _formula_share(model, items[0]) > 0.5


def test_membership_by_binary_search_agrees_with_numpy() -> None:
    rng = np.random.default_rng(1)
    for _ in range(200):
        known = np.unique(rng.integers(0, 50, rng.integers(0, 30)).astype(np.uint64))
        asked = rng.integers(0, 60, rng.integers(0, 40)).astype(np.uint64)
        assert in_sorted(asked, known).tolist() == np.isin(asked, known).tolist()
