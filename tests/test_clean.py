"""Line-level boilerplate removal on the seeds and on newswire text."""

from __future__ import annotations

from pathlib import Path

import pytest

from storytrace.clean import clean_lines, to_original

SCRAPING_LINES = [
    "UNITED24 - Make a charitable donation in support of Ukraine!",
    "Weapons of Mass Destruction (WMD)",
    "Join the GlobalSecurity.org mailing list",
    "Accessibility links",
    "Breaking News",
    "16x9 Image",
    "XS",
    "SM",
    "MD",
    "LG",
    "shakes hands with Chinese Foreign Minister Wang Yi",  # the repeated photo caption
    "meets with China's President Xi Jinping at the Great Hall",  # the second caption
]


def test_seed_scraping_lines_are_gone(seed_texts: list[str]) -> None:
    for text in seed_texts:
        clean = clean_lines(text).text
        lines = {line.strip() for line in clean.splitlines()}
        for leftover in SCRAPING_LINES:
            assert leftover not in lines, leftover
            if len(leftover) > 20:
                assert leftover not in clean, leftover


# Every line of the two seeds that is not the article: site banners, interface, calls to
# action, the photo captions scraped twice, and VOA's author card after the credit line.
SEED_BOILERPLATE = {
    "000_afb563e75b84724c.txt": [
        "UNITED24 - Make a charitable donation in support of Ukraine!",
        "Weapons of Mass Destruction (WMD)",
        "Join the GlobalSecurity.org mailing list",
    ],
    "002_b386addb4608aa0f.txt": [
        "Accessibility links",
        "Breaking News",
        "update",
        "U.S. Secretary of State Rex Tillerson, left, shakes hands with Chinese Foreign Minister",
        "U.S. Secretary of State Rex Tillerson, left, meets with China's President Xi Jinping",
        "16x9 Image",
        "VOA News",
        "The Voice of America provides news and information in more than 40 languages",
        "XS",
        "SM",
        "MD",
        "LG",
    ],
}
SEED_HEADLINES = {
    "000_afb563e75b84724c.txt": "State Department Says N. Korea Has No Interest in Talks",
    "002_b386addb4608aa0f.txt": (
        "US Communicates Directly With Pyonyang About Holding Nuclear Talks"
    ),
}


def test_seed_boilerplate_is_all_gone_and_every_sentence_stays(seed_paths: list[Path]) -> None:
    for path in seed_paths:
        text = path.read_text(encoding="utf-8")
        clean = clean_lines(text).text
        clean_lines_set = {line.strip() for line in clean.splitlines()}
        for leftover in SEED_BOILERPLATE[path.name]:
            assert not any(line.startswith(leftover) for line in clean_lines_set), leftover
        boilerplate = [
            line.strip()
            for line in text.splitlines()
            if any(line.strip().lstrip("• ").startswith(b) for b in SEED_BOILERPLATE[path.name])
        ]
        article = [
            line.strip()
            for line in text.splitlines()
            if line.strip() and line.strip() not in boilerplate
        ]
        # Everything else, headline, byline and every paragraph, is kept in order.
        assert article[0] == SEED_HEADLINES[path.name]
        assert [line for line in clean.splitlines() if line.strip()] == article


def test_seed_article_text_is_kept(seed_texts: list[str]) -> None:
    gs, voa = (clean_lines(t).text for t in seed_texts)
    assert gs.startswith("State Department Says N. Korea Has No Interest in Talks")
    assert "By William Ide September 30, 2017" in gs
    assert gs.rstrip().endswith(
        "VOA State Department correspondent Nike Ching contributed to this report."
    )
    assert voa.startswith("US Communicates Directly With Pyonyang About Holding Nuclear Talks")
    assert "VOA's Nike Ching contributed to this report." in voa
    assert "We are probing so stay tuned" in voa


def test_offsets_point_back_into_the_original(seed_texts: list[str]) -> None:
    for text in seed_texts:
        cleaned = clean_lines(text)
        for seg in cleaned.segments:
            piece = cleaned.text[seg.clean_start : seg.clean_start + seg.length]
            assert piece == text[seg.original_start : seg.original_start + seg.length]
        # A span in clean text maps to the same words in the original.
        start = cleaned.text.index("Tillerson")
        end = start + len("Tillerson")
        o_start = int(to_original(cleaned.segments, [start])[0])
        o_end = int(to_original(cleaned.segments, [end], is_end=True)[0])
        assert text[o_start:o_end] == "Tillerson"


def test_removed_spans_say_why(seed_texts: list[str]) -> None:
    voa = seed_texts[1]
    removed = clean_lines(voa).removed
    reasons = {voa[r.start : r.end]: r.reason for r in removed}
    assert reasons["Accessibility links"] == "page interface"
    assert any(r.reason.startswith("repeated line") for r in removed)


REUTERS_BODY = """Showers continued throughout the week in
the Bahia cocoa zone, alleviating the drought since early
January and improving prospects for the coming temporao.
    The dry period means the temporao will be late this year.
 Reuter
"""


def test_wire_text_keeps_wrapped_lines_and_drops_signoff() -> None:
    cleaned = clean_lines(REUTERS_BODY)
    assert cleaned.text.startswith("Showers continued throughout the week in\nthe Bahia")
    assert cleaned.text.endswith("will be late this year.")
    assert [r.reason for r in cleaned.removed] == ["sign-off"]


@pytest.mark.parametrize(
    "line",
    ["Subscribe to our newsletter", "Share on Facebook", "Skip to main content", "Read more"],
)
def test_interface_and_calls_to_action_go(line: str) -> None:
    text = f"{line}\n\nThe minister said on Monday that the talks would resume next week.\n"
    assert line not in clean_lines(text).text


def test_article_sentence_mentioning_a_newsletter_stays() -> None:
    sentence = (
        "The company, which started as a weekly newsletter for investors in 1998, said on "
        "Tuesday that it would subscribe to the new rules once the regulator publishes them."
    )
    assert clean_lines(sentence).text == sentence


WIRE_WITH_SUBSCRIBE = """BHP said on Monday it would take part in the share issue.
The three "A" warrants will give the right to subscribe to
shares of the company at 1.25 dlrs each until the end of 1990.
The newsletter said Saudi output in the first three weeks
of March averaged 3.5 mln barrels per day.
 Reuter
"""


def test_wrapped_wire_lines_are_never_judged_alone() -> None:
    cleaned = clean_lines(WIRE_WITH_SUBSCRIBE)
    assert "right to subscribe to\nshares" in cleaned.text
    assert "The newsletter said Saudi output" in cleaned.text
    assert [r.reason for r in cleaned.removed] == ["sign-off"]


def test_headline_and_deck_stay_without_a_byline() -> None:
    text = (
        "Japan turns to beer alternatives\n\n"
        "Japanese brewers are increasingly making money from beer-flavoured drinks\n\n"
        "Beer and spirits are heavily taxed in Japan, driving breweries to search for "
        "alternatives.\n"
    )
    assert clean_lines(text).text == text.strip()


def test_banners_above_a_bylined_headline_go() -> None:
    text = (
        "World News\n\nMarkets\n\nOil prices jump after pipeline attack\n\n"
        "By Jane Doe March 3, 2021\n\n"
        "Oil prices rose sharply on Wednesday after an attack on a pipeline, traders said.\n"
    )
    cleaned = clean_lines(text)
    assert cleaned.text.startswith("Oil prices jump after pipeline attack\n\nBy Jane Doe")
    assert [r.reason for r in cleaned.removed] == ["site banner", "site banner"]


def test_short_repeated_lines_and_final_quotes_stay() -> None:
    text = (
        "Protesters filled the square.\n\nDown with the government now\n"
        "Down with the government now\n\nAsked whether she would return, she said:\n\n"
        "“Never again.”\n"
    )
    assert clean_lines(text).text == text.strip()


def test_every_kind_of_line_break_splits_lines() -> None:
    for newline in ("\r", "\r\n", "\u2028"):
        text = newline.join(["Accessibility links", "The minister resigned on Friday.", "Reuter"])
        assert clean_lines(text).text == "The minister resigned on Friday."


def test_wire_tables_and_wrapped_lines_are_not_page_metadata() -> None:
    table = (
        "Canadian money supply rose in the week, the Bank of Canada said.\n"
        "                  04/09/87 03/09/87 04/09/87 03/09/87\n"
        "    Mar --- --- --- 15784\n"
        "    Feb 87 Jan 87 Feb 86\n"
    )
    assert clean_lines(table).removed == ()
    stamped = "Published: Wednesday, January 09, 2008\n\nThe council met on Monday evening."
    assert clean_lines(stamped).text == "The council met on Monday evening."
