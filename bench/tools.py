"""The tools under test, each configured twice: comparably, and at its documented defaults.

Comparable means 5-word shingles, 128 permutations and a 0.7 Jaccard threshold. Where a tool
takes bands and rows instead of a threshold (rensa needs bands that divide 128, datatrove has
no threshold at all), it gets 16 bands of 8 rows, whose S-curve is centred at 0.71.

Each peer runs in its own virtual environment (``bench/.work/venvs/<peer>``, pinned by
``bench/requirements/<peer>.txt``) through a script in ``bench/peers``; storytrace runs its
own command. A tool writes clusters; :func:`read_clusters` reads them as ``{doc id: label}``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
PEERS = HERE / "peers"


@dataclass(frozen=True)
class Tool:
    """One row of the benchmark table."""

    name: str
    setting: str
    venv: str | None
    """Peer virtual environment under ``venvs``; None: storytrace, from this interpreter."""
    command: Callable[[Path, Path, Path, Path], list[str]]
    """(python, docs dir, output, work dir) -> command line."""

    @property
    def key(self) -> str:
        return f"{self.name} ({self.setting})"


def _storytrace(toml: str) -> Callable[[Path, Path, Path, Path], list[str]]:
    def command(python: Path, docs: Path, out: Path, work: Path) -> list[str]:
        config = work / "storytrace.toml"
        work.mkdir(parents=True, exist_ok=True)
        config.write_text("[storytrace]\n" + toml, encoding="utf-8")
        cli = [str(python), "-m", "storytrace", "run", str(docs), "-o", str(out)]
        return [*cli, "--config", str(config), "--quiet", "--force"]

    return command


def _script(name: str, *options: str) -> Callable[[Path, Path, Path, Path], list[str]]:
    def command(python: Path, docs: Path, out: Path, work: Path) -> list[str]:
        script = str(PEERS / name)
        if name in ("text_dedup_run.py", "datatrove_dedup.py"):
            return [str(python), script, str(docs), str(out), str(work), *options]
        return [str(python), script, str(docs), str(out), *options]

    return command


COMPARABLE = "5-word, 128, 0.7"
DEFAULTS = "defaults"

TOOLS: tuple[Tool, ...] = (
    Tool("storytrace", "stories, defaults", None, _storytrace("")),
    Tool(
        "storytrace near-dup",
        COMPARABLE,
        None,
        _storytrace('mode = "near_duplicates"\nlsh_threshold = 0.7\n'),
    ),
    Tool("storytrace near-dup", DEFAULTS, None, _storytrace('mode = "near_duplicates"\n')),
    Tool(
        "rensa",
        COMPARABLE,
        "rensa",
        _script("rensa_dedup.py", "--shingle", "5", "--threshold", "0.7", "--bands", "16"),
    ),
    Tool(
        "rensa",
        DEFAULTS,
        "rensa",
        _script("rensa_dedup.py", "--shingle", "1", "--threshold", "0.8", "--bands", "8"),
    ),
    Tool(
        "datasketch",
        COMPARABLE,
        "datasketch",
        _script("datasketch_dedup.py", "--shingle", "5", "--threshold", "0.7"),
    ),
    Tool(
        "datasketch",
        DEFAULTS,
        "datasketch",
        _script("datasketch_dedup.py", "--shingle", "1", "--threshold", "0.9"),
    ),
    Tool(
        "text-dedup",
        COMPARABLE,
        "text-dedup",
        _script("text_dedup_run.py", "--ngram", "5", "--num_perm", "128", "--threshold", "0.7"),
    ),
    Tool("text-dedup", DEFAULTS, "text-dedup", _script("text_dedup_run.py")),
    Tool(
        "datatrove",
        COMPARABLE,
        "datatrove",
        _script("datatrove_dedup.py", "--shingle", "5", "--buckets", "16", "--rows", "8"),
    ),
    Tool("datatrove", DEFAULTS, "datatrove", _script("datatrove_dedup.py")),
)
"""Every row, in the order the table shows them."""


def python_of(tool: Tool, venvs: Path) -> Path:
    return Path(sys.executable) if tool.venv is None else venvs / tool.venv / "bin" / "python"


def read_clusters(tool: Tool, out: Path) -> dict[str, str]:
    """``{doc id: cluster label}`` of every document the tool put in a cluster of 2+."""
    if tool.venv is None:
        stories = pq.read_table(out / "stories.parquet", columns=["doc_id", "story_id"])
        ids, labels = stories["doc_id"].to_pylist(), stories["story_id"].to_pylist()
        return dict(zip(ids, labels, strict=True))
    clusters: dict[str, str] = {}
    with out.open(encoding="utf-8") as fh:
        for line in fh:
            doc_id, label = line.rstrip("\n").split("\t")
            clusters[doc_id] = label
    return clusters
