"""A table on disk: one Parquet file, or a folder of Parquet part files.

The local engine writes each table of a run as one file. The Spark engine's executors
write a table as a folder ``name.parquet/`` of ``part-NNNNN.parquet`` files: each part is
sorted, and the parts follow each other in key order, so reading them in name order gives
the sorted table (no part passes through the driver). pyarrow, pandas, polars and DuckDB
read such a folder as one table. Everything in storytrace that opens a run's table goes
through the functions here, so a run written by either engine reads alike.

Example::

    >>> import tempfile
    >>> import pyarrow as pa, pyarrow.parquet as pq
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp()) / "pairs.parquet"
    >>> folder.mkdir()
    >>> pq.write_table(pa.table({"a": [1, 2]}), folder / "part-00000.parquet")
    >>> pq.write_table(pa.table({"a": [3]}), folder / "part-00001.parquet")
    >>> num_rows(folder), read(folder).column("a").to_pylist()
    (3, [1, 2, 3])
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

PART_PREFIX = "part-"
"""Part files are ``part-00000.parquet``, ``part-00001.parquet`` ...: their names sort in
the order of their rows."""


def part_name(number: int) -> str:
    return f"{PART_PREFIX}{number:05d}.parquet"


def parts(path: Path) -> list[Path]:
    """The Parquet files of the table at ``path``, in row order: the file itself, or the
    part files of the folder (other files a writer leaves, such as ``_SUCCESS``, are not
    parts). Empty when there is no table there."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(
        p
        for p in path.iterdir()
        if p.name.startswith(PART_PREFIX) and p.name.endswith(".parquet") and p.is_file()
    )


def exists(path: Path) -> bool:
    """There is a table at ``path`` (a file, or a folder with at least one part)."""
    return bool(parts(path))


def num_rows(path: Path) -> int:
    """Rows of the table, from the footers only."""
    return sum(pq.read_metadata(p).num_rows for p in parts(path))


def schema(path: Path) -> pa.Schema:
    """The table's Arrow schema, from the footer of its first part."""
    found = parts(path)
    if not found:
        raise FileNotFoundError(f"no Parquet table at {path}")
    return pq.read_schema(found[0])


def read(
    path: Path, columns: Sequence[str] | None = None, filters: pc.Expression | None = None
) -> pa.Table:
    """The whole table (only ``columns`` and the rows ``filters`` keeps, when given)."""
    found = parts(path)
    if not found:
        raise FileNotFoundError(f"no Parquet table at {path}")
    wanted = list(columns) if columns is not None else None
    tables = [pq.read_table(p, columns=wanted, filters=filters) for p in found]
    if len(tables) == 1:
        return tables[0]
    return pa.concat_tables(tables)


def duckdb_source(path: Path) -> str:
    """What DuckDB's ``read_parquet`` takes for the table: a quoted file name, or a list of
    the part files (a list, not a glob, so that brackets in a folder name stay literal)."""
    quoted = ["'" + str(p).replace("'", "''") + "'" for p in parts(path)]
    return quoted[0] if path.is_file() else "[" + ", ".join(quoted) + "]"


def _file_stamp(path: Path) -> tuple[int, str]:
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size < 12:
            return size, ""
        fh.seek(size - 8)
        tail = fh.read(8)
        length = min(int.from_bytes(tail[:4], "little"), size - 8)
        fh.seek(size - 8 - length)
        footer = fh.read(length)
    return size, hashlib.sha256(footer + tail).hexdigest()[:32]


def stamp(path: Path) -> dict[str, Any]:
    """What tells one table from another without reading it all: its size and a digest of
    its footers (the schema, and every column chunk's offsets, sizes and statistics), part
    names included for a folder. Reading a footer costs the same for 1 KB as for 10 GB."""
    if path.is_file():
        size, footer = _file_stamp(path)
        return {"bytes": size, "footer": footer}
    total, digest = 0, hashlib.sha256()
    for part in parts(path):
        size, footer = _file_stamp(part)
        total += size
        digest.update(f"{part.name}\0{footer}\n".encode())
    return {"bytes": total, "footer": digest.hexdigest()[:32]}


def remove(path: Path) -> None:
    """Delete the table at ``path``, file or folder (nothing when there is none)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
