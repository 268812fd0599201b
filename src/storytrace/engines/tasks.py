"""Tasks built when an engine asks for them, so a large run never holds all of them at once.

A run over a million documents has hundreds of tasks of a few thousand documents each. Built
up front, they hold a second copy of the corpus (texts, offset maps) until the stage ends;
built one by one as workers free up, only the tasks in flight exist.

Example::

    >>> squares = Tasks(4, lambda i: i * i)
    >>> len(squares), squares[3], list(squares)
    (4, 9, [0, 1, 4, 9])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar, overload

import pyarrow as pa

T = TypeVar("T")


class Tasks(Sequence[T]):
    """``count`` tasks; task ``i`` is ``build(i)``, computed each time it is asked for."""

    def __init__(self, count: int, build: Callable[[int], T]) -> None:
        self._count = count
        self._build = build

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        return self._build(index % self._count)


def compact(table: pa.Table) -> pa.Table:
    """A copy of ``table`` holding only its own rows.

    A slice shares its parent's buffers, and pickling it (to send it to a worker process)
    writes those whole buffers: a 2,000-row slice of a million-document table crossed to the
    worker as the full 2 GB. The copy crosses as its own few megabytes.
    """
    return table.take(pa.array(range(table.num_rows), type=pa.int64()))
