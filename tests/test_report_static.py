"""``storytrace report``: the static folder, its limits, its errors and its hygiene.

What a browser makes of the pages is in ``test_report_browser.py``; here the files
themselves: written the same way every time, bounded, and free of inline code.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

from conftest import RAW_CONTROL, SHARED_PASSAGE, XSS_IMG, XSS_SCRIPT, side_text
from storytrace.cli import main
from storytrace.report.security import CONTROL_PICTURES
from storytrace.report.static_site import build_report


def report(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["report", *map(str, args)])
    return result.exit_code, result.output


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_report_command_writes_a_folder_and_says_where(demo_run: Path, tmp_path: Path) -> None:
    code, output = report(demo_run, "-o", tmp_path / "site")
    assert code == 0, output
    index = tmp_path / "site" / "index.html"
    assert f"report: {index} (65 stories" in output
    assert f"serve it: storytrace serve {demo_run}" in output
    written = files_of(tmp_path / "site")
    assert {"index.html", "stories.html", "rejects.html", "static/report.js"} <= set(written)
    stories = {row["story_id"] for row in pq.read_table(demo_run / "stories.parquet").to_pylist()}
    assert {f"stories/{s}.html" for s in stories} <= set(written)


def test_same_run_same_bytes(demo_run: Path, tmp_path: Path) -> None:
    first = build_report(demo_run, tmp_path / "a")
    second = build_report(demo_run, tmp_path / "b")
    again = build_report(demo_run, tmp_path / "a")  # over the earlier report
    assert first.stories_written == second.stories_written == again.stories_written
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")


def test_not_a_run_is_a_clear_error(tmp_path: Path) -> None:
    code, output = report(tmp_path)
    assert code == 1
    assert f"Error: {tmp_path} is not a storytrace run (no manifest.json)" in output
    assert "Traceback" not in output


def test_a_folder_of_other_files_is_not_overwritten(demo_run: Path, tmp_path: Path) -> None:
    keep = tmp_path / "notes.txt"
    keep.write_text("mine", encoding="utf-8")
    code, output = report(demo_run, "-o", tmp_path)
    assert code == 1 and "is not a storytrace report" in output
    assert keep.read_text(encoding="utf-8") == "mine"


def test_big_runs_are_bounded_and_say_so(demo_run: Path, tmp_path: Path) -> None:
    code, output = report(demo_run, "-o", tmp_path, "--max-stories", "3", "--max-compares", "2")
    assert code == 0, output
    assert "3 stories, 62 smaller ones left out" in output
    assert len(list((tmp_path / "stories").glob("*.html"))) == 3
    listing = (tmp_path / "stories.html").read_text(encoding="utf-8")
    assert listing.count("<tr data-search=") == 3
    assert "lists the 3 largest of 65 stories" in listing
    sizes: dict[str, int] = {}
    for row in pq.read_table(demo_run / "stories.parquet").to_pylist():
        sizes[row["story_id"]] = sizes.get(row["story_id"], 0) + 1
    largest = min(sizes, key=lambda s: (-sizes[s], s))
    assert sizes[largest] == 3  # three pages possible, two written
    pages = sorted(p.name for p in (tmp_path / "stories" / largest).glob("*.html"))
    assert pages == ["compare-0-1.html", "compare-1-2.html"]
    story = (tmp_path / "stories" / f"{largest}.html").read_text(encoding="utf-8")
    assert "at most 2 per story" in story


def test_missing_changes_table_is_said(demo_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(demo_run, run)
    (run / "changes.parquet").unlink()
    build_report(run)
    pages = list((run / "report" / "stories").rglob("compare-*.html"))
    assert pages
    for page in pages:
        assert "This run has no changes table" in page.read_text(encoding="utf-8")


class _Hygiene(HTMLParser):
    """Collects what a Content-Security-Policy without 'unsafe-inline' would block."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.csp: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}")
            if name == "style":
                self.problems.append("style attribute")
            if name in ("href", "src") and value and value.lower().startswith("javascript:"):
                self.problems.append(f"javascript: url in {name}")
        if tag == "meta" and names.get("http-equiv") == "Content-Security-Policy":
            self.csp.append(names.get("content") or "")


def test_no_page_holds_inline_code_and_every_page_has_the_policy(
    demo_run: Path, xss_run: Path, tmp_path: Path
) -> None:
    for run in (demo_run, xss_run):
        out = tmp_path / run.parent.name
        build_report(run, out)
        for page in out.rglob("*.html"):
            checker = _Hygiene()
            checker.feed(page.read_text(encoding="utf-8"))
            assert checker.problems == [], (page, checker.problems)
            assert len(checker.csp) == 1, page
            assert "script-src 'self'" in checker.csp[0] and "unsafe" not in checker.csp[0]


def test_payloads_are_written_escaped(xss_run: Path, tmp_path: Path) -> None:
    build_report(xss_run, tmp_path)
    html = "".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "<svg onload" not in html
    assert XSS_SCRIPT not in html and XSS_IMG not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_control_characters_are_written_as_symbols(control_run: Path, tmp_path: Path) -> None:
    """No page of the report holds a raw control character from the run's ids, titles,
    sources, urls, texts or rejects; the side-by-side page still highlights the passage
    that follows them on its own words."""
    build_report(control_run, tmp_path)
    pages = {
        p.relative_to(tmp_path).as_posix(): p.read_text("utf-8") for p in tmp_path.rglob("*.html")
    }
    for name, html in pages.items():
        assert not RAW_CONTROL.search(html), (name, RAW_CONTROL.findall(html))
    for name in ("index.html", "stories.html", "rejects.html"):
        assert "␛]0;pwned␇" in pages[name], name
    (compare,) = [html for name, html in pages.items() if name.endswith("compare-0-1.html")]
    documents = {
        d["doc_id"]: d for d in pq.read_table(control_run / "documents.parquet").to_pylist()
    }
    passage = pq.read_table(control_run / "passages.parquet").to_pylist()[0]
    left = documents[passage["doc_a"]]["text"]
    assert "\x1b[2J" in left[: passage["a_start"]]
    shown, marks = side_text(compare, "left")
    assert shown == left.translate(CONTROL_PICTURES)
    assert marks == [left[passage["a_start"] : passage["a_end"]].translate(CONTROL_PICTURES)]
    assert re.findall(r"\w+", marks[0].lower()) == re.findall(r"\w+", SHARED_PASSAGE.lower())
