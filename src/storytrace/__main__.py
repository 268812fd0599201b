"""Run storytrace as ``python -m storytrace``."""

from storytrace.cli import main

if __name__ == "__main__":
    main()
