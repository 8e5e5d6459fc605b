"""Chapter 5's TwoLayerNet: Affine1 -> Relu1 -> Affine2 -> SoftmaxWithLoss, gradient() by
backpropagation (section 5.7).

The layers hold the very arrays in net.params (the book's training updates params in
place and the layers see it), so known weights are written into those arrays in place,
never assigned: `net.params["W1"] = W1` would leave the layers with the old arrays.
"""

from contextlib import contextmanager

import numpy as np
import pytest

from autograder.feedback import msg
from autograder.grading import tolerances as tol
from autograder.grading.checks import (CheckFailed, assert_close, assert_grad_close, assert_keys,
                                       assert_shape, assert_true, match_variant)
from autograder.grading.gradcheck import assert_own_grad_close
from autograder.grading.learning import digits, train
from autograder.grading.resident import params_numerical_grad, set_params
from reference.ch03_neural_networks.activations import softmax
from reference.ch03_neural_networks.hints import accuracy_variants
from reference.ch04_training.hints import cross_entropy_variants
from reference.ch05_backprop.hints import net_gradient_variants
from reference.evaluation import accuracy_of

pytestmark = pytest.mark.item("TwoLayerNet")

SIZES = (4, 5, 3)            # input_size, hidden_size, output_size: the book's order
SHAPES = {"W1": (4, 5), "b1": (5,), "W2": (5, 3), "b2": (3,)}
BATCH = 6
CALL = "TwoLayerNet(4, 5, 3)"

# gradient() leaves out the 1e-7 that the loss keeps inside the log, as the book does: each
# sample's share of a gradient entry moves by 1e-7 / y[answer] of itself, so an entry
# moves by at most 1e-7 / 0.1 * max|hidden activation| (~3e-6 on these sizes), a large
# relative error only on entries that nearly cancel to 0. Entries closer than this count
# as equal (tolerances.GRAD_ATOL is for round-off alone); a backprop mistake misses by
# 1e-3 or more.
DELTA_ATOL = 1e-5

# The learning check: 100 SGD steps of 50 digits through a 64-20-10 net. The reference
# reaches 0.88-0.93 test accuracy (over 40 seeds); 0.7 is far above chance (0.1).
LEARN_SIZES = (64, 20, 10)
LEARN_STEPS, LEARN_RATE, LEARN_ACCURACY = 100, 0.5, 0.7
NOT_SHARED = "backprop_net_params_not_shared"


def _problem(rng):
    """Params of order 1 (every gradient entry clearly nonzero), a batch x and one-hot t.

    Drawn again until no hidden unit's input is within 0.05 of ReLU's kink (so no step of
    the numerical gradient crosses it) and every answer has probability >= 0.1 (which
    bounds the 1e-7 effect, see DELTA_ATOL)."""
    while True:
        params = {k: rng.normal(scale=0.5 if k[0] == "W" else 0.2, size=s) for k, s in SHAPES.items()}
        x = rng.normal(size=(BATCH, SIZES[0]))
        t = np.eye(SIZES[2])[rng.integers(SIZES[2], size=BATCH)]
        a1 = x @ params["W1"] + params["b1"]
        y = softmax(np.maximum(a1, 0) @ params["W2"] + params["b2"])
        if np.abs(a1).min() > 0.05 and y[t == 1].min() >= 0.1:
            return params, x, t


def _with_params(net, params, call):
    """Write `params` into the arrays net.params already holds; returns the values it had."""
    before = assert_keys(net.params, params, call=f"{call}.params")
    for key, value in params.items():
        assert_shape(before[key], np.shape(value), call=f"{call}.params['{key}']")
    before = {key: np.array(before[key], dtype=np.float64) for key in params}
    set_params(net, params)
    return before


class Setup:
    """A student net and a reference net holding the same params, a batch, and reference
    nets for a student whose layers kept the arrays they were built with (copies of
    params): the first layer's, the second's, or both."""

    def __init__(self, student, reference, rng):
        self.params, self.x, self.t = _problem(rng)
        self.mine = student.TwoLayerNet(*SIZES)
        initial = _with_params(self.mine, self.params, CALL)
        self.ref = self._reference_net(reference, self.params)
        self.not_shared = [self._reference_net(reference, {k: initial[k] if k in stale else v
                                                           for k, v in self.params.items()})
                           for stale in (("W1", "b1"), ("W2", "b2"), tuple(SHAPES))]

    @staticmethod
    def _reference_net(reference, params):
        net = reference.TwoLayerNet(*SIZES)
        _with_params(net, params, CALL)
        return net


def _layer_outputs(layers, x, W, b, dout, t):
    """What Affine, Relu and SoftmaxWithLoss of `layers` give on fixed small inputs."""
    affine, relu, last = layers.Affine(W, b), layers.Relu(), layers.SoftmaxWithLoss()
    return [affine.forward(x), affine.backward(dout), affine.dW, affine.db,
            relu.forward(x), relu.backward(x), last.forward(dout, t), last.backward(1)]


def _a_layer_is_wrong(student, reference) -> bool:
    """Does a layer the network is built from misbehave? (Only to choose a hint.)"""
    rng = np.random.default_rng(0)
    x, W, b, dout = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=2), rng.normal(size=(3, 2))
    t = np.eye(2)[[0, 1, 1]]
    want = _layer_outputs(reference, x, W, b, dout, t)
    try:
        got = _layer_outputs(student, x, W, b, dout, t)
        return not all(np.allclose(np.asarray(g, dtype=np.float64), w) for g, w in zip(got, want))
    except Exception:  # a layer that is missing or raises is wrong; its own tests say how
        return True


@contextmanager
def _explain(student, reference, actual=None, not_shared=()):
    """A failed check without a hint gets one when the cause lies outside this net's code:
    layers that hold copies of params (`actual` is what `not_shared` gives), or a layer
    that fails on its own."""
    try:
        yield
    except CheckFailed as failed:
        if failed.hint:
            raise
        if actual is not None and any(match_variant(actual, {NOT_SHARED: v}) for v in not_shared):
            raise CheckFailed(failed.feedback, msg(f"hint.{NOT_SHARED}")) from None
        if _a_layer_is_wrong(student, reference):
            raise CheckFailed(failed.feedback, msg("hint.backprop_net_wrong_layer")) from None
        raise


@pytest.mark.points(2)
def test_params_shapes(student):
    """TwoLayerNet(4, 5, 3).params holds W1 (4, 5), b1 (5,), W2 (5, 3), b2 (3,)"""
    params = assert_keys(student.TwoLayerNet(*SIZES).params, SHAPES, call=f"{CALL}.params")
    for key, shape in SHAPES.items():
        assert_shape(params[key], shape, call=f"{CALL}.params['{key}']")


@pytest.mark.points(1)
def test_biases_start_at_zero(student):
    """the biases b1 and b2 start as zeros"""
    params = assert_keys(student.TwoLayerNet(*SIZES).params, SHAPES, call=f"{CALL}.params")
    for key in ("b1", "b2"):
        assert_close(params[key], np.zeros(SHAPES[key]), call=f"{CALL}.params['{key}']")


@pytest.mark.points(3)
def test_predict(student, reference, rng):
    """net.predict(x) runs Affine1, Relu1 and Affine2 with the weights in net.params: the scores before softmax"""
    s = Setup(student, reference, rng)
    sigmoid_net = Setup._reference_net(reference, s.params)
    sigmoid_net.layers["Relu1"] = reference.Sigmoid()
    got = s.mine.predict(s.x)
    with _explain(student, reference, got, [net.predict(s.x) for net in s.not_shared]):
        assert_close(got, s.ref.predict(s.x), call="net.predict(x)", inputs={"x": s.x},
                     variants={"backprop_net_sigmoid_hidden": sigmoid_net.predict(s.x),
                               "backprop_net_predict_softmax": softmax(s.ref.predict(s.x))})


@pytest.mark.points(2)
def test_loss(student, reference, rng):
    """net.loss(x, t) is SoftmaxWithLoss of predict(x) against one-hot t"""
    s = Setup(student, reference, rng)
    got = s.mine.loss(s.x, s.t)
    with _explain(student, reference, got, [net.loss(s.x, s.t) for net in s.not_shared]):
        assert_close(got, s.ref.loss(s.x, s.t), call="net.loss(x, t)", inputs={"x": s.x, "t": s.t},
                     rtol=tol.LOSS_RTOL,
                     variants=cross_entropy_variants(softmax(s.ref.predict(s.x)), s.t))


@pytest.mark.points(2)
def test_accuracy(student, reference, rng):
    """net.accuracy(x, t) is the fraction of samples whose highest score in predict(x) is the answer in one-hot t"""
    s = Setup(student, reference, rng)
    # Scored against your own predict (when it gives one row of scores per sample), so a
    # wrong predict is charged to predict's test only.
    scores = s.mine.predict(s.x)
    if not (isinstance(scores, np.ndarray) and scores.shape == (BATCH, SIZES[2])):
        scores = s.ref.predict(s.x)
    right = np.argmax(scores, axis=1)
    # Half right, half wrong: 0.5 is the answer, so no shortcut passes by accident.
    labels = np.where(np.arange(BATCH) % 2 == 0, right, (right + 1) % SIZES[2])
    t = np.eye(SIZES[2])[labels]
    assert_close(s.mine.accuracy(s.x, t), accuracy_of(scores, t), call="net.accuracy(x, t)",
                 inputs={"x": s.x, "t": t}, variants=accuracy_variants(scores, t))


@pytest.mark.points(5)
def test_gradient_matches_reference(student, reference, rng):
    """net.gradient(x, t) by backpropagation matches the reference for W1, b1, W2, b2"""
    s = Setup(student, reference, rng)
    grads = assert_keys(s.mine.gradient(s.x, s.t), SHAPES, call="net.gradient(x, t)")
    expected = s.ref.gradient(s.x, s.t)
    variants = net_gradient_variants(s.ref, s.x, s.t)
    not_shared = [net.gradient(s.x, s.t) for net in s.not_shared]
    for key in SHAPES:
        with _explain(student, reference, grads[key], [g[key] for g in not_shared]):
            assert_grad_close(grads[key], expected[key], call=f"net.gradient(x, t)['{key}']",
                              inputs={"x": s.x, "t": s.t}, variants=variants[key])


@pytest.mark.points(5)
def test_gradient_matches_own_loss(student, reference, rng):
    """net.gradient(x, t) agrees with the numerical gradient of your own net.loss(x, t) for W1, b1, W2, b2"""
    s = Setup(student, reference, rng)
    grads = assert_keys(s.mine.gradient(s.x, s.t), SHAPES, call="net.gradient(x, t)")
    variants = net_gradient_variants(s.ref, s.x, s.t)
    # A loss that does not depend on the params (a constant) agrees with a gradient of zeros.
    expected = s.ref.gradient(s.x, s.t)
    for key in SHAPES:
        numerical = params_numerical_grad(s.mine, key, s.mine.loss, s.x, s.t)
        # A loss that does not move at all when params[key] does (a numerical gradient of
        # zeros) means the layers hold other arrays than net.params.
        with _explain(student, reference, numerical, [np.zeros_like(numerical)]):
            assert_own_grad_close(grads[key], numerical, expected[key],
                                  call=f"net.gradient(x, t)['{key}'] vs numerical d net.loss(x, t) / d {key}",
                                  inputs={"x": s.x, "t": s.t}, threshold=tol.NUMERICAL_GRAD_REL_TOL,
                                  atol=DELTA_ATOL, variants=variants[key])


@pytest.mark.points(2)
def test_gradient_twice(student, reference, rng):
    """a second net.gradient call on another batch gives that batch's gradient (nothing kept from the first)"""
    s = Setup(student, reference, rng)
    x2 = rng.normal(size=s.x.shape)
    t2 = np.eye(SIZES[2])[rng.integers(SIZES[2], size=BATCH)]
    s.mine.gradient(s.x, s.t)
    grads = assert_keys(s.mine.gradient(x2, t2), SHAPES, call="net.gradient(x2, t2)")
    first, second = s.ref.gradient(s.x, s.t), s.ref.gradient(x2, t2)
    variants = net_gradient_variants(s.ref, x2, t2)
    not_shared = [net.gradient(x2, t2) for net in s.not_shared]
    for key in SHAPES:
        with _explain(student, reference, grads[key], [g[key] for g in not_shared]):
            assert_grad_close(grads[key], second[key],
                              call=f"net.gradient(x2, t2)['{key}'] after net.gradient(x, t)",
                              inputs={"x2": x2, "t2": t2},
                              variants={**variants[key],
                                        "backprop_net_accumulates": first[key] + second[key]})


@pytest.mark.points(8)
def test_learns_digits(student, reference, rng):
    """trained by its own gradient() for 100 SGD steps on 600 handwritten 8x8 digits, the net classifies at least 70 % of 300 other digits correctly (chance: 10 %)"""
    n_in, n_hidden, n_out = LEARN_SIZES
    call = f"TwoLayerNet{LEARN_SIZES}"
    net = student.TwoLayerNet(*LEARN_SIZES)
    # The book's initialisation (0.01 * randn, zero biases), seeded here so the check
    # does not depend on the notebook's random state.
    start = {"W1": 0.01 * rng.standard_normal((n_in, n_hidden)), "b1": np.zeros(n_hidden),
             "W2": 0.01 * rng.standard_normal((n_hidden, n_out)), "b2": np.zeros(n_out)}
    _with_params(net, start, call)
    data = digits()
    # One gradient first, checked, so that a wrong key or shape is named as such rather
    # than surfacing as an error inside the training loop.
    x, t = data.x_train[:10], np.eye(n_out)[data.t_train[:10]]
    grads = assert_keys(net.gradient(x, t), start, call="net.gradient(x_batch, t_batch)")
    for key, value in start.items():
        assert_shape(grads[key], value.shape, call=f"net.gradient(x_batch, t_batch)['{key}']")
    accuracy = train(net, data, steps=LEARN_STEPS, lr=LEARN_RATE, one_hot=True)
    with _explain(student, reference):
        assert_true(accuracy >= LEARN_ACCURACY,
                    call=f"{call} after {LEARN_STEPS} steps of params[key] -= {LEARN_RATE} * "
                         f"net.gradient(x_batch, t_batch)[key]",
                    what=f"test accuracy {accuracy:.3f} >= {LEARN_ACCURACY}", returned=accuracy)
