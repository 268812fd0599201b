"""The flood corpus: real articles reprinted the way wire copy spreads, with known truth.

A few stories are printed hundreds to over a thousand times, most once or twice: the
``rank``-th story of the corpus is printed about ``TOP_PRINTS / rank`` times (a Zipf tail),
and the rest of the corpus, up to ``size``, is stories printed one to six times, most once
or twice. Every print
belongs to one of ``SITES`` sites (about 50 prints each, the site given as the document's
``source``), and each site frames its pages with lines of its own: its name with a number,
its section menu, its copyright year, a telephone number, a sign-up box. Half the sites put
each frame line in a block of its own, as scraped pages do; the others stack them. Half the
sites print articles as web pages do, a paragraph per line between blank lines; the others
keep the wire's wrapped lines.

A print is made from its story's real text by one kind of change (:mod:`bench.corpora.derive`
edits wording, never figures or names): ``copy`` (1-3% of the words edited), ``truncated``
(cut after 40-90% of its words), ``updated`` (a new paragraph added, as a later edition has)
or ``rewrapped`` (laid out at another width). Stories are drawn from the real documents that
are alone in their truth cluster, so two stories of the flood are never one story; many of
them are Reuters formula items (dividend notices, earnings tables), which must stay apart
however often each is printed.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from bench.corpora.derive import edit_words, new_paragraph, paragraphs, render
from bench.corpora.replay import _load_base
from bench.corpora.shards import SHARD_DOCS, Doc, shard_path, write_shard, write_truth

SITES = 400
TOP_PRINTS = 1200
"""Prints of the most printed story; the next ones get 1/2, 1/3 ... of it."""
MIN_WORDS = 60
"""Stories are real articles of at least this many words: a two-line notice printed a
thousand times is a formula, not a story that spread."""

KINDS: dict[str, float] = {"copy": 0.55, "truncated": 0.2, "updated": 0.15, "rewrapped": 0.1}

_SECTIONS = ["World", "Business", "Markets", "Politics", "Tech", "Sport", "Opinion", "Local"]
_FIRST = ["Daily", "Morning", "Evening", "Global", "Metro", "County", "Valley", "Harbor"]
_SECOND = ["Ledger", "Courier", "Post", "Wire", "Tribune", "Herald", "Gazette", "Times"]


@dataclass(frozen=True)
class _Site:
    head: list[str]
    foot: list[str]
    blocks: bool
    """Each frame line in a block of its own (else stacked on consecutive lines)."""
    web: bool
    """Articles laid out a paragraph per line between blank lines (else wrapped as wire)."""


def _site(rng: random.Random, n: int) -> _Site:
    """One site: its frame lines and layout."""
    name = f"{rng.choice(_FIRST)} {rng.choice(_SECOND)} {n}"
    year = rng.randint(1998, 2026)
    phone = f"{rng.randint(200, 989)}-{rng.randint(200, 989)}-{rng.randint(1000, 9999)}"
    header = [
        name,
        f"Home | {' | '.join(rng.sample(_SECTIONS, 5))}",
        f"Edition {rng.randint(1, 60)} | Since {rng.randint(1850, 1990)}",
        f"Call {phone} to subscribe",
    ]
    footer = [
        f"Copyright {year} {name}. All rights reserved.",
        f"Sign up for the {name} newsletter",
        f"{name}, {rng.randint(1, 999)} Main Street, Suite {rng.randint(100, 900)}",
        f"Terms of use | Privacy policy | Contact us at {phone}",
    ]
    head = rng.sample(header, rng.randint(1, 4))
    foot = rng.sample(footer, rng.randint(1, 4))
    return _Site(head, foot, rng.random() < 0.5, rng.random() < 0.5)


def _print(rng: random.Random, text: str, kind: str, vocab: list[str], web: bool) -> str:
    paras = paragraphs(text) or [text.split()]
    width, indent = (0, False) if web else (65, True)
    edit_words(rng, paras, rng.uniform(0.01, 0.03), vocab)
    if kind == "truncated":
        keep = max(1, round(sum(len(p) for p in paras) * rng.uniform(0.4, 0.9)))
        cut: list[list[str]] = []
        for para in paras:
            if keep <= 0:
                break
            cut.append(para[:keep])
            keep -= len(para)
        paras = cut
    elif kind == "updated":
        paras.insert(rng.randrange(1, len(paras) + 1), new_paragraph(rng, vocab))
    elif kind == "rewrapped":
        width, indent = rng.choice([50, 72, 100]), rng.random() < 0.5
    return render(paras, width, indent)


def _framed(body: str, site: _Site) -> str:
    joint = "\n\n" if site.blocks else "\n"
    head, foot = joint.join(site.head), joint.join(site.foot)
    return head + "\n\n" + body.strip("\n") + "\n\n" + foot + "\n"


def _prints_per_story(rng: random.Random, size: int, top: int) -> list[int]:
    counts: list[int] = []
    rank = 1
    while sum(counts) < size:
        count = top // rank if top // rank >= 3 else rng.choice([1, 1, 2, 2, 3, 4, 6])
        counts.append(min(count, size - sum(counts)))
        rank += 1
    return counts


_WORDS = re.compile(r"\w+")
RARE_SHINGLE_DOCS = 20
"""A 5-word shingle in more real documents than this is formula or stock wording, which
different stories share ("qtly div cts vs"); rarer ones are a story's own text."""


def _unrelated(order: list[int], texts: list[str]) -> list[int]:
    """The documents of ``order`` that share fewer than 3 rare 5-word shingles with every
    document taken before them. The real truth misses many re-issues and follow-ups of one
    story under another id; without this, reprints of two of them would be two stories in the
    truth and one for any tool that reads them."""
    shingles = []
    for text in texts:
        words = _WORDS.findall(text.lower())
        shingles.append({" ".join(words[i : i + 5]) for i in range(len(words) - 4)})
    df = Counter(s for found in shingles for s in found)
    taken: set[str] = set()
    kept = []
    for n, found in zip(order, shingles, strict=True):
        rare = {s for s in found if df[s] <= RARE_SHINGLE_DOCS}
        if len(rare & taken) < 3:
            taken |= rare
            kept.append(n)
    return kept


def build_flood(
    real: Path, out: Path, size: int, seed: int, top: int = TOP_PRINTS, sites: int = SITES
) -> int:
    """Write a flood corpus of ``size`` documents to ``out``, its most printed story printed
    ``top`` times, on ``sites`` sites; returns the number written."""
    base = _load_base(real)
    rng = random.Random(f"{seed}/flood")
    members: dict[str, int] = {}
    for cluster in base.clusters:
        members[cluster] = members.get(cluster, 0) + 1
    alone = [
        n
        for n, (doc, cluster) in enumerate(zip(base.docs, base.clusters, strict=True))
        if members[cluster] == 1 and len(doc.text.split()) >= MIN_WORDS
    ]
    rng.shuffle(alone)
    stories = _unrelated(alone, [base.docs[n].text for n in alone])
    counts = _prints_per_story(rng, size, top)
    frames = [_site(rng, n) for n in range(sites)]
    prints = [story for story, count in zip(stories, counts, strict=False) for _ in range(count)]
    order = list(range(len(prints)))
    rng.shuffle(order)
    kinds, weights = list(KINDS), list(KINDS.values())
    docs: list[Doc] = []
    rows: dict[str, list[str]] = {"id": [], "cluster": [], "kind": [], "source": []}
    for place, at in enumerate(order):
        story = prints[at]
        site = place % sites
        kind = rng.choices(kinds, weights)[0]
        body = _print(rng, base.docs[story].text, kind, base.vocab, frames[site].web)
        doc_id = f"f{place:07d}"
        docs.append(Doc(doc_id, _framed(body, frames[site]), source=f"site-{site:03d}"))
        rows["id"].append(doc_id)
        rows["cluster"].append(base.clusters[story])
        rows["kind"].append(kind)
        rows["source"].append(base.docs[story].id)
    for index, start in enumerate(range(0, len(docs), SHARD_DOCS)):
        write_shard(shard_path(out, index), docs[start : start + SHARD_DOCS])
    write_truth(out, pa.table(rows))
    return len(docs)
