"""What two reports of one event share besides their meaning: names, dates and places.

Two outlets that cover the same event in their own words still name the same people and
organisations, the same day and the same town; two stories on one topic (two football
matches, two court cases) share the vocabulary and not those. The evidence is read with
plain patterns over capitalisation, so it costs microseconds a document and needs no model:

- **names**: runs of capitalised words ("Evgeni Malkin", "Pittsburgh Penguins"), without
  the capitalised function words that open sentences ("The", "But") and without the month
  and day names, which are dates;
- **dates**: month and day names, years, numeric dates, as written (``"monday"``,
  ``"2019"``, ``"31 december"``);
- **places**: a name that follows *in*, *at*, *from*, *near* or *outside*, or the upper-case
  dateline that opens a wire story (``"LONDON (Reuters) -"``).

Example::

    >>> e = evidence_of("Evgeni Malkin scored twice on Monday in Pittsburgh.")
    >>> e.names, e.dates, e.places
    (('evgeni malkin', 'pittsburgh'), ('monday',), ('pittsburgh',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_OPENERS = (
    "a an and as at but by for from he her his i if in it its mr mrs ms dr no not of on or "
    "our she so that the their there these they this those to we what when where which who "
    "why with you yesterday today tomorrow however meanwhile after before while also "
    "although since despite until"
)
_NOT_NAMES = frozenset((*_OPENERS.split(" "), *MONTHS, *DAYS))
"""Capitalised words that are not names: sentence openers, titles, month and day names."""

_WORD = r"[A-Z][\w'’.-]*[\w]|[A-Z]"
_NAME = re.compile(rf"(?:{_WORD})(?:\s+(?:(?:of|de|la|van|von|al|bin)\s+)?(?:{_WORD}))*")
_PLACE_CUE = re.compile(r"\b(?:in|at|from|near|outside)\s+(?:the\s+)?$", re.IGNORECASE)
_DATELINE = re.compile(r"^\W*([A-Z][A-Z .'-]{2,40}?)\s*(?:,[^()\n]{0,30})?\s*(?:\(|[-–—])")
_DATE = re.compile(
    r"\b(?:(?:\d{1,2}\s+)?(?:" + "|".join(MONTHS) + r")(?:\s+\d{1,2}(?!\d))?"
    r"|" + "|".join(DAYS) + r"|(?:19|20)\d\d|\d{1,4}[/-]\d{1,2}[/-]\d{1,4})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Evidence:
    """The names, dates and places of one text, lower-cased, each once, in sorted order."""

    names: tuple[str, ...]
    dates: tuple[str, ...]
    places: tuple[str, ...]


def _name(words: str) -> str | None:
    """The name a capitalised run stands for, without leading non-name words."""
    parts = words.split()
    while parts and parts[0].lower().strip(".") in _NOT_NAMES:
        parts = parts[1:]
    if not parts or (len(parts) == 1 and len(parts[0]) < 2):
        return None
    name = " ".join(parts).lower().strip(".'’-")
    return re.sub(r"['’]s$", "", name) or None


def evidence_of(text: str) -> Evidence:
    """The names, dates and places of ``text`` (see the module docs for the patterns)."""
    names: set[str] = set()
    places: set[str] = set()
    for match in _NAME.finditer(text):
        name = _name(match.group())
        if name is None:
            continue
        names.add(name)
        if _PLACE_CUE.search(text, max(0, match.start() - 12), match.start()):
            places.add(name)
    dateline = _DATELINE.match(text)
    if dateline:
        place = _name(dateline.group(1).strip().title())
        if place:
            places.add(place)
    dates = {" ".join(m.group().lower().split()) for m in _DATE.finditer(text)}
    return Evidence(tuple(sorted(names)), tuple(sorted(dates)), tuple(sorted(places)))


def overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Share of the smaller set found in the other (0.0 when either is empty): one short
    report naming three of a long one's twenty people is still about the same people."""
    if not a or not b:
        return 0.0
    return len(set(a) & set(b)) / min(len(a), len(b))


def shared(a: Evidence, b: Evidence) -> dict[str, list[str]]:
    """What two texts have in common, for showing beside a score."""
    return {
        "names": sorted(set(a.names) & set(b.names)),
        "dates": sorted(set(a.dates) & set(b.dates)),
        "places": sorted(set(a.places) & set(b.places)),
    }
