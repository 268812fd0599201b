"""Every page of the report and the viewer, as data: what a template shows and the JSON twin.

A page builder asks the run its questions (:mod:`storytrace.report.queries`) and returns a
:class:`Page`: the template to render, a title, ``data`` (plain JSON values: the JSON twin
of the page is exactly this) and ``html`` (figures and marked texts drawn on the server,
shown in the HTML page only: the JSON carries the data they were drawn from). The static
report and the viewer call the same builders, so the two never show different things.

Example::

    >>> compare_plan(4, cap=10)
    ([(0, 1), (1, 2), (2, 3), (0, 2), (0, 3)], False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from storytrace.archive.match import Match
from storytrace.on_demand import change_rows, pair_row, run_config, run_formula
from storytrace.report.histogram_svg import histogram
from storytrace.report.marked_text import Stretch, mark
from storytrace.report.queries import RunQueries, RunTables
from storytrace.report.timeline_svg import timeline
from storytrace.schema import RELATIONS

HISTOGRAM_BINS = 20
PARTIAL_LINKS_SHOWN = 50
DOCUMENT_PAIRS_SHOWN = 200
REJECT_RAW_CHARS = 300
TABLE_NOTES = {
    "pairs": "This run has no pairs table: relations and similarity are not shown.",
    "passages": "This run has no passages table: aligned passages are not shown.",
    "stories": "This run has no stories table: no story is shown.",
    "changes": "This run has no changes table: changes between versions are not shown.",
    "rejects": "This run has no rejects table: rejected records are not shown.",
}


class PageNotFound(LookupError):
    """The page asked for does not exist: an unknown story, document or version."""


class BadRequest(ValueError):
    """A request value the page cannot use: an offset or a limit that is not a number."""


_WHOLE = re.compile(r"[+-]?[0-9]+")
_DIGITS = 18
"""Numbers longer than this are clamped before conversion: every bound of the viewer is far
smaller, and ``int`` refuses strings of more than 4,300 digits."""
_BEYOND: int = 10**_DIGITS


def whole_number(text: str, name: str) -> int:
    """``text`` as an integer: ASCII digits with an optional sign, spaces around allowed.

    ``int`` alone would also take ``'٣'`` and ``'1_000'``, and ``str.isdigit`` passes
    ``'²'``, which ``int`` then refuses; anything else raises :class:`BadRequest`, naming
    ``name``. A number of more than 18 digits comes back as ±10**18, for the caller to clamp.

    Example::

        >>> whole_number(" 40 ", "offset"), whole_number("-5", "offset")
        (40, -5)
        >>> whole_number("9" * 5000, "offset")
        1000000000000000000
        >>> whole_number("1e400", "offset")
        Traceback (most recent call last):
        ...
        storytrace.report.pages.BadRequest: offset must be a whole number, not '1e400'
    """
    value = text.strip()
    if not _WHOLE.fullmatch(value):
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise BadRequest(f"{name} must be a whole number, not {shown!r}")
    if len(value.lstrip("+-").lstrip("0")) > _DIGITS:
        return -_BEYOND if value.startswith("-") else _BEYOND
    return int(value)


@dataclass(frozen=True)
class Page:
    """A page to render: ``data`` is its JSON twin, ``html`` what is drawn for people."""

    template: str
    title: str
    data: dict[str, Any]
    html: dict[str, Markup] = field(default_factory=dict)


@dataclass(frozen=True)
class Paging:
    """A window on a list: ``limit`` rows from ``offset``, clamped to sane values."""

    limit: int
    offset: int = 0

    MAX_LIMIT = 500
    MAX_OFFSET = 10**12
    """Far more rows than a run holds, and well inside DuckDB's 64-bit ``OFFSET``."""

    @classmethod
    def of(cls, limit: str | None, offset: str | None, default: int) -> Paging:
        """From query parameters: missing or empty means the default; any whole number is
        clamped (``limit`` to 1..500, ``offset`` to 0..10**12, a window past the end is
        empty); anything else raises :class:`BadRequest`.

        Example::

            >>> Paging.of("100000", "-5", 50), Paging.of(None, "", 50)
            (Paging(limit=500, offset=0), Paging(limit=50, offset=0))
        """
        chosen = default if not limit else whole_number(limit, "limit")
        start = 0 if not offset else whole_number(offset, "offset")
        return cls(min(max(chosen, 1), cls.MAX_LIMIT), min(max(start, 0), cls.MAX_OFFSET))

    def describe(self, total: int, shown: int) -> dict[str, Any]:
        following = self.offset + self.limit
        return {
            "limit": self.limit,
            "offset": self.offset,
            "total": total,
            "shown": shown,
            "previous_offset": max(self.offset - self.limit, 0) if self.offset > 0 else None,
            "next_offset": following if following < total else None,
        }


def _notes(run: RunTables, *tables: str) -> list[str]:
    return [TABLE_NOTES[t] for t in tables if t in run.missing]


def compare_plan(size: int, cap: int) -> tuple[list[tuple[int, int]], bool]:
    """Which pairs of versions get a side-by-side page in a bounded report: each version
    against the one before it, then the origin against each later one; at most ``cap``.
    Returns the pairs (older, newer) and whether some were left out."""
    plan = [(i, i + 1) for i in range(size - 1)] + [(0, j) for j in range(2, size)]
    return plan[:cap], len(plan) > cap


# -- overview ------------------------------------------------------------------------------


def overview_page(run: RunTables, q: RunQueries, largest: int = 10) -> Page:
    """Counts, relations, rejects, the two similarity histograms and the largest stories."""
    relations = dict.fromkeys(RELATIONS, 0) | q.relation_counts()
    bins = {m: q.similarity_bins(m, HISTOGRAM_BINS) for m in ("jaccard", "coverage")}
    manifest = run.manifest
    data = {
        "run": {
            "path": str(run.path),
            "storytrace": manifest.get("storytrace"),
            "config_tag": manifest.get("config_tag"),
            "inputs": [
                {"path": i.get("path"), "files": i.get("files")}
                for i in manifest.get("inputs", [])
                if isinstance(i, dict)
            ],
            "seconds": (manifest.get("timings") or {}).get("total"),
        },
        "counts": q.counts(),
        "relations": relations,
        "reject_reasons": q.reject_reasons(10),
        "histograms": {"bins": HISTOGRAM_BINS, **bins},
        "largest_stories": [_story_row(r) for r in q.stories("", largest, 0).rows],
        "notes": _notes(run, "pairs", "stories", "rejects"),
    }
    html = {
        "jaccard": histogram(bins["jaccard"], HISTOGRAM_BINS, "Shingle Jaccard"),
        "coverage": histogram(bins["coverage"], HISTOGRAM_BINS, "Aligned coverage"),
    }
    return Page("overview.html", "Overview", data, html)


def _story_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "search_text"}


# -- stories -------------------------------------------------------------------------------


def story_list_page(run: RunTables, q: RunQueries, search: str, paging: Paging) -> Page:
    """Stories, largest first, one window of them; ``search`` filters on the server."""
    found = q.stories(search.strip(), paging.limit, paging.offset)
    data = {
        "q": search,
        "paging": paging.describe(found.total, len(found.rows)),
        "stories": found.rows,
        "notes": _notes(run, "stories"),
    }
    return Page("stories.html", "Stories", data)


def story_page(run: RunTables, q: RunQueries, story_id: str, compare_cap: int) -> Page:
    """One story: its articles in order with roles, the timeline, the links between its
    articles, the changes from each version to the next and the side-by-side pages."""
    members = q.story_members(story_id)
    if not members:
        raise PageNotFound(f"no story {story_id!r} in this run")
    ids = [m["doc_id"] for m in members]
    order = {m["doc_id"]: m["order"] for m in members}
    pairs = q.pairs_within(ids)
    for p in pairs:
        p["order_a"], p["order_b"] = order[p["doc_a"]], order[p["doc_b"]]
    steps = q.change_counts(story_id)
    for s in steps:
        s["order_old"], s["order_new"] = order.get(s["doc_old"]), order.get(s["doc_new"])
    orders = [m["order"] for m in members]
    plan, cut = compare_plan(len(members), compare_cap)
    data = {
        "story_id": story_id,
        "size": len(members),
        "members": members,
        "pairs": pairs,
        "partial_links": q.partial_links(ids, PARTIAL_LINKS_SHOWN),
        "steps": steps,
        "compare": [
            {"old": orders[a], "new": orders[b], "doc_old": ids[a], "doc_new": ids[b]}
            for a, b in plan
        ],
        "compare_cut": cut,
        "compare_cap": compare_cap,
        "has_changes": "changes" not in run.missing,
        "notes": _notes(run, "pairs", "changes"),
    }
    return Page("story.html", f"Story {story_id}", data, {"timeline": timeline(members)})


# -- two versions side by side -------------------------------------------------------------

_SIDES = {
    "added": ("new",),
    "removed": ("old",),
    "changed": ("old", "new"),
    "moved": ("old", "new"),
}


def _change_stretches(changes: list[dict[str, Any]], side: str) -> list[Stretch]:
    """Sentences of one side that the changes mark, with their kind as class."""
    out = []
    for c in changes:
        if side not in _SIDES[c["kind"]] or c[f"{side}_start"] is None:
            continue
        classes = ["change", f"change-{c['kind']}"]
        if c["moved"] and c["kind"] != "moved":
            classes.append("change-moved")
        attrs = (("data-change", str(c["change"])), ("title", c["kind"]))
        out.append(Stretch(c[f"{side}_start"], c[f"{side}_end"], tuple(classes), attrs))
    return out


def _boilerplate(removed: list[dict[str, Any]] | None) -> list[Stretch]:
    return [
        Stretch(r["start"], r["end"], ("boilerplate",), (("title", f"removed: {r['reason']}"),))
        for r in removed or []
    ]


def compare_page(run: RunTables, q: RunQueries, story_id: str, old: int, new: int) -> Page:
    """Two articles of a story side by side: the original texts with the aligned passages
    highlighted (the same ``data-passage`` number on both sides), the sentence changes
    marked, the boilerplate dimmed, and the list of changes with their word diffs."""
    members = q.story_members(story_id)
    by_order = {m["order"]: m for m in members}
    if not members:
        raise PageNotFound(f"no story {story_id!r} in this run")
    if old == new or old not in by_order or new not in by_order:
        raise PageNotFound(f"story {story_id} has no versions {old} and {new} to compare")
    left, right = by_order[old], by_order[new]
    texts = q.texts([left["doc_id"], right["doc_id"]])
    pair = q.pair(left["doc_id"], right["doc_id"])
    changes = q.changes(story_id, left["doc_id"], right["doc_id"])
    found = [] if pair is None else q.passages(pair["doc_a"], pair["doc_b"])
    if pair is None or (not changes and new != old + 1):
        # A pair the run did not verify, or changes it did not record (it records them
        # between consecutive articles only): computed now from the two clean texts.
        docs = q.clean_docs([left["doc_id"], right["doc_id"]])
        if len(docs) == 2:
            config = run_config(run.manifest)
            if pair is None:
                first, second = sorted(docs)
                formula = run_formula(run.path)
                row, rows = pair_row(docs[first], docs[second], config, formula)
                if row["relation"] is not None:
                    pair, found = row, rows
            if not changes and new != old + 1:
                changes = change_rows(docs[left["doc_id"]], docs[right["doc_id"]], config)
    passages = []
    if pair is not None:
        flip = pair["doc_a"] != left["doc_id"]
        for p in found:
            in_a, in_b = (p["a_start"], p["a_end"]), (p["b_start"], p["b_end"])
            (ls, le), (rs, re_) = (in_b, in_a) if flip else (in_a, in_b)
            passages.append(
                {
                    "passage": p["passage"],
                    "left_start": ls,
                    "left_end": le,
                    "right_start": rs,
                    "right_end": re_,
                    "words": min(p["a_words"], p["b_words"]),
                    "similarity": p["similarity"],
                }
            )
    sides = {"left": (left, "left", "old"), "right": (right, "right", "new")}
    html: dict[str, Markup] = {}
    documents: dict[str, dict[str, Any]] = {}
    for name, (member, prefix, change_side) in sides.items():
        record = texts.get(member["doc_id"], {"text": "", "removed": []})
        outer = [
            Stretch(
                p[f"{prefix}_start"],
                p[f"{prefix}_end"],
                ("passage",),
                (("data-passage", str(p["passage"])),),
            )
            for p in passages
        ]
        inner = _boilerplate(record["removed"]) + _change_stretches(changes, change_side)
        html[name] = mark(record["text"] or "", outer, inner)
        documents[name] = {**member, "text": record["text"], "removed": record["removed"]}
    data = {
        "story_id": story_id,
        "old": old,
        "new": new,
        "left": documents["left"],
        "right": documents["right"],
        "pair": pair,
        "passages": passages,
        "changes": changes,
        "change_counts": {k: sum(c["kind"] == k for c in changes) for k in _SIDES},
        "consecutive": new == old + 1,
        "has_changes": "changes" not in run.missing,
        "has_passages": "passages" not in run.missing,
        "notes": _notes(run, "pairs", "passages", "changes"),
    }
    title = f"{left['doc_id']} and {right['doc_id']}"
    return Page("compare.html", title, data, html)


# -- documents and rejects -----------------------------------------------------------------


def document_list_page(run: RunTables, q: RunQueries, search: str, paging: Paging) -> Page:
    """Every document by doc id, one window of them; ``search`` matches id or title."""
    found = q.documents(search.strip(), paging.limit, paging.offset)
    data = {
        "q": search,
        "paging": paging.describe(found.total, len(found.rows)),
        "documents": found.rows,
    }
    return Page("documents.html", "Documents", data)


def document_page(run: RunTables, q: RunQueries, doc_id: str) -> Page:
    """One document: its metadata, its story, every article it relates to (partial reuse
    included) and its original text with the boilerplate dimmed."""
    document = q.document(doc_id)
    if document is None:
        raise PageNotFound(f"no document {doc_id!r} in this run")
    data = {
        "document": document,
        "pairs": q.pairs_of(doc_id, DOCUMENT_PAIRS_SHOWN),
        "pairs_cap": DOCUMENT_PAIRS_SHOWN,
        "notes": _notes(run, "pairs", "stories"),
    }
    text = mark(document["text"] or "", [], _boilerplate(document["removed"]))
    return Page("document.html", doc_id, data, {"text": text})


def rejects_page(run: RunTables, q: RunQueries, paging: Paging) -> Page:
    """Rejected records with their reason, each raw record cut short."""
    found = q.rejects(paging.limit, paging.offset, REJECT_RAW_CHARS)
    data = {
        "paging": paging.describe(found.total, len(found.rows)),
        "rejects": found.rows,
        "raw_chars": REJECT_RAW_CHARS,
        "notes": _notes(run, "rejects"),
    }
    return Page("rejects.html", "Rejected records", data)


MATCH_BYTES = 1 << 20
"""The largest article the viewer's match page takes: a news article is tens of kilobytes;
a bigger paste is a mistake or an attack, and is refused before it is read."""


def match_page(found: Match | None, text: str = "", error: str | None = None) -> Page:
    """The match form, with the answer for ``text`` when one was asked (nothing is written
    to the run)."""
    data: dict[str, Any] = {
        "match": None if found is None else found.to_dict(),
        "error": error,
        "max_bytes": MATCH_BYTES,
    }
    return Page("match.html", "Match an article", data, {"text": Markup.escape(text)})
