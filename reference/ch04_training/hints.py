"""Chapter 4's classic misses, computed from the reference on the test's own inputs.

Each function returns {hint name: the value that miss produces}; the sentences are this
folder's messages.toml (`hint.<name>`). See ch03's hints for the convention.
"""

from __future__ import annotations

import numpy as np

from .gradient import gradient_descent, numerical_diff, numerical_gradient
from .losses import cross_entropy_error, mean_squared_error


def _quiet(fn):
    with np.errstate(all="ignore"):
        return fn()


def cross_entropy_variants(y, t) -> dict:
    y = np.asarray(y, dtype=np.float64)
    t = np.asarray(t)
    right = cross_entropy_error(y, t)
    variants = {}
    if y.ndim == 2:
        n = y.shape[0]
        variants["cee_no_batch_mean"] = right * n
        variants["cee_per_sample"] = np.array([cross_entropy_error(y[i], t[i]) for i in range(n)])
    onehot = t if t.size == y.size else np.eye(y.shape[-1])[t]
    rows = 1 if y.ndim == 1 else y.shape[0]
    no_delta = _quiet(lambda: -np.sum(onehot * np.log(y)) / rows)
    if not np.isclose(no_delta, right):  # only a zero probability makes δ matter
        variants["cee_no_delta"] = no_delta
    return variants


def mean_squared_variants(y, t) -> dict:
    right = mean_squared_error(y, t)
    size = np.asarray(y).size
    return {"mse_no_half": 2 * right, "mse_mean": 2 * right / size}


def numerical_diff_variants(f, x, h: float = 1e-4) -> dict:
    central = numerical_diff(f, x)
    return {
        "diff_forward": (f(x + h) - f(x)) / h,
        "diff_precedence": central * (2 * h) * h / 2,  # what "/ 2*h" computes
        "diff_tiny_h": _quiet(lambda: (f(x + 1e-50) - f(x - 1e-50)) / (2 * 1e-50)),
    }


def numerical_gradient_variants(f, x) -> dict:
    """x: a 2-D array; what passing each row of x to f on its own gives."""
    x = np.array(x, dtype=np.float64)
    rows = _quiet(lambda: np.array([numerical_gradient(f, row.copy()) for row in x]))
    return {"grad_rows_to_f": rows}


def gradient_descent_variants(f, init_x, lr: float, step_num: int) -> dict:
    """What the classic slips of the descent loop return for these arguments."""
    right = gradient_descent(f, init_x, lr=lr, step_num=step_num)
    variants = {
        "gd_no_update": np.array(init_x, dtype=np.float64),
        "gd_ascent": _quiet(lambda: _ascent(f, init_x, lr, step_num)),
        "gd_fixed_steps": gradient_descent(f, init_x, lr=lr, step_num=100),
        "gd_fixed_lr": gradient_descent(f, init_x, lr=0.01, step_num=step_num),
    }
    # With the default arguments a slip that ignores them gives the right answer: no hint.
    return {k: v for k, v in variants.items() if not np.allclose(v, right)}


def _ascent(f, init_x, lr, step_num):
    x = np.array(init_x, dtype=np.float64)
    for _ in range(step_num):
        x += lr * numerical_gradient(f, x)
    return x
