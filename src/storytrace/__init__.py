"""storytrace: find the copies, reprints, versions and partial rewrites of news articles.

It groups them into stories, aligns the text they share and shows who published first and
what each version changed. See ``storytrace --help`` and the README.
"""

import logging

from storytrace.api import Comparison, Run, RunTableError, compare, find_stories, open_run
from storytrace.config import Config
from storytrace.version import __version__

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Comparison",
    "Config",
    "Run",
    "RunTableError",
    "__version__",
    "compare",
    "find_stories",
    "open_run",
]
