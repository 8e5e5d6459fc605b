"""Chapter 3's classic misses, computed from the reference on the test's own inputs.

Each function returns {hint name: the value that miss produces}; `assert_close` names the
miss (catalog entry `hint.<name>`, in this folder's messages.toml) when a failing answer
agrees with one of them. Variants are the reference plus one mistake, so a hint cannot
fire for an answer that is right.
"""

from __future__ import annotations

import numpy as np

from .activations import softmax


def _quiet(fn):
    # A variant that overflows is the point (nan/inf is what the student got); no warnings.
    with np.errstate(all="ignore"):
        return fn()


def sigmoid_variants(x) -> dict:
    x = np.asarray(x, dtype=np.float64)
    return {"sigmoid_exp_sign": _quiet(lambda: 1.0 / (1.0 + np.exp(x)))}


def softmax_variants(x) -> dict:
    x = np.asarray(x, dtype=np.float64)

    def naive():
        e = np.exp(x)
        return e / np.sum(e, axis=-1, keepdims=True)

    variants = {"softmax_overflow": _quiet(naive)}
    if x.ndim == 2:
        variants["softmax_axis0"] = softmax(x.T).T
        variants["softmax_whole"] = softmax(x.ravel()).reshape(x.shape)
    return variants


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
