"""The formula guard as a set: ``python -m bench.guard [--run RUN] [--whole-run]``.

Runs storytrace over Reuters-21578 unless ``--run`` names a finished run of it, then prints,
for the judged Reuters pairs: the figures with every question of the guard, without each one
and with none (the ablation), and the figures of settings chosen by five-fold
cross-validation, on the folds held out beside the pairs they were chosen on.

The judged pairs are a sample, and some kinds of formula item are rare in it. With
``--whole-run`` the corpus is run again once per question with that question off, and the
pairs of the whole run that the question alone keeps out of a story are counted and listed by
their headlines, to be read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import storytrace
from storytrace.config import Config
from storytrace.evaluate.guard import Shares, ablation, cross_validate, judged_sides, measured
from storytrace.evaluate.judged_pairs import CORPUS, JUDGED, read_judged
from storytrace.match.guard import OFF, PARTS
from storytrace.schema import STORY_RELATIONS

COLUMNS = ("story_linked", "template_linked", "duplicate_named", "partial_found", "cost")


def _table(rows: dict[str, Shares]) -> str:
    head = "| | " + " | ".join(COLUMNS) + " |\n|---|" + "---|" * len(COLUMNS)
    body = [
        f"| {name} | " + " | ".join(f"{getattr(s, c):.3f}" for c in COLUMNS) + " |"
        for name, s in rows.items()
    ]
    return "\n".join([head, *body])


def _story_pairs(run: storytrace.Run) -> set[tuple[str, str]]:
    rows = run.table("pairs", columns=["doc_a", "doc_b", "relation"]).to_pylist()
    return {(r["doc_a"], r["doc_b"]) for r in rows if r["relation"] in STORY_RELATIONS}


def whole_run_ablation(inputs: list[Path], run: storytrace.Run, config: Config, tmp: Path) -> None:
    """Print, per question, the story pairs of a run without it that the run with every
    question does not make, with both headlines."""
    every = _story_pairs(run)
    titles = dict(
        (r["doc_id"], r["title"] or "")
        for r in run.table("documents", columns=["doc_id", "title"]).to_pylist()
    )
    print("\nWhole run: pairs each question alone keeps out of a story\n")
    for part, name in PARTS.items():
        off = replace(config, **{name: OFF[name]})
        without = storytrace.find_stories(inputs, tmp / f"without-{name}", off)
        gained = sorted(_story_pairs(without) - every)
        print(f"without {part}: {len(gained)} pairs")
        for a, b in gained:
            print(f"    {titles.get(a, a)[:50]:50} | {titles.get(b, b)[:50]}")


def main(argv: list[str] | None = None) -> int:
    data = Path(__file__).parents[2] / "shared" / "data"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=data)
    parser.add_argument("--run", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--whole-run", action="store_true", help="ablate over the whole run too")
    args = parser.parse_args(argv)
    config = Config()
    with tempfile.TemporaryDirectory(prefix="storytrace-guard-") as tmp:
        path = args.run or Path(tmp) / "run"
        inputs = sorted((args.data / CORPUS).glob("*.sgm"))
        if not (path / "manifest.json").is_file():
            storytrace.find_stories(inputs, path, config)
        run = storytrace.open_run(path)
        started = time.perf_counter()
        sides = judged_sides(run, read_judged(args.data / JUDGED), config)
        pairs = measured(sides, config)
        print(f"{len(pairs)} judged pairs measured in {time.perf_counter() - started:.1f} s\n")
        print("Ablation (a pair is linked when its two texts get a story relation):\n")
        print(_table(ablation(pairs, config)))
        keys = [f"{s.a} {s.b}" for s in sides]
        cv = cross_validate(pairs, keys, config, args.folds)
        print(f"\n{args.folds}-fold cross-validation of the guard's settings:\n")
        print(_table({"held-out folds": cv.held_out, "in sample": cv.in_sample}))
        print(f"\nchosen on all pairs: {cv.chosen}")
        for n, point in enumerate(cv.per_fold):
            print(f"fold {n}: {point}")
        if args.whole_run:
            whole_run_ablation(inputs, run, config, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
