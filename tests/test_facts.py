"""Formula stories: the same wording filled with other names and figures is not a copy."""

from __future__ import annotations

from storytrace import compare
from storytrace.fingerprint.tokens import tokenize
from storytrace.match.facts import fact_mask


def test_facts_are_figures_and_names_not_sentence_starts() -> None:
    text = "The bank said Comerica Inc raised its rate to 7-3/4 pct.\nShares rose in New York."
    tokens = tokenize(text, seed=1)
    facts = [
        text[s:e]
        for s, e, f in zip(tokens.starts, tokens.ends, fact_mask(text, tokens), strict=True)
        if f
    ]
    assert facts == ["Comerica", "Inc", "7", "3", "4", "New", "York"]


def test_two_banks_raising_the_prime_rate_are_not_one_story(reuters_texts: dict[str, str]) -> None:
    docs = reuters_texts
    # First Wisconsin National Bank vs Comerica: same sentence, same rates, other bank.
    result = compare(docs["reuters-12112"], docs["reuters-12514"])
    assert result.relation is None
    assert result.reason.startswith("other facts")


def test_versions_that_add_text_stay_versions(reuters_texts: dict[str, str]) -> None:
    docs = reuters_texts
    # The same HRP purchase; the later item adds facility details.
    assert compare(docs["reuters-19727"], docs["reuters-19783"]).relation == "version"


def test_one_swapped_name_is_a_correction_not_a_formula() -> None:
    story = (
        "The governor of the central bank, Anna Berg, told reporters on Monday that rates "
        "would stay on hold until inflation fell back towards the target set by parliament."
    )
    assert compare(story, story.replace("Anna Berg", "Anna Borg")).relation == "near_duplicate"
