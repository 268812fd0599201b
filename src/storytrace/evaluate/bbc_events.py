"""BBC News 2004-05 in the semantic mode: events group reports of one happening, and the
five sections of the paper (business, entertainment, politics, sport, tech) never collapse
into one event.

The set has no event labels, but its sections are a bound any event grouping must keep: an
event is one happening, so its articles are in one section, nearly always. The suite runs
``storytrace run --semantic`` over the first ``PER_TOPIC`` articles of each section (in
file order, so the sample is the same on every machine; the whole set takes a sentence
embedding per article, minutes on a laptop) and measures:

- the share of ``same_event`` pairs whose two articles are in one section;
- the share of the articles in events that are in their event's main section (purity);
- the share of the sample held by the largest event (a collapse would make it near 1).
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path

from storytrace.api import find_stories
from storytrace.config import Config
from storytrace.evaluate.measures import Measure, Suite

CORPUS = "bbc"
PER_TOPIC = 80
TOLERANCE = 0.01
"""Slack of the pinned figures: a pair whose similarity sits at the threshold may fall on
the other side with embeddings computed on another CPU (one pair of the sample's few hundred
moves a share by under 0.01)."""


def _sample(folder: Path, out: Path) -> int:
    count = 0
    for topic in sorted(p for p in folder.iterdir() if p.is_dir()):
        (out / topic.name).mkdir(parents=True)
        for path in sorted(topic.glob("*.txt"))[:PER_TOPIC]:
            shutil.copyfile(path, out / topic.name / path.name)
            count += 1
    return count


def _section(doc_id: str) -> str:
    return doc_id.split("/", 1)[0]


def measure_bbc_events(data: Path, config: Config) -> list[Measure]:
    """Run the semantic mode over the sample and check the events against the sections."""
    with tempfile.TemporaryDirectory(prefix="storytrace-eval-") as tmp:
        sample = Path(tmp) / "bbc"
        articles = _sample(data / CORPUS, sample)
        run = find_stories(sample, Path(tmp) / "run", config.replace(semantic=True))
        same = run.same_event.select(["doc_a", "doc_b"]).to_pylist()
        events = run.events.select(["event_id", "doc_id"]).to_pylist()
    one_section = sum(1 for p in same if _section(p["doc_a"]) == _section(p["doc_b"]))
    members: dict[str, list[str]] = {}
    for row in events:
        members.setdefault(row["event_id"], []).append(_section(row["doc_id"]))
    in_main = sum(Counter(s).most_common(1)[0][1] for s in members.values())
    largest = max((len(s) for s in members.values()), default=0)
    return [
        Measure(
            "bbc_events.pairs_in_one_section",
            "BBC same_event pairs within one section",
            0.95,
            one_section / len(same) if same else 0.0,
            detail=f"{one_section}/{len(same)}",
            tolerance=TOLERANCE,
        ),
        Measure(
            "bbc_events.section_purity",
            "BBC articles in events that are in their event's main section",
            0.95,
            in_main / len(events) if events else 0.0,
            detail=f"{in_main}/{len(events)} in {len(members)} events",
            tolerance=TOLERANCE,
        ),
        Measure(
            "bbc_events.largest_event_share",
            "BBC sample held by its largest event (lower is better)",
            0.1,
            largest / articles if articles else 1.0,
            higher_is_better=False,
            detail=f"{largest} of {articles} articles",
            tolerance=TOLERANCE,
        ),
    ]


SUITE = Suite("bbc_events", (CORPUS,), measure_bbc_events)
