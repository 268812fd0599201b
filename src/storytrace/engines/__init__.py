"""Engines move data between the stage functions; they never decide anything themselves.

:mod:`storytrace.engines.base` is the protocol the run loop drives; the local engine runs
the stages in this process or a local process pool.
"""

from storytrace.engines.base import Engine, Keyed
from storytrace.engines.local import LocalEngine

__all__ = ["Engine", "Keyed", "LocalEngine"]
