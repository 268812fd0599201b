"""The formula guard on judged pairs: what each of its checks contributes, and how well its
settings carry over to pairs they were not chosen on.

News written from a formula (dividend notices, earnings tables, market reports) shares its
wording across unrelated items, and one guard keeps such items apart
(:mod:`storytrace.match.guard`) by asking four questions of the facts two texts share: too
few shared facts, formula headlines naming two subjects, too many days apart, edits that
mostly swap names or figures. This module calibrates their settings as a set.

Every judged pair is measured as a run's verification measures it: its two clean texts,
publication times, headlines and the run's formula model. A pair counts as *linked* here when
the two texts alone are given a story relation (a run can also link them through other
articles; :mod:`storytrace.evaluate.judged_pairs` reads that from the run).

- :func:`ablation` turns each check off in turn and reports the figures the issue of a
  formula guard is judged on;
- :func:`cross_validate` chooses the checks' settings on k-1 folds of the pairs and reports
  them on the fold left out, beside the figures on the pairs they were chosen on.

The figures of one setting come from :func:`storytrace.match.relate.relate` over figures
measured once per pair, so a grid of a few hundred settings costs about as much as one
measurement of each pair.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pyarrow.compute as pc

from storytrace import table_files
from storytrace.api import Run
from storytrace.config import Config
from storytrace.evaluate.measures import Measure, one_pair
from storytrace.fingerprint.tokens import tokenize_many
from storytrace.match.figures import Figures
from storytrace.match.guard import OFF, PARTS
from storytrace.match.relate import relate
from storytrace.match.verify import Side, measure
from storytrace.model import DocText
from storytrace.run.steps import formula_model
from storytrace.schema import STORY_RELATIONS

GRID: Mapping[str, tuple[Any, ...]] = {
    "min_fact_agreement": (0.0, 0.5, 0.6, 0.7),
    "headline_subject_names": (1, 0),
    "max_days_apart": (1.0, 3.0, 10.0, 1e9),
    "min_figure_agreement": (0.5, 0.0),
    "formula_factual_edits": (2, 3, 1_000_000),
}
"""The settings :func:`cross_validate` chooses among: each check's default, values either
side of it, and off."""

FALSE_LINK_COST = 3.0
"""What linking one TEMPLATE pair costs beside missing one DUPLICATE or VERSION pair, when
settings are chosen: a formula item merged into a story misleads every reader of it, and the
judged sets hold five formula pairs for each copy or version."""


@dataclass(frozen=True)
class JudgedSides:
    """One judged pair as verification sees it."""

    a: str
    b: str
    label: str
    side_a: Side
    side_b: Side


@dataclass(frozen=True)
class Measured:
    """One judged pair's figures, measured with the guard off (edits included)."""

    label: str
    figures: Figures
    by_fact_agreement: Mapping[float, int]
    """``longest_own_passage`` for each fact-agreement setting of the grid: a passage is the
    texts' own only when it keeps its facts, so partial reuse depends on that setting."""


def judged_sides(
    run: Run, judged: Iterable[tuple[str, str, str]], config: Config
) -> list[JudgedSides]:
    """The judged pairs whose two documents are in ``run``, as its verification builds them."""
    judged = list(judged)
    wanted = sorted({d for a, b, _ in judged for d in (a, b)})
    columns = ["doc_id", "clean_text", "clean_map", "published", "title"]
    docs = run.table("documents", columns=columns)
    docs = docs.filter(pc.is_in(docs["doc_id"], value_set=pc.cast(wanted, docs["doc_id"].type)))
    texts = {row["doc_id"]: DocText.from_row(row) for row in docs.to_pylist()}
    model = formula_model(table_files.read(run.path / "work" / "formula.parquet"))
    order = sorted(texts)
    tokens = tokenize_many([texts[d].clean_text for d in order], config.seed)
    masks = model.masks(tokens, config.winnow_ngram, config.winnow_window, config.seed)
    sides = {
        d: Side.in_corpus(texts[d], t, m, model, config.seed)
        for d, t, m in zip(order, tokens, masks, strict=True)
    }
    return [
        JudgedSides(a, b, label, sides[a], sides[b])
        for a, b, label in judged
        if a in sides and b in sides
    ]


def measured(pairs: Sequence[JudgedSides], config: Config) -> list[Measured]:
    """Each pair's figures with every check off, and its edits counted."""
    off = replace(config, **OFF)
    out = []
    for pair in pairs:
        figures = measure(pair.side_a, pair.side_b, off).figures
        own = {
            share: measure(
                pair.side_a, pair.side_b, replace(off, min_fact_agreement=share)
            ).figures.longest_own_passage
            for share in GRID["min_fact_agreement"]
        }
        out.append(Measured(pair.label, figures, own))
    return out


def relation_of(pair: Measured, config: Config) -> str | None:
    """The relation the pair is given under ``config``'s guard settings."""
    own = pair.by_fact_agreement.get(config.min_fact_agreement, pair.figures.longest_own_passage)
    return relate(replace(pair.figures, longest_own_passage=own), config)[0]


@dataclass(frozen=True)
class Shares:
    """The figures a formula guard is judged on, over some judged pairs."""

    story_linked: float
    """DUPLICATE and VERSION pairs given a story relation."""
    template_linked: float
    """TEMPLATE pairs given a story relation (lower is better)."""
    duplicate_named: float
    """DUPLICATE pairs named duplicate or near_duplicate."""
    partial_found: float
    """PARTIAL pairs named partial or excerpt."""
    cost: float
    """Missed DUPLICATE and VERSION pairs plus FALSE_LINK_COST per linked TEMPLATE pair, per
    pair: what settings are chosen on."""

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in self.__dict__.items()}


def _share(hits: float, total: int) -> float:
    return hits / total if total else 0.0


def shares(pairs: Sequence[Measured], config: Config) -> Shares:
    """The figures of ``pairs`` under ``config``'s guard settings."""
    return _shares_of(pairs, [relation_of(p, config) for p in pairs])


_LABELS = ("DUPLICATE", "VERSION", "TEMPLATE", "PARTIAL")


def ablation(pairs: Sequence[Measured], config: Config) -> dict[str, Shares]:
    """The figures with every check, without each one, and with none."""
    rows = {"every check": shares(pairs, config)}
    for part, name in PARTS.items():
        rows[f"without {part}"] = shares(pairs, replace(config, **{name: OFF[name]}))
    rows["no check"] = shares(pairs, replace(config, **OFF))
    return rows


def settings_grid() -> list[dict[str, Any]]:
    """Every setting of :data:`GRID`, the simplest first: fewer checks on, then smaller
    changes from the defaults, so a tie goes to the simpler rule."""
    names = list(GRID)
    points = [dict(zip(names, values, strict=True)) for values in itertools.product(*GRID.values())]

    def complexity(point: dict[str, Any]) -> tuple[int, tuple[int, ...]]:
        on = sum(point[n] != OFF[n] for n in names)
        return on, tuple(GRID[n].index(point[n]) for n in names)

    return sorted(points, key=complexity)


def _best(
    pairs: Sequence[Measured], config: Config, grid: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    costs = [shares(pairs, replace(config, **point)).cost for point in grid]
    return grid[min(range(len(grid)), key=lambda i: (round(costs[i], 9), i))]


def folds_of(labels: Sequence[str], keys: Sequence[str], folds: int) -> list[int]:
    """A fold for each pair: within each label, pairs in the order of a hash of their key are
    dealt to the folds in turn, so every fold holds its share of each kind and the same pairs
    always make the same folds."""

    def rank(i: int) -> bytes:
        return hashlib.blake2b(keys[i].encode(), digest_size=8).digest()

    out = [0] * len(labels)
    for label in sorted(set(labels)):
        members = sorted((i for i, x in enumerate(labels) if x == label), key=rank)
        for n, i in enumerate(members):
            out[i] = n % folds
    return out


@dataclass(frozen=True)
class CrossValidation:
    held_out: Shares
    """Each pair judged by settings chosen on the other folds."""
    in_sample: Shares
    """Every pair judged by settings chosen on all of them."""
    chosen: dict[str, Any]
    """The settings chosen on all the pairs."""
    per_fold: list[dict[str, Any]]
    """The settings each fold's training pairs chose."""


def cross_validate(
    pairs: Sequence[Measured], keys: Sequence[str], config: Config, folds: int = 5
) -> CrossValidation:
    """Choose the guard's settings on ``folds - 1`` folds and judge the fold left out.

    Folds come from :func:`folds_of` over the pairs' keys (their two doc ids).
    """
    grid = settings_grid()
    fold_of = folds_of([p.label for p in pairs], keys, folds)
    relations: list[str | None] = [None] * len(pairs)
    per_fold = []
    for f in range(folds):
        train = [p for p, g in zip(pairs, fold_of, strict=True) if g != f]
        point = _best(train, config, grid)
        per_fold.append(point)
        chosen = replace(config, **point)
        for i, g in enumerate(fold_of):
            if g == f:
                relations[i] = relation_of(pairs[i], chosen)
    held = _shares_of(pairs, relations)
    best = _best(pairs, config, grid)
    return CrossValidation(held, shares(pairs, replace(config, **best)), best, per_fold)


def _shares_of(pairs: Sequence[Measured], relations: Sequence[str | None]) -> Shares:
    """The figures of ``pairs`` given their relations."""
    stories = [r in STORY_RELATIONS for r in relations]
    by = {label: [i for i, p in enumerate(pairs) if p.label == label] for label in _LABELS}
    story = by["DUPLICATE"] + by["VERSION"]
    missed = sum(not stories[i] for i in story)
    false = sum(stories[i] for i in by["TEMPLATE"])
    return Shares(
        story_linked=_share(len(story) - missed, len(story)),
        template_linked=_share(false, len(by["TEMPLATE"])),
        duplicate_named=_share(
            sum(relations[i] in ("duplicate", "near_duplicate") for i in by["DUPLICATE"]),
            len(by["DUPLICATE"]),
        ),
        partial_found=_share(
            sum(relations[i] in ("partial", "excerpt") for i in by["PARTIAL"]), len(by["PARTIAL"])
        ),
        cost=_share(missed + FALSE_LINK_COST * false, len(story) + len(by["TEMPLATE"])),
    )


def held_out_measures(
    run: Run, judged: Iterable[tuple[str, str, str]], config: Config
) -> list[Measure]:
    """The guard's figures on held-out folds, for the quality gate: what the judged pairs say
    of pairs the settings were not chosen on."""
    sides = judged_sides(run, judged, config)
    pairs = measured(sides, config)
    held = cross_validate(pairs, [f"{s.a} {s.b}" for s in sides], config).held_out
    count = {label: sum(p.label == label for p in pairs) for label in _LABELS}
    figures = (
        ("story_linked", "DUPLICATE+VERSION pairs linked", 0.97, True, ("DUPLICATE", "VERSION")),
        ("template_linked", "TEMPLATE pairs linked (lower is better)", 0.02, False, ("TEMPLATE",)),
        ("duplicate_named", "DUPLICATE pairs named duplicate", 0.95, True, ("DUPLICATE",)),
        ("partial_found", "PARTIAL pairs named partial or excerpt", 0.8, True, ("PARTIAL",)),
    )
    return [
        Measure(
            f"reuters.held_out_{name}",
            f"Reuters {label}, settings chosen on the other folds",
            target,
            round(getattr(held, name), 4),
            higher,
            tolerance=one_pair(sum(count[x] for x in labels)),
        )
        for name, label, target, higher, labels in figures
    ]
