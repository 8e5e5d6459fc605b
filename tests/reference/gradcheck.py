"""Independent numerical gradients for proving the reference's backward passes.

Written separately from reference.gradient on purpose: a reference bug must not be able
to hide by checking itself.
"""

import numpy as np

# Smooth layers in float64 agree with central differences to about 1e-9; 1e-7 leaves room.
SMOOTH_TOL = 1e-7
# Near a kink (ReLU at 0, max-pool ties) a finite difference can straddle it; inputs are
# drawn away from kinks, and these layers get this looser bound.
KINK_TOL = 1e-6


def rel_error(a, b):
    """max|a-b| / max(1e-8, |a|+|b|), elementwise maximum of the ratio (CS231n style)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def numeric_grad(f, x, h=1e-5):
    """d f() / d x by central differences, x perturbed in place and restored; f takes no args."""
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        up = f()
        x[i] = old - h
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


def numeric_grad_of_output(forward, x, dout, h=1e-5):
    """Gradient of sum(forward() * dout) w.r.t. x: checks a layer's backward for a given dout."""
    return numeric_grad(lambda: float(np.sum(forward() * dout)), x, h)
