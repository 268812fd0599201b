"""Run storytrace as ``python -m storytrace``."""

from storytrace.cli import main

main()
