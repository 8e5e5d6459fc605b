"""Chapter 4's TwoLayerNet: params W1, b1, W2, b2; sigmoid then softmax (section 4.5.1)."""

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import assert_close, assert_grad_close, assert_keys, assert_shape
from reference.ch03_neural_networks.hints import accuracy_variants
from reference.ch04_training import TwoLayerNet as ReferenceNet

pytestmark = pytest.mark.item("TwoLayerNet")

SIZES = {"input_size": 4, "hidden_size": 5, "output_size": 3}
SHAPES = {"W1": (4, 5), "b1": (5,), "W2": (5, 3), "b2": (3,)}
BATCH = 6


def _setup(student, rng):
    """A student net and a reference net with the same parameters, and a batch (x, one-hot t)."""
    # Weights of order 1 (not the 0.01 of training) make every gradient entry clearly nonzero.
    params = {k: rng.normal(scale=0.5, size=s) for k, s in SHAPES.items()}
    mine, ref = student.TwoLayerNet(**SIZES), ReferenceNet(**SIZES)
    mine.params = {k: v.copy() for k, v in params.items()}
    ref.params = {k: v.copy() for k, v in params.items()}
    x = rng.normal(size=(BATCH, SIZES["input_size"]))
    t = np.eye(SIZES["output_size"])[rng.integers(SIZES["output_size"], size=BATCH)]
    return mine, ref, x, t


@pytest.mark.points(2)
def test_params_shapes(student):
    """TwoLayerNet(4, 5, 3).params holds W1 (4, 5), b1 (5,), W2 (5, 3), b2 (3,)"""
    params = assert_keys(student.TwoLayerNet(**SIZES).params, SHAPES, call="TwoLayerNet(4, 5, 3).params")
    for key, shape in SHAPES.items():
        assert_shape(params[key], shape, call=f"TwoLayerNet(4, 5, 3).params['{key}']")


@pytest.mark.points(2)
def test_biases_start_at_zero(student):
    """the biases b1 and b2 start as zeros"""
    params = assert_keys(student.TwoLayerNet(**SIZES).params, SHAPES, call="TwoLayerNet(4, 5, 3).params")
    for key in ("b1", "b2"):
        assert_close(params[key], np.zeros(SHAPES[key]), call=f"TwoLayerNet(4, 5, 3).params['{key}']")


@pytest.mark.points(3)
def test_predict(student, rng):
    """net.predict(x) with given params: sigmoid hidden layer, softmax output"""
    mine, ref, x, _ = _setup(student, rng)
    assert_close(mine.predict(x), ref.predict(x), call="net.predict(x)", inputs={"x": x})


@pytest.mark.points(3)
def test_loss(student, rng):
    """net.loss(x, t) is the cross-entropy of predict(x) against one-hot t"""
    mine, ref, x, t = _setup(student, rng)
    assert_close(mine.loss(x, t), ref.loss(x, t), call="net.loss(x, t)", inputs={"x": x, "t": t},
                 rtol=tol.LOSS_RTOL)


@pytest.mark.points(2)
def test_accuracy(student, rng):
    """net.accuracy(x, t) is the fraction of samples whose argmax matches one-hot t"""
    mine, ref, x, _ = _setup(student, rng)
    right = np.argmax(ref.predict(x), axis=1)
    # Half right, half wrong: 0.5 is the answer, so no shortcut passes by accident.
    labels = np.where(np.arange(BATCH) % 2 == 0, right, (right + 1) % SIZES["output_size"])
    t = np.eye(SIZES["output_size"])[labels]
    assert_close(mine.accuracy(x, t), ref.accuracy(x, t), call="net.accuracy(x, t)",
                 inputs={"x": x, "t": t}, variants=accuracy_variants(ref.predict(x), t))


@pytest.mark.points(4)
def test_numerical_gradient(student, rng):
    """net.numerical_gradient(x, t) matches the reference for W1, b1, W2, b2"""
    mine, ref, x, t = _setup(student, rng)
    grads = assert_keys(mine.numerical_gradient(x, t), SHAPES, call="net.numerical_gradient(x, t)")
    for key, expected in ref.numerical_gradient(x, t).items():
        assert_grad_close(grads[key], expected, call=f"net.numerical_gradient(x, t)['{key}']",
                          inputs={"x": x, "t": t}, threshold=tol.NUMERICAL_GRAD_REL_TOL)


@pytest.mark.points(4)
def test_gradient(student, rng):
    """net.gradient(x, t) (backprop) matches the reference for W1, b1, W2, b2"""
    mine, ref, x, t = _setup(student, rng)
    grads = assert_keys(mine.gradient(x, t), SHAPES, call="net.gradient(x, t)")
    for key, expected in ref.gradient(x, t).items():
        assert_grad_close(grads[key], expected, call=f"net.gradient(x, t)['{key}']",
                          inputs={"x": x, "t": t}, threshold=tol.NUMERICAL_GRAD_REL_TOL)
