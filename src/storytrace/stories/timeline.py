"""Which version came first: publication times, and evidence in the text where there are none.

Within a story the documents are ordered by when they appeared. A publication time decides
when both documents have one. Otherwise the text is read for evidence:

- a date written near the top (a byline or dateline such as "By William Ide September 30,
  2017") stands in for the publication time;
- a headline marked as a re-issue (CORRECTED, CORRECTION, UPDATE 2, RPT, REPEAT, REFILE,
  REVISED: wire conventions for a later issue of the same story) puts the document after
  one without such a mark;
- an undated document is placed at the earliest date of its story, as nothing says it came
  later;
- where nothing else tells, the shorter text is taken as the earlier: updates and rewrites
  add reactions and background to a story far more often than they cut it.

Each document keeps a sentence saying which evidence placed it, for ``stories.parquet``.

Example::

    >>> e = evidence_of("CORRECTED - TSENG LABS NET", "Shr 1.4 cts", None, 3)
    >>> e.later_marks, describe(e)
    (('CORRECTED',), 'no date; headline marks a later issue (CORRECTED)')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\.?,?\s+(?P<y2>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)
_LATER = re.compile(r"\b(CORRECTED|CORRECTION|UPDATE(?:\s+\d+)?|RPT|REPEAT|REFILED?|REVISED)\b")
# A byline or dateline sits in the first lines; a date further down is usually an event.
TOP_CHARACTERS = 600
# Most texts hold no year near the top: this plain search rules them out at a tenth of the
# cost of the full date pattern, which tries a month name at every position.
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class Evidence:
    """What tells when one document appeared."""

    when: datetime | None
    dated_by: str
    """``published``, ``date in text`` or ``none``."""
    later_marks: tuple[str, ...]
    words: int


def days_apart(a: datetime | None, b: datetime | None) -> float | None:
    """Days between two times, when both are known."""
    return abs((a - b).total_seconds()) / 86_400 if a is not None and b is not None else None


def text_date(text: str) -> datetime | None:
    """The first full date ("September 30, 2017", "30 Sept. 2017") near the top of a text."""
    top = text[:TOP_CHARACTERS]
    if not _YEAR.search(top):
        return None
    for match in _DATE.finditer(top):
        month = (match["m1"] or match["m2"]).lower()
        day, year = int(match["d1"] or match["d2"]), int(match["y1"] or match["y2"])
        try:
            return datetime(year, _MONTHS[month], day, tzinfo=UTC)
        except ValueError:
            continue
    return None


def evidence_of(title: str | None, text: str, published: datetime | None, words: int) -> Evidence:
    """The evidence of one document's place in time."""
    marks = tuple(m.group(1) for m in _LATER.finditer(title or ""))
    if published is not None:
        return Evidence(published, "published", marks, words)
    found = text_date(text)
    return Evidence(found, "date in text" if found else "none", marks, words)


def in_order(docs: list[str], evidence: dict[str, Evidence]) -> list[str]:
    """The documents of one story, earliest first.

    Dated documents sort by date. An undated one has no evidence of being later than the
    earliest date of its story, so it is placed there and the next evidence decides:
    re-issue marks, then length, then doc_id. (Placing undated documents last would make a
    byline date outrank everything: of the seeds, only the later reprint keeps a date once
    its page furniture is cleaned away.)
    """
    dates = [e.when for d in docs if (e := evidence.get(d)) is not None and e.when is not None]
    earliest = min(dates, default=None)

    def key(doc: str) -> tuple[bool, str, int, int, str]:
        e = evidence.get(doc)
        if e is None:  # nothing known at all: after every document with evidence
            return (True, "", 0, 0, doc)
        when = e.when or earliest
        return (False, when.isoformat() if when else "", len(e.later_marks), e.words, doc)

    return sorted(docs, key=key)


def describe(e: Evidence) -> str:
    """One sentence saying which evidence placed the document."""
    if e.dated_by == "published":
        said = f"published {e.when:%Y-%m-%d %H:%M}"
    elif e.dated_by == "date in text":
        said = f"date in text {e.when:%Y-%m-%d}"
    else:
        said = "no date"
    if e.later_marks:
        return f"{said}; headline marks a later issue ({', '.join(e.later_marks)})"
    if e.when is None:
        return f"{said}; {e.words} words, the shorter text taken as the earlier"
    return said
