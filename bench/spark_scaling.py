"""Spark scaling: ``python -m bench.spark_scaling [--docs N]``.

The replay corpus (real news and documents derived from it, see
:mod:`bench.corpora.replay`) through the whole pipeline on the local engine and on Apache
Spark ``local[1]`` and ``local[2]``, each run in its own process. Printed: documents per
second, Spark's speed-up from one core to two, and where Spark's time goes beside the local
engine's: per stage, and per engine call as the driver sees it (Spark is lazy, so a step's
work shows in the call that first needs its rows: a count, a collect or a write).

The full corpus is 200,000 documents. ``--docs N`` runs a replay corpus of N documents built
the same way with the same share of real documents (the first real ones by id), for a
machine or a time budget that cannot hold the full one. Results go to
``bench/results/results-spark-N.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from bench.corpora.build import SEED, SIZES, build
from bench.corpora.replay import build_replay
from bench.corpora.shards import docs_dir
from storytrace.config import Config
from storytrace.engines import Engine, Keyed, LocalEngine
from storytrace.engines.base import Ingested, OnDone, StageFn
from storytrace.run.loop import run

REAL_DOCS = 21_270
"""Real documents in the full replay corpus: the share of real documents a smaller one
keeps (about one in nine)."""

RUNS = (("local", ""), ("spark", "local[1]"), ("spark", "local[2]"))


class TimedEngine:
    """An engine that passes every call to another one and adds up how long each took,
    by call and by stage function or table."""

    def __init__(self, inner: Engine) -> None:
        self.inner = inner
        self.name = inner.name
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def _timed(self, what: str, began: float) -> None:
        self.seconds[what] += time.perf_counter() - began
        self.calls[what] += 1

    def ingest(self, inputs: Sequence[str | Path], config: Any, progress: Any = None) -> Ingested:
        began = time.perf_counter()
        try:
            return self.inner.ingest(inputs, config, progress)
        finally:
            self._timed("ingest", began)

    def put(self, table: pa.Table) -> Any:
        began = time.perf_counter()
        try:
            return self.inner.put(table)
        finally:
            self._timed("put", began)

    def read(self, path: Path, columns: Sequence[str] | None = None) -> Any:
        began = time.perf_counter()
        try:
            return self.inner.read(path, columns)
        finally:
            self._timed("read", began)

    def write(self, frame: Any, path: Path, sort_keys: Sequence[str]) -> None:
        began = time.perf_counter()
        try:
            self.inner.write(frame, path, sort_keys)
        finally:
            self._timed(f"write {path.stem}", began)

    def num_rows(self, frame: Any) -> int:
        began = time.perf_counter()
        try:
            return self.inner.num_rows(frame)
        finally:
            self._timed("num_rows", began)

    def collect(self, frame: Any) -> pa.Table:
        began = time.perf_counter()
        try:
            return self.inner.collect(frame)
        finally:
            self._timed("collect", began)

    def map_batches(
        self,
        fn: StageFn,
        frame: Any,
        outputs: Mapping[str, pa.Schema],
        batch_rows: int,
        params: Mapping[str, Any],
        on_done: OnDone | None = None,
    ) -> dict[str, Any]:
        began = time.perf_counter()
        try:
            return self.inner.map_batches(fn, frame, outputs, batch_rows, params, on_done)
        finally:
            self._timed(f"map {fn.__name__}", began)

    def group_apply(
        self,
        fn: StageFn,
        inputs: Sequence[Keyed],
        outputs: Mapping[str, pa.Schema],
        batch_rows: int,
        params: Mapping[str, Any],
        on_done: OnDone | None = None,
    ) -> dict[str, Any]:
        began = time.perf_counter()
        try:
            return self.inner.group_apply(fn, inputs, outputs, batch_rows, params, on_done)
        finally:
            self._timed(f"group {fn.__name__}", began)

    def close(self) -> None:
        began = time.perf_counter()
        try:
            self.inner.close()
        finally:
            self._timed("close", began)


def corpus_of(docs: int, data: Path, work: Path) -> Path:
    """The replay corpus of ``docs`` documents (the full one for 200,000)."""
    root = work / "corpora"
    if docs == SIZES["replay"]:
        return build("replay", data, root)
    out = root / f"replay-{docs}"
    if not (out / "truth.parquet").is_file():
        real = build("real", data, root)
        base = max(1, round(docs * REAL_DOCS / SIZES["replay"]))
        build_replay(real, out, docs, SEED, base_docs=base)
    return out


def one_run(engine_name: str, master: str, corpus: Path, out: Path, workers: int) -> dict[str, Any]:
    """One run in this process: its times, the stage times and the engine-call profile."""
    began = time.perf_counter()
    inner: Engine
    if engine_name == "spark":
        from storytrace.engines.spark import SparkEngine

        inner = SparkEngine(master)
    else:
        inner = LocalEngine(workers)
    started = time.perf_counter() - began
    engine = TimedEngine(inner)
    try:
        summary = run([docs_dir(corpus)], out, Config(workers=workers), engine=engine, force=True)
    finally:
        engine.close()
    total = time.perf_counter() - began
    return {
        "engine": engine_name,
        "master": master,
        "documents": summary.counts["documents"],
        "stories": summary.counts["stories"],
        "pairs": summary.counts["pairs"],
        "seconds": round(total, 2),
        "start_seconds": round(started, 2),
        "stages": summary.timings,
        "calls": {k: round(v, 2) for k, v in sorted(engine.seconds.items(), key=lambda x: -x[1])},
        "call_counts": dict(engine.calls),
    }


def report(results: list[dict[str, Any]], docs: int) -> str:
    """The figures as a Markdown table, and the per-stage and per-call profiles."""
    lines = [
        f"## Spark scaling, replay corpus of {docs:,} documents ({os.cpu_count()} cores)",
        "",
        "| engine | wall s | docs/s | session start s | stories | pairs |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        name = r["engine"] + (f" {r['master']}" if r["master"] else f" {r['workers']} workers")
        rate = r["documents"] / r["seconds"]
        lines.append(
            f"| {name} | {r['seconds']} | {rate:.1f} | {r['start_seconds']} | "
            f"{r['stories']} | {r['pairs']} |"
        )
    spark = {r["master"]: r for r in results if r["engine"] == "spark"}
    if {"local[1]", "local[2]"} <= spark.keys():
        speedup = spark["local[1]"]["seconds"] / spark["local[2]"]["seconds"]
        lines += ["", f"Spark speed-up local[1] -> local[2]: {speedup:.2f}x"]
    stages = list(results[0]["stages"])
    lines += [
        "",
        "| stage | " + " | ".join(r["engine"] + " " + r["master"] for r in results) + " |",
    ]
    lines.append("|---" * (len(results) + 1) + "|")
    for stage in stages:
        cells = " | ".join(str(r["stages"].get(stage, "")) for r in results)
        lines.append(f"| {stage} | {cells} |")
    for r in results:
        if r["engine"] != "spark":
            continue
        lines += ["", f"Engine calls on Spark {r['master']} (seconds, calls):"]
        for call, seconds in list(r["calls"].items())[:12]:
            lines.append(f"- {call}: {seconds} ({r['call_counts'][call]})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=SIZES["replay"])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--work", type=Path, default=Path("bench/.work"))
    parser.add_argument("--results", type=Path, default=Path("bench/results"))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--one", nargs=2, metavar=("ENGINE", "MASTER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus = corpus_of(args.docs, args.data, args.work)
    if args.one:  # a child: one run, its figures as JSON on stdout
        engine_name, master = args.one
        out = (
            args.work
            / "spark-scaling"
            / f"{engine_name}-{master or 'pool'}".replace("[", "-").replace("]", "")
        )
        shutil.rmtree(out, ignore_errors=True)  # a fresh run, not a resumed one
        result = one_run(engine_name, master, corpus, out, args.workers)
        print(json.dumps({**result, "workers": args.workers}))
        return
    results = []
    for engine_name, master in RUNS:
        command = [sys.executable, "-m", "bench.spark_scaling", "--docs", str(args.docs)]
        command += ["--work", str(args.work), "--data", str(args.data)]
        command += ["--workers", str(args.workers), "--one", engine_name, master]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{engine_name} {master}: {result['seconds']} s", flush=True)
        results.append(result)
    text = report(results, args.docs)
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    name = f"results-spark-{args.docs}"
    (args.results / f"{name}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    (args.results / f"{name}.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
