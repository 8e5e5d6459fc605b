"""Chapter 4's TwoLayerNet: params W1, b1, W2, b2; sigmoid then softmax (section 4.5.1)."""

import functools

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import (assert_close, assert_grad_close, assert_keys,
                                       assert_restored, assert_shape, assert_true)
from autograder.grading.learning import digits, train
from autograder.grading.own import assert_reference_or_own
from reference.ch03_neural_networks.own_helpers import one_hot_like, sigmoid_helper, softmax_helper
from reference.ch04_training.own_helpers import cross_entropy_helper, numerical_gradient_helper
from autograder.grading.resident import function, param_in_place, params_numerical_grad, set_params
from reference.ch03_neural_networks.hints import accuracy_variants
from reference.ch04_training import TwoLayerNet as ReferenceNet

pytestmark = pytest.mark.item("TwoLayerNet")

SIZES = {"input_size": 4, "hidden_size": 5, "output_size": 3}
SHAPES = {"W1": (4, 5), "b1": (5,), "W2": (5, 3), "b2": (3,)}
BATCH = 6

# gradient() against the numerical gradient of the student's own loss. That loss keeps
# delta = 1e-7 inside the log, as it should, and gradient() is the exact gradient of the
# loss without delta, as the book's is: on these inputs the two differ by up to 5e-6 (300
# seeds; an answer predicted with probability ~0.02), so entries are compared to 2e-5 plus
# the numerical gradient's relative tolerance. The slips this test is for (a loss without
# the batch mean, a doubled or sign-flipped gradient) miss by 1e-2 and more.
OWN_LOSS_GRAD_ATOL = 2e-5

# The learning check: chapter 4's training loop (one-hot targets, as the book's MNIST run)
# on the 8x8 digits, 64 -> 20 -> 10, about 1.5 s through the sandbox. The reference reaches
# 0.85 to 0.88 test accuracy in these 100 steps (20 different initial weights); chance is
# 0.1, so 0.7 leaves a wide margin for another initialisation, while a gradient N times too
# large or of the wrong sign stays near chance.
LEARNING_SIZES = (64, 20, 10)
LEARNING_STEPS = 100
LEARNING_RATE = 2.0
LEARNED_ACCURACY = 0.7


def _setup(student, rng, with_params=False):
    """A student net and a reference net with the same parameters, and a batch (x, one-hot t)."""
    # Weights of order 1 (not the 0.01 of training) make every gradient entry clearly nonzero.
    params = {k: rng.normal(scale=0.5, size=s) for k, s in SHAPES.items()}
    mine, ref = student.TwoLayerNet(4, 5, 3), ReferenceNet(4, 5, 3)
    # Written into the arrays net.params already holds, as the book's training loop
    # changes them: a loss that reads arrays it captured when it was built sees them too.
    held = assert_keys(mine.params, SHAPES, call="TwoLayerNet(4, 5, 3).params")
    for key, shape in SHAPES.items():
        assert_shape(held[key], shape, call=f"TwoLayerNet(4, 5, 3).params['{key}']")
    set_params(mine, params)
    set_params(ref, params)
    x = rng.normal(size=(BATCH, SIZES["input_size"]))
    t = np.eye(SIZES["output_size"])[rng.integers(SIZES["output_size"], size=BATCH)]
    return (mine, ref, x, t, params) if with_params else (mine, ref, x, t)


def _own_predict(student, params, x):
    """predict with the student's own sigmoid and softmax (chapter 3's items, judged there)."""
    hidden = student.sigmoid(np.dot(x, params["W1"]) + params["b1"])
    return student.softmax(np.dot(np.asarray(hidden, dtype=np.float64), params["W2"]) + params["b2"])


def _own_loss_gradient(mine, x, t):
    """The numerical gradient of the student's own loss, taken here, for gradient()."""
    return {key: params_numerical_grad(mine, key, mine.loss, x, t, h=tol.NUMERICAL_H)
            for key in SHAPES}


def _own_numerical_gradient(student, mine, x, t, params):
    """The book's net.numerical_gradient made of the student's own parts: the student's
    numerical_gradient, perturbing the net's own params[key] in place, of the student's
    own loss (`loss_W = lambda W: net.loss(x, t)`, which reads params, not W), key by key
    in the book's order from `params`, where the student's own call started."""
    for key, value in params.items():
        param_in_place(mine, key)[...] = value
    _, loss_W = function(student, LOSS_OF_PARAMS, mine, x, t)
    return {key: student.inplace.numerical_gradient(loss_W, param_in_place(mine, key))
            for key in SHAPES}


# The book's `loss_W = lambda W: net.loss(x, t)`, resident beside the student's code (the
# student's numerical_gradient calls it twice per entry); each call on copies of x and t,
# as a call from here would be.
LOSS_OF_PARAMS = """
def make(net, x, t):
    def loss_W(W):
        return net.loss(x.copy(), t.copy())
    return loss_W
"""


@pytest.mark.points(2)
def test_params_shapes(student):
    """TwoLayerNet(4, 5, 3).params holds W1 (4, 5), b1 (5,), W2 (5, 3), b2 (3,)"""
    params = assert_keys(student.TwoLayerNet(4, 5, 3).params, SHAPES, call="TwoLayerNet(4, 5, 3).params")
    for key, shape in SHAPES.items():
        assert_shape(params[key], shape, call=f"TwoLayerNet(4, 5, 3).params['{key}']")


@pytest.mark.points(2)
def test_biases_start_at_zero(student):
    """the biases b1 and b2 start as zeros"""
    params = assert_keys(student.TwoLayerNet(4, 5, 3).params, SHAPES, call="TwoLayerNet(4, 5, 3).params")
    for key in ("b1", "b2"):
        assert_close(params[key], np.zeros(SHAPES[key]), call=f"TwoLayerNet(4, 5, 3).params['{key}']")


@pytest.mark.points(3)
def test_predict(student, rng):
    """net.predict(x) with given params: sigmoid hidden layer, softmax output"""
    mine, ref, x, _ = _setup(student, rng)
    # sigmoid and softmax are chapter 3's, not graded here: they must be right.
    scores = ref.predict(x)
    helpers = (sigmoid_helper(student, scores, graded=False),
               softmax_helper(student, scores, graded=False))

    def again(rng):
        x2 = rng.normal(size=x.shape)
        return lambda: _own_predict(student, ref.params, x2), lambda: mine.predict(x2)

    assert_reference_or_own(assert_close, mine.predict(x), ref.predict(x),
                            lambda: _own_predict(student, ref.params, x), helpers=helpers,
                            again=again, call="net.predict(x)", inputs={"x": x})


@pytest.mark.points(3)
def test_loss(student, rng):
    """net.loss(x, t) is the cross-entropy of predict(x) against one-hot t"""
    mine, ref, x, t = _setup(student, rng)
    # Judged against the student's own cross_entropy_error of the student's own predict
    # too: those are charged by their own tests.
    def again(rng):
        x2, t2 = rng.normal(size=x.shape), one_hot_like(rng, t)
        return lambda: student.cross_entropy_error(mine.predict(x2), t2), lambda: mine.loss(x2, t2)

    assert_reference_or_own(assert_close, mine.loss(x, t), ref.loss(x, t),
                            lambda: student.cross_entropy_error(mine.predict(x), t),
                            helpers=(cross_entropy_helper(student, t),), again=again,
                            call="net.loss(x, t)", inputs={"x": x, "t": t}, rtol=tol.LOSS_RTOL)


@pytest.mark.points(2)
def test_accuracy(student, rng):
    """net.accuracy(x, t) is the fraction of samples whose argmax matches one-hot t"""
    mine, ref, x, _ = _setup(student, rng)
    right = np.argmax(ref.predict(x), axis=1)
    # Half right, half wrong: 0.5 is the answer, so no shortcut passes by accident.
    labels = np.where(np.arange(BATCH) % 2 == 0, right, (right + 1) % SIZES["output_size"])
    t = np.eye(SIZES["output_size"])[labels]

    def own(x, labels):
        return lambda: float(np.mean(np.argmax(np.asarray(mine.predict(x)), axis=1) == labels))

    def again(rng):
        x2 = rng.normal(size=x.shape)
        labels2 = rng.integers(SIZES["output_size"], size=BATCH)
        return own(x2, labels2), lambda: mine.accuracy(x2, np.eye(SIZES["output_size"])[labels2])

    assert_reference_or_own(
        assert_close, mine.accuracy(x, t), ref.accuracy(x, t), own(x, labels), again=again,
        call="net.accuracy(x, t)", inputs={"x": x, "t": t},
        variants=accuracy_variants(ref.predict(x), t))


@pytest.mark.points(4)
def test_numerical_gradient(student, rng):
    """net.numerical_gradient(x, t) matches the reference for W1, b1, W2, b2"""
    mine, ref, x, t, params = _setup(student, rng, with_params=True)
    grads = assert_keys(mine.numerical_gradient(x, t), SHAPES, call="net.numerical_gradient(x, t)")

    @functools.cache
    def own():  # only when a comparison with the reference fails, and then once
        return _own_numerical_gradient(student, mine, x, t, params)

    # A second batch for the own-helper rule: the student's own parts first, then the
    # net's numerical_gradient from the same params (whatever own left them at).
    draw = np.random.default_rng(len(SHAPES))
    x2, t2 = draw.normal(size=x.shape), one_hot_like(draw, t)

    @functools.cache
    def own_again():
        return _own_numerical_gradient(student, mine, x2, t2, params)

    @functools.cache
    def composite_again():
        for key, value in params.items():
            param_in_place(mine, key)[...] = value
        return mine.numerical_gradient(x2, t2)

    def again(_rng, key):
        return lambda: own_again()[key], lambda: composite_again()[key]

    for key, expected in ref.numerical_gradient(x, t).items():
        # Or what the student's own numerical_gradient and loss give: a loss or a
        # numerical_gradient that misses is charged by its own tests, not again here.
        assert_reference_or_own(
            assert_grad_close, grads[key], expected, lambda key=key: own()[key],
            helpers=(numerical_gradient_helper(student, params[key]),),
            again=functools.partial(again, key=key),
            call=f"net.numerical_gradient(x, t)['{key}']", inputs={"x": x, "t": t},
            threshold=tol.NUMERICAL_GRAD_REL_TOL)


@pytest.mark.points(2)
def test_numerical_gradient_leaves_params_as_they_were(student, rng):
    """after net.numerical_gradient(x, t), every entry of net.params has its original value again"""
    mine, _, x, t, before = _setup(student, rng, with_params=True)
    mine.numerical_gradient(x, t)
    after = assert_keys(mine.params, SHAPES, call="net.params")
    for key in SHAPES:
        assert_restored(before[key], after[key], call=f"net.numerical_gradient(x, t): net.params['{key}']")


@pytest.mark.points(4)
def test_gradient(student, rng):
    """net.gradient(x, t) (backprop) matches the reference for W1, b1, W2, b2"""
    mine, ref, x, t = _setup(student, rng)
    grads = assert_keys(mine.gradient(x, t), SHAPES, call="net.gradient(x, t)")
    for key, expected in ref.gradient(x, t).items():
        assert_grad_close(grads[key], expected, call=f"net.gradient(x, t)['{key}']",
                          inputs={"x": x, "t": t}, threshold=tol.NUMERICAL_GRAD_REL_TOL)


@pytest.mark.points(2)
def test_gradient_matches_own_loss(student, rng):
    """net.gradient(x, t) matches the numerical gradient of your own net.loss(x, t)"""
    mine, _, x, t = _setup(student, rng)
    grads = assert_keys(mine.gradient(x, t), SHAPES, call="net.gradient(x, t)")
    for key, expected in _own_loss_gradient(mine, x, t).items():
        assert_close(grads[key], expected,
                     call=f"net.gradient(x, t)['{key}'] (expected: the numerical gradient of "
                          f"your net.loss(x, t))",
                     inputs={"x": x, "t": t}, rtol=tol.NUMERICAL_GRAD_REL_TOL,
                     atol=OWN_LOSS_GRAD_ATOL)


@pytest.mark.points(3)
def test_learns_digits(student):
    """trained with its own gradient() for 100 steps, TwoLayerNet(64, 20, 10) recognises most handwritten digits"""
    net = student.TwoLayerNet(*LEARNING_SIZES)
    accuracy = train(net, digits(), steps=LEARNING_STEPS, lr=LEARNING_RATE, one_hot=True)
    assert_true(accuracy >= LEARNED_ACCURACY, call="TwoLayerNet(64, 20, 10) after training",
                what=f"test accuracy >= {LEARNED_ACCURACY}", returned=accuracy)
