"""Known wrong answers, computed from the reference on the test's own inputs.

Each function returns {hint key: the value that classic miss produces}; checks.assert_close
names the miss when a failing answer agrees with one of them. Keys are catalog entries
`grading.hint.<key>`. Variants are built from the reference plus the one mistake, so a
hint cannot fire for an answer that is right.
"""

from __future__ import annotations

import numpy as np

import reference


def _quiet(fn):
    # A variant that overflows is the point (nan/inf is what the student got); no warnings.
    with np.errstate(all="ignore"):
        return fn()


def softmax_variants(x) -> dict:
    x = np.asarray(x, dtype=np.float64)

    def naive():
        e = np.exp(x)
        return e / np.sum(e, axis=-1, keepdims=True)

    variants = {"softmax_overflow": _quiet(naive)}
    if x.ndim == 2:
        variants["softmax_axis0"] = reference.softmax(x.T).T
        variants["softmax_whole"] = reference.softmax(x.ravel()).reshape(x.shape)
    return variants


def cross_entropy_variants(y, t) -> dict:
    y = np.asarray(y, dtype=np.float64)
    t = np.asarray(t)
    right = reference.cross_entropy_error(y, t)
    variants = {}
    if y.ndim == 2:
        n = y.shape[0]
        variants["cee_no_batch_mean"] = right * n
        per_sample = [reference.cross_entropy_error(y[i], t[i]) for i in range(n)]
        variants["cee_per_sample"] = np.array(per_sample)
    onehot = t if t.size == y.size else np.eye(y.shape[-1])[t]
    rows = 1 if y.ndim == 1 else y.shape[0]
    no_delta = _quiet(lambda: -np.sum(onehot * np.log(y)) / rows)
    if not np.isclose(no_delta, right):  # only a zero probability makes δ matter
        variants["cee_no_delta"] = no_delta
    return variants


def mean_squared_variants(y, t) -> dict:
    right = reference.mean_squared_error(y, t)
    size = np.asarray(y).size
    return {"mse_no_half": 2 * right, "mse_mean": 2 * right / size}


def numerical_diff_variants(f, x, h: float = 1e-4) -> dict:
    central = reference.numerical_diff(f, x)
    return {
        "diff_forward": (f(x + h) - f(x)) / h,
        "diff_precedence": central * (2 * h) * h / 2,  # what "/ 2*h" computes
        "diff_tiny_h": _quiet(lambda: (f(x + 1e-50) - f(x - 1e-50)) / (2 * 1e-50)),
    }


def accuracy_variants(y, t) -> dict:
    """y: the network's (N, C) output the student's accuracy should argmax; t labels/one-hot."""
    y = np.asarray(y)
    t = np.asarray(t)
    labels = t if t.ndim == 1 else np.argmax(t, axis=1)
    hits = int(np.sum(np.argmax(y, axis=1) == labels))
    variants = {"accuracy_count": float(hits)}
    if t.ndim == 2:
        wrong_axis = np.sum(np.argmax(y, axis=0) == np.argmax(t, axis=0))
        variants["accuracy_axis"] = wrong_axis / y.shape[0]
    return variants
