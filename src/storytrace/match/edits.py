"""The edit script between two sequences of words: the runs they share and the runs between.

Verification counts the edits between two related texts, and the changes table diffs the
words of each edited sentence. Both ask which runs two sequences share, in order, and what
lies between. The runs are a longest common subsequence, computed by rapidfuzz's bit-parallel
implementation: difflib's matcher, which recursed on the longest matching block, took a third
of verification on news-length texts. The stretch between two shared runs is one edit: a
``replace`` when both sides hold words there, else a ``delete`` or an ``insert``.

Example::

    >>> opcodes([1, 2, 3, 4, 5], [1, 9, 3, 4, 8, 8])
    [('equal', 0, 1, 0, 1), ('replace', 1, 2, 1, 2), ('equal', 2, 4, 2, 4), ('replace', 4, 5, 4, 6)]
    >>> opcodes([1, 2], [1, 2, 3])
    [('equal', 0, 2, 0, 2), ('insert', 2, 2, 2, 3)]
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from rapidfuzz.distance import Indel

Opcode = tuple[str, int, int, int, int]
"""``(tag, i1, i2, j1, j2)`` as difflib writes them: ``a[i1:i2]`` becomes ``b[j1:j2]``."""


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """Shared runs (``equal``) and the edits between them, in order, covering both sequences."""
    out: list[Opcode] = []
    i = j = 0
    for op in Indel.opcodes(a, b):
        if op.tag != "equal":
            continue
        _edit(out, i, op.src_start, j, op.dest_start)
        out.append(("equal", op.src_start, op.src_end, op.dest_start, op.dest_end))
        i, j = op.src_end, op.dest_end
    _edit(out, i, len(a), j, len(b))
    return out


def _edit(out: list[Opcode], i1: int, i2: int, j1: int, j2: int) -> None:
    if i1 < i2 and j1 < j2:
        out.append(("replace", i1, i2, j1, j2))
    elif i1 < i2:
        out.append(("delete", i1, i2, j1, j2))
    elif j1 < j2:
        out.append(("insert", i1, i2, j1, j2))
