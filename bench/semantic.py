"""What the semantic mode costs: ``python -m bench.semantic [--size N]``.

Builds the replay corpus at ``--size`` documents (its real documents first, then derived
ones; 200,000 is the full replay corpus), runs ``storytrace run --semantic`` over it and
prints, from the run's manifest, the time of every stage, the ``events`` stage's share, its
cost per article and per representative (exact copies are not embedded), and the
throughput of the whole run. With ``--models`` it also measures the event similarity of the
models beside each other on the SemEval-2022 English pairs: all-MiniLM-L6-v2 (the one
shipped), TF-IDF cosine, and wordllama's static model when that package is installed (it is
not a dependency: its weights derive from Llama 2's and come under Llama 2's licence).

The embedding is nearly all of the cost, so the cost per article measured on a corpus of a
few thousand holds for one of 200,000 (the index lookups grow as n log n and are a few
seconds at 200,000).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from bench.corpora.build import SEED, SIZES, build
from bench.corpora.replay import build_replay
from bench.corpora.shards import docs_dir
from storytrace.config import Config
from storytrace.evaluate.semeval import load_pairs, pearson, tfidf_cosines
from storytrace.run.loop import run


def corpus_of(size: int, data: Path, root: Path) -> Path:
    """The replay corpus at ``size`` documents. Below the full 200,000 it is built as the
    smoke corpus is: the first ``size // 2`` real documents (BBC business news first, by
    id) and derived ones (copies, versions, rewrites of them) for the rest, so a small
    corpus has the replay corpus's mix rather than only its first real documents."""
    if size >= SIZES["replay"]:
        return build("replay", data, root)
    out = root / f"replay-{size}"
    if not (out / "truth.parquet").is_file():
        real = build("real", data, root)
        build_replay(real, out, size, SEED, base_docs=size // 2)
    return out


def cost(size: int, data: Path, root: Path, workers: int) -> dict[str, Any]:
    corpus = corpus_of(size, data, root)
    out = root / f"semantic-run-{size}"
    started = time.perf_counter()
    summary = run([docs_dir(corpus)], out, Config(semantic=True, workers=workers), force=True)
    wall = time.perf_counter() - started
    documents = summary.counts["documents"]
    embedded = pq.read_metadata(out / "work" / "embeddings.parquet").num_rows
    events = summary.timings["events"]
    return {
        "documents": documents,
        "embedded": embedded,
        "same_event_pairs": pq.read_metadata(out / "work" / "same_event.parquet").num_rows,
        "timings": summary.timings,
        "events_seconds": events,
        "events_share_of_run": round(events / summary.timings["total"], 3),
        "ms_per_article": round(1000 * events / documents, 1),
        "ms_per_embedded_article": round(1000 * events / max(embedded, 1), 1),
        "articles_per_second_events": round(documents / events, 1),
        "articles_per_second_run": round(documents / wall, 1),
        "cores": os.cpu_count(),
    }


def models(data: Path) -> dict[str, Any]:
    from storytrace.semantic.embedding import embed

    first, second, overall = load_pairs(data)
    agreement = -overall
    texts = [*first, *second]
    found: dict[str, Any] = {}
    started = time.perf_counter()
    vectors = embed(texts).astype(np.float64)
    half = len(first)
    cosines = np.einsum("ij,ij->i", vectors[:half], vectors[half:])
    found["all-MiniLM-L6-v2"] = {
        "pearson_cosine": round(pearson(cosines, agreement), 4),
        "ms_per_text": round(1000 * (time.perf_counter() - started) / len(texts), 1),
    }
    started = time.perf_counter()
    tfidf = tfidf_cosines(first, second)
    found["tfidf"] = {
        "pearson_cosine": round(pearson(tfidf, agreement), 4),
        "ms_per_text": round(1000 * (time.perf_counter() - started) / len(texts), 2),
    }
    try:
        import wordllama
    except ImportError:
        found["wordllama"] = "not installed"
        return found
    started = time.perf_counter()
    model = wordllama.WordLlama.load(
        cache_dir=pathlib.Path(wordllama.__file__).parent, disable_download=True
    )
    a, b = model.embed(first, norm=True), model.embed(second, norm=True)
    found["wordllama l2_supercat_256"] = {
        "pearson_cosine": round(pearson((a * b).sum(axis=1), agreement), 4),
        "ms_per_text": round(1000 * (time.perf_counter() - started) / len(texts), 2),
    }
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("bench/.work/semantic"))
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--models", action="store_true", help="Also compare the models.")
    args = parser.parse_args()
    result: dict[str, Any] = {"cost": cost(args.size, args.data, args.out, args.workers)}
    if args.models:
        result["models"] = models(args.data)
    text = json.dumps(result, indent=2)
    print(text)
    results = Path("bench/results")
    results.mkdir(parents=True, exist_ok=True)
    (results / f"semantic-{args.size}.json").write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
