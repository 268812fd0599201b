"""The steps of the ``events`` stage (``Config.semantic``), pure functions like those of
:mod:`storytrace.run.steps`: each article's embedding and evidence (a group step by doc_id
over the representatives), then two driver steps over ids, vectors and short lists, never
texts: the same-event pairs from a nearest-neighbour index, and the events they form."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from storytrace.config import Config
from storytrace.model import doc_uids
from storytrace.schema import EMBEDDING_DIMENSIONS, EMBEDDINGS, EVENTS, SAME_EVENT
from storytrace.semantic.events import Link, event_id, group_stories
from storytrace.semantic.evidence import Evidence, evidence_of, shared

Tables = dict[str, pa.Table]


def embed_step(documents: pa.Table, representatives: pa.Table, config: Config) -> Tables:
    """Group step by doc_id: the embedding, names, dates and places of each representative
    (exact copies share their representative's)."""
    if not config.semantic:
        return {"embeddings": EMBEDDINGS.empty_table()}
    from storytrace.semantic.compare import embedded_text
    from storytrace.semantic.embedding import embed

    wanted = pc.is_in(documents.column("doc_id"), value_set=representatives.column("doc_id"))
    docs = documents.filter(wanted).sort_by("doc_id")
    texts = [
        embedded_text(title, text)
        for title, text in zip(
            docs.column("title").to_pylist(), docs.column("clean_text").to_pylist(), strict=True
        )
    ]
    cores = os.cpu_count() or 1
    vectors = embed(texts, threads=cores // (config.workers or cores))
    found = [evidence_of(t) for t in texts]
    table = pa.table(
        {
            "uid": pa.array(doc_uids(docs.column("doc_id").to_pylist()), pa.uint64()),
            "doc_id": docs.column("doc_id"),
            "vector": pa.FixedSizeListArray.from_arrays(
                pa.array(vectors.ravel(), pa.float32()), EMBEDDING_DIMENSIONS
            ),
            "names": [list(e.names) for e in found],
            "dates": [list(e.dates) for e in found],
            "places": [list(e.places) for e in found],
        },
        schema=EMBEDDINGS,
    )
    return {"embeddings": table}


def _story_of(stories: pa.Table) -> dict[str, str]:
    return dict(
        zip(
            stories.column("doc_id").to_pylist(),
            stories.column("story_id").to_pylist(),
            strict=True,
        )
    )


def same_event_step(embeddings: pa.Table, stories: pa.Table, config: Config) -> Tables:
    """Driver step: pairs of articles in different stories whose event similarity reaches
    ``semantic_threshold``, found among mutual nearest neighbours (see
    :mod:`storytrace.semantic.neighbours`)."""
    if not config.semantic or embeddings.num_rows < 2:
        return {"same_event": SAME_EVENT.empty_table()}
    from storytrace.semantic.neighbours import nearest_pairs
    from storytrace.semantic.score import similarities

    embeddings = embeddings.sort_by("doc_id")
    flat = embeddings.column("vector").combine_chunks().flatten().to_numpy()
    vectors = np.asarray(flat, dtype=np.float32).reshape(-1, EMBEDDING_DIMENSIONS)
    a, b, cosine = nearest_pairs(vectors, config.semantic_neighbours, -1.0)
    ids: list[str] = embeddings.column("doc_id").to_pylist()
    story = _story_of(stories)
    rows: list[dict[str, Any]] = []
    evidence: dict[int, Evidence] = {}

    def of(i: int) -> Evidence:
        if i not in evidence:
            row = embeddings.slice(i, 1).select(["names", "dates", "places"]).to_pylist()[0]
            evidence[i] = Evidence(tuple(row["names"]), tuple(row["dates"]), tuple(row["places"]))
        return evidence[i]

    for i, j, cos, sim in zip(
        a.tolist(), b.tolist(), cosine.tolist(), similarities(cosine).tolist(), strict=True
    ):
        if sim < config.semantic_threshold:
            continue
        if ids[i] in story and story.get(ids[i]) == story.get(ids[j]):
            continue  # one story already: text reuse, not another report of the event
        common = shared(of(i), of(j))
        rows.append(
            {
                "doc_a": ids[i],
                "doc_b": ids[j],
                "similarity": round(float(sim), 6),
                "cosine": round(cos, 6),
                "shared_names": common["names"],
                "shared_dates": common["dates"],
                "shared_places": common["places"],
            }
        )
    return {"same_event": pa.Table.from_pylist(rows, schema=SAME_EVENT)}


def events_step(same_event: pa.Table, stories: pa.Table, config: Config) -> Tables:
    """Driver step: events from the same-event pairs, over stories (an article in no story
    is a story of its own); every article of every story of an event gets a row."""
    if not config.semantic or same_event.num_rows == 0:
        return {"events": EVENTS.empty_table()}
    story = _story_of(stories)
    members: dict[str, list[str]] = {}
    for doc_id, story_id in story.items():
        members.setdefault(story_id, []).append(doc_id)
    alone = "\0"  # the key of an article in no story: no story id starts so

    links = [
        Link(story.get(a, alone + a), story.get(b, alone + b), sim)
        for a, b, sim in zip(
            same_event.column("doc_a").to_pylist(),
            same_event.column("doc_b").to_pylist(),
            same_event.column("similarity").to_pylist(),
            strict=True,
        )
    ]
    rows: list[dict[str, Any]] = []
    for group in group_stories(links, config.max_event_stories):
        docs = [
            (d, None if key.startswith(alone) else key)
            for key in group
            for d in members.get(key, [key[len(alone) :]])
        ]
        eid = event_id([d for d, _ in docs])
        rows.extend(
            {"event_id": eid, "doc_id": d, "story_id": s, "stories": len(group)} for d, s in docs
        )
    return {"events": pa.Table.from_pylist(rows, schema=EVENTS)}
