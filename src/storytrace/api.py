"""The Python interface: ``find_stories``, ``compare`` and ``open_run``.

Example::

    >>> import storytrace
    >>> text = "The cat sat on the mat today."
    >>> storytrace.compare(text, text).relation
    'duplicate'
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from storytrace import table_files
from storytrace.archive.index import ArchiveIndex
from storytrace.archive.match import Match, match_article
from storytrace.clean import clean_lines
from storytrace.config import Config
from storytrace.ingest import ingest
from storytrace.ingest.fields import parse_published
from storytrace.match.verify import Side, measure, passage_fields, passage_offsets
from storytrace.on_demand import run_config
from storytrace.run.loop import run
from storytrace.run.progress import Progress
from storytrace.run.store import FINAL_TABLES as TABLES
from storytrace.run.store import check_complete
from storytrace.schema import EVENTS, MERGES, SAME_EVENT, SKIPPED
from storytrace.stories.changes import change_records, sentence_changes
from storytrace.stories.export import ARTICLE_COLUMNS, KeepRule, kept_articles, write_export

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class RunTableError(OSError):
    """A table of a run directory cannot be read: a damaged or truncated Parquet file."""


@dataclass(frozen=True)
class Run:
    """A run directory and its tables (read on first use, as pyarrow Tables)."""

    path: Path

    def table(self, name: str, columns: list[str] | None = None) -> pa.Table:
        """One table of the run, or only some of its ``columns``.

        Raises :class:`RunTableError` when the file is damaged: pyarrow's own message for a
        corrupt page does not say which file it was reading.
        """
        if name not in TABLES:
            raise KeyError(f"no table {name!r} in a run; tables are: {', '.join(TABLES)}")
        path = self.path / f"{name}.parquet"
        try:
            return table_files.read(path, columns=columns)
        except (pa.ArrowException, OSError) as err:
            raise RunTableError(f"cannot read {path}: {' '.join(str(err).split())}") from err

    @cached_property
    def manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.path / "manifest.json").read_text("utf-8"))
        return data

    @property
    def documents(self) -> pa.Table:
        return self.table("documents")

    @property
    def pairs(self) -> pa.Table:
        return self.table("pairs")

    @property
    def passages(self) -> pa.Table:
        return self.table("passages")

    @property
    def stories(self) -> pa.Table:
        return self.table("stories")

    @property
    def changes(self) -> pa.Table:
        return self.table("changes")

    @property
    def rejects(self) -> pa.Table:
        return self.table("rejects")

    @property
    def merges(self) -> pa.Table:
        """Stories of the run this one was grown from (``storytrace add``) that now belong
        to another story: ``(story_id, merged)``; empty for a run that was not grown."""
        path = self.path / "work" / "merges.parquet"
        return table_files.read(path) if table_files.exists(path) else MERGES.empty_table()

    @property
    def same_event(self) -> pa.Table:
        """Pairs of articles in different stories that report one event (``storytrace run
        --semantic``; schema :data:`storytrace.schema.SAME_EVENT`); empty without it."""
        path = self.path / "work" / "same_event.parquet"
        return table_files.read(path) if table_files.exists(path) else SAME_EVENT.empty_table()

    @property
    def events(self) -> pa.Table:
        """Events grouping stories (``storytrace run --semantic``; schema
        :data:`storytrace.schema.EVENTS`); empty without it."""
        path = self.path / "work" / "events.parquet"
        return table_files.read(path) if table_files.exists(path) else EVENTS.empty_table()

    @property
    def skipped(self) -> pa.Table:
        """What the inputs held that the run left out on purpose (schema
        :data:`storytrace.schema.SKIPPED`); the manifest counts it by reason."""
        path = self.path / "work" / "skipped.parquet"
        if not table_files.exists(path):  # a run of an earlier release
            return SKIPPED.empty_table()
        return table_files.read(path)

    @cached_property
    def _index(self) -> tuple[ArchiveIndex, dict[str, str], Config]:
        """The run's index, its stories by doc id and its settings: read once per Run."""
        stories = self.table("stories", columns=["doc_id", "story_id"]).to_pylist()
        story_of = {row["doc_id"]: row["story_id"] for row in stories}
        return ArchiveIndex.read(self.path), story_of, run_config(self.manifest)

    def match(self, item: str | os.PathLike[str] | Mapping[str, Any]) -> Match:
        """How a new article relates to this run (see :mod:`storytrace.archive.match`):
        ``item`` is its text, a file (``pathlib.Path``), or a record with ``text`` and
        optionally ``id``, ``published`` and ``title``. The run is only read."""
        index, story_of, config = self._index
        if isinstance(item, Mapping):
            text = item.get(config.text_field)
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"cannot match: the article has no text ({config.text_field!r})")
            name = str(item.get(config.id_field) or "article")
            micros = parse_published(item.get("published"))
            published = None if micros is None else _EPOCH + timedelta(microseconds=micros)
            title = item.get("title")
            title = title if isinstance(title, str) else None
        else:
            name, text, published = _load(item, "article", config)
            title = None
        return match_article(self.path, index, story_of, config, name, text, published, title)

    def export(
        self, out: str | os.PathLike[str], keep: str = "origin", per_source: bool = False
    ) -> pa.Table:
        """Write one article per story (per source of each story with ``per_source``) and
        every article in no story to ``out`` (``.parquet`` or ``.jsonl``), each with the
        number of articles it stands for; returns what was written. ``keep`` is ``origin``,
        ``earliest``, ``longest`` or ``source:NAME,NAME`` (see :class:`KeepRule`)."""
        columns = [*ARTICLE_COLUMNS]
        table = kept_articles(
            self.table("documents", columns=columns), self.stories, KeepRule.parse(keep), per_source
        )
        write_export(table, Path(out))
        return table

    def story_of(self, doc_id: str) -> list[str]:
        """Doc ids of the story that ``doc_id`` belongs to (just itself when it has none)."""
        return [m["doc_id"] for m in self.story(doc_id).members] or [doc_id]

    def story(self, doc_id: str) -> StoryView:
        """The story of ``doc_id``: its members with roles, the pairs between them and the
        sentence changes from each version to the next."""
        ids = self.table("documents", columns=["doc_id"]).column("doc_id")
        if not pc.any(pc.equal(ids, doc_id)).as_py():
            raise KeyError(f"no document {doc_id!r} in {self.path}")
        stories = self.stories
        mine = stories.filter(pc.equal(stories["doc_id"], doc_id))
        if mine.num_rows == 0:
            return StoryView(None, doc_id, [], [], [])
        story_id = mine["story_id"][0].as_py()
        members = stories.filter(pc.equal(stories["story_id"], story_id)).to_pylist()
        ids = pa.array([m["doc_id"] for m in members])
        pairs = self.pairs
        inside = pc.and_(pc.is_in(pairs["doc_a"], ids), pc.is_in(pairs["doc_b"], ids))
        changes = self.changes
        edits = changes.filter(pc.equal(changes["story_id"], story_id)).to_pylist()
        return StoryView(story_id, doc_id, members, pairs.filter(inside).to_pylist(), edits)


@dataclass(frozen=True)
class StoryView:
    """One story as read from a run: members (stories rows), pairs (pairs rows) and the
    sentence changes between consecutive versions (changes rows)."""

    story_id: str | None
    doc_id: str
    members: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    changes: list[dict[str, Any]] = field(default_factory=list)


def open_run(path: str | os.PathLike[str]) -> Run:
    """Open an existing run directory written by ``storytrace run``.

    Raises FileNotFoundError, naming what is missing, when the directory is not a run or not
    a complete one (an interrupted run: "incomplete", with the stages it still lacks), so
    that a half-written or half-copied run fails here rather than on first use.
    """
    run_path = Path(path)
    check_complete(run_path)
    return Run(run_path)


def find_stories(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    run_dir: str | os.PathLike[str] | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
    force: bool = False,
    engine: str | None = None,
) -> Run:
    """Run storytrace over ``inputs`` (files or folders) and return the run.

    Without ``run_dir`` the tables go to a new temporary directory. An existing ``run_dir``
    must be empty or an earlier run, unless ``force``. ``engine`` (``"local"``,
    ``"spark"``) overrides ``config.engine``: the tables are the same on either.
    """
    items = [inputs] if isinstance(inputs, str | os.PathLike) else list(inputs)
    out = Path(run_dir) if run_dir is not None else Path(tempfile.mkdtemp(prefix="storytrace-"))
    config = config or Config()
    if engine is not None:
        config = config.replace(engine=engine)
    run([Path(p) for p in items], out, config, progress, force=force)
    return Run(out)


@dataclass(frozen=True)
class Comparison:
    """How two texts relate: relation, reason, figures, aligned passages, and the sentence
    changes from A (taken as the older version) to B, with ``change_counts`` summing them up
    (unchanged sentences included). Offsets point into the original texts."""

    doc_a: str
    doc_b: str
    relation: str | None
    reason: str
    figures: dict[str, Any]
    passages: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    change_counts: dict[str, int] = field(default_factory=dict)
    event_similarity: float | None = None
    """With ``Config(semantic=True)``: how alike the two are as reports of one event, 0 to 1
    (higher is more alike; see :mod:`storytrace.semantic.score`)."""
    event_evidence: dict[str, Any] | None = None
    """With ``Config(semantic=True)``: the embeddings' cosine and the names, dates and
    places both texts hold."""

    def to_dict(self) -> dict[str, Any]:
        found = asdict(self)
        for key in ("event_similarity", "event_evidence"):
            if found[key] is None:
                del found[key]
        return found


def _load(
    item: str | os.PathLike[str], name: str, config: Config
) -> tuple[str, str, datetime | None]:
    """(doc_id, text, published) of a file path or of a text given directly."""
    if not isinstance(item, os.PathLike):
        return name, item, None
    result = ingest([Path(item)], config)
    if result.documents.num_rows == 0:
        reasons = "; ".join(result.rejects.column("reason").to_pylist()) or "no document found"
        raise ValueError(f"cannot compare {item}: {reasons}")
    if result.documents.num_rows > 1:
        raise ValueError(f"cannot compare {item}: it holds {result.documents.num_rows} documents")
    row = result.documents.to_pylist()[0]
    return str(row["doc_id"]), str(row["text"]), row["published"]


def compare(
    a: str | os.PathLike[str], b: str | os.PathLike[str], config: Config | None = None
) -> Comparison:
    """Compare two articles, given as texts (``str``) or as files (``pathlib.Path``).

    The changes read A as the older version and B as the newer one: a sentence only B has is
    ``added``. Swap the arguments for the other direction.
    """
    config = config or Config()
    id_a, text_a, published_a = _load(a, "A", config)
    id_b, text_b, published_b = _load(b, "B", config)
    clean_a, clean_b = clean_lines(text_a), clean_lines(text_b)
    side_a = Side.of(clean_a.text, config, published_a)
    side_b = Side.of(clean_b.text, config, published_b)
    for doc_id, side in ((id_a, side_a), (id_b, side_b)):
        if len(side.tokens) == 0:
            raise ValueError(f"cannot compare {doc_id}: no words left after boilerplate removal")
    tok_a, tok_b = side_a.tokens, side_b.tokens
    verdict = measure(side_a, side_b, config)
    spans = passage_offsets(verdict.passages, tok_a, tok_b, clean_a.segments, clean_b.segments)
    passages = [
        {
            **passage_fields(p, s),
            "a_text": text_a[s.a_start : s.a_end],
            "b_text": text_b[s.b_start : s.b_end],
        }
        for p, s in zip(verdict.passages, spans, strict=True)
    ]
    figures = {
        k: (round(v, 6) if isinstance(v, float) else v) for k, v in asdict(verdict.figures).items()
    }
    edits = sentence_changes(clean_a.text, clean_b.text, config)
    changes = change_records(edits, clean_a.segments, clean_b.segments)
    similarity, evidence = None, None
    if config.semantic:
        from storytrace.semantic.compare import compare_events

        event = compare_events(clean_a.text, clean_b.text)
        similarity, evidence = event.similarity, {"cosine": event.cosine, **event.shared}
    return Comparison(
        id_a,
        id_b,
        verdict.relation,
        verdict.reason,
        figures,
        passages,
        changes,
        edits.counts(),
        similarity,
        evidence,
    )
