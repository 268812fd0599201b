"""Ways news text is copied and changed, each a seeded function from one text to another.

A derived document is made from one real document by one *kind* of change, as sites that
reprint news make them:

- ``copy``: 1-5% of the words edited (a word replaced, dropped or inserted);
- ``boilerplate``: a light copy framed by one site's navigation, share and sign-up lines;
- ``rewrapped``: a light copy with its lines wrapped at another width, or unwrapped;
- ``truncated``: a light copy cut after 40-90% of its words (a teaser, a paywall);
- ``moved``: a light copy with one or two paragraphs moved elsewhere;
- ``version``: rewritten: 5-10% of the words edited, a third of the paragraphs after the
  first dropped, one moved, and one or two new paragraphs added.

Edits touch wording, never facts: only lower-case words are replaced or dropped, so figures
and names stay as the source printed them (a copy-editor's change, not another story).
Replacement and new words come from the corpus vocabulary, so no derived text shares a
passage with any document other than its source.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

KINDS: dict[str, float] = {
    "copy": 0.25,
    "boilerplate": 0.20,
    "rewrapped": 0.15,
    "truncated": 0.15,
    "moved": 0.10,
    "version": 0.15,
}
"""Kinds of derived document and the share of each."""

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n(?=[ \t]+\S)")

Paragraphs = list[list[str]]


@dataclass(frozen=True)
class Site:
    """A reprinting site: the lines its template puts above and below every article."""

    header: tuple[str, ...]
    footer: tuple[str, ...]


def make_sites(rng: random.Random, count: int) -> list[Site]:
    """``count`` sites, each with its own name and template lines."""
    sections = ["World", "Business", "Markets", "Politics", "Tech", "Sport", "Opinion", "Local"]
    sites = []
    for n in range(count):
        name = f"{rng.choice(['Daily', 'Morning', 'Evening', 'Global', 'Metro'])} "
        name += f"{rng.choice(['Ledger', 'Courier', 'Post', 'Wire', 'Tribune'])} {n}"
        nav = " | ".join(rng.sample(sections, 5))
        header = (f"{name}", f"Home | {nav}", "Skip to main content", "Advertisement")
        footer = (
            "Share this article",
            f"Sign up for the {name} newsletter",
            f"Copyright {rng.randint(2001, 2024)} {name}. All rights reserved.",
            "Terms of use | Privacy policy | Contact us",
        )
        sites.append(Site(header[: rng.randint(2, 4)], footer[: rng.randint(2, 4)]))
    return sites


def paragraphs(text: str) -> Paragraphs:
    """Words of each paragraph (blank lines, or an indented line, start a paragraph)."""
    found = [p.split() for p in _PARAGRAPH_BREAK.split(text)]
    return [p for p in found if p]


def _wrap(words: Sequence[str], width: int) -> list[str]:
    lines: list[str] = []
    line: list[str] = []
    size = 0
    for word in words:
        if line and size + 1 + len(word) > width:
            lines.append(" ".join(line))
            line, size = [], 0
        size += len(word) + (1 if line else 0)
        line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


def render(paras: Paragraphs, width: int, indent: bool) -> str:
    """Paragraphs as text: wrapped at ``width`` (0: one line each), indented or blank-separated."""
    if indent:
        blocks = []
        for i, words in enumerate(paras):
            lines = _wrap(words, width) if width else [" ".join(words)]
            blocks.append(("    " if i else "") + "\n".join(lines))
        return "\n".join(blocks) + "\n"
    return "\n\n".join("\n".join(_wrap(p, width)) if width else " ".join(p) for p in paras) + "\n"


def _editable(word: str) -> bool:
    return word.isalpha() and word.islower()


def edit_words(rng: random.Random, paras: Paragraphs, rate: float, vocab: Sequence[str]) -> None:
    """Replace, drop or insert about ``rate`` of the words, in place, lower-case words only."""
    total = sum(len(p) for p in paras)
    for _ in range(round(total * rate)):
        para = paras[rng.randrange(len(paras))]
        at = rng.randrange(len(para))
        if not _editable(para[at]):
            continue
        action = rng.random()
        if action < 0.6:
            para[at] = rng.choice(vocab)
        elif action < 0.8 and len(para) > 1:
            del para[at]
        else:
            para.insert(at, rng.choice(vocab))


def _sentence(rng: random.Random, vocab: Sequence[str]) -> str:
    words = [rng.choice(vocab) for _ in range(rng.randint(8, 20))]
    return " ".join([words[0].capitalize(), *words[1:]]) + "."


def new_paragraph(rng: random.Random, vocab: Sequence[str]) -> list[str]:
    return " ".join(_sentence(rng, vocab) for _ in range(rng.randint(2, 4))).split()


def _move(rng: random.Random, paras: Paragraphs) -> None:
    if len(paras) >= 3:
        moved = paras.pop(rng.randrange(1, len(paras)))
        paras.insert(rng.randrange(len(paras) + 1), moved)


def _truncate(rng: random.Random, paras: Paragraphs) -> Paragraphs:
    keep = max(1, round(sum(len(p) for p in paras) * rng.uniform(0.4, 0.9)))
    out: Paragraphs = []
    for para in paras:
        if keep <= 0:
            break
        out.append(para[:keep])
        keep -= len(para)
    return out


@dataclass(frozen=True)
class Derivation:
    """Everything one derived document needs besides its source text."""

    kind: str
    vocab: Sequence[str]
    sites: Sequence[Site]


def derive(rng: random.Random, text: str, how: Derivation) -> str:
    """A new text made from ``text`` by one kind of change (see the module docstring)."""
    paras = paragraphs(text) or [text.split()]
    # Every derived text is laid out anew, 65 wide and indented as newswire is; a rewrapped
    # one takes another width (0: a paragraph per line) and paragraph style.
    width, indent = 65, True
    if how.kind == "rewrapped":
        width, indent = rng.choice([0, 50, 60, 72, 80, 100]), rng.random() < 0.5
    if how.kind == "version":
        edit_words(rng, paras, rng.uniform(0.05, 0.10), how.vocab)
        head, rest = paras[:1], paras[1:]
        rest = [p for p in rest if rng.random() >= 1 / 3]
        paras = head + rest
        _move(rng, paras)
        for _ in range(rng.randint(1, 2)):
            paras.insert(rng.randrange(1, len(paras) + 1), new_paragraph(rng, how.vocab))
        return render(paras, width, indent)
    edit_words(rng, paras, rng.uniform(0.01, 0.05), how.vocab)
    if how.kind == "truncated":
        paras = _truncate(rng, paras)
    elif how.kind == "moved":
        _move(rng, paras)
    body = render(paras, width, indent)
    if how.kind == "boilerplate":
        site = rng.choice(how.sites)
        return "\n".join(site.header) + "\n\n" + body + "\n" + "\n".join(site.footer) + "\n"
    return body
