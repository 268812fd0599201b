"""Progress reporting: the run loop says what it is doing; a front end decides how to show it.

The library prints nothing. The CLI passes a reporter that draws rich progress bars; a
notebook may pass its own; the default reporter ignores everything.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives the start of each stage, its advances, its end, and notes."""

    def start(self, stage: str, total: int | None) -> None: ...

    def advance(self, amount: int = 1) -> None: ...

    def finish(self, note: str = "") -> None: ...

    def note(self, text: str) -> None:
        """A line for the user: a resumed run, a stage redone and why."""
        ...


class SilentProgress:
    """Reports nothing (the default)."""

    def start(self, stage: str, total: int | None) -> None:
        return None

    def advance(self, amount: int = 1) -> None:
        return None

    def finish(self, note: str = "") -> None:
        return None

    def note(self, text: str) -> None:
        return None
