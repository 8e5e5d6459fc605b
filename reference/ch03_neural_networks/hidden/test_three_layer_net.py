"""The three-layer network of sections 3.4.3 and 3.6: init_network, forward, predict, accuracy."""

import numpy as np
import pytest

from autograder.grading.checks import assert_close, assert_keys, assert_shape
from autograder.grading.own import Helper, assert_reference_or_own
from autograder.sandbox.errors import StudentRaised
from reference.ch03_neural_networks.own_helpers import sigmoid_helper, softmax_helper
from reference.ch03_neural_networks.hints import accuracy_variants

BOOK_SHAPES = {"W1": (2, 3), "b1": (3,), "W2": (3, 2), "b2": (2,), "W3": (2, 2), "b3": (2,)}


def _random_network(rng, sizes):
    network = {}
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]), start=1):
        network[f"W{i}"] = rng.normal(size=(n_in, n_out))
        network[f"b{i}"] = rng.normal(size=n_out)
    return network


def _call(fn, network, *args):
    """fn(network, *args). Some notebooks spell the biases B1, B2, B3 in their own
    init_network and forward; init_network's tests charge that spelling once, so a forward
    that asks for 'B1' gets the same network again with the biases under both spellings."""
    try:
        return fn(network, *args)
    except StudentRaised as error:
        if error.exc_type != "KeyError" or "'B" not in error.message:
            raise
    capital = {key.upper(): value for key, value in network.items() if key.startswith("b")}
    return fn({**network, **capital}, *args)


def _own_scores(student, network, x):
    """The last layer's input a3, through the student's own sigmoid (judged by its own tests)."""
    z = x
    for i in (1, 2):
        z = np.asarray(student.sigmoid(np.dot(z, network[f"W{i}"]) + network[f"b{i}"]), dtype=np.float64)
    return np.dot(z, network["W3"]) + network["b3"]


def _check_forward(student, reference, network, x):
    def again(rng):
        x2 = rng.normal(size=np.shape(x))
        return lambda: _own_scores(student, network, x2), lambda: _call(student.forward, network, x2)

    assert_reference_or_own(assert_close, _call(student.forward, network, x),
                            reference.forward(network, x),
                            lambda: _own_scores(student, network, x),
                            helpers=(sigmoid_helper(student, reference.forward(network, x), graded=True),),
                            again=again,
                            call="forward(network, x)", inputs={"x": x})


def _check_predict(student, reference, network, x):
    # Or the student's own softmax of the student's own sigmoid layers: those two are
    # chapter 3 items with tests of their own.
    scores = reference.forward(network, x)

    def again(rng):
        x2 = rng.normal(size=np.shape(x))
        return (lambda: student.softmax(_own_scores(student, network, x2)),
                lambda: _call(student.predict, network, x2))

    assert_reference_or_own(assert_close, _call(student.predict, network, x),
                            reference.predict(network, x),
                            lambda: student.softmax(_own_scores(student, network, x)),
                            helpers=(sigmoid_helper(student, scores, graded=True),
                                     softmax_helper(student, scores, graded=True)), again=again,
                            call="predict(network, x)", inputs={"x": x})


def _check_accuracy(student, reference, network, x, t, **check):
    def own(x, t):
        # The share of the student's own predict(network, x) whose argmax is t: predict
        # has tests of its own.
        def share():
            scores = np.asarray(_call(student.predict, network, x), dtype=np.float64)
            return float(np.mean(np.argmax(scores, axis=1) == t))
        return share

    def again(rng):
        x2 = rng.normal(size=x.shape)
        t2 = rng.integers(network["b3"].shape[0], size=len(x2))
        return own(x2, t2), lambda: _call(student.accuracy, network, x2, t2)

    # predict is this chapter's item: a network-level helper, drawn on inputs of its own.
    predict = Helper(lambda x: _call(student.predict, network, x),
                     lambda x: reference.predict(network, x),
                     lambda rng: (rng.normal(size=x.shape),))
    assert_reference_or_own(assert_close, _call(student.accuracy, network, x, t),
                            reference.accuracy(network, x, t), own(x, t), helpers=(predict,),
                            again=again, call="accuracy(network, x, t)", inputs={"x": x, "t": t},
                            **check)


@pytest.mark.item("init_network")
@pytest.mark.points(2)
def test_init_network_keys_and_shapes(student):
    """init_network returns a dict with W1, b1, W2, b2, W3, b3 of the book's shapes"""
    network = assert_keys(student.init_network(), BOOK_SHAPES, call="init_network()")
    for key, shape in BOOK_SHAPES.items():
        assert_shape(network[key], shape, call=f"init_network()['{key}']")


@pytest.mark.item("init_network")
@pytest.mark.points(2)
def test_init_network_book_values(student, reference):
    """init_network holds the book's weights (W1 = [[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]], ...)"""
    network = assert_keys(student.init_network(), BOOK_SHAPES, call="init_network()")
    for key, value in reference.init_network().items():
        assert_close(network[key], value, call=f"init_network()['{key}']")


@pytest.mark.item("forward")
@pytest.mark.points(3)
def test_forward_book_example(student, reference):
    """forward(network, [1.0, 0.5]) gives the book's [0.3168, 0.6963] (or the same layers with your own sigmoid)"""
    _check_forward(student, reference, reference.init_network(), np.array([1.0, 0.5]))


@pytest.mark.item("forward")
@pytest.mark.points(3)
def test_forward_batch(student, reference, rng):
    """forward works on a batch of inputs (N, 2) with any weights in the dict"""
    network, x = _random_network(rng, [2, 3, 2, 2]), rng.normal(size=(5, 2))
    _check_forward(student, reference, network, x)


@pytest.mark.item("predict")
@pytest.mark.points(2)
def test_predict_one_sample(student, reference, rng):
    """predict(network, x) for one sample ends with softmax: probabilities over classes"""
    network, x = _random_network(rng, [4, 5, 6, 3]), rng.normal(size=4)
    _check_predict(student, reference, network, x)


@pytest.mark.item("predict")
@pytest.mark.points(3)
def test_predict_batch(student, reference, rng):
    """predict on a batch (N, D) gives one row of probabilities per sample"""
    network, x = _random_network(rng, [4, 5, 6, 3]), rng.normal(size=(7, 4))
    _check_predict(student, reference, network, x)


@pytest.mark.item("accuracy")
@pytest.mark.points(3)
def test_accuracy_with_labels(student, reference, rng):
    """accuracy(network, x, t) is the fraction of samples whose argmax equals the label t"""
    network, x = _random_network(rng, [4, 5, 6, 3]), rng.normal(size=(8, 4))
    right = np.argmax(reference.predict(network, x), axis=1)
    # Half the labels agree with the network and half do not, so 0.5 is the answer,
    # and neither "all right" nor "all wrong" can pass by accident.
    t = np.where(np.arange(8) % 2 == 0, right, (right + 1) % 3)
    _check_accuracy(student, reference, network, x, t,
                    variants=accuracy_variants(reference.predict(network, x), t))


@pytest.mark.item("accuracy")
@pytest.mark.points(2)
def test_accuracy_all_correct(student, reference, rng):
    """accuracy is 1.0 when every label matches the network's prediction"""
    network, x = _random_network(rng, [4, 5, 6, 3]), rng.normal(size=(6, 4))
    t = np.argmax(reference.predict(network, x), axis=1)
    _check_accuracy(student, reference, network, x, t)
