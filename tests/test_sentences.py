"""Sentence splitting on real news lines: quotes, abbreviations, figures, wraps, tables."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storytrace.clean import clean_lines
from storytrace.stories.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_a_quote_splits_inside_and_closes_with_its_sentence(seed_texts: list[str]) -> None:
    voa = seed_texts[1]
    start = voa.index('"We are probing')
    paragraph = voa[start : voa.index("\n", start)]
    assert sentences(paragraph) == [
        '"We are probing so stay tuned," Tillerson told reporters after talks with Chinese '
        "officials.",
        '"We ask.',
        "We have lines of communication with Pyongyang.",
        "We're not in a dark situation, a blackout.",
        'We have a couple, three channels open to Pyongyang."',
    ]


def test_abbreviations_initials_and_decimals_do_not_end_a_sentence(seed_texts: list[str]) -> None:
    found = set(sentences(clean_lines(seed_texts[0]).text))
    for whole in (
        "State Department Says N. Korea Has No Interest in Talks",
        "China is North Korea's No. 1 trade partner.",
        'Trump also said at the U.N. on September 19 that the U.S. would "totally destroy" North '
        "Korea if it carried out an attack.",
        "North Korea earned $1.5 billion from the export of the items to China in 2016, "
        "according to the State Department.",
        "So this is a problem we [the U.S.] and South Korea are going to have to handle directly "
        'with North Korea as we go forward," Paal told VOA.',
    ):
        assert whole in found


def test_wrapped_wire_lines_are_one_sentence(reuters_texts: dict[str, str]) -> None:
    text = clean_lines(reuters_texts["reuters-18958"]).text
    assert [" ".join(s.split()) for s in sentences(text)] == [
        "Moody's Investors Service Inc said it may downgrade Crazy Eddie Inc's 81 mln dlrs of "
        "B-1 convertible subordinated debentures.",
        "Moody's cited Crazy Eddie's reduced profitability, recent acquisition proposals for the "
        "company that could increase debt leverage, and an uncertain earnings outlook.",
        "The agency said its review would consider the company's concentration in the highly "
        "competitive New York marketplace, as well as Crazy's ability to maintain adequate bank "
        "financing.",
        "Moody's corrects amount of debt from 65 mln dlrs.",
    ]


def test_a_title_at_the_end_of_a_wrapped_line_keeps_its_name(
    reuters_texts: dict[str, str],
) -> None:
    text = clean_lines(reuters_texts["reuters-5376"]).text
    assert any("an amendment by Rep.\nRichard Gephardt, a Missouri" in s for s in sentences(text))


def test_a_first_line_cut_short_by_its_dateline_continues() -> None:
    # The first lines of Reuters-21578 items 16661 and 13121, whose datelines stand apart.
    core_mark = (
        "Core-Mark\nInternational Inc said it was vigorously addressing its\n"
        "problems and would correct them in the near term.\nThe packaged goods distributor"
    )
    assert sentences(core_mark)[0] == core_mark[: core_mark.index("\nThe packaged")]
    wrigley = "Wm. Wrigley Jr. Co said it raised the\nwholesale price. The gum sold at 30 cts."
    assert sentences(wrigley) == [
        "Wm. Wrigley Jr. Co said it raised the\nwholesale price.",
        "The gum sold at 30 cts.",
    ]


def test_table_rows_are_one_unit_each(reuters_texts: dict[str, str]) -> None:
    text = clean_lines(reuters_texts["reuters-4292"]).text
    assert sentences(text) == [
        "4th qtr",
        "Shr nine cts vs four cts",
        "Net 658,159 vs 299,930",
        "Revs 3,770,341 vs 2,614,224",
        "Avg shrs 7,382,802 vs 6,747,442",
        "Year",
        "Oper shr 33 cts vs 18 cts",
        "Oper net 2,287,179 vs 1,045,799",
        "Revs 13.1 mln vs 8,577,853",
        "Avg shrs 6,874,505 vs 5,951,612",
        "NOTE: 1985 year net excludes 131,000 dlr tax credit.",
    ]


def test_datelines_stand_apart() -> None:
    # Opening lines of two agency stories in the L3S-GN1 news corpus.
    assert sentences(
        "HONOLULU (AP) -- The PGA Tour has 22 rookies at the Sony Open. That doesn't include "
        "Jim McGovern."
    ) == [
        "HONOLULU (AP) --",
        "The PGA Tour has 22 rookies at the Sony Open.",
        "That doesn't include Jim McGovern.",
    ]
    berlin = (
        "BERLIN -- It was a distinct pleasure to be back in Berlin on the night Sen. John McCain "
        "won the New Hampshire Republican primary."
    )
    assert sentences(berlin) == ["BERLIN --", berlin[len("BERLIN -- ") :]]


def test_an_abbreviation_ends_a_sentence_before_a_typical_opening() -> None:
    assert sentences("Output rose in the U.S. The rise was small.") == [
        "Output rose in the U.S.",
        "The rise was small.",
    ]
    # Reuters-21578 item 17201: a capitalised noun after "U.S." is part of the name.
    wire = (
        "Tokyo complied with a U.S.-Japanese pact on semiconductors.\n"
        "U.S. Officials gave the same message to former Japanese\n"
        "Foreign Minister Shintaro Abe in meetings in Washington last\nweek."
    )
    assert sentences(wire)[1].startswith("U.S. Officials gave the same message")


@given(st.text(alphabet=st.sampled_from(list("ab AB.?!\"'\n1,")), max_size=80))
def test_spans_are_in_order_stripped_and_cover_every_word(text: str) -> None:
    spans = split_sentences(text)
    covered = [False] * len(text)
    previous_end = 0
    for s in spans:
        assert previous_end <= s.start < s.end
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        covered[s.start : s.end] = [True] * (s.end - s.start)
        previous_end = s.end
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text))
