"""A salted hash of rounded values: how a public test checks a value it must not show.

A public test that really needs a value (the book's example output) stores
`digest(value, salt, decimals)` instead of the value, as nbgrader 0.9's hashed tests do.
The salt differs per check, so two checks of the same number do not share a digest and a
table of digests of common numbers is no help. A single number rounded to a few decimals
can still be found by trying candidates, so tests hash several values together.

An instructor computes a digest from the reference with `digest_for`, which refuses a
value that sits on a rounding boundary (where float noise could flip the last digit).
"""

from __future__ import annotations

import hashlib

import numpy as np

# A value this close (relative to one unit of the last kept decimal) to a rounding
# boundary could round either way on another machine.
BOUNDARY_MARGIN = 1e-3


def _text(value, decimals: int) -> str:
    arr = np.asarray(value, dtype=np.float64).ravel()
    rounded = np.round(arr, decimals) + 0.0   # + 0.0 turns -0.0 into 0.0
    return ",".join(f"{v:.{decimals}f}" for v in rounded)


def digest(value, salt: str, decimals: int = 4) -> str:
    """sha256 of the salt and the values rounded to `decimals` (shape is checked apart)."""
    return hashlib.sha256(f"{salt}|{decimals}|{_text(value, decimals)}".encode()).hexdigest()[:32]


def digest_for(value, salt: str, decimals: int = 4) -> str:
    """The digest an instructor stores; ValueError when a value is too near a boundary."""
    arr = np.asarray(value, dtype=np.float64).ravel()
    scaled = arr * 10.0 ** decimals
    distance = np.abs(scaled - np.floor(scaled) - 0.5)
    if np.any(distance < BOUNDARY_MARGIN):
        raise ValueError(f"a value rounds unstably at {decimals} decimals; choose other decimals")
    return digest(value, salt, decimals)
