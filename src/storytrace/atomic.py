"""Files written whole or not at all: a temporary file beside the target, renamed onto it.

The temporary path may also be made a folder (a table written in parts); it replaces the
target the same way.

A reader, or a run resumed after ``kill -9``, then finds either the old file or the new
one, never a part of one; and a write that fails (a full disk, a read-only folder) leaves
the old file as it was and says which file it could not write, and why.

Example::

    >>> import tempfile
    >>> from pathlib import Path
    >>> target = Path(tempfile.mkdtemp()) / "table.txt"
    >>> with writing(target) as partial:
    ...     _ = partial.write_text("rows")
    >>> target.read_text()
    'rows'
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

_ERRNO = re.compile(r"\[errno (\d+)\]", re.IGNORECASE)


@contextmanager
def writing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to, renamed onto ``path`` at the end.

    On an OSError the temporary file is removed and the error raised again naming ``path``
    itself (see :func:`naming`): the temporary name means nothing to the user.
    """
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        yield partial
        _put(partial, path)
    except OSError as err:
        with suppress(OSError):
            _remove(partial)
        raise naming(err, path) from err


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _put(partial: Path, path: Path) -> None:
    """Rename ``partial`` onto ``path``. A file replaces a file in one rename. A folder (a
    table written in parts), or a file taking a folder's place, cannot: the old one is
    renamed aside first and removed after, so a reader may find nothing at ``path`` for
    the moment between the two renames, but never a mix of old and new parts."""
    if partial.is_file() and not (path.is_dir() and not path.is_symlink()):
        os.replace(partial, path)
        return
    aside = path.with_name(f".{path.name}.{os.getpid()}.old")
    if path.exists() or path.is_symlink():
        os.replace(path, aside)
    os.replace(partial, path)
    with suppress(OSError):
        _remove(aside)


def naming(err: OSError, path: Path) -> OSError:
    """``err`` as an OSError with its errno and ``path`` as its file name, so that it
    prints as ``[Errno 28] No space left on device: 'RUN/pairs.parquet'``.

    pyarrow raises ``OSError("[Errno 28] Error writing bytes to file. Detail: ...")`` with
    no errno attribute and no file name; the number is read back from its message.
    """
    code = err.errno
    if code is None and (found := _ERRNO.search(str(err))):
        code = int(found.group(1))
    if code is None:
        return OSError(f"cannot write {path}: {' '.join(str(err).split())}")
    return OSError(code, os.strerror(code), str(path))
