"""The good articles bad inputs are made from: BBC News (Latin-1, with '£') and Reuters.

Real text matters here: encoding detectors, CSV quoting and line splitting all behave
differently on real news prose (pound signs, quotes, long paragraphs) than on ``"abc"``.
The texts are read with plain code independent of storytrace's readers, so that a reader
bug cannot hide by producing the expected text itself.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

DATA: Final = Path(__file__).resolve().parents[3] / "shared" / "data"
_BODY: Final = re.compile(rb"<BODY>(.*?)</BODY>", re.DOTALL)
_TITLE: Final = re.compile(rb"<TITLE>(.*?)</TITLE>", re.DOTALL)


@dataclass(frozen=True)
class Article:
    """A good article: every bad input built around it must keep this text."""

    id: str
    title: str
    text: str

    def paragraphs(self) -> list[str]:
        """The text's paragraphs (blank-line separated), for building HTML pages."""
        return [p.strip() for p in re.split(r"\n\s*\n", self.text) if p.strip()]


def _bbc(root: Path) -> list[Article]:
    found = []
    for path in sorted(root.glob("*/*.txt")):
        data = path.read_bytes()
        try:  # the collection is Latin-1, but a few files were saved as UTF-8
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        title = text.split("\n", 1)[0].strip()
        found.append(Article(f"bbc-{path.parent.name}-{path.stem}", title, text))
    return found


def _reuters(root: Path, files: int) -> list[Article]:
    found = []
    for path in sorted(root.glob("reut2-*.sgm"))[:files]:
        data = path.read_bytes()
        for index, item in enumerate(data.split(b"<REUTERS")[1:]):
            body = _BODY.search(item)
            if body is None:
                continue
            text = html.unescape(body.group(1).decode("latin-1")).replace("\x03", "")
            title = _TITLE.search(item)
            head = "" if title is None else html.unescape(title.group(1).decode("latin-1"))
            if text.strip():
                found.append(Article(f"reuters-{path.stem}-{index}", head.strip(), text))
    return found


def load_articles(data: Path = DATA, reuters_files: int = 2) -> list[Article]:
    """BBC's 2,225 articles and the Reuters items of the first ``reuters_files`` files,
    in a fixed order (the generator's seed then decides everything else)."""
    return _bbc(data / "bbc") + _reuters(data / "reuters21578", reuters_files)


def pick(rng: random.Random, articles: list[Article], count: int) -> list[Article]:
    """``count`` distinct articles, chosen by the seeded generator."""
    return rng.sample(articles, count)
