"""The numerical gradient of a student's own forward, for checking that student's backward.

A hidden test checks every backward twice: against the reference's backward, and against
this, taken from the student's forward. A student whose forward deviates still learns
whether the backward matches the forward they wrote. The forward is a black box (calls
go through the sandbox), so this takes central differences of the scalar
sum(forward(x) * dout), perturbing a private copy of x one entry at a time.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from . import tolerances as tol


def numerical_grad_of(forward: Callable[[np.ndarray], object], x, dout=None,
                      h: float = tol.BACKWARD_CHECK_H) -> np.ndarray:
    """d sum(forward(x) * dout) / dx; dout defaults to ones (the gradient of a sum).

    `forward` gets a fresh float64 array each call, so a forward that keeps (or changes)
    its input cannot disturb the next probe. Each entry costs two calls of `forward`:
    keep x small (a few dozen entries)."""
    base = np.array(x, dtype=np.float64)
    grad = np.zeros_like(base)
    weights = None if dout is None else np.asarray(dout, dtype=np.float64)
    for index in np.ndindex(base.shape):
        total = []
        for step in (h, -h):
            probe = base.copy()
            probe[index] += step
            out = np.asarray(forward(probe), dtype=np.float64)
            total.append(float(np.sum(out if weights is None else out * weights)))
        grad[index] = (total[0] - total[1]) / (2 * h)
    return grad
