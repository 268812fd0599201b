"""Reuters pairs judged by reading both texts: does storytrace link what it should?

``reuters_judged_dev.tsv`` holds pairs of Reuters-21578 items labelled DUPLICATE, VERSION,
PARTIAL, TEMPLATE (same formula, other facts), SAME_EVENT or UNRELATED. storytrace runs over
every Reuters body, as a user would, and each judged pair is read from the run: *linked* when
both items are in one story, and its *relation* as the run's pairs table gives it. Exact
copies are paired only with their group's first member, so two copies with no row of their own
take ``duplicate``; a pair verified only through others takes the relation that ``compare``
gives it.
"""

from __future__ import annotations

import csv
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow.compute as pc

from storytrace.api import Run, compare, find_stories
from storytrace.config import Config
from storytrace.evaluate.guard import held_out_measures
from storytrace.evaluate.measures import Measure, Suite, one_pair

JUDGED = "reuters_judged_dev.tsv"
CORPUS = "reuters21578"


@dataclass(frozen=True)
class JudgedPair:
    a: str
    b: str
    label: str
    linked: bool
    relation: str | None


def read_judged(path: Path) -> list[tuple[str, str, str]]:
    """``(a, b, label)`` rows of a judged-pairs file, ids in sorted order."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return [(*sorted((r["a"], r["b"])), r["label"]) for r in rows]  # type: ignore[misc]


def judge_run(run: Run, judged: list[tuple[str, str, str]], config: Config) -> list[JudgedPair]:
    """Read every judged pair from a finished run."""
    stories = run.table("stories", columns=["doc_id", "story_id"]).to_pylist()
    story = {r["doc_id"]: r["story_id"] for r in stories}
    pairs = run.table("pairs", columns=["doc_a", "doc_b", "relation"]).to_pylist()
    relation = {(r["doc_a"], r["doc_b"]): r["relation"] for r in pairs}
    wanted = sorted({d for a, b, _ in judged for d in (a, b)})
    docs = run.table("documents", columns=["doc_id", "text", "digest"])
    docs = docs.filter(pc.is_in(docs["doc_id"], value_set=pc.cast(wanted, docs["doc_id"].type)))
    text = dict(zip(docs["doc_id"].to_pylist(), docs["text"].to_pylist(), strict=True))
    digest = dict(zip(docs["doc_id"].to_pylist(), docs["digest"].to_pylist(), strict=True))
    out = []
    for a, b, label in judged:
        linked = a == b or (a in story and story.get(a) == story.get(b))
        if (a, b) in relation:
            rel = relation[(a, b)]
        elif a in digest and digest.get(a) == digest.get(b):
            rel = "duplicate"
        elif a in text and b in text:
            rel = compare(text[a], text[b], config).relation
        else:
            rel = None
        out.append(JudgedPair(a, b, label, linked, rel))
    return out


def _share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def measures_of(judged: list[JudgedPair]) -> list[Measure]:
    """The issue's figures over judged pairs."""
    by_label: dict[str, list[JudgedPair]] = {}
    for p in judged:
        by_label.setdefault(p.label, []).append(p)

    def measure(
        key: str, label: str, target: float, pairs: list[JudgedPair], hits: int, higher: bool = True
    ) -> Measure:
        return Measure(
            f"reuters.{key}",
            label,
            target,
            _share(hits, len(pairs)),
            higher,
            f"{hits}/{len(pairs)}",
            tolerance=one_pair(len(pairs)),
        )

    dup = by_label.get("DUPLICATE", [])
    ver = by_label.get("VERSION", [])
    tpl = by_label.get("TEMPLATE", [])
    par = by_label.get("PARTIAL", [])
    return [
        measure(
            "duplicate_linked",
            "Reuters DUPLICATE pairs linked",
            0.95,
            dup,
            sum(p.linked for p in dup),
        ),
        measure(
            "duplicate_named",
            "Reuters DUPLICATE pairs named duplicate/near_duplicate",
            0.90,
            dup,
            sum(p.relation in ("duplicate", "near_duplicate") for p in dup),
        ),
        measure(
            "version_linked", "Reuters VERSION pairs linked", 0.95, ver, sum(p.linked for p in ver)
        ),
        measure(
            "partial_found",
            "Reuters PARTIAL pairs named partial (or linked as excerpt)",
            0.80,
            par,
            sum(p.relation in ("partial", "excerpt") for p in par),
        ),
        measure(
            "template_linked",
            "Reuters TEMPLATE pairs linked (lower is better)",
            0.03,
            tpl,
            sum(p.linked for p in tpl),
            higher=False,
        ),
    ]


def measure_reuters(data: Path, config: Config) -> list[Measure]:
    """Run storytrace over all Reuters-21578 bodies and read the judged pairs from the run."""
    with tempfile.TemporaryDirectory(prefix="storytrace-eval-") as tmp:
        run = find_stories(sorted((data / CORPUS).glob("*.sgm")), Path(tmp) / "run", config)
        judged = read_judged(data / JUDGED)
        return measures_of(judge_run(run, judged, config)) + held_out_measures(run, judged, config)


def label_counts(path: Path) -> Counter[str]:
    """How many judged pairs each label has."""
    return Counter(label for _, _, label in read_judged(path))


SUITE = Suite("reuters", (CORPUS, JUDGED), measure_reuters)
