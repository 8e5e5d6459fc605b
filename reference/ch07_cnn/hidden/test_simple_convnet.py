"""SimpleConvNet(input_dim, conv_param, hidden_size, output_size, weight_init_std):
conv - relu - 2x2 max pool (stride 2) - affine - relu - affine - softmax with loss,
params W1, b1 (Conv1), W2, b2 (Affine1), W3, b3 (Affine2) (section 7.5).

Small sizes keep every call cheap through the sandbox. Parameters are written into the
student's own `params` arrays (the layers hold those very arrays), so both networks
compute with the same numbers; the learning check starts from the grader's own seeded
weights, so it does not depend on weight_init_std or on an unseeded np.random.
"""

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import (assert_close, assert_grad_close, assert_keys,
                                       assert_shape, assert_true)
from autograder.grading.gradcheck import assert_own_grad_close
from autograder.grading.learning import digits, train
from autograder.grading.resident import params_numerical_grad, set_params
from reference.ch03_neural_networks.hints import accuracy_variants
from reference.ch05_backprop.loss_checks import assert_confident_loss
from reference.ch07_cnn.hints import convnet_gradient_variants

pytestmark = pytest.mark.item("SimpleConvNet")

INPUT_DIM = (1, 6, 6)
CONV = {"filter_num": 2, "filter_size": 3, "pad": 0, "stride": 1}
HIDDEN, OUTPUT = 4, 3
# conv 6x6 -> 4x4, pooled to 2x2: W2 takes 2 filters * 2 * 2 = 8 inputs. Every shape
# differs, so a gradient filed under the wrong name is recognised by its shape.
SHAPES = {"W1": (2, 1, 3, 3), "b1": (2,), "W2": (8, 4), "b2": (4,), "W3": (4, 3), "b3": (3,)}
KEYS = tuple(SHAPES)
BATCH = 4


def _build(student, input_dim=INPUT_DIM, conv=CONV, hidden=HIDDEN, output=OUTPUT):
    # Positional, in the book's order: students rename the parameters.
    return student.SimpleConvNet(input_dim, dict(conv), hidden, output, 0.01)


def _call(input_dim=INPUT_DIM, conv=CONV, hidden=HIDDEN, output=OUTPUT):
    return f"SimpleConvNet({input_dim}, {conv}, {hidden}, {output}, 0.01)"


def _checked_params(net, shapes, call):
    params = assert_keys(net.params, shapes, call=f"{call}.params")
    for key, shape in shapes.items():
        assert_shape(params[key], shape, call=f"{call}.params['{key}']")
    return params


def _pair(student, reference, rng, input_dim=INPUT_DIM, conv=CONV):
    """A student net and a reference net with the same order-1 weights (every gradient entry
    clearly nonzero), after checking the student's parameter shapes."""
    mine = _build(student, input_dim, conv)
    ref = reference.SimpleConvNet(input_dim, dict(conv), HIDDEN, OUTPUT, 0.01)
    shapes = {k: v.shape for k, v in ref.params.items()}
    _checked_params(mine, shapes, _call(input_dim, conv))
    values = {k: rng.normal(scale=0.5, size=s) for k, s in shapes.items()}
    set_params(mine, values)
    set_params(ref, values)
    return mine, ref


def _batch(rng, input_dim=INPUT_DIM, n=BATCH):
    return rng.normal(size=(n, *input_dim)), rng.integers(OUTPUT, size=n)


@pytest.mark.points(2)
def test_params_shapes(student):
    """params holds W1 (FN, C, FS, FS), b1 (FN,), W2 (FN*2*2, hidden), b2, W3 (hidden, output), b3"""
    _checked_params(_build(student), SHAPES, _call())


@pytest.mark.points(1)
def test_biases_start_at_zero(student):
    """the biases b1, b2 and b3 start as zeros"""
    params = assert_keys(_build(student).params, SHAPES, call=f"{_call()}.params")
    for key in ("b1", "b2", "b3"):
        assert_close(params[key], np.zeros(SHAPES[key]), call=f"{_call()}.params['{key}']")


@pytest.mark.points(2)
def test_predict(student, reference, rng):
    """net.predict(x) with given params: the class scores (N, output_size) before softmax"""
    mine, ref = _pair(student, reference, rng)
    x, _ = _batch(rng)
    assert_close(mine.predict(x), ref.predict(x), call="net.predict(x)", inputs={"x": x})


@pytest.mark.points(2)
def test_loss(student, reference, rng):
    """net.loss(x, t) with labels t is the mean cross-entropy of softmax(predict(x))"""
    mine, ref = _pair(student, reference, rng)
    x, t = _batch(rng)
    assert_close(mine.loss(x, t), ref.loss(x, t), call="net.loss(x, t)", inputs={"x": x, "t": t},
                 rtol=tol.LOSS_RTOL)


@pytest.mark.points(2)
def test_loss_confident(student, reference, rng):
    """net.loss(x, t) when the net is sure (class scores of order 1000, half the labels not the top class) is finite, as the book's is"""
    mine, ref = _pair(student, reference, rng)
    # A bias of 1000 on one class makes every score vector confident; the softmax and the
    # loss the net ends in are the notebook's own, not graded in this chapter, so their
    # overflow (no maximum subtracted) or log(0) (no 1e-7) is charged here.
    b3 = np.zeros(OUTPUT)
    b3[0] = 1000.0
    set_params(mine, {"b3": b3})
    set_params(ref, {"b3": b3})
    x, _ = _batch(rng)
    t = np.where(np.arange(BATCH) % 2 == 0, 0, 1)
    assert_confident_loss(mine.loss(x, t), ref.loss(x, t), x=ref.predict(x), t=t,
                          call="net.loss(x, t) with params['b3'] = [1000, 0, 0]",
                          inputs={"x": x, "t": t})


@pytest.mark.points(1)
def test_accuracy(student, reference, rng):
    """net.accuracy(x, t, 3) over 6 samples in batches of 3 is the fraction predicted right"""
    mine, ref = _pair(student, reference, rng)
    x, _ = _batch(rng, n=6)
    right = np.argmax(ref.predict(x), axis=1)
    # Half right, half wrong: 0.5 is the answer, so no shortcut passes by accident.
    t = np.where(np.arange(6) % 2 == 0, right, (right + 1) % OUTPUT)
    # 6 is a multiple of the batch size: the book's loop skips a last partial batch.
    assert_close(mine.accuracy(x, t, 3), ref.accuracy(x, t, 3), call="net.accuracy(x, t, 3)",
                 inputs={"x": x, "t": t}, variants=accuracy_variants(ref.predict(x), t))


@pytest.mark.points(4)
def test_gradient(student, reference, rng):
    """net.gradient(x, t) (backprop) matches the reference for W1, b1, W2, b2, W3, b3"""
    mine, ref = _pair(student, reference, rng)
    x, t = _batch(rng)
    grads = assert_keys(mine.gradient(x, t), KEYS, call="net.gradient(x, t)")
    expected = ref.gradient(x, t)
    for key in KEYS:
        assert_grad_close(grads[key], expected[key], call=f"net.gradient(x, t)['{key}']",
                          inputs={"x": x, "t": t},
                          variants=convnet_gradient_variants(grads[key], expected, key))


@pytest.mark.points(4)
def test_gradient_matches_own_loss(student, reference, rng):
    """net.gradient(x, t) is the numerical gradient of your own net.loss(x, t)"""
    mine, ref = _pair(student, reference, rng)
    x, _ = _batch(rng)
    # Labels the net already favours: each answer's probability is then at least 1/3, so
    # the book's 1e-7 inside the log (which backprop leaves out) moves the numerical
    # gradient by under 1e-6 relative; a random label can have a probability of 1e-3.
    t = np.argmax(ref.predict(x), axis=1)
    grads = assert_keys(mine.gradient(x, t), KEYS, call="net.gradient(x, t)")
    # A loss that does not depend on the params (a constant) agrees with a gradient of zeros.
    expected = ref.gradient(x, t)
    for key in KEYS:
        numerical = params_numerical_grad(mine, key, mine.loss, x, t)
        assert_own_grad_close(grads[key], numerical, expected[key],
                              call=f"net.gradient(x, t)['{key}']", inputs={"x": x, "t": t},
                              threshold=tol.NUMERICAL_GRAD_REL_TOL)


@pytest.mark.points(2)
def test_conv_param_pad_and_stride(student, reference, rng):
    """conv_param's pad=1 and stride=2 reach the convolution: predict on (1, 7, 7) inputs"""
    input_dim = (1, 7, 7)
    conv = {"filter_num": 2, "filter_size": 3, "pad": 1, "stride": 2}
    mine, ref = _pair(student, reference, rng, input_dim, conv)
    x, _ = _batch(rng, input_dim)
    assert_close(mine.predict(x), ref.predict(x), call="net.predict(x)", inputs={"x": x})


LEARN_CONV = {"filter_num": 8, "filter_size": 3, "pad": 0, "stride": 1}
LEARN_HIDDEN = 30
LEARN_STEPS, LEARN_RATE = 80, 0.3
# Chance is 0.1. From He-scaled starts the reference reaches 0.77-0.94 after these 80
# steps (24 seeds tried), in ~4 s through the sandbox (each step is ~20 round trips).
LEARN_MIN_ACCURACY = 0.5


@pytest.mark.points(5)
def test_learns_digits(student, rng):
    """trained by SGD for 80 steps on 8x8 digits (labels), test accuracy rises above 0.5 (chance 0.1)"""
    input_dim = (1, 8, 8)
    call = _call(input_dim, LEARN_CONV, LEARN_HIDDEN, 10)
    net = _build(student, input_dim, LEARN_CONV, LEARN_HIDDEN, 10)
    pooled = LEARN_CONV["filter_num"] * 3 * 3
    shapes = {"W1": (8, 1, 3, 3), "b1": (8,), "W2": (pooled, LEARN_HIDDEN), "b2": (LEARN_HIDDEN,),
              "W3": (LEARN_HIDDEN, 10), "b3": (10,)}
    _checked_params(net, shapes, call)
    fan_in = {"W1": 9, "W2": pooled, "W3": LEARN_HIDDEN}
    set_params(net, {k: rng.normal(scale=np.sqrt(2.0 / fan_in[k]), size=s) if k in fan_in
                      else np.zeros(s) for k, s in shapes.items()})
    data = digits(images=True)
    # Training subtracts each gradient from its parameter: a gradient of the wrong shape
    # is named here rather than surfacing as a broadcasting error inside the loop.
    grads = assert_keys(net.gradient(data.x_train[:2], data.t_train[:2]), shapes,
                        call="net.gradient(x, t)")
    for key, shape in shapes.items():
        assert_shape(grads[key], shape, call=f"net.gradient(x, t)['{key}']")
    accuracy = train(net, data, steps=LEARN_STEPS, lr=LEARN_RATE)
    assert_true(accuracy >= LEARN_MIN_ACCURACY, call=f"{call}, {LEARN_STEPS} SGD steps (lr={LEARN_RATE})",
                what=f"test accuracy >= {LEARN_MIN_ACCURACY}", returned=accuracy)
