"""Engines move data between the stage functions; they never decide anything themselves."""

from storytrace.engines.local import Engine, LocalEngine

__all__ = ["Engine", "LocalEngine"]
