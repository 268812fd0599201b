"""The articles a generator run draws from, with the subsets some kinds need."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.bad_inputs.articles import Article


@dataclass
class Pool:
    """All good articles, and those with a '£' (the byte that tells Latin-1 and cp1252 from
    their look-alikes), so that an encoding case always has something to get wrong."""

    articles: list[Article]
    pound: list[Article] = field(init=False)

    def __post_init__(self) -> None:
        self.pound = [a for a in self.articles if "£" in a.text] or self.articles

    def some(self, rng: random.Random, count: int) -> list[Article]:
        return rng.sample(self.articles, count)

    def one(self, rng: random.Random, encoding: str = "utf-8") -> Article:
        """An article worth writing in ``encoding``: one with a '£' for legacy encodings."""
        source = self.articles if encoding.startswith("utf") else self.pound
        return rng.choice(source)
