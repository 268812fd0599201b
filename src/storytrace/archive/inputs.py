"""The articles ``storytrace match`` is given: files, or JSON Lines records on standard input.

Each is named (the file, or ``stdin record N``) so that an error says which one failed;
an unreadable record is reported as its reason and the others are still matched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

MatchItem = Path | dict[str, Any] | str
"""A file, a record, or (a string) the reason the input could not be read."""


def match_inputs(arguments: Iterable[str], stdin: TextIO) -> Iterator[tuple[str, MatchItem]]:
    """``(name, item)`` for every article to match, in the order given."""
    for argument in arguments:
        if argument != "-":
            path = Path(argument)
            yield argument, path if path.is_file() else "no such file"
            continue
        for number, line in enumerate(stdin, start=1):
            if not line.strip():
                continue
            name = f"stdin record {number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield name, f"invalid JSON: {error.msg} at column {error.colno}"
                continue
            yield name, record if isinstance(record, dict) else "the line is not a JSON object"
