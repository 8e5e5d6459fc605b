"""MultiLayerNet and MultiLayerNetExtend (sections 6.3-6.4): networks of any depth with
weight decay, and, in Extend, batch normalization and dropout.

Built with the book's arguments in the book's order: (input_size, hidden_size_list,
output_size, activation, weight_init_std, weight_decay_lambda) and, for Extend,
(use_dropout, dropout_ration, use_batchnorm). Known parameters are written into the
arrays the network's layers hold (not by replacing params), targets are class labels as
the chapter trains on, and every check that needs a fixed function leaves dropout off.
"""

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import (assert_close, assert_grad_close, assert_keys, assert_shape,
                                       assert_true)
from autograder.grading.gradcheck import assert_own_grad_close
from autograder.grading.learning import digits, train
from autograder.grading.resident import params_numerical_grad_and_error, seed_numpy, set_params
from reference.ch03_neural_networks.hints import accuracy_variants
from reference.ch06_training_techniques.hints import (weight_decay_grad_variants,
                                                      weight_decay_loss_variants)

# Batch norm's epsilon may be anything from 0 to 1e-5 in a notebook (see the
# BatchNormalization suite). Through these networks that moves an entry of predict() by
# < 2e-4 and of a gradient by < 2e-3 of that array's largest entry, and the loss by < 5e-5
# relative (worst over 60 random networks like these); entries near 0 would trip an
# entrywise bound. Every classic miss is off by more than 5e-2 of the largest entry.
BN_SHARE = 1e-2
BN_LOSS_RTOL = 1e-3
# The learning check: SGD on 600 digits for 30 steps of 50 reaches ~0.87 with the reference
# (~0.92 with batch norm; chance is 0.1); 0.7 leaves room for any reasonable initialisation.
LEARNED = 0.7
STEPS, LR = 30, 0.3

MLN, EXT = "MultiLayerNet", "MultiLayerNetExtend"
DEEP = (4, [5, 4], 3)      # two hidden layers: the loop over layers must be right
SMALL = (3, [4], 2)        # for numerical gradients through the sandbox
BATCH = 6
# A share of a gradient's largest entry that any entry may miss the own-loss estimate by.
OWN_LOSS_SCALE_ATOL = 1e-5


def _shapes(sizes, batchnorm=False):
    input_size, hidden, output_size = sizes
    dims = [input_size, *hidden, output_size]
    shapes = {}
    for i in range(1, len(dims)):
        shapes[f"W{i}"], shapes[f"b{i}"] = (dims[i - 1], dims[i]), (dims[i],)
        if batchnorm and i < len(dims) - 1:
            shapes[f"gamma{i}"], shapes[f"beta{i}"] = (dims[i],), (dims[i],)
    return shapes


def _made(cls, args):
    return f"{cls}({', '.join(repr(a) for a in args)})"


def _random_params(rng, shapes):
    # Weights of order 1 and nonzero biases: every gradient entry clearly nonzero, and no
    # ReLU input sitting on its kink.
    values = {}
    for key, shape in shapes.items():
        if key.startswith("W"):
            values[key] = rng.normal(scale=0.7, size=shape)
        elif key.startswith("gamma"):
            values[key] = rng.uniform(0.5, 1.5, shape)
        else:
            values[key] = rng.normal(scale=0.3, size=shape)
    return values


def nets(student, reference, rng, cls, args, batchnorm=False):
    """A student network and a reference network built alike, holding the same params."""
    seed_numpy(student, 0)
    mine, ref = getattr(student, cls)(*args), getattr(reference, cls)(*args)
    shapes = _shapes(args[:3], batchnorm)
    # Shapes are the params tests' business: here a b1 kept as (1, 5) still takes values.
    assert_keys(mine.params, shapes, call=f"{_made(cls, args)}.params")
    values = _random_params(rng, shapes)
    set_params(mine, values)
    for key, value in values.items():
        ref.params[key][...] = value
    return mine, ref, values


def batch(rng, sizes, n=BATCH):
    return rng.normal(size=(n, sizes[0])), rng.integers(sizes[2], size=n)


def _forgiven(expected, share) -> float:
    return max(tol.GRAD_ATOL, share * float(np.max(np.abs(expected))))


def check_gradient_against_reference(mine, ref, x, t, values, lam, share=0.0):
    expected = ref.gradient(x, t)
    grads = assert_keys(mine.gradient(x, t), expected, call="net.gradient(x, t)")
    variants = weight_decay_grad_variants(expected, values, lam) if lam else {}
    for key in expected:
        assert_grad_close(grads[key], expected[key], call=f"net.gradient(x, t)['{key}']",
                          inputs={"x": x, "t": t}, threshold=tol.NUMERICAL_GRAD_REL_TOL,
                          atol=_forgiven(expected[key], share), variants=variants.get(key))


def _agrees(value, expected) -> bool:
    try:
        return bool(np.allclose(np.asarray(value, dtype=np.float64), expected,
                                rtol=tol.RTOL, atol=tol.ATOL))
    except (TypeError, ValueError):
        return False


def check_gradient_against_own_loss(mine, ref, x, t, shapes, *loss_args):
    """The student's gradient() against the numerical gradient of the student's own loss,
    which must depend on the params as the reference's does (a constant loss and a
    gradient of zeros agree, and earn nothing)."""
    grads = assert_keys(mine.gradient(x, t), shapes, call="net.gradient(x, t)")
    expected = ref.gradient(x, t)
    for key in shapes:
        # An entry is held to what its numerical estimate can tell (batch norm over a
        # nearly constant column curves the loss enough to move a central difference by
        # more than the threshold), and may miss by a small share of the array's largest
        # entry: the book's loss keeps delta inside the log, which its backward leaves
        # out, and on a small entry that shows as a relative error above the threshold.
        # Without both, the correct reference failed about 1 draw in 40.
        numerical, error = params_numerical_grad_and_error(mine, key, mine.loss, x, t, *loss_args)
        floor = OWN_LOSS_SCALE_ATOL * float(np.max(np.abs(numerical), initial=0.0))
        assert_own_grad_close(grads[key], numerical, expected[key],
                              call=f"net.gradient(x, t)['{key}']", inputs={"x": x, "t": t},
                              threshold=tol.NUMERICAL_GRAD_REL_TOL,
                              atol=np.maximum(max(tol.GRAD_ATOL, floor), error))


def check_learns(student, cls, args):
    seed_numpy(student, 0)
    net = getattr(student, cls)(*args)
    accuracy = train(net, digits(), steps=STEPS, lr=LR)
    assert_true(accuracy >= LEARNED, call=f"{_made(cls, args)} trained with its gradient()",
                what=f"test accuracy >= {LEARNED} after {STEPS} SGD steps of 50 digits "
                     f"(lr={LR}; chance is 0.1)", returned=accuracy)


# --- MultiLayerNet ---------------------------------------------------------------------

@pytest.mark.item(MLN)
@pytest.mark.points(2)
def test_params_and_zero_biases(student):
    """MultiLayerNet(4, [5, 4], 3).params holds W1, b1, ..., W3, b3 of the right shapes; biases start at 0"""
    seed_numpy(student, 0)
    params = assert_keys(student.MultiLayerNet(*DEEP).params, _shapes(DEEP),
                         call=f"{_made(MLN, DEEP)}.params")
    for key, shape in _shapes(DEEP).items():
        assert_shape(params[key], shape, call=f"{_made(MLN, DEEP)}.params['{key}']")
        if key.startswith("b"):
            assert_close(params[key], np.zeros(shape), call=f"{_made(MLN, DEEP)}.params['{key}']")


@pytest.mark.item(MLN)
def test_number_as_weight_init_std(student):
    """a number as weight_init_std is the standard deviation of every W itself"""
    seed_numpy(student, 0)
    args = (400, [100], 200, "relu", 0.05)
    params = assert_keys(student.MultiLayerNet(*args).params, ["W1", "W2"],
                         call=f"{_made(MLN, args)}.params")
    for key in ("W1", "W2"):
        # 20,000+ draws: the sample std is within 0.5 % (one sigma) of 0.05.
        assert_close(float(np.std(np.asarray(params[key], dtype=np.float64))), 0.05,
                     call=f"np.std({_made(MLN, args)}.params['{key}'])", rtol=0.05, atol=0.0)


@pytest.mark.item(MLN)
@pytest.mark.points(2)
def test_predict_relu(student, reference, rng):
    """predict(x) runs Affine then ReLU for each hidden layer, then the last Affine (scores, no softmax)"""
    mine, ref, _ = nets(student, reference, rng, MLN, DEEP)
    x, _ = batch(rng, DEEP)
    assert_close(mine.predict(x), ref.predict(x), call="net.predict(x)", inputs={"x": x})


@pytest.mark.item(MLN)
def test_predict_sigmoid(student, reference, rng):
    """activation='sigmoid' puts Sigmoid layers between the Affine layers"""
    args = (*DEEP, "sigmoid", "sigmoid")
    mine, ref, _ = nets(student, reference, rng, MLN, args)
    x, _ = batch(rng, DEEP)
    assert_close(mine.predict(x), ref.predict(x), call="net.predict(x)", inputs={"x": x})


@pytest.mark.item(MLN)
@pytest.mark.points(2)
def test_loss_with_labels(student, reference, rng):
    """loss(x, t) with class labels t is the softmax cross-entropy of predict(x)"""
    mine, ref, _ = nets(student, reference, rng, MLN, DEEP)
    x, t = batch(rng, DEEP)
    assert_close(mine.loss(x, t), ref.loss(x, t), call="net.loss(x, t)", inputs={"x": x, "t": t},
                 rtol=tol.LOSS_RTOL)


@pytest.mark.item(MLN)
@pytest.mark.points(2)
def test_loss_with_weight_decay(student, reference, rng):
    """with weight_decay_lambda the loss adds 0.5 * lambda * sum of W**2 over every W"""
    args = (*DEEP, "relu", "relu", 0.1)
    mine, ref, values = nets(student, reference, rng, MLN, args)
    x, t = batch(rng, DEEP)
    expected = ref.loss(x, t)
    assert_close(mine.loss(x, t), expected, call="net.loss(x, t)", inputs={"x": x, "t": t},
                 rtol=tol.LOSS_RTOL, variants=weight_decay_loss_variants(expected, values, 0.1))


@pytest.mark.item(MLN)
@pytest.mark.points(3)
def test_gradient_matches_reference(student, reference, rng):
    """gradient(x, t) (backprop, weight decay lambda * W included) matches the reference for every key"""
    args = (*DEEP, "relu", "relu", 0.1)
    mine, ref, values = nets(student, reference, rng, MLN, args)
    x, t = batch(rng, DEEP)
    check_gradient_against_reference(mine, ref, x, t, values, 0.1)


@pytest.mark.item(MLN)
@pytest.mark.points(3)
def test_gradient_matches_own_loss(student, reference, rng):
    """gradient(x, t) is the gradient of your own loss(x, t), weight decay included (checked numerically)"""
    args = (*SMALL, "sigmoid", "sigmoid", 0.1)
    mine, ref, _ = nets(student, reference, rng, MLN, args)
    x, t = batch(rng, SMALL)
    check_gradient_against_own_loss(mine, ref, x, t, _shapes(SMALL))


@pytest.mark.item(MLN)
@pytest.mark.points(2)
def test_numerical_gradient_method(student, reference, rng):
    """numerical_gradient(x, t) matches the reference's for every key"""
    # Without weight decay: the decay term is the loss tests' business, charged there.
    args = (*SMALL, "sigmoid", "sigmoid")
    mine, ref, _ = nets(student, reference, rng, MLN, args)
    x, t = batch(rng, SMALL)
    expected = ref.numerical_gradient(x, t)
    grads = assert_keys(mine.numerical_gradient(x, t), expected,
                        call="net.numerical_gradient(x, t)")
    for key in expected:
        assert_grad_close(grads[key], expected[key], call=f"net.numerical_gradient(x, t)['{key}']",
                          inputs={"x": x, "t": t}, threshold=tol.NUMERICAL_GRAD_REL_TOL)


@pytest.mark.item(MLN)
def test_accuracy_with_labels(student, reference, rng):
    """accuracy(x, t) is the share of samples whose highest score is the label t"""
    mine, ref, _ = nets(student, reference, rng, MLN, DEEP)
    x, _ = batch(rng, DEEP, n=8)
    right = np.argmax(ref.predict(x), axis=1)
    # Half right, half wrong: 0.5 is the answer, so neither extreme passes by accident.
    t = np.where(np.arange(8) % 2 == 0, right, (right + 1) % DEEP[2])
    assert_close(mine.accuracy(x, t), ref.accuracy(x, t), call="net.accuracy(x, t)",
                 inputs={"x": x, "t": t}, variants=accuracy_variants(ref.predict(x), t))


@pytest.mark.item(MLN)
@pytest.mark.points(3)
def test_learns_digits(student):
    """MultiLayerNet(64, [40], 10) learns handwritten digits when trained with its own gradient()"""
    check_learns(student, MLN, (64, [40], 10))


# --- MultiLayerNetExtend -----------------------------------------------------------------

def _extend_args(sizes, activation="relu", lam=0.0, dropout=False, ratio=0.5, batchnorm=False):
    return (*sizes, activation, activation, lam, dropout, ratio, batchnorm)


@pytest.mark.item(EXT)
@pytest.mark.points(2)
def test_extend_batchnorm_params(student):
    """use_batchnorm=True adds gamma1, beta1, ... (ones and zeros) for every hidden layer"""
    seed_numpy(student, 0)
    args = _extend_args(DEEP, batchnorm=True)
    shapes = _shapes(DEEP, batchnorm=True)
    params = assert_keys(student.MultiLayerNetExtend(*args).params, shapes,
                         call=f"{_made(EXT, args)}.params")
    for key, shape in shapes.items():
        assert_shape(params[key], shape, call=f"{_made(EXT, args)}.params['{key}']")
        if key.startswith(("gamma", "beta")):
            start = np.ones(shape) if key.startswith("gamma") else np.zeros(shape)
            assert_close(params[key], start, call=f"{_made(EXT, args)}.params['{key}']")


@pytest.mark.item(EXT)
@pytest.mark.points(2)
def test_extend_train_mode_predict(student, reference, rng):
    """predict(x, train_flg=True) with batch norm normalises each hidden layer with the batch's statistics"""
    args = _extend_args(DEEP, batchnorm=True)
    mine, ref, _ = nets(student, reference, rng, EXT, args, batchnorm=True)
    x, _ = batch(rng, DEEP)
    expected = ref.predict(x, True)
    assert_close(mine.predict(x, True), expected, call="net.predict(x, True)", inputs={"x": x},
                 atol=_forgiven(expected, BN_SHARE))


@pytest.mark.item(EXT)
@pytest.mark.points(2)
def test_extend_test_mode_after_training(student, reference, rng):
    """after training-mode passes, predict(x) (test mode) uses the running statistics batch norm kept"""
    args = _extend_args(DEEP, batchnorm=True)
    mine, ref, _ = nets(student, reference, rng, EXT, args, batchnorm=True)
    for _ in range(3):
        x, _ = batch(rng, DEEP, n=8)
        mine.predict(x, True)
        ref.predict(x, True)
    x, _ = batch(rng, DEEP)
    expected = ref.predict(x)
    assert_close(mine.predict(x), expected,
                 call="net.predict(x) after three net.predict(x_i, True)", inputs={"x": x},
                 atol=_forgiven(expected, BN_SHARE))


@pytest.mark.item(EXT)
@pytest.mark.points(2)
def test_extend_loss_with_batchnorm_and_decay(student, reference, rng):
    """loss(x, t, train_flg=True) with batch norm and weight decay (on the W's only) matches the reference"""
    args = _extend_args(DEEP, lam=0.1, batchnorm=True)
    mine, ref, values = nets(student, reference, rng, EXT, args, batchnorm=True)
    x, t = batch(rng, DEEP)
    expected = ref.loss(x, t, True)
    assert_close(mine.loss(x, t, True), expected, call="net.loss(x, t, True)",
                 inputs={"x": x, "t": t}, rtol=BN_LOSS_RTOL,
                 variants=weight_decay_loss_variants(expected, values, 0.1))


@pytest.mark.item(EXT)
@pytest.mark.points(3)
def test_extend_gradient_matches_reference(student, reference, rng):
    """gradient(x, t) with batch norm and weight decay matches the reference, gamma and beta included"""
    args = _extend_args(DEEP, lam=0.05, batchnorm=True)
    mine, ref, values = nets(student, reference, rng, EXT, args, batchnorm=True)
    x, t = batch(rng, DEEP)
    check_gradient_against_reference(mine, ref, x, t, values, 0.05, share=BN_SHARE)


@pytest.mark.item(EXT)
@pytest.mark.points(3)
def test_extend_gradient_matches_own_loss(student, reference, rng):
    """with batch norm, gradient(x, t) is the gradient of your own loss(x, t, True) (checked numerically)"""
    args = _extend_args(SMALL, activation="sigmoid", lam=0.05, batchnorm=True)
    mine, ref, _ = nets(student, reference, rng, EXT, args, batchnorm=True)
    x, t = batch(rng, SMALL)
    check_gradient_against_own_loss(mine, ref, x, t, _shapes(SMALL, batchnorm=True), True)


@pytest.mark.item(EXT)
@pytest.mark.points(3)
def test_extend_dropout_test_mode(student, reference, rng):
    """with use_dropout, test-mode predict(x) scales each hidden output by 1 - dropout_ration"""
    args = _extend_args(DEEP, dropout=True, ratio=0.3)
    mine, ref, values = nets(student, reference, rng, EXT, args)
    # Inverted dropout scales in training instead: its test mode is the net without dropout.
    inverted = reference.MultiLayerNetExtend(*_extend_args(DEEP))
    for key, value in values.items():
        inverted.params[key][...] = value
    x, _ = batch(rng, DEEP)
    got = mine.predict(x)
    expected = inverted.predict(x) if _agrees(got, inverted.predict(x)) else ref.predict(x)
    assert_close(got, expected, call="net.predict(x)", inputs={"x": x})


@pytest.mark.item(EXT)
@pytest.mark.points(3)
def test_extend_learns_digits(student):
    """MultiLayerNetExtend(64, [40], 10) with batch norm and dropout (0.2) learns handwritten digits"""
    check_learns(student, EXT,
                 _extend_args((64, [40], 10), dropout=True, ratio=0.2, batchnorm=True))
