"""The numerical gradient of a student's own forward, for checking that student's backward.

A hidden test checks every backward twice: against the reference's backward, and against
this, taken from the student's forward. A student whose forward deviates still learns
whether the backward matches the forward they wrote. The forward is a black box (calls
go through the sandbox), so this takes central differences of the scalar
sum(forward(x) * dout), perturbing a private copy of x one entry at a time.

That agreement pays only for a forward that computes something (assert_own_grad_close):
a constant forward and a backward of zeros agree, and so do an identity and `return dout`.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..feedback import msg
from . import tolerances as tol
from .checks import CheckFailed, assert_grad_close
from .describe import failure_report


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


# --- the forward must do a job before agreeing with it pays -------------------------
# A backward that agrees with a forward which computes nothing agrees vacuously: a
# constant forward has a numerical gradient of zeros (so does a backward of zeros), an
# identity forward has dout (so does `return dout`). The check of the student's own
# forward exists for a backward that is right for a forward with a small slip of its
# own (charged at the forward's test); it pays only when the forward does some job:
# its gradient is not trivial (zero, or a multiple of dout: the input passed on,
# perhaps scaled) where the reference's is not. Both bounds are far from the answers
# they separate: a real layer's gradient is off "a multiple of dout" by a share of
# order 0.1 or more of its largest entry; a constant's is 0, an identity's ~1e-10.
TRIVIAL_SHARE = 1e-3   # the student's gradient is trivial within this share
REAL_SHARE = 0.05      # the reference's is not trivial by at least this share


def _off_passthrough(grad: np.ndarray, weights: np.ndarray) -> float:
    """How far `grad` is from the nearest c * weights (least squares c), worst entry."""
    scale = float(np.sum(weights * weights))
    c = float(np.sum(grad * weights)) / scale if scale else 0.0
    return float(np.max(np.abs(grad - c * weights), initial=0.0))


def forward_degeneracy(numerical, reference, dout=None, *, passthrough_ok: bool = False) -> str:
    """'' when the student's forward does a job; else 'constant' or 'passthrough'.

    `numerical` is the numerical gradient of the student's forward (numerical_grad_of)
    and `reference` the reference's gradient, on the same inputs and dout (None: the
    forward is a scalar, dout is 1). Trivial is judged only where the reference's
    gradient is not: the add node passes dout on, and that is its job. `passthrough_ok`:
    only zeros are trivial (a node of two inputs, where x + y written for x * y passes
    dout on to each input and still computes with both)."""
    ref = np.asarray(reference, dtype=np.float64)
    own = np.asarray(numerical, dtype=np.float64)
    if own.shape != ref.shape or not np.all(np.isfinite(own)) or not np.all(np.isfinite(ref)):
        return ""  # the gradient checks say what is wrong with such an answer
    ref_size = float(np.max(np.abs(ref), initial=0.0))
    own_size = float(np.max(np.abs(own), initial=0.0))
    if ref_size <= tol.GRAD_ATOL:
        return ""  # zero in truth (a bias before batch norm): a zero is its right answer
    if own_size <= TRIVIAL_SHARE * ref_size:
        return "constant"
    weights = np.ones_like(own) if dout is None else np.asarray(dout, dtype=np.float64)
    if passthrough_ok or weights.shape != own.shape:  # dW, db, a pooled dx: only zeros
        return ""
    ref_does_more = _off_passthrough(ref, weights) > REAL_SHARE * ref_size
    own_passes_on = _off_passthrough(own, weights) <= TRIVIAL_SHARE * own_size
    return "passthrough" if ref_does_more and own_passes_on else ""


def assert_own_grad_close(actual, numerical, reference, *, call: str, dout=None, inputs=None,
                          passthrough_ok: bool = False, **kwargs) -> np.ndarray:
    """`actual` (the student's backward) agrees with `numerical` (the numerical gradient
    of the student's own forward), and that forward does a job: its gradient is not
    zero, nor dout passed on, where `reference` (the reference's gradient on the same
    inputs and dout) is not (see forward_degeneracy for `passthrough_ok`). `kwargs` go
    to assert_grad_close."""
    arr = assert_grad_close(actual, numerical, call=call, inputs=inputs, own_forward=True, **kwargs)
    kind = forward_degeneracy(numerical, reference, dout, passthrough_ok=passthrough_ok)
    if kind:
        raise CheckFailed(failure_report(msg(f"grading.own_forward_{kind}", call=call),
                                         inputs=inputs, returned=actual, expected=reference))
    return arr
