"""``storytrace report``: the run as a folder of static HTML pages that open from disk.

The folder needs no server and no network: links are relative, the figures are inline SVG,
the script and the stylesheet are files beside the pages (``static/``), and the story search
filters the list in the page. The same run gives the same bytes: pages hold nothing that
changes between builds (no build time), and every list has a full sort order.

A big run stays a reasonable folder: the story list and the story pages cover the largest
``max_stories`` stories, each with side-by-side pages for consecutive versions and the origin
against each later version (at most ``max_compares``), and the rejects page the first
``max_rejects`` records. Each page that leaves something out says so; ``storytrace serve``
shows everything.

Layout::

    index.html                        overview
    stories.html                      story list, searchable
    stories/<story_id>.html           a story: timeline, articles, links, changes
    stories/<story_id>/compare-<old>-<new>.html   two versions side by side
    rejects.html                      rejected records
    static/report.css, static/report.js
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from storytrace.report.links import StaticLinks
from storytrace.report.pages import (
    Page,
    Paging,
    compare_page,
    overview_page,
    rejects_page,
    story_list_page,
    story_page,
)
from storytrace.report.queries import STORY_ID, RunTables
from storytrace.report.render import ASSETS, asset, render

MAX_STORIES = 1000
MAX_COMPARES = 40
MAX_REJECTS = 1000


class ReportFolderError(ValueError):
    """The output folder holds files that are not an earlier report."""


@dataclass(frozen=True)
class ReportSummary:
    """What was written: the entry page, and how many stories and comparisons."""

    index: Path
    stories_written: int
    stories_total: int
    compare_pages: int


def _prepare(out: Path) -> None:
    """An empty folder at ``out``: new, empty, or an earlier report (replaced whole, so no
    page of a story that is gone stays behind)."""
    if out.exists() and not out.is_dir():
        raise ReportFolderError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()):
        earlier = (out / "index.html").is_file() and (out / "static" / "report.js").is_file()
        if not earlier:
            raise ReportFolderError(
                f"{out} holds other files and is not a storytrace report: choose another -o"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def _write(path: Path, page: Page, links: StaticLinks) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(page, links), encoding="utf-8", newline="\n")


def build_report(
    run_dir: Path,
    out: Path | None = None,
    max_stories: int = MAX_STORIES,
    max_compares: int = MAX_COMPARES,
    max_rejects: int = MAX_REJECTS,
) -> ReportSummary:
    """Write the static report of ``run_dir`` into ``out`` (default ``RUN_DIR/report``).

    Raises :class:`~storytrace.report.queries.NotARunError` when ``run_dir`` is not a run
    and :class:`ReportFolderError` when ``out`` holds something else.
    """
    run = RunTables.open(run_dir)
    out = out if out is not None else run_dir / "report"
    _prepare(out)
    with run.connect() as q:
        overview = overview_page(run, q)
        rejects = rejects_page(run, q, Paging(max_rejects))
        listing = story_list_page(run, q, "", Paging(max_stories))
        story_ids = [
            s["story_id"] for s in listing.data["stories"] if STORY_ID.fullmatch(s["story_id"])
        ]
        q.keep_stories(story_ids)
        stories = {sid: story_page(run, q, sid, max_compares) for sid in story_ids}
        compares = frozenset(
            (sid, c["old"], c["new"]) for sid, page in stories.items() for c in page.data["compare"]
        )
        links = StaticLinks(0, frozenset(story_ids), compares)
        _write(out / "index.html", overview, links)
        _write(out / "stories.html", listing, links)
        _write(out / "rejects.html", rejects, links)
        for sid, page in stories.items():
            _write(out / "stories" / f"{sid}.html", page, links.at_depth(1))
        for sid, old, new in sorted(compares):
            page = compare_page(run, q, sid, old, new)
            _write(out / "stories" / sid / f"compare-{old}-{new}.html", page, links.at_depth(2))
    (out / "static").mkdir(exist_ok=True)
    for name in sorted(ASSETS):
        (out / "static" / name).write_bytes(asset(name))
    return ReportSummary(
        out / "index.html", len(story_ids), listing.data["paging"]["total"], len(compares)
    )
