"""Where a page links to: server paths, or relative file names in the static report.

The templates are shared by the static report and the viewer; only the links differ. A
template asks ``links.story(story_id)`` and gets a path, or ``None`` when that page does not
exist in this mode (the static report holds no per-document pages, and only the stories and
comparisons it was asked to include); the template then shows plain text instead of a link.

Example::

    >>> ServerLinks().compare("story-1a", 0, 2)
    '/stories/story-1a/compare/0/2'
    >>> StaticLinks(depth=1, written_stories=frozenset({"story-1a"})).story("story-1a")
    '../stories/story-1a.html'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar, Protocol
from urllib.parse import urlencode

from storytrace.report.queries import STORY_ID


class Links(Protocol):
    """Paths to every kind of page; ``None`` where the page does not exist."""

    @property
    def static(self) -> bool: ...

    def overview(self) -> str: ...

    def stories(self, q: str = "", offset: int = 0, limit: int | None = None) -> str: ...

    def story(self, story_id: str) -> str | None: ...

    def compare(self, story_id: str, old: int, new: int) -> str | None: ...

    def documents(self, q: str = "", offset: int = 0, limit: int | None = None) -> str | None: ...

    def document(self, doc_id: str) -> str | None: ...

    def rejects(self, offset: int = 0, limit: int | None = None) -> str | None: ...

    def match(self) -> str | None: ...

    def asset(self, name: str) -> str: ...


def _query(**params: str | int | None) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", 0) or k == "id"}
    return "?" + urlencode(kept) if kept else ""


class ServerLinks:
    """Absolute paths of the viewer; every page exists."""

    static: ClassVar[bool] = False

    def overview(self) -> str:
        return "/"

    def stories(self, q: str = "", offset: int = 0, limit: int | None = None) -> str:
        return "/stories" + _query(q=q, offset=offset, limit=limit)

    def story(self, story_id: str) -> str | None:
        return f"/stories/{story_id}" if STORY_ID.fullmatch(story_id) else None

    def compare(self, story_id: str, old: int, new: int) -> str | None:
        base = self.story(story_id)
        return f"{base}/compare/{old}/{new}" if base else None

    def documents(self, q: str = "", offset: int = 0, limit: int | None = None) -> str | None:
        return "/documents" + _query(q=q, offset=offset, limit=limit)

    def document(self, doc_id: str) -> str | None:
        return "/document" + _query(id=doc_id)

    def rejects(self, offset: int = 0, limit: int | None = None) -> str | None:
        return "/rejects" + _query(offset=offset, limit=limit)

    def match(self) -> str | None:
        return "/match"

    def asset(self, name: str) -> str:
        return f"/static/{name}"


@dataclass(frozen=True)
class StaticLinks:
    """Relative file names inside the report folder, seen from a page ``depth`` folders
    below its root; only the stories and comparisons written are linked."""

    depth: int = 0
    written_stories: frozenset[str] = frozenset()
    written_compares: frozenset[tuple[str, int, int]] = frozenset()
    static: ClassVar[bool] = True

    @property
    def _root(self) -> str:
        return "../" * self.depth

    def overview(self) -> str:
        return self._root + "index.html"

    def stories(self, q: str = "", offset: int = 0, limit: int | None = None) -> str:
        return self._root + "stories.html"

    def story(self, story_id: str) -> str | None:
        if story_id not in self.written_stories or not STORY_ID.fullmatch(story_id):
            return None
        return f"{self._root}stories/{story_id}.html"

    def compare(self, story_id: str, old: int, new: int) -> str | None:
        if (story_id, old, new) not in self.written_compares:
            return None
        return f"{self._root}stories/{story_id}/compare-{old}-{new}.html"

    def documents(self, q: str = "", offset: int = 0, limit: int | None = None) -> str | None:
        return None

    def document(self, doc_id: str) -> str | None:
        return None

    def rejects(self, offset: int = 0, limit: int | None = None) -> str | None:
        return self._root + "rejects.html"

    def match(self) -> str | None:
        return None  # matching needs the viewer: a report from disk cannot compute

    def asset(self, name: str) -> str:
        return f"{self._root}static/{name}"

    def at_depth(self, depth: int) -> StaticLinks:
        """The same report seen from a page ``depth`` folders down."""
        return replace(self, depth=depth)
