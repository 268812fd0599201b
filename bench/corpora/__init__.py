"""Benchmark corpora: the real news data, and larger corpora derived from it with known truth."""
