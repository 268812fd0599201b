"""The formula guard as a set: ``python -m bench.guard [--run RUN]``.

Runs storytrace over Reuters-21578 unless ``--run`` names a finished run of it, then prints,
for the judged Reuters pairs: the figures with every check of the guard, without each one
and with none (the ablation), and the figures of settings chosen by five-fold
cross-validation, on the folds held out beside the pairs they were chosen on.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import storytrace
from storytrace.config import Config
from storytrace.evaluate.guard import Shares, ablation, cross_validate, judged_sides, measured
from storytrace.evaluate.judged_pairs import CORPUS, JUDGED, read_judged

COLUMNS = ("story_linked", "template_linked", "duplicate_named", "partial_found", "cost")


def _table(rows: dict[str, Shares]) -> str:
    head = "| | " + " | ".join(COLUMNS) + " |\n|---|" + "---|" * len(COLUMNS)
    body = [
        f"| {name} | " + " | ".join(f"{getattr(s, c):.3f}" for c in COLUMNS) + " |"
        for name, s in rows.items()
    ]
    return "\n".join([head, *body])


def main(argv: list[str] | None = None) -> int:
    data = Path(__file__).parents[2] / "shared" / "data"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=data)
    parser.add_argument("--run", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    config = Config()
    with tempfile.TemporaryDirectory(prefix="storytrace-guard-") as tmp:
        path = args.run or Path(tmp) / "run"
        if not (path / "manifest.json").is_file():
            storytrace.find_stories(sorted((args.data / CORPUS).glob("*.sgm")), path, config)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
