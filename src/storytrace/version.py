"""The installed version of storytrace.

It is written once, in ``pyproject.toml``, and read here from the package metadata, so the
CLI, the manifest and the report can never disagree about it.
"""

from importlib.metadata import version

__version__ = version("storytrace")
