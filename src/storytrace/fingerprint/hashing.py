"""Seeded 64-bit hashing on numpy arrays.

Every hash in storytrace is derived from ``Config.seed`` through these functions, so every
worker, process and engine computes the same values. Arithmetic is modulo 2**64 (numpy's
unsigned wrap-around), which is what the polynomial and multiply-shift families need.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]

_MASK = (1 << 64) - 1


def splitmix64(x: U64) -> U64:
    """Finaliser of SplitMix64: a bijective mixer that spreads every input bit.

    Used after linear (polynomial) combinations, whose low bits are otherwise weak.
    """
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


@lru_cache(maxsize=256)
def derive_seed(seed: int, purpose: str) -> int:
    """A 64-bit seed for one purpose ("tokens", "minhash", ...) derived from the run seed."""
    value = seed & _MASK
    for ch in purpose.encode():
        value = (value * 0x100000001B3 ^ ch) & _MASK
    mixed = splitmix64(np.array([value], dtype=np.uint64))
    return int(mixed[0])


@lru_cache(maxsize=256)
def random_u64(seed: int, purpose: str, count: int, odd: bool = False) -> U64:
    """``count`` reproducible 64-bit values for ``purpose``; odd ones for multipliers.

    Cached: verification asks for the same few coefficient vectors for every pair. The
    arrays are read-only, since every caller shares them.
    """
    start = derive_seed(seed, purpose)
    with np.errstate(over="ignore"):
        steps = np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        values = splitmix64(steps + np.uint64(start))
    if odd:
        values |= np.uint64(1)
    values.flags.writeable = False
    return values


def combine_windows(hashes: U64, width: int, seed: int, purpose: str) -> U64:
    """Hash of every run of ``width`` consecutive values (a word n-gram from word hashes).

    Returns ``len(hashes) - width + 1`` values (none if the input is shorter). Order matters:
    "a b c" and "c b a" hash differently, because each position has its own multiplier.
    """
    n = len(hashes) - width + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    coef = random_u64(seed, purpose, width, odd=True)
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(width):
            acc += hashes[j : j + n] * coef[j]
    return splitmix64(acc)
