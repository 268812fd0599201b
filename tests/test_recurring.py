"""Corpus-level boilerplate: template lines go, copies keep their text, offsets stay right."""

from __future__ import annotations

import json
from pathlib import Path

from storytrace import Config, find_stories
from storytrace.clean import clean_lines, to_original
from storytrace.clean.recurring import find_recurring, line_keys

STORIES = [
    "The city council approved a new budget for road repairs on Tuesday evening.",
    "Heavy rain flooded the main road into town and closed two schools on Monday.",
    "The local football club signed a young striker from a rival team this week.",
    "A fire destroyed an empty warehouse near the harbour early on Sunday morning.",
    "The museum will reopen next month after a two-year renovation of its main hall.",
    "Police are asking for witnesses after a car crashed into a shop window overnight.",
]
TEMPLATE = "Get the Evening Post delivered to your door every morning"
MENU = "News · Sport · Business · Opinion"


def site_page(n: int) -> str:
    """A page of the Evening Post: its menu, its own story, its sign-up line."""
    own = f"Reporter number {n} wrote this story, and {n + 1} readers have shared it so far."
    return "\n\n".join([MENU, STORIES[n], own, TEMPLATE]) + "\n"


def test_template_lines_of_a_site_go_with_their_count() -> None:
    pages = [site_page(n) for n in range(len(STORIES))]
    found = find_recurring(
        line_keys(pages), ["post.example"] * len(pages), site_docs=5, corpus_docs=0
    )
    for page, recurring in zip(pages, found, strict=True):
        cleaned = clean_lines(page, recurring)
        assert TEMPLATE not in cleaned.text
        reasons = {page[r.start : r.end]: r.reason for r in cleaned.removed}
        assert reasons[TEMPLATE] == "recurring line: 6 documents of site post.example"
        # Kept text still points into the original page.
        first = cleaned.text.split("\n\n")[0]
        assert int(to_original(cleaned.segments, [0])[0]) == page.index(first)


def test_below_the_threshold_or_on_other_sites_nothing_goes() -> None:
    pages = [site_page(n) for n in range(len(STORIES))]
    sites = [f"site{n}.example" for n in range(len(pages))]
    found = find_recurring(line_keys(pages), sites, site_docs=5, corpus_docs=0)
    assert all(not r for r in found)
    found = find_recurring(line_keys(pages[:4]), [None] * 4, site_docs=5, corpus_docs=5)
    assert all(not r for r in found)


def test_a_reprinted_story_keeps_its_text() -> None:
    # One wire story reprinted four times with the sign-up line, one piece of its own quoting
    # the story's second paragraph, and six other pages with the sign-up line.
    wire = [
        "Oil prices rose sharply on Wednesday after an attack on a pipeline in the north.",
        "Brent crude gained four percent to its highest level in six months, traders said.",
        "The pipeline operator said repairs would take at least two weeks to complete.",
    ]
    reprint = "\n\n".join([*wire, TEMPLATE])
    own = "A new bridge over the river opened to traffic on Saturday after three years of work."
    quoting = "\n\n".join([own, wire[1], TEMPLATE])
    pages = [reprint] * 4 + [quoting, *(site_page(n) for n in range(len(STORIES)))]
    found = find_recurring(line_keys(pages), [None] * len(pages), site_docs=5, corpus_docs=5)
    for page, recurring in zip(pages, found, strict=True):
        cleaned = clean_lines(page, recurring).text
        assert TEMPLATE not in cleaned  # template among other text in most documents
    assert all(w in clean_lines(reprint, found[0]).text for w in wire)
    assert wire[1] in clean_lines(quoting, found[4]).text  # the quote can still be found


def test_wrapped_wire_lines_are_never_counted() -> None:
    # "the company said." ends a wrapped sentence in each item: it is not a line of its own.
    items = [
        f"Company {n} reported higher quarterly earnings on Monday,\nthe company said.\n"
        for n in range(10)
    ]
    found = find_recurring(line_keys(items), [None] * 10, site_docs=5, corpus_docs=5)
    assert all(not r for r in found)


def test_the_run_removes_site_templates_and_records_why(tmp_path: Path) -> None:
    rows = [
        {"id": f"p{n}", "url": f"https://www.post.example/{n}", "text": site_page(n)}
        for n in range(len(STORIES))
    ]
    rows.append({"id": "only-template", "url": "https://post.example/x", "text": TEMPLATE})
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    run = find_stories([path], tmp_path / "run", Config(workers=1))
    documents = {d["doc_id"]: d for d in run.documents.to_pylist()}
    assert TEMPLATE not in documents["p0"]["clean_text"]
    assert MENU not in documents["p0"]["clean_text"]
    assert any(
        r["reason"].startswith("recurring line: 7 documents of site post.example")
        for r in documents["p0"]["removed"]
    )
    # A document with nothing but template is rejected, with the reason, never dropped.
    [reject] = run.rejects.to_pylist()
    assert reject["doc_id"] == "only-template"
    assert reject["reason"] == "no words left after boilerplate removal"


WIRE = [
    "Oil prices rose sharply on Wednesday after an attack on a pipeline in the north.",
    "Brent crude gained four percent to its highest level in six months, traders said.",
    "The pipeline operator said repairs would take at least two weeks to complete.",
]


def _framed(site: int, body: list[str]) -> str:
    """A page of small site ``site``: its masthead and telephone line stacked on top, its
    copyright line at the bottom."""
    head = f"Valley Gazette {site}\nCall 555-01{site:02d} to subscribe"
    foot = f"Copyright 2019 Valley Gazette {site}. All rights reserved."
    return "\n\n".join([head, *body, foot]) + "\n"


def test_small_sites_printing_the_same_wire_story_lose_their_frames_not_the_story() -> None:
    # Thirty sites of three pages each: every page is the same wire story (as a flood of
    # reprints makes them) or one of the site's own stories. Every site's frame goes; the
    # wire story's paragraphs, in 60 pages, stay.
    pages, sites = [], []
    for site in range(30):
        for n in range(3):
            body = WIRE if n < 2 else [STORIES[site % len(STORIES)] + f" Item {site}."]
            pages.append(_framed(site, body))
            sites.append(f"site{site}.example")
    found = find_recurring(line_keys(pages), sites, site_docs=5, corpus_docs=5)
    for page, recurring in zip(pages, found, strict=True):
        cleaned = clean_lines(page, recurring)
        assert "Valley Gazette" not in cleaned.text and "555-01" not in cleaned.text
        assert cleaned.text.strip(), page
        if WIRE[0] in page:
            assert all(paragraph in cleaned.text for paragraph in WIRE)


def test_two_pages_of_a_site_are_not_enough_to_call_a_line_its_frame() -> None:
    pages = [_framed(1, [STORIES[0]]), _framed(1, [STORIES[1]])]
    found = find_recurring(line_keys(pages), ["a.example"] * 2, site_docs=5, corpus_docs=5)
    assert all(not r for r in found)
