"""Chapter 2's classic misses: the truth tables a wrong gate produces, from the reference.

A gate is checked on its whole truth table at once (the rows of `ROWS`, in that order),
so a wrong answer is recognised by the table it gives: OR's table where AND was asked,
every row flipped, nothing firing at all. Each function returns {hint name: that table};
the sentences are this folder's messages.toml (`hint.<name>`). A variant always differs
from the right table, so a hint cannot fire for an answer that is right.
"""

from __future__ import annotations

import numpy as np

from .perceptron import AND, NAND, OR, XOR

# (x1, x2) in the book's order of the truth tables (figures 2-2 to 2-4, 2-5).
ROWS = ((0, 0), (1, 0), (0, 1), (1, 1))
GATES = {"AND": AND, "NAND": NAND, "OR": OR, "XOR": XOR}


def truth_table(gate, rows=ROWS) -> np.ndarray:
    return np.array([gate(x1, x2) for x1, x2 in rows], dtype=np.float64)


def gate_variants(name: str, rows=ROWS) -> dict:
    """{hint: the table a classic wrong version of gate `name` gives on `rows`}."""
    right = truth_table(GATES[name], rows)
    never, always = np.zeros_like(right), np.ones_like(right)
    variants = {"gate_inverted": 1.0 - right}
    if name == "AND":
        variants["gate_and_never_fires"] = never
        variants["gate_and_is_or"] = truth_table(OR, rows)
        variants["gate_fires_at_zero"] = always
    elif name == "OR":
        variants["gate_or_is_and"] = truth_table(AND, rows)
        variants["gate_fires_at_zero"] = always
    elif name == "NAND":
        variants["gate_nand_always_fires"] = always
    elif name == "XOR":
        variants["gate_xor_is_or"] = truth_table(OR, rows)
        variants["gate_xor_is_nand"] = truth_table(NAND, rows)
        variants["gate_xor_is_and"] = truth_table(AND, rows)
    # A variant equal to the right table would name a miss the student did not make.
    return {k: v for k, v in variants.items() if not np.array_equal(v, right)}
