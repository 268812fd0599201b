"""What one ``storytrace match`` costs beside a re-run: ``python -m bench.match_latency``.

Runs storytrace over a corpus (Reuters-21578 by default) unless the run exists, then matches
articles that a monitoring team would send: a sample of the corpus's own articles with a
paragraph added (updates of archived stories) and BBC articles (news the archive does not
hold). Printed: the run's time, the index's load time (once per process), the latency of a
match (median, 95th percentile, largest), the relations found, and the ratio of one match to
the re-run it saves.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import storytrace
from storytrace.config import Config
from storytrace.ingest import ingest

ADDED = (
    "\n\nOfficials said on Wednesday that a decision would follow within weeks, and that the "
    "figures would be revised when the full data for the quarter were available."
)


def articles(corpus: Path, bbc: Path, count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    own = ingest([corpus], Config()).documents.select(["doc_id", "text"]).to_pylist()
    others = sorted(bbc.rglob("*.txt"))
    picked = [(f"{r['doc_id']}+update", r["text"] + ADDED) for r in rng.sample(own, count // 2)]
    for path in rng.sample(others, count - count // 2):
        picked.append((f"bbc/{path.parent.name}/{path.name}", path.read_text("latin-1")))
    return picked


def main(argv: list[str] | None = None) -> int:
    data = Path(__file__).parents[2] / "shared" / "data"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=data / "reuters21578")
    parser.add_argument("--bbc", type=Path, default=data / "bbc")
    parser.add_argument("--run", type=Path, default=Path("bench/.work/match/reuters"))
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if not (args.run / "manifest.json").is_file():
        storytrace.find_stories([args.corpus], args.run)
    run_seconds = storytrace.open_run(args.run).manifest["timings"]["total"]
    print(f"run: {run_seconds:.1f} s (this call {time.perf_counter() - started:.1f} s)")
    run = storytrace.open_run(args.run)
    sample = articles(args.corpus, args.bbc, args.articles, seed=7)
    began = time.perf_counter()
    run.match(sample[0][1])
    first = time.perf_counter() - began
    seconds: list[float] = []
    relations: Counter[str] = Counter()
    for name, text in sample:
        began = time.perf_counter()
        found = run.match({"id": name, "text": text})
        seconds.append(time.perf_counter() - began)
        relations[found.relation or "no match"] += 1
    seconds.sort()
    median = statistics.median(seconds)
    p95 = seconds[int(0.95 * (len(seconds) - 1))]
    print(f"first match (loads the index): {first * 1000:.0f} ms")
    print(
        f"{len(seconds)} matches: median {median * 1000:.1f} ms, 95th percentile "
        f"{p95 * 1000:.1f} ms, largest {seconds[-1] * 1000:.1f} ms"
    )
    print("relations: " + ", ".join(f"{k} {v}" for k, v in sorted(relations.items())))
    print(f"one match / one re-run: 1/{run_seconds / median:,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
