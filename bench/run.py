"""Run the benchmark: ``python -m bench.run CORPUS [--tools ...]``.

Builds the corpus when missing, runs every selected tool on it one after another (each its
own process, timed and memory-sampled), scores each tool's clusters against the truth, and
writes ``results-CORPUS.json``, ``results-CORPUS.png`` and ``results-CORPUS.md`` in the
results folder. The table is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.corpora.build import build
from bench.corpora.shards import docs_dir, read_truth
from bench.measure import run_measured
from bench.report import plot, table, write_json
from bench.score import agreement, labels, linked
from bench.tools import TOOLS, Tool, python_of, read_clusters

SEEDS = ("seed-000_afb563e75b84724c", "seed-002_b386addb4608aa0f")


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = ""
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as fh:
        total_kb = int(fh.readline().split()[1])
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(total_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


def _by_kind(truth: dict[str, list[Any]], clusters: dict[str, str]) -> dict[str, float]:
    """Per kind of derived document, the share that ended up with its story: in its source's
    cluster (replay), or, where the source is not in the corpus (flood: every document is a
    print), in the cluster holding most prints of its story."""
    present = set(truth["id"])
    story_label: dict[str, Counter[str]] = defaultdict(Counter)
    for doc, cluster in zip(truth["id"], truth["cluster"], strict=True):
        story_label[cluster][clusters.get(doc, doc)] += 1
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc, kind, source, cluster in zip(
        truth["id"], truth["kind"], truth["source"], truth["cluster"], strict=True
    ):
        if kind == "original":
            continue
        if source in present:
            hits[kind][0] += linked(clusters, doc, source)
        elif sum(story_label[cluster].values()) > 1:  # a story printed once links nothing
            label, count = story_label[cluster].most_common(1)[0]
            hits[kind][0] += count > 1 and clusters.get(doc, doc) == label
        else:
            continue
        hits[kind][1] += 1
    return {kind: round(n / total, 4) for kind, (n, total) in sorted(hits.items())}


def run_tool(tool: Tool, corpus: Path, work: Path, venvs: Path) -> dict[str, Any]:
    """Run one tool on ``corpus`` and score it."""
    slug = tool.key.replace(" ", "_").replace(",", "").replace("(", "").replace(")", "")
    tool_work = work / slug
    shutil.rmtree(tool_work, ignore_errors=True)
    tool_work.mkdir(parents=True)
    out = tool_work / ("run" if tool.venv is None else "clusters.tsv")
    python = python_of(tool, venvs)
    row: dict[str, Any] = {"tool": tool.name, "setting": tool.setting}
    if not python.exists():
        row["error"] = f"{python} missing: run `make bench-setup`"
        return row
    command = tool.command(python, docs_dir(corpus), out, tool_work)
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "TQDM_DISABLE": "1"}
    measured = run_measured(command, tool_work / "log.txt", env)
    if measured.returncode != 0:
        row["error"] = f"exit {measured.returncode}, see {tool_work / 'log.txt'}"
        return row
    truth = read_truth(corpus).to_pydict()
    ids = truth["id"]
    clusters = read_clusters(tool, out)
    score = agreement(truth["cluster"], labels(ids, clusters))
    row.update(
        docs=len(ids),
        docs_per_s=round(len(ids) / measured.wall_s, 1),
        wall_s=measured.wall_s,
        peak_rss_mb=round(measured.peak_rss_bytes / 2**20),
        pairs_found=score.pairs_found,
        pairs_true=score.pairs_true,
        precision=round(score.precision, 4),
        recall=round(score.recall, 4),
        ari=round(score.ari, 4),
        seed_linked=linked(clusters, *SEEDS) if SEEDS[0] in set(ids) else None,
        linked_to_source=_by_kind(truth, clusters),
        command=" ".join(command),
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", help="real, replay, scale, flood, smoke, or any NAME with --size")
    parser.add_argument("--size", type=int, default=None)
    parser.add_argument("--tools", nargs="*", default=None, help="tool names (default: all)")
    parser.add_argument("--settings", nargs="*", default=None, help="settings (default: all)")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--work", type=Path, default=Path("bench/.work"))
    parser.add_argument("--results", type=Path, default=Path("bench/results"))
    parser.add_argument(
        "--update",
        action="store_true",
        help="keep the other tools' rows of the corpus's last results (each row says when "
        "it was measured) and replace only the selected tools' rows",
    )
    args = parser.parse_args()

    corpus = build(args.corpus, args.data, args.work / "corpora", args.size)
    selected = [
        t
        for t in TOOLS
        if (args.tools is None or t.name in args.tools)
        and (args.settings is None or t.setting in args.settings)
    ]
    # The full storytrace pipeline runs last: on a large corpus it takes longest, and the
    # rows before it are saved as they come.
    order = sorted(selected, key=lambda t: t.setting == "stories, defaults")
    args.results.mkdir(parents=True, exist_ok=True)
    stem = args.results / f"results-{args.corpus}"
    done: dict[str, dict[str, Any]] = {}
    if args.update and stem.with_suffix(".json").is_file():
        kept = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))["rows"]
        done = {f"{r['tool']} ({r['setting']})": r for r in kept}
        selected = [t for t in TOOLS if t in selected or t.key in done]
        order = [t for t in order if t in selected]
    for tool in order:
        print(f"running {tool.key} on {args.corpus} ...", flush=True)
        done[tool.key] = run_tool(
            tool, corpus, args.work / "runs" / args.corpus, args.work / "venvs"
        )
        done[tool.key]["measured"] = time.strftime("%Y-%m-%d %H:%M %Z")
        print(table([done[tool.key]]).splitlines()[-1], flush=True)
        rows = [done[t.key] for t in selected if t.key in done]
        results = {"corpus": args.corpus, "machine": machine(), "rows": rows}
        write_json(stem.with_suffix(".json"), results)
    rows = [done[t.key] for t in selected]
    title = f"{args.corpus}: {rows[0].get('docs', 0):,} documents" if rows else args.corpus
    plot(stem.with_suffix(".png"), title, rows)
    text = table(rows)
    stem.with_suffix(".md").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
