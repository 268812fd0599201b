"""Formula items of two subjects are two items, even when their bodies match word for word.

A fund family sends one monthly notice per fund, the same body with the fund's name in the
headline and in a note line. A run must keep each fund's notice apart, and still link a
notice to its own correction.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from storytrace import find_stories
from storytrace.config import Config

FAMILY = "Keystone"
FUNDS = [
    "Michigan Insured",
    "California Tax-Free",
    "Ohio Municipal",
    "Texas Growth",
    "Oregon Income",
    "Nevada Utilities",
    "Maine Premium",
    "Iowa Balanced",
    "Utah Select",
    "Idaho Yield",
    "Kansas Value",
    "Alaska Reserve",
    "Vermont Equity",
]
BODY = (
    "The fund said its board declared a monthly dividend of 7.2 cts a share, unchanged from "
    "the prior month, payable May 15 to shareholders of record April 30. The fund said the "
    "payout reflects net investment income for the period and that its distribution policy "
    "is reviewed each quarter by the trustees."
)


def _notice(fund: str, body: str = BODY) -> str:
    return f"{body}\nNote: {FAMILY} {fund} Fund is managed by {FAMILY} Advisers Inc."


def _records() -> list[dict[str, str]]:
    rows = [
        {
            "id": f"notice-{n:02d}",
            "title": f"{FAMILY.upper()} {fund.upper()} FUND SETS MONTHLY PAYOUT",
            "published": "1987-04-02T10:00:00",
            "text": _notice(fund),
        }
        for n, fund in enumerate(FUNDS)
    ]
    corrected = BODY.replace("7.2 cts", "7.4 cts")
    rows.append(
        {
            "id": "notice-00-corrected",
            "title": f"CORRECTED - {FAMILY.upper()} {FUNDS[0].upper()} FUND SETS MONTHLY PAYOUT",
            "published": "1987-04-02T11:30:00",
            "text": _notice(FUNDS[0], corrected),
        }
    )
    return rows


def _stories(tmp_path: Path, config: Config) -> dict[str, str]:
    corpus = tmp_path / "notices.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    run = find_stories([corpus], tmp_path / "run", config)
    rows = run.table("stories", columns=["doc_id", "story_id"]).to_pylist()
    return {r["doc_id"]: r["story_id"] for r in rows}


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _stories(tmp_path_factory.mktemp("headlines"), Config())


def test_each_funds_notice_is_its_own_item(stories: dict[str, str]) -> None:
    funds = [f"notice-{n:02d}" for n in range(len(FUNDS))]
    assert len({stories.get(d, d) for d in funds}) == len(funds)


def test_a_notice_and_its_correction_are_one_story(stories: dict[str, str]) -> None:
    assert stories["notice-00-corrected"] == stories["notice-00"]


def test_without_the_headline_check_the_funds_would_merge(tmp_path: Path) -> None:
    """The corpus does test the check: with it off, other funds' notices join one story."""
    merged = _stories(tmp_path, replace(Config(), headline_subject_names=0))
    together = [d for d in merged if d.startswith("notice-") and merged[d] == merged["notice-00"]]
    assert len(together) > 2
