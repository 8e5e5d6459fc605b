"""Learning checks: does a student's whole network learn, trained through the sandbox?

The suite holds the training loop; the student's network computes `gradient()` and
`predict()` in the sandbox. Each step's update is the book's own statement,
`network.params[key] -= lr * grad[key]`, run where the network lives (the book's layers
hold the very arrays in `params`, so an update that replaced an entry would train
nothing), and accuracy is taken from `predict()` here, so a wrong `accuracy()` is that
item's own test's business, not this one's.

The accuracy counts only when it comes from the parameters training moved: gradient()
must return something other than zeros, the params must have changed, and predict() on
inputs training never showed must follow the params (a network that answers by looking
up the samples gradient() was shown, a nearest neighbour, reaches high accuracy on these
digits with no parameters at all). The last is tested by permuting the output layer's
classes: any network whose last layer is affine, whatever its hidden layers, then
permutes its scores the same way; a lookup does not.

The data is scikit-learn's bundled 8x8 digits: real handwriting, shipped inside the
package, no download. Chance is 10 %.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..feedback import msg
from .checks import CheckFailed
from .describe import failure_report
from .resident import params_in_place, subtract_from_params, write_into

# Held-out samples predict() is asked about twice to see that it follows the params.
PROBE_SAMPLES = 50
# Scores permuted with the output layer agree with the permuted scores to round-off; a
# float32 predict to ~1e-6 relative. Anything that ignores the params misses by the
# scores' own size.
PERMUTED_RTOL, PERMUTED_ATOL = 1e-4, 1e-6


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


def sgd_step(gradient, net, x, t, lr: float) -> dict:
    """One plain SGD step through the student's gradient() (`gradient`, net.gradient looked
    up once per training), as the book's loop writes it; returns the gradients."""
    grads = dict(gradient(x, t))
    subtract_from_params(net, {key: lr * np.asarray(grad, dtype=np.float64) for key, grad in grads.items()})
    return grads


def predicted_accuracy(net, x, t) -> float:
    """Share of samples whose argmax of net.predict(x) is the label."""
    scores = np.asarray(net.predict(x), dtype=np.float64)
    return float(np.mean(np.argmax(scores.reshape(len(t), -1), axis=1) == t))


def train(net, data: Digits, *, steps: int, batch: int = 50, lr: float = 0.1,
          one_hot: bool = False, seed: int = 0) -> float:
    """Train with minibatch SGD for `steps` steps; the test accuracy afterwards.

    `one_hot` gives gradient() one-hot targets, as the book's chapter 5 trains (chapters
    6 and 7 train on labels). Raises CheckFailed when the training moved nothing or
    predict() does not follow the params (see the module's docstring)."""
    rng = np.random.default_rng(seed)
    targets = np.eye(10)[data.t_train] if one_hot else data.t_train
    start = _values(net)
    moved = False
    gradient = net.gradient
    for _ in range(steps):
        pick = rng.choice(len(data.t_train), size=batch, replace=False)
        grads = sgd_step(gradient, net, data.x_train[pick], targets[pick], lr)
        moved = moved or any(np.any(np.asarray(g, dtype=np.float64) != 0) for g in grads.values())
    call = f"{steps} SGD steps of params[key] -= {lr} * net.gradient(x_batch, t_batch)[key]"
    if not moved:
        _fail("grading.learning_zero_gradient", call)
    end = _values(net)
    if start and end.keys() == start.keys() and all(
            np.array_equal(end[key], value) for key, value in start.items()):
        _fail("grading.learning_params_unchanged", call)
    assert_predict_follows_params(net, data.x_test[:PROBE_SAMPLES], seed=seed)
    return predicted_accuracy(net, data.x_test, data.t_test)


def _values(net) -> dict[str, np.ndarray]:
    """A copy of net.params' numeric arrays ({} when it is not a dict: the params tests
    say what is wrong with it)."""
    params = net.params
    if not isinstance(params, dict):
        return {}
    values = {}
    for key, value in params.items():
        try:
            values[key] = np.array(value, dtype=np.float64)
        except (TypeError, ValueError):
            continue
    return values


def _fail(key: str, call: str, **report) -> None:
    raise CheckFailed(failure_report(msg(key, call=call), **report))


def output_layer(keys) -> tuple[str, str] | None:
    """The keys of the last affine layer's weight and bias (W<n>, b<n> with the largest
    n, the book's naming in every chapter), or None when there are none."""
    keys = [str(k) for k in keys]
    numbers = [int(k[1:]) for k in keys if re.fullmatch(r"W\d+", k)]
    if not numbers or f"b{max(numbers)}" not in keys:
        return None
    return f"W{max(numbers)}", f"b{max(numbers)}"


def assert_predict_follows_params(net, x, *, seed: int = 0) -> None:
    """predict(x) (x held out from training) permutes its class scores when the output
    layer's weight columns and bias entries are permuted, as every network whose last
    layer is affine does. The params are put back afterwards."""
    values = _values(net)
    keys = output_layer(values)
    if keys is None:
        return  # the params tests name a network without W<n>, b<n>
    W, b = (values[k] for k in keys)
    before = np.asarray(net.predict(x), dtype=np.float64)
    classes = b.shape[-1] if b.ndim else 0
    if classes < 2 or before.shape != (len(x), classes) or W.shape[-1] != classes:
        return  # a wrong shape fails the accuracy and the predict tests with its own message
    # One cycle through every class, in a seeded order: no class keeps its column.
    order = np.random.default_rng(seed).permutation(classes)
    perm = np.empty_like(order)
    perm[order] = np.roll(order, 1)
    params = params_in_place(net)
    try:
        write_into(params, keys[0], W[..., perm])
        write_into(params, keys[1], b[..., perm])
        after = np.asarray(net.predict(x), dtype=np.float64)
    finally:
        write_into(params, keys[0], W)
        write_into(params, keys[1], b)
    expected = before[:, perm]
    atol = PERMUTED_ATOL * max(float(np.max(np.abs(before), initial=0.0)), 1.0)
    follows = after.shape == expected.shape and np.allclose(after, expected, rtol=PERMUTED_RTOL,
                                                            atol=atol)
    changed = not np.allclose(expected, before, rtol=PERMUTED_RTOL, atol=atol)
    if not (follows and changed):
        _fail("grading.learning_predict_ignores_params",
              f"net.predict(x_held_out) with the classes of {keys[0]}, {keys[1]} permuted",
              returned=after, expected=expected)
