"""One article per story, for the datasets users build from a run.

Deduplication tools keep one document per cluster and drop the rest. For news that is only
half the answer: which article stays matters (the origin, the earliest, the longest, the one
from a source the user trusts), and one per cluster can wipe out whole sources, which a
study of who printed what cannot afford. So the rule is the user's (:class:`KeepRule`), one
article can be kept per source of each story (``per_source``), and every kept article says
how many articles it stands for, and how many of them are copies and how many versions.

Articles in no story are all kept: they stand for themselves.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from storytrace.atomic import writing

KEEP_KINDS: Final = ("origin", "earliest", "longest", "source")
COPY_ROLES: Final = frozenset({"duplicate"})
VERSION_ROLES: Final = frozenset({"version", "excerpt"})

ARTICLE_COLUMNS: Final = (
    "doc_id",
    "source",
    "url",
    "title",
    "published",
    "text",
    "site",
    "input",
    "record",
    "words",
)
"""What an exported article carries from ``documents.parquet``: the article as published and
where it came from; clean text and offset maps stay in the run."""

EXPORT = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published", pa.timestamp("us", tz="UTC")),
        ("text", pa.string()),
        ("site", pa.string()),
        ("input", pa.string()),
        ("record", pa.int64()),
        ("words", pa.int32()),
        ("story_id", pa.string()),
        ("role", pa.string()),
        ("stands_for", pa.int32()),
        ("copies", pa.int32()),
        ("versions", pa.int32()),
    ]
)
"""The export: the article, its story (null when in none) and role there, and the articles
it stands for: ``stands_for`` counts the kept article's group (its story, or its story's
articles of its source with ``per_source``), itself included; ``copies`` and ``versions``
count the group's members in those roles (duplicates; versions and excerpts)."""


@dataclass(frozen=True)
class KeepRule:
    """Which article of a story is kept: ``origin`` (the story's first printing), ``earliest``
    (the earliest publication time; unknown times last), ``longest`` (most words), or
    ``source`` (the first article from the first of ``sources`` the story has, else the
    origin). Ties go to the earlier article in the story's order."""

    kind: Literal["origin", "earliest", "longest", "source"] = "origin"
    sources: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> KeepRule:
        """``origin``, ``earliest``, ``longest`` or ``source:NAME,NAME...``."""
        kind, _, names = text.partition(":")
        if kind == "source":
            sources = tuple(name.strip() for name in names.split(",") if name.strip())
            if not sources:
                raise ValueError("source: needs at least one source name (source:NAME,NAME)")
            return cls("source", sources)
        if kind in ("origin", "earliest", "longest") and not names:
            return cls(kind)  # type: ignore[arg-type]
        raise ValueError(f"unknown keep rule {text!r}: origin, earliest, longest or source:NAME")


def _pick(members: list[dict[str, Any]], rule: KeepRule) -> dict[str, Any]:
    """The kept member of one group (members in story order)."""
    if rule.kind == "earliest":
        return min(members, key=lambda m: (m["published"] is None, m["published"] or 0))
    if rule.kind == "longest":
        return max(members, key=lambda m: m["words"])
    if rule.kind == "source":
        for source in rule.sources:
            chosen = [m for m in members if m["source"] == source]
            if chosen:
                return chosen[0]
    origins = [m for m in members if m["role"] == "origin"]
    return origins[0] if origins else members[0]


def kept_articles(
    documents: pa.Table, stories: pa.Table, rule: KeepRule, per_source: bool = False
) -> pa.Table:
    """The export (schema :data:`EXPORT`), sorted by doc_id: the kept article of each story
    (or of each source of each story) and every article in no story."""
    facts = {
        row["doc_id"]: row
        for row in documents.select(["doc_id", "source", "published", "words"]).to_pylist()
    }
    groups: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
    for row in stories.sort_by([("story_id", "ascending"), ("order", "ascending")]).to_pylist():
        member = {**facts[row["doc_id"]], "role": row["role"], "story_id": row["story_id"]}
        groups[(row["story_id"], member["source"] if per_source else None)].append(member)
    kept: dict[str, tuple[str | None, str | None, int, int, int]] = {}
    for members in groups.values():
        chosen = _pick(members, rule)
        copies = sum(1 for m in members if m["role"] in COPY_ROLES)
        versions = sum(1 for m in members if m["role"] in VERSION_ROLES)
        kept[chosen["doc_id"]] = (
            chosen["story_id"],
            chosen["role"],
            len(members),
            copies,
            versions,
        )
    alone = pc.invert(pc.is_in(documents.column("doc_id"), stories.column("doc_id")))
    chosen_ids = pa.array(list(kept), type=pa.string())
    wanted = pc.or_(alone, pc.is_in(documents.column("doc_id"), chosen_ids))
    out = documents.filter(wanted).select(list(ARTICLE_COLUMNS)).sort_by("doc_id")
    ids = out.column("doc_id").to_pylist()
    lone = (None, None, 1, 0, 0)
    rows = [kept.get(doc_id, lone) for doc_id in ids]
    for position, name in enumerate(("story_id", "role", "stands_for", "copies", "versions")):
        values = [row[position] for row in rows]
        out = out.append_column(name, pa.array(values, type=EXPORT.field(name).type))
    return out.cast(EXPORT)


def write_export(table: pa.Table, out: Path) -> None:
    """Write the export as Parquet (``.parquet``) or JSON Lines (``.jsonl``), by extension,
    whole or not at all; times in JSON are ISO 8601 with their zone."""
    suffix = out.suffix.lower()
    if suffix not in (".parquet", ".jsonl"):
        raise ValueError(f"cannot tell the format of {out}: name it .parquet or .jsonl")
    out.parent.mkdir(parents=True, exist_ok=True)
    with writing(out) as partial:
        if suffix == ".parquet":
            pq.write_table(table, partial)
            return
        with partial.open("w", encoding="utf-8") as handle:
            for row in table.to_pylist():
                handle.write(json.dumps(row, ensure_ascii=False, default=_json_value) + "\n")


def _json_value(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {value!r}")
