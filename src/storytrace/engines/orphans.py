"""Processes of a run die with it, even when they are too busy to notice.

The local engine's workers watch the run process from a thread (see
:func:`storytrace.engines.local.die_with_run`), but a worker deep in a regular expression or
a C extension that holds the GIL never lets that thread run. On Linux the kernel can do it
instead: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` asks for a signal when the parent ends. The
workers' parent is the fork server, not the run, so the fork server is made to die with the
run (this module is preloaded into it) and every worker with the fork server.

Importing this module anywhere else does nothing: it acts only in a direct child of the run
that started the pool, told by :data:`RUN_PID_VARIABLE`.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from typing import Final

RUN_PID_VARIABLE: Final = "STORYTRACE_RUN_PID"
_PR_SET_PDEATHSIG: Final = 1


def kill_with_parent() -> None:
    """Have the kernel SIGKILL this process when its parent ends (Linux; elsewhere nothing)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    # The parent may have ended before prctl: then this process is already an orphan.
    if os.getppid() == 1:
        os._exit(1)


def _in_fork_server_of_run() -> bool:
    """True in the fork server the local engine started (it runs ``python -c`` with
    ``multiprocessing.forkserver.main``), as a direct child of the run."""
    return (
        os.environ.get(RUN_PID_VARIABLE) == str(os.getppid())
        and sys.argv[:1] == ["-c"]
        and "multiprocessing.forkserver" in sys.modules
    )


if _in_fork_server_of_run():
    kill_with_parent()
