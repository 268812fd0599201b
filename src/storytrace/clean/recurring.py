"""Corpus-level boilerplate: a line that recurs across many documents is the site's template.

No rule about one line can know that "A publication by the Path Publishing Group." or "Rugby |
Soccer | Cricket" is furniture; the corpus can. Before cleaning, every document's whole-block
lines (see :func:`storytrace.clean.lines.block_lines`) are counted: how many documents of the
same site hold the line, and how many documents of the whole corpus. A line held by at least
``recurring_site_docs`` documents of its site, or ``recurring_corpus_docs`` documents anywhere,
is a candidate.

A candidate is not yet boilerplate, because copies are exactly what storytrace looks for: a
wire story reprinted by fifty sites repeats every one of its lines fifty times. Template
lines and copied lines differ in their company. A template line sits among other text: the
documents holding it are otherwise different articles. A copied line sits in documents made
mostly of lines found elsewhere too. So a document whose lines found in other documents make
up at least ``SHARED_DOCUMENT_SHARE`` of its words is a *shared* document (a copy, a
version), and a candidate is boilerplate only when most of the documents holding it are not
shared. A story
reprinted fifty times keeps its text; its sites' menus and notices still go; a piece quoting
three paragraphs of that story keeps them, so the quote can still be found.

Example::

    >>> pages = [f"Story {n} said the minister on a day of news number {n}.\\n\\nRugby | Soccer"
    ...          for n in range(4)]
    >>> found = find_recurring(line_keys(pages), [None] * 4, site_docs=3, corpus_docs=3)
    >>> sorted(found[0].values())
    ['recurring line: 4 documents of the corpus']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from storytrace.clean.lines import block_lines, line_key

__all__ = ["DocumentLines", "find_recurring", "line_keys"]

SHARED_DOCUMENT_SHARE: Final = 0.5
"""A document at least half made of candidate lines repeats other documents rather than
carrying its own article: a reprint or a version. Template lines (menus, notices, sign-up
boxes) are a small part of an extracted article: on L3S-GN1 and the article extraction
benchmark, no document had more than a quarter of its words in recurring lines, while an
exact reprint has all of them."""

_WORD: Final = re.compile(r"[^\W_]+")
"""Letters and digits: a separator line ("___", "* * *") has no words and is never counted;
storytrace's tokenizer does not see it either."""


FRAME_LINE_WORDS: Final = 15
"""A frame line is short: mastheads, menus, notices and sign-up lines run 1-15 words, the
paragraphs that follow-ups of one site reuse ("The company, based in Ohio, employs 2,000
people and ...") run longer."""


@dataclass(frozen=True)
class DocumentLines:
    """The whole-block lines of one document, as keys with their word counts, the keys of
    its short lines at an edge of the text (where frames are), and its word count."""

    keys: dict[int, int]
    words: int
    edges: frozenset[int] = frozenset()


def line_keys(texts: Sequence[str]) -> list[DocumentLines]:
    """The line keys of each text; a per-document step that workers can run in parallel."""
    found = []
    for text in texts:
        keys: dict[int, int] = {}
        edges: set[int] = set()
        for content, at_edge in block_lines(text):
            words = len(_WORD.findall(content))
            if words:
                key = line_key(content)
                keys[key] = words
                if at_edge and words <= FRAME_LINE_WORDS:
                    edges.add(key)
        found.append(DocumentLines(keys, len(_WORD.findall(text)), frozenset(edges)))
    return found


SITE_SHARE = 0.02
"""A site's template line is on a good share of its pages, not on a handful of thousands: in
a wire feed of 19,043 Reuters items (one source), lines held by 5 to 300 items are formula
and story text (removing them lost a judged version and linked a formula pair), while
navigation and sign-up lines of a crawled site sit on most of its pages."""


CORPUS_SHARE = 0.005
"""The same across the whole corpus: at most 3 of the 621 pages of L3S-GN1 (where 5 was
calibrated), and 95 of the 19,043 Reuters items, where lines shared by fewer are formula and
story text."""


EDGE_SITE_DOCS = 3
"""Documents of one site that a short line at the edge of the text needs to be the site's
frame. Frames sit on every page of a site, so three pages suffice: on a flood corpus of
4 pages a site, frames left in gave pair precision 0.707 and recall 0.806, removed 1.000
and 0.999. Two pages take too much: on the article extraction benchmark (two pages a site
at most) 2 removed twelve lines of nine sites, three of them a theatre's ticket prices,
which the gold reads as article, and F1 fell from 0.9700 to 0.9696."""

SITE_OWN = 0.5
"""A line is a site's own when at least half the documents holding it are the site's: its
template lines (those of no other site) and its own stories repeated, not the wire copy it
prints like everyone else."""


def find_recurring(
    documents: Sequence[DocumentLines],
    sites: Sequence[str | None],
    *,
    site_docs: int,
    corpus_docs: int,
) -> list[dict[int, str]]:
    """For each document, its boilerplate lines (by key) and the reason for each.

    ``sites`` gives each document's site (None when unknown: it is counted with the corpus
    only). Thresholds below 2 switch a level off: one document proves nothing.
    """
    per_corpus: Counter[int] = Counter()
    per_site: Counter[tuple[str, int]] = Counter()
    site_sizes = Counter(site for site in sites if site is not None)
    for doc, site in zip(documents, sites, strict=True):
        per_corpus.update(doc.keys.keys())
        if site is not None:
            per_site.update((site, key) for key in doc.keys)

    def own(site: str, key: int) -> bool:
        """Whether ``key`` is the site's own line, held mostly by its pages: its template
        lines and its own stories repeated, not the wire copy every site prints."""
        return per_site[(site, key)] >= SITE_OWN * per_corpus[key]

    def scope(doc: DocumentLines, key: int, site: str | None) -> str | None:
        """Where ``key`` recurs: at its site (the site's name), across the corpus ("") or
        nowhere (None). A short line at an edge of the text needs only ``EDGE_SITE_DOCS``
        documents of its site: however few pages a site has, a few different articles
        framed by the same line show the frame."""
        least = site_docs if key not in doc.edges else min(site_docs, EDGE_SITE_DOCS)
        if (
            site is not None
            and site_docs >= 2
            and per_site[(site, key)] >= max(least, SITE_SHARE * site_sizes[site])
            and own(site, key)
        ):
            return site
        if corpus_docs >= 2 and per_corpus[key] >= max(corpus_docs, CORPUS_SHARE * len(sites)):
            return ""
        return None

    def held(key: int, level: str) -> bool:
        """Whether other documents at ``level`` (a site's name, or "" for the corpus) hold
        ``key``. At a site, only the site's own lines count: a wire story's paragraph
        printed by this site and 400 others says nothing of the site."""
        if not level:
            return per_corpus[key] >= 2
        return per_site[(level, key)] >= 2 and own(level, key)

    def shared(doc: DocumentLines, level: str) -> bool:
        """Whether ``doc`` is mostly lines held by other documents at ``level``."""
        covered = sum(words for key, words in doc.keys.items() if held(key, level))
        return doc.words > 0 and covered >= SHARED_DOCUMENT_SHARE * doc.words

    # A line found at site level is judged by its company within the site: a site's pages are
    # otherwise different articles, though each may be a reprint found all over the corpus (a
    # wire story on 400 sites makes every page of every site a shared document of the
    # corpus). A line found across the corpus is judged by its company across the corpus.
    candidates: list[dict[int, str]] = []
    among_other_text: Counter[tuple[str, int]] = Counter()
    in_shared: Counter[tuple[str, int]] = Counter()
    for doc, site in zip(documents, sites, strict=True):
        found = {key: where for key in doc.keys if (where := scope(doc, key, site)) is not None}
        candidates.append(found)
        company = {level: shared(doc, level) for level in set(found.values())}
        for key, level in found.items():
            (in_shared if company[level] else among_other_text)[(level, key)] += 1

    def why(key: int, level: str) -> str:
        if level:
            return f"recurring line: {per_site[(level, key)]} documents of site {level}"
        return f"recurring line: {per_corpus[key]} documents of the corpus"

    return [
        {
            key: why(key, level)
            for key, level in found.items()
            if among_other_text[(level, key)] > in_shared[(level, key)]
        }
        for found in candidates
    ]
