"""Engines move data between the stage functions; they never decide anything themselves.

:mod:`storytrace.engines.base` is the protocol the run loop drives; the local engine runs
the stages in this process or a local process pool, the Spark engine
(:mod:`storytrace.engines.spark`, imported only when asked for, so the base install needs no
pyspark) on Apache Spark.
"""

import importlib.util

from storytrace.config import Config
from storytrace.engines.base import Engine, Keyed
from storytrace.engines.local import LocalEngine


def engine_for(config: Config) -> Engine:
    """The engine ``config.engine`` names, started as its settings say."""
    if config.engine == "spark":
        if importlib.util.find_spec("pyspark") is None:
            raise ImportError("the Spark engine needs pyspark: pip install 'storytrace[spark]'")
        from storytrace.engines.spark import SparkEngine

        return SparkEngine(config.spark_master or None)
    return LocalEngine(config.workers)


__all__ = ["Engine", "Keyed", "LocalEngine", "engine_for"]
