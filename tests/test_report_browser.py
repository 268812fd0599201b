"""The report and the viewer in a real browser: Debian's chromium driven by Playwright.

Every test runs twice, on the static report opened from disk (``file://``) and on the live
viewer, because the two share their templates but not their links or their search. What
is checked is what a reader sees: the seed story and its roles, its timeline, the shared
passages highlighted on both sides, the change marks, the search, and payloads in titles
and texts shown as text. Screenshots of the main pages go to ``tests/output/screenshots``.

Without chromium these tests skip, except under ``CI=true``, where they fail: ``make test``
installs it (``make browser``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import ROOT, XSS_IMG, XSS_SCRIPT
from storytrace.report.static_site import build_report

SCREENSHOTS = ROOT / "tests" / "output" / "screenshots"
VOA = "002_b386addb4608aa0f.txt"
GLOBALSECURITY = "000_afb563e75b84724c.txt"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:
        message = "chromium is not installed (`make browser` installs it)"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"CI=true but {message}: the browser tests must run in CI")
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


@dataclass
class Tab:
    """A page with every dialog and every error it raised."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    tab = Tab(context.new_page())

    def on_dialog(dialog: object) -> None:
        tab.dialogs.append(getattr(dialog, "message", ""))
        getattr(dialog, "dismiss")()  # noqa: B009

    tab.page.on("dialog", on_dialog)
    tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    yield tab
    context.close()


@dataclass(frozen=True)
class Site:
    """Where the pages are: a static report folder or a live viewer."""

    name: str
    root: str

    @property
    def static(self) -> bool:
        return self.name == "static"

    def overview(self) -> str:
        return f"{self.root}/index.html" if self.static else f"{self.root}/"

    def stories(self) -> str:
        return f"{self.root}/stories.html" if self.static else f"{self.root}/stories"

    def rejects(self) -> str:
        return f"{self.root}/rejects.html" if self.static else f"{self.root}/rejects"

    def story(self, story_id: str) -> str:
        suffix = ".html" if self.static else ""
        return f"{self.root}/stories/{story_id}{suffix}"

    def compare(self, story_id: str, old: int, new: int) -> str:
        if self.static:
            return f"{self.root}/stories/{story_id}/compare-{old}-{new}.html"
        return f"{self.root}/stories/{story_id}/compare/{old}/{new}"


@pytest.fixture(scope="module")
def demo_report(demo_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report"
    build_report(demo_run, out)
    return out


@pytest.fixture(scope="module")
def xss_report(xss_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("xss-report") / "report"
    build_report(xss_run, out)
    return out


@pytest.fixture(params=["static", "server"])
def site(request: pytest.FixtureRequest, demo_report: Path, demo_viewer: str) -> Site:
    if request.param == "static":
        return Site("static", demo_report.as_uri())
    return Site("server", demo_viewer)


@pytest.fixture(params=["static", "server"])
def xss_site(request: pytest.FixtureRequest, xss_report: Path, xss_viewer: str) -> Site:
    if request.param == "static":
        return Site("static", xss_report.as_uri())
    return Site("server", xss_viewer)


@pytest.fixture(scope="module")
def seed_story(demo_run: Path) -> str:
    rows = pq.read_table(demo_run / "stories.parquet").to_pylist()
    return str(next(r["story_id"] for r in rows if r["doc_id"] == VOA))


def shoot(tab: Tab, site: Site, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SCREENSHOTS / f"{site.name}-{name}.png"), full_page=full_page)


def script_ran(tab: Tab) -> bool:
    return tab.page.locator("body[data-script=ready]").count() == 1


def test_overview(tab: Tab, site: Site, demo_run: Path) -> None:
    tab.page.goto(site.overview())
    documents = pq.read_metadata(demo_run / "documents.parquet").num_rows
    assert tab.page.inner_text("#count-documents .n") == f"{documents:,}"
    assert tab.page.inner_text("#count-stories .n") == "65"
    assert tab.page.locator("svg.histogram").count() == 2
    assert tab.page.locator("svg.histogram rect.bar.relation-version").count() > 0
    assert script_ran(tab), "report.js did not run under the page's policy"
    shoot(tab, site, "overview")
    assert tab.errors == []


def test_inline_script_is_blocked_by_the_policy(tab: Tab, site: Site) -> None:
    tab.page.goto(site.overview())
    ran = tab.page.evaluate(
        """() => {
            const s = document.createElement("script");
            s.textContent = "window.inlineRan = true";
            document.body.appendChild(s);
            return window.inlineRan === true;
        }"""
    )
    assert ran is False
    assert script_ran(tab)  # while the report's own file did run
    assert any("Content Security Policy" in e for e in tab.errors)


def visible_rows(tab: Tab) -> list[str]:
    rows = tab.page.locator("#story-rows tbody tr:visible td:first-child")
    return [r.strip() for r in rows.all_inner_texts()]


def test_search_filters_the_story_list(tab: Tab, site: Site, seed_story: str) -> None:
    tab.page.goto(site.stories())
    everything = visible_rows(tab)
    assert len(everything) == (65 if site.static else 50)
    shoot(tab, site, "stories")
    search = tab.page.locator("#story-search")
    search.fill("b386ADDB")  # part of the VOA seed's doc id, any case
    assert visible_rows(tab) == [seed_story]
    assert tab.page.inner_text("#filter-count") == f"1 of {len(everything)} shown"
    shoot(tab, site, "stories-search")
    search.fill("")
    assert visible_rows(tab) == everything
    search.fill("prime rate")  # a headline word of a Reuters story
    assert 0 < len(visible_rows(tab)) < len(everything)
    before = tab.page.url
    search.fill("b386addb")
    search.press("Enter")
    tab.page.wait_for_load_state()
    if site.static:
        assert tab.page.url == before  # nothing to ask from disk: the filter is the search
    else:
        assert "q=b386addb" in tab.page.url  # the server searched every page
    assert visible_rows(tab) == [seed_story]


def test_seed_story_roles_and_timeline(tab: Tab, site: Site, seed_story: str) -> None:
    tab.page.goto(site.stories())
    tab.page.get_by_role("link", name=seed_story, exact=True).click()
    tab.page.wait_for_load_state()
    assert tab.page.url == site.story(seed_story)
    members = tab.page.locator("table.members tbody tr")
    rows = [
        (members.nth(i).get_attribute("data-doc"), members.nth(i).get_attribute("data-role"))
        for i in range(members.count())
    ]
    assert rows == [(VOA, "origin"), (GLOBALSECURITY, "version")]
    events = tab.page.locator("svg.timeline g.event")
    assert events.count() == 2
    assert events.nth(0).get_attribute("class") == "event role-origin"
    assert events.nth(0).get_attribute("data-doc") == VOA
    assert events.nth(1).get_attribute("class") == "event role-version"
    assert events.nth(1).get_attribute("data-doc") == GLOBALSECURITY
    assert tab.page.locator("svg.timeline circle:visible").count() == 2
    assert "placed by their order" in (tab.page.text_content("svg.timeline text.caption") or "")
    steps = tab.page.inner_text("table.steps tbody")
    assert "26\t6\t7\t0" in steps
    shoot(tab, site, "story")
    assert tab.errors == []


def expected_passages(demo_run: Path, seeds: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Passage number -> (text in VOA, text in GlobalSecurity), from the passages table."""
    out = {}
    for p in pq.read_table(demo_run / "passages.parquet").to_pylist():
        if {p["doc_a"], p["doc_b"]} != {VOA, GLOBALSECURITY}:
            continue
        in_a = seeds[p["doc_a"]][p["a_start"] : p["a_end"]]
        in_b = seeds[p["doc_b"]][p["b_start"] : p["b_end"]]
        out[str(p["passage"])] = (in_a, in_b) if p["doc_a"] == VOA else (in_b, in_a)
    return out


def marks(tab: Tab, side: str) -> dict[str, str]:
    found = tab.page.locator(f"#side-{side} mark.passage")
    return {
        str(found.nth(i).get_attribute("data-passage")): found.nth(i).text_content() or ""
        for i in range(found.count())
    }


def test_side_by_side_highlights_passages_and_changes(
    tab: Tab, site: Site, seed_story: str, demo_run: Path, seed_paths: list[Path]
) -> None:
    tab.page.goto(site.story(seed_story))
    tab.page.get_by_role("link", name="0 → 1").click()
    tab.page.wait_for_load_state()
    assert tab.page.url == site.compare(seed_story, 0, 1)
    assert tab.page.locator("#side-left").get_attribute("data-doc") == VOA
    seeds = {p.name: p.read_text(encoding="utf-8") for p in seed_paths}
    expected = expected_passages(demo_run, seeds)
    left, right = marks(tab, "left"), marks(tab, "right")
    assert len(expected) == 5
    assert set(left) == set(right) == set(expected)
    for number, (in_voa, in_globalsecurity) in expected.items():
        assert left[number] == in_voa
        assert right[number] == in_globalsecurity
    longest = max(expected, key=lambda n: len(expected[n][0]))
    assert "Tillerson met with China's top diplomat" in left[longest]
    assert "Tillerson met with China's top diplomat" in right[longest]

    added = " ".join(tab.page.locator("#side-right .change-added").all_text_contents())
    removed = " ".join(tab.page.locator("#side-left .change-removed").all_text_contents())
    assert "By William Ide September 30, 2017" in added
    assert "US Communicates Directly With Pyonyang About Holding Nuclear Talks" in removed
    assert tab.page.locator("#side-left .change-added").count() == 0
    assert tab.page.locator("#side-right .change-removed").count() == 0
    for side in ("left", "right"):
        assert tab.page.locator(f"#side-{side} .change-changed").count() > 0
    changes = tab.page.locator("ol.changes li")
    assert changes.count() == 26 + 6 + 7
    assert tab.page.locator("ol.changes li.change-changed").count() == 7
    assert "No. 1" in tab.page.locator("ol.changes li.change-changed ins").all_text_contents()

    tab.page.locator(f'#side-left mark[data-passage="{longest}"]').hover()
    partner = tab.page.locator(f'#side-right mark[data-passage="{longest}"]')
    assert "active" in (partner.get_attribute("class") or "")
    tab.page.mouse.move(0, 0)
    tab.page.evaluate("window.scrollTo(0, 0)")
    shoot(tab, site, "side-by-side", full_page=False)
    assert tab.errors == []


def test_viewer_compares_any_two_versions(tab: Tab, demo_viewer: str) -> None:
    tab.page.goto(f"{demo_viewer}/stories")
    tab.page.locator("#story-rows tbody tr a").first.click()
    tab.page.wait_for_load_state()
    tab.page.select_option("form.pick select[name=old]", "2")
    tab.page.select_option("form.pick select[name=new]", "0")
    tab.page.get_by_role("button", name="Side by side").click()
    tab.page.wait_for_load_state()
    assert tab.page.url.endswith("/compare/2/0")
    assert tab.page.locator("#side-left pre.text").inner_text().strip()
    # Not consecutive, not stored: the changes are computed for the page.
    assert "Changes from left to right" in tab.page.inner_text("main")


def test_payloads_render_as_text(tab: Tab, xss_site: Site, xss_run: Path) -> None:
    story_id = pq.read_table(xss_run / "stories.parquet")["story_id"][0].as_py()
    pages = [
        xss_site.overview(),
        xss_site.stories(),
        xss_site.rejects(),
        xss_site.story(story_id),
        xss_site.compare(story_id, 0, 1),
    ]
    if not xss_site.static:
        pages += [f"{xss_site.root}/documents", f"{xss_site.root}/document?id=xss-%3Cb%3E1%3C/b%3E"]
    for url in pages:
        tab.page.goto(url)
        assert script_ran(tab)
        assert tab.page.locator("img, main script, b, svg[onload]").count() == 0, url
    tab.page.goto(xss_site.story(story_id))
    assert tab.page.get_by_text(XSS_SCRIPT, exact=True).first.is_visible()
    assert tab.page.get_by_text(XSS_IMG, exact=True).first.is_visible()
    assert tab.page.get_by_text("xss-<b>1</b>").first.is_visible()
    assert tab.page.locator('a[href^="javascript:"]').count() == 0
    tab.page.goto(xss_site.rejects())
    assert tab.page.get_by_text(XSS_SCRIPT, exact=True).first.is_visible()
    tab.page.goto(xss_site.compare(story_id, 0, 1))
    body = tab.page.inner_text("#side-left pre.text")
    assert XSS_SCRIPT in body and XSS_IMG in body
    assert tab.dialogs == []
    assert tab.errors == []


def test_viewer_matches_an_article_loaded_from_a_file(
    tab: Tab, demo_viewer: str, seed_paths: list[Path], tmp_path: Path
) -> None:
    """The match page: a file chosen is read into the text box, sent, and the article's
    story is named and linked; the run is only read."""
    tab.page.goto(f"{demo_viewer}/match")
    tab.page.set_input_files("#match-file", str(seed_paths[1]))
    tab.page.wait_for_function("document.getElementById('match-text').value.length > 1000")
    tab.page.get_by_role("button", name="Match").click()
    tab.page.wait_for_load_state()
    heading = tab.page.inner_text("section.match-result h2")
    assert heading.startswith("duplicate in story-"), heading
    tab.page.locator("section.match-result h2 a").click()
    tab.page.wait_for_load_state()
    assert "/stories/story-" in tab.page.url
    assert tab.errors == []
