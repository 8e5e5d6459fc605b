"""Learning checks: does a student's whole network learn, trained through the sandbox?

The suite holds the training loop; the student's network computes `gradient()` and
`predict()` in the sandbox. Parameters are updated in place inside the sandbox (the
book's layers hold the very arrays in `params`, so replacing an entry would silently
train nothing), and accuracy is taken from `predict()` here, so a wrong `accuracy()`
is that item's own test's business, not this one's.

The data is scikit-learn's bundled 8x8 digits: real handwriting, shipped inside the
package, no download. Chance is 10 %.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .resident import params_in_place, write_into


@dataclass(frozen=True)
class Digits:
    x_train: np.ndarray
    t_train: np.ndarray      # labels 0..9
    x_test: np.ndarray
    t_test: np.ndarray


@lru_cache(maxsize=None)
def _all_digits() -> tuple[np.ndarray, np.ndarray]:
    # The CSV scikit-learn ships (what load_digits reads), read without importing
    # sklearn.datasets: that import costs seconds in every grading worker; this, a few
    # hundred milliseconds. A test checks the two agree.
    package = importlib.util.find_spec("sklearn")
    if package is None or not package.submodule_search_locations:
        raise RuntimeError("scikit-learn is not installed: the learning checks need its digits")
    path = Path(package.submodule_search_locations[0]) / "datasets" / "data" / "digits.csv.gz"
    table = np.loadtxt(path, delimiter=",")
    return table[:, :-1] / 16.0, table[:, -1].astype(np.int64)


def digits(n_train: int = 600, n_test: int = 300, *, images: bool = False, seed: int = 0) -> Digits:
    """A seeded split of the digits, pixels scaled to [0, 1]; (N, 64) or (N, 1, 8, 8) images."""
    x, t = _all_digits()
    order = np.random.default_rng(seed).permutation(len(t))
    train, test = order[:n_train], order[n_train:n_train + n_test]
    shape = (-1, 1, 8, 8) if images else (-1, 64)
    return Digits(x[train].reshape(shape), t[train], x[test].reshape(shape), t[test])


def sgd_step(net, x, t, lr: float) -> dict:
    """One plain SGD step through the student's gradient(); returns the gradients."""
    grads = dict(net.gradient(x, t))
    params = params_in_place(net)
    for key, grad in grads.items():
        updated = np.asarray(params[key], dtype=np.float64) - lr * np.asarray(grad, dtype=np.float64)
        write_into(params, key, updated)
    return grads


def predicted_accuracy(net, x, t) -> float:
    """Share of samples whose argmax of net.predict(x) is the label."""
    scores = np.asarray(net.predict(x), dtype=np.float64)
    return float(np.mean(np.argmax(scores.reshape(len(t), -1), axis=1) == t))


def train(net, data: Digits, *, steps: int, batch: int = 50, lr: float = 0.1,
          one_hot: bool = False, seed: int = 0) -> float:
    """Train with minibatch SGD for `steps` steps; the test accuracy afterwards.

    `one_hot` gives gradient() one-hot targets, as the book's chapter 5 trains (chapters
    6 and 7 train on labels)."""
    rng = np.random.default_rng(seed)
    targets = np.eye(10)[data.t_train] if one_hot else data.t_train
    for _ in range(steps):
        pick = rng.choice(len(data.t_train), size=batch, replace=False)
        sgd_step(net, data.x_train[pick], targets[pick], lr)
    return predicted_accuracy(net, data.x_test, data.t_test)
