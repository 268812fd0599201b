"""Boilerplate removal on real HTML, measured against trafilatura in the same run.

Two labelled sets of news pages:

* ``article_extraction_benchmark``: 181 pages (2019-2020, gzip HTML) with the article body
  as gold, no headline;
* ``l3s_gn1``: 621 Google News pages (2008) with spans marked by hand; the main content is the
  headline (``x-nc-sel1``) and the full text (``x-nc-sel2``).

storytrace reads each folder as a user's corpus would be read: ingest (trafilatura plus the
page-level rules of :mod:`storytrace.clean.blocks`), then the corpus-level recurring-line
stage and line cleaning, with sites taken from each page's url. Its output is the clean text,
headed by the document title where the gold includes the headline. trafilatura's output is
``trafilatura.extract(page, include_comments=False)``, the call the benchmark itself makes.
Both are scored with :mod:`storytrace.evaluate.overlap`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Final

import trafilatura
from lxml import html as lxml_html

from storytrace.config import Config
from storytrace.evaluate.measures import Measure, Suite
from storytrace.evaluate.overlap import Scores, counts, scores
from storytrace.ingest import ingest
from storytrace.run.steps import clean_batch, line_keys_batch, recurring_lines

__all__ = ["AEB", "L3S", "GoldPage", "compare_extraction"]

GAIN_TARGET: Final = 0.01
"""storytrace's F1 must beat trafilatura's by this much on each set."""


@dataclass(frozen=True)
class GoldPage:
    """One labelled page: the file storytrace reads and the text it should find."""

    path: Path
    gold: str


@dataclass(frozen=True)
class Comparison:
    storytrace: Scores
    trafilatura: Scores


def _page_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def aeb_pages(data_dir: Path) -> list[GoldPage]:
    """article_extraction_benchmark: ``html/<sha256>.html.gz`` and ``ground-truth.json``."""
    folder = data_dir / "article_extraction_benchmark"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        GoldPage(folder / "html" / f"{key}.html.gz", truth[key].get("articleBody") or "")
        for key in sorted(truth)
    ]


_MAIN_CONTENT: Final = frozenset({"x-nc-sel1", "x-nc-sel2"})


def _l3s_gold(path: Path) -> str:
    """Headline and full text of an L3S-GN1 gold page: the text of the outermost elements
    marked ``x-nc-sel1`` or ``x-nc-sel2``, in page order."""
    root = lxml_html.fromstring(path.read_bytes())
    parts = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if not _MAIN_CONTENT & set((element.get("class") or "").split()):
            continue
        marked_above = any(
            _MAIN_CONTENT & set((a.get("class") or "").split()) for a in element.iterancestors()
        )
        if not marked_above:
            parts.append(element.text_content())
    return "\n".join(parts)


def l3s_pages(data_dir: Path) -> list[GoldPage]:
    """L3S-GN1: ``input/<name>.html`` paired by name with ``GoldStandard/<name>.txt``."""
    folder = data_dir / "l3s_gn1"
    return [
        GoldPage(path, _l3s_gold(folder / "GoldStandard" / f"{path.stem}.txt"))
        for path in sorted((folder / "input").glob("*.html"))
    ]


def storytrace_texts(paths: Sequence[Path], config: Config, with_title: bool) -> dict[Path, str]:
    """What storytrace keeps of each page, by path; a rejected page gives empty text."""
    documents = ingest(list(paths), config).documents
    lines = line_keys_batch(documents)
    cleaned, _ = clean_batch(documents, config, recurring_lines(lines, documents, config))
    found: dict[Path, str] = {}
    for row in cleaned.select(["input", "title", "clean_text"]).to_pylist():
        text = row["clean_text"]
        if with_title and row["title"]:
            text = f"{row['title']}\n\n{text}"
        found[Path(row["input"])] = text
    return found


def trafilatura_text(path: Path) -> str:
    text: str | None = trafilatura.extract(_page_bytes(path), include_comments=False)
    return text or ""


def compare_extraction(pages: Sequence[GoldPage], config: Config, with_title: bool) -> Comparison:
    """Score storytrace and trafilatura on the same pages."""
    ours = storytrace_texts([page.path for page in pages], config, with_title)
    return Comparison(
        storytrace=scores([counts(p.gold, ours.get(p.path, "")) for p in pages]),
        trafilatura=scores([counts(p.gold, trafilatura_text(p.path)) for p in pages]),
    )


def _measures(name: str, result: Comparison) -> list[Measure]:
    ours, theirs = result.storytrace, result.trafilatura
    reference = f"trafilatura {version('trafilatura')}, {ours.pages} pages"
    rows = []
    for figure in ("precision", "recall", "f1"):
        mine, other = getattr(ours, figure), getattr(theirs, figure)
        rows.append(
            Measure(
                key=f"{name}.storytrace_{figure}",
                label=f"{name}: storytrace {figure}",
                target=round(other + GAIN_TARGET, 4) if figure == "f1" else 0.0,
                measured=round(mine, 4),
                detail=f"{ours.pages} pages",
            )
        )
        rows.append(
            Measure(
                key=f"{name}.trafilatura_{figure}",
                label=f"{name}: trafilatura {figure}",
                target=0.0,
                measured=round(other, 4),
                detail=reference,
                gated=False,
            )
        )
    rows.append(
        Measure(
            key=f"{name}.f1_gain",
            label=f"{name}: storytrace F1 − trafilatura F1",
            target=GAIN_TARGET,
            measured=round(ours.f1 - theirs.f1, 4),
            detail=f"{ours.f1:.3f} vs {theirs.f1:.3f}",
            gated=False,
        )
    )
    return rows


def _suite(
    name: str, folder: str, pages: Callable[[Path], list[GoldPage]], with_title: bool
) -> Suite:
    def measure(data_dir: Path, config: Config) -> list[Measure]:
        return _measures(name, compare_extraction(pages(data_dir), config, with_title))

    return Suite(name=name, folders=(folder,), measure=measure)


AEB: Final = _suite("article_extraction", "article_extraction_benchmark", aeb_pages, False)
"""Article bodies of 181 recent news and blog pages; the gold has no headline."""
L3S: Final = _suite("l3s_gn1", "l3s_gn1", l3s_pages, True)
"""621 Google News pages of 2008; main content is headline plus full text."""
