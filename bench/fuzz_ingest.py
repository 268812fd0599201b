"""Full-size bad-input run: ``python -m bench.fuzz_ingest [--cases N] [--seed S]``.

Generates at least 10,000 bad inputs from the BBC and Reuters articles
(:mod:`bench.bad_inputs`), ingests them and prints the figures a user would ask for:
crashes, records lost, rejects without a reason, good articles kept, peak RSS against the
largest accepted document, and time; then every broken promise by kind with examples.
The exit status is 1 when any promise is broken.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.bad_inputs import generate, load_articles
from bench.bad_inputs.check import PROBLEMS
from bench.bad_inputs.pool import Pool
from bench.bad_inputs.run import run_cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="batch cases (default 10,000)")
    parser.add_argument("--seed", type=int, default=20_240_501)
    parser.add_argument(
        "--bomb-mib", type=int, default=1024, help="decompressed size of a gzip bomb"
    )
    parser.add_argument("--keep", type=Path, help="write the cases here and keep them")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    pool = Pool(load_articles())
    cases = generate(
        args.cases, args.seed, pool, endless_cases=8, bombs=4, bomb_bytes=args.bomb_mib << 20
    )
    made = time.perf_counter() - start
    root = args.keep or Path(tempfile.mkdtemp(prefix="bad-inputs-"))
    try:
        report = run_cases(cases, root)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    total = time.perf_counter() - start
    own_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss << 10
    print(
        f"cases {report.cases:,}, inputs {report.inputs:,},"
        f" records with an expected outcome {report.records:,}"
    )
    print(f"generated in {made:.1f} s; ingest {report.seconds:.1f} s; total {total:.1f} s")
    print(f"crashes {report.count('crash')}, hangs {report.count('hang')}")
    print(f"records lost {report.count('lost')}, duplicated {report.count('duplicated')}")
    print(f"rejects {report.rejects:,}, without a reason {report.count('no-reason')}")
    print(f"good articles kept intact {report.good_kept:,} of {report.good:,}")
    print(
        f"peak RSS: this process {own_rss >> 20} MiB,"
        f" isolated children {report.peak_rss >> 20} MiB;"
        f" largest accepted document {report.largest_document / 2**20:.1f} MiB"
    )
    broken = [problem for problem in PROBLEMS if report.count(problem)]
    for problem in broken:
        print()
        print(report.describe(problem))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
