"""Boilerplate removal: from a scraped or wired text to the article, with offsets kept."""

from storytrace.clean.lines import CleanText, RemovedSpan, clean_lines
from storytrace.clean.offsets import Segment, segments_from_rows, to_original

__all__ = [
    "CleanText",
    "RemovedSpan",
    "Segment",
    "clean_lines",
    "segments_from_rows",
    "to_original",
]
