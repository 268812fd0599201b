"""Reads of a run directory for the report and the viewer, through DuckDB.

Each page asks for what it shows and nothing more: a list page reads a few columns of one
page of rows, a story page the rows of one story. The Parquet files are queried where they
lie (``read_parquet`` views, projection and filter pushdown), so a run of millions of
documents is never loaded into memory, and nothing is ever written.

A run without an optional table (an older or partly copied run) still opens: the missing
table is an empty view with the right columns, and :attr:`RunTables.missing` names it so
that the pages can say so.

Example::

    >>> from pathlib import Path
    >>> RunTables.open(Path("/nonexistent"))
    Traceback (most recent call last):
    ...
    storytrace.report.queries.NotARunError: /nonexistent is not a storytrace run (no manifest.json)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from storytrace import table_files
from storytrace.model import DocText
from storytrace.run.store import IncompleteRunError, MixedRunError, check_complete
from storytrace.schema import CHANGES, DOCUMENTS, PAIRS, PASSAGES, REJECTS, STORIES

SCHEMAS: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "pairs": PAIRS,
    "passages": PASSAGES,
    "stories": STORIES,
    "changes": CHANGES,
    "rejects": REJECTS,
}
REQUIRED = ("documents",)
"""Without documents there is nothing to show; every other table may be missing."""

STORY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
"""Story ids that may name a file or a path segment (storytrace writes ``story-<hex>``)."""


class NotARunError(FileNotFoundError):
    """The folder is not a storytrace run directory (or lacks its documents table)."""


class RunReadError(OSError):
    """A table of the run cannot be read: a damaged or truncated Parquet file."""


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Rows as dicts of JSON-ready values: times as ISO 8601 strings in UTC."""
    names = [d[0] for d in cursor.description]
    return [
        {
            n: (v.isoformat() if isinstance(v, datetime) else v)
            for n, v in zip(names, row, strict=True)
        }
        for row in cursor.fetchall()
    ]


def _contains(column: str) -> str:
    """A case-insensitive substring test; ``contains`` has no wildcards to escape."""
    return f"contains(lower(coalesce({column}, '')), $q)"


@dataclass(frozen=True)
class RunTables:
    """A run directory: which tables it holds and its manifest."""

    path: Path
    missing: frozenset[str]
    manifest: dict[str, Any]

    @classmethod
    def open(cls, path: Path) -> RunTables:
        """Check that ``path`` is a run; raise :class:`NotARunError` saying why not."""
        manifest_path = path / "manifest.json"
        if not manifest_path.is_file():
            raise NotARunError(f"{path} is not a storytrace run (no manifest.json)")
        for name in REQUIRED:
            if not table_files.exists(path / f"{name}.parquet"):
                raise NotARunError(f"{path} is not a complete storytrace run: no {name}.parquet")
        try:
            manifest = json.loads(manifest_path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError) as err:
            raise NotARunError(f"{manifest_path} is not valid JSON: {err}") from err
        if isinstance(manifest, dict):
            try:
                check_complete(path)
            except (IncompleteRunError, MixedRunError) as err:  # say what is wrong
                raise NotARunError(str(err)) from err
            except FileNotFoundError as err:  # a table missing from a complete run
                if manifest.get("status", "complete") != "complete":
                    raise NotARunError(str(err)) from err
        missing = frozenset(n for n in SCHEMAS if not table_files.exists(path / f"{n}.parquet"))
        return cls(path, missing, manifest if isinstance(manifest, dict) else {})

    @contextmanager
    def connect(self) -> Iterator[RunQueries]:
        """A fresh in-memory DuckDB connection over the run's files, closed after use.

        One connection per request: DuckDB connections are not shared between threads,
        and opening one costs about a millisecond.
        """
        con = duckdb.connect(":memory:", config={"threads": 2})
        try:
            con.execute("SET TimeZone = 'UTC'")
            for name, schema in SCHEMAS.items():
                if name in self.missing:
                    con.register(f"_{name}_empty", pa.Table.from_pylist([], schema=schema))
                    con.execute(f"CREATE VIEW {name} AS SELECT * FROM _{name}_empty")
                else:
                    source = table_files.duckdb_source(self.path / f"{name}.parquet")
                    con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({source})")
            yield RunQueries(con)
        except duckdb.Error as err:
            first_line = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise RunReadError(f"cannot read the run in {self.path}: {first_line}") from err
        finally:
            con.close()


@dataclass(frozen=True)
class Slice:
    """One page of a list: its rows and the size of the whole list."""

    rows: list[dict[str, Any]]
    total: int


class RunQueries:
    """The questions the pages ask, each one SQL query over the run's views."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def _all(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return _rows(self._con.execute(sql, params or {}))

    def _one(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        row = self._con.execute(sql, params or {}).fetchone()
        return row[0] if row else None

    def keep_stories(self, story_ids: list[str]) -> None:
        """From now on, see only these stories, their documents and the pairs, passages and
        changes that touch them, all held in memory.

        For the static report, which reads every story it writes: a query on a small
        in-memory table costs a fraction of one on the Parquet files, and the report asks
        thousands. Counts and lists over the whole run are wrong after this; ask them first.
        """
        self._con.execute(
            "CREATE TEMP TABLE kept_stories AS SELECT * FROM stories "
            "WHERE list_contains($ids, story_id)",
            {"ids": story_ids},
        )
        kept = {
            "stories": "SELECT * FROM kept_stories",
            "documents": "SELECT * FROM documents WHERE doc_id IN "
            "(SELECT doc_id FROM kept_stories)",
            "pairs": "SELECT * FROM pairs WHERE doc_a IN (SELECT doc_id FROM kept_stories) "
            "OR doc_b IN (SELECT doc_id FROM kept_stories)",
            "passages": "SELECT * FROM passages WHERE doc_a IN (SELECT doc_id FROM kept_stories) "
            "AND doc_b IN (SELECT doc_id FROM kept_stories)",
            "changes": "SELECT * FROM changes WHERE story_id IN "
            "(SELECT story_id FROM kept_stories)",
        }
        for name, select in kept.items():
            if name != "stories":
                self._con.execute(f"CREATE TEMP TABLE kept_{name} AS {select}")
        for name in kept:
            self._con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM kept_{name}")

    # -- overview ---------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Documents, rejects, stories and the articles in them."""
        return {
            "documents": int(self._one("SELECT count(*) FROM documents")),
            "rejects": int(self._one("SELECT count(*) FROM rejects")),
            "stories": int(self._one("SELECT count(DISTINCT story_id) FROM stories")),
            "documents_in_stories": int(self._one("SELECT count(*) FROM stories")),
            "pairs": int(self._one("SELECT count(*) FROM pairs")),
        }

    def relation_counts(self) -> dict[str, int]:
        rows = self._all("SELECT relation, count(*) AS n FROM pairs GROUP BY 1 ORDER BY 1")
        return {r["relation"]: int(r["n"]) for r in rows}

    def reject_reasons(self, limit: int) -> list[dict[str, Any]]:
        """The most frequent reasons for rejecting a record."""
        return self._all(
            "SELECT reason, count(*) AS n FROM rejects GROUP BY 1 ORDER BY n DESC, reason "
            "LIMIT $limit",
            {"limit": limit},
        )

    def similarity_bins(self, measure: str, bins: int) -> list[dict[str, Any]]:
        """Pairs per relation in ``bins`` equal bins of ``measure`` over 0..1.

        ``measure`` is ``jaccard`` (what MinHash estimates) or ``coverage`` (the share of the
        more covered text inside aligned passages, what storytrace decides on).
        """
        expression = {
            "jaccard": "jaccard",
            "coverage": "greatest(coverage_a, coverage_b)",
        }[measure]
        return self._all(
            f"SELECT least(CAST(floor(({expression}) * $bins) AS INTEGER), $bins - 1) AS bin, "
            f"relation, count(*) AS n FROM pairs WHERE ({expression}) IS NOT NULL "
            "GROUP BY ALL ORDER BY bin, relation",
            {"bins": bins},
        )

    # -- stories ----------------------------------------------------------------------------

    def stories(self, q: str, limit: int, offset: int) -> Slice:
        """Stories by size (largest first), each with its origin and the text a search
        matches; ``q`` keeps the stories whose id, or a member's doc id or title, holds it."""
        where = ""
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if q:
            params["q"] = q.lower()
            where = (
                "WHERE story_id IN (SELECT s.story_id FROM stories s "
                "LEFT JOIN documents d USING (doc_id) WHERE "
                f"{_contains('s.story_id')} OR {_contains('s.doc_id')} "
                f"OR {_contains('d.title')})"
            )
        total = self._one(
            f"SELECT count(DISTINCT story_id) FROM stories {where}",
            {k: v for k, v in params.items() if k == "q"},
        )
        rows = self._all(
            f"""
            WITH chosen AS (
                SELECT story_id, count(*) AS size, min(published) AS first_published,
                       max(published) AS last_published,
                       count(*) FILTER (WHERE role = 'duplicate') AS duplicates,
                       count(*) FILTER (WHERE role = 'version') AS versions,
                       count(*) FILTER (WHERE role = 'excerpt') AS excerpts
                FROM stories {where}
                GROUP BY story_id
                ORDER BY size DESC, story_id
                LIMIT $limit OFFSET $offset
            )
            SELECT c.*, o.doc_id AS origin, d.title AS origin_title,
                   (SELECT string_agg(s.doc_id || ' ' || coalesce(t.title, ''), ' '
                                      ORDER BY s."order")
                    FROM stories s LEFT JOIN documents t USING (doc_id)
                    WHERE s.story_id = c.story_id) AS search_text
            FROM chosen c
            LEFT JOIN stories o ON o.story_id = c.story_id AND o."order" = 0
            LEFT JOIN documents d ON d.doc_id = o.doc_id
            ORDER BY c.size DESC, c.story_id
            """,
            params,
        )
        return Slice(rows, int(total or 0))

    def story_members(self, story_id: str) -> list[dict[str, Any]]:
        """The articles of one story in their order, with their metadata."""
        return self._all(
            """
            SELECT s."order", s.doc_id, s.role, s.published, s.evidence,
                   d.title, d.source, d.site, d.url, d.words
            FROM stories s LEFT JOIN documents d USING (doc_id)
            WHERE s.story_id = $story
            ORDER BY s."order", s.doc_id
            """,
            {"story": story_id},
        )

    def pairs_within(self, doc_ids: list[str]) -> list[dict[str, Any]]:
        """Related pairs with both articles among ``doc_ids``."""
        return self._all(
            "SELECT * FROM pairs WHERE list_contains($ids, doc_a) AND list_contains($ids, doc_b) "
            "ORDER BY doc_a, doc_b",
            {"ids": doc_ids},
        )

    def partial_links(self, doc_ids: list[str], limit: int) -> list[dict[str, Any]]:
        """Partial reuse between the story's articles and articles outside it."""
        return self._all(
            "SELECT * FROM pairs WHERE relation = 'partial' "
            "AND list_contains($ids, doc_a) <> list_contains($ids, doc_b) "
            "ORDER BY doc_a, doc_b LIMIT $limit",
            {"ids": doc_ids, "limit": limit},
        )

    def change_counts(self, story_id: str) -> list[dict[str, Any]]:
        """Per step from one version to the next: how many sentences of each kind."""
        return self._all(
            """
            SELECT doc_old, doc_new, "order",
                   count(*) FILTER (WHERE kind = 'added') AS added,
                   count(*) FILTER (WHERE kind = 'removed') AS removed,
                   count(*) FILTER (WHERE kind = 'changed') AS changed,
                   count(*) FILTER (WHERE kind = 'moved') AS moved
            FROM changes WHERE story_id = $story
            GROUP BY ALL ORDER BY "order", doc_old
            """,
            {"story": story_id},
        )

    # -- one pair of articles ---------------------------------------------------------------

    def texts(self, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Original text and boilerplate spans of a few documents, by doc id."""
        rows = self._all(
            "SELECT doc_id, text, removed FROM documents WHERE list_contains($ids, doc_id)",
            {"ids": doc_ids},
        )
        return {r["doc_id"]: r for r in rows}

    def clean_docs(self, doc_ids: list[str]) -> dict[str, DocText]:
        """What comparing needs of a few documents (clean text and its map), by doc id.
        Published times are left out: rows here come back as JSON-ready values, and two
        articles of one story are compared on their texts."""
        rows = self._all(
            "SELECT doc_id, clean_text, clean_map, title FROM documents "
            "WHERE list_contains($ids, doc_id)",
            {"ids": doc_ids},
        )
        return {r["doc_id"]: DocText.from_row(r) for r in rows}

    def pair(self, doc_a: str, doc_b: str) -> dict[str, Any] | None:
        """The pairs row of two articles (in canonical order), if they are related."""
        rows = self._all(
            "SELECT * FROM pairs WHERE doc_a = $a AND doc_b = $b",
            {"a": min(doc_a, doc_b), "b": max(doc_a, doc_b)},
        )
        return rows[0] if rows else None

    def passages(self, doc_a: str, doc_b: str) -> list[dict[str, Any]]:
        """Aligned passages of a pair (``doc_a < doc_b``), offsets into the original texts."""
        return self._all(
            "SELECT * FROM passages WHERE doc_a = $a AND doc_b = $b ORDER BY passage",
            {"a": doc_a, "b": doc_b},
        )

    def changes(self, story_id: str, doc_old: str, doc_new: str) -> list[dict[str, Any]]:
        """Sentence changes recorded from ``doc_old`` to ``doc_new`` within a story."""
        return self._all(
            "SELECT * FROM changes WHERE story_id = $story AND doc_old = $old AND doc_new = $new "
            "ORDER BY change",
            {"story": story_id, "old": doc_old, "new": doc_new},
        )

    # -- documents and rejects --------------------------------------------------------------

    def documents(self, q: str, limit: int, offset: int) -> Slice:
        """Documents by doc id with their story, ``q`` matching the id or the title."""
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        where = ""
        if q:
            params["q"] = q.lower()
            where = f"WHERE {_contains('d.doc_id')} OR {_contains('d.title')}"
        total = self._one(
            f"SELECT count(*) FROM documents d {where}",
            {k: v for k, v in params.items() if k == "q"},
        )
        rows = self._all(
            f"""
            SELECT d.doc_id, d.title, d.source, d.site, d.published, d.words,
                   s.story_id, s.role
            FROM documents d LEFT JOIN stories s USING (doc_id) {where}
            ORDER BY d.doc_id LIMIT $limit OFFSET $offset
            """,
            params,
        )
        return Slice(rows, int(total or 0))

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """One document with its text, its boilerplate spans and its story."""
        rows = self._all(
            """
            SELECT d.doc_id, d.title, d.source, d.site, d.url, d.published, d.fetched,
                   d.input, d.record, d.words, d.text, d.removed,
                   s.story_id, s.role, s."order"
            FROM documents d LEFT JOIN stories s USING (doc_id)
            WHERE d.doc_id = $id
            """,
            {"id": doc_id},
        )
        return rows[0] if rows else None

    def pairs_of(self, doc_id: str, limit: int) -> list[dict[str, Any]]:
        """Every related pair that holds ``doc_id``, strongest relation first."""
        return self._all(
            """
            SELECT *, CASE WHEN doc_a = $id THEN doc_b ELSE doc_a END AS other
            FROM pairs WHERE doc_a = $id OR doc_b = $id
            ORDER BY list_position(['duplicate', 'near_duplicate', 'version', 'excerpt',
                                    'partial'], relation), other
            LIMIT $limit
            """,
            {"id": doc_id, "limit": limit},
        )

    def rejects(self, limit: int, offset: int, raw_chars: int) -> Slice:
        """Rejected records in input order, each raw record cut to ``raw_chars``."""
        total = self._one("SELECT count(*) FROM rejects")
        rows = self._all(
            "SELECT input, record, doc_id, reason, left(raw, $chars) AS raw, "
            "length(raw) AS raw_length FROM rejects "
            "ORDER BY input, record, doc_id LIMIT $limit OFFSET $offset",
            {"limit": limit, "offset": offset, "chars": raw_chars},
        )
        return Slice(rows, int(total or 0))
