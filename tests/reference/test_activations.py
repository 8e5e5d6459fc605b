import warnings

import numpy as np
import pytest
import torch

from reference.ch03_neural_networks.activations import identity_function, relu, sigmoid, softmax, step_function


def test_step_function_scalar_and_array():
    assert step_function(3.0) == 1
    assert step_function(-0.5) == 0
    assert step_function(0.0) == 0  # the book fires strictly above 0
    out = step_function(np.array([-1.0, 1.0, 2.0]))
    np.testing.assert_array_equal(out, [0, 1, 1])
    assert np.issubdtype(out.dtype, np.integer)


def test_sigmoid_matches_formula_and_book_values(rng):
    x = rng.normal(scale=5, size=50)
    np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-14)
    np.testing.assert_allclose(
        sigmoid(np.array([-1.0, 1.0, 2.0])), [0.26894142, 0.73105858, 0.88079708], atol=1e-8
    )


def test_sigmoid_large_magnitude_has_no_overflow_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            out = sigmoid(np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out[[0, 2, 4]], [0.0, 0.5, 1.0])


def test_relu_and_identity():
    x = np.array([-2.0, 0.0, 3.5])
    np.testing.assert_array_equal(relu(x), [0.0, 0.0, 3.5])
    assert identity_function(x) is x


def test_softmax_book_value():
    np.testing.assert_allclose(
        softmax(np.array([0.3, 2.9, 4.0])), [0.01821127, 0.24519181, 0.73659691], atol=1e-8
    )


def test_softmax_large_inputs_do_not_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise"):
            y = softmax(np.array([1010.0, 1000.0, 990.0]))
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y, [9.99954600e-01, 4.53978686e-05, 2.06106005e-09], rtol=1e-7)


def test_softmax_is_stable_for_a_wide_spread_not_only_large_values():
    # Subtracting the minimum (a classic slip) survives [1010, 1000, 990] but overflows here.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise"):
            y = softmax(np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, 1000.0]]))
    np.testing.assert_allclose(y, [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], atol=1e-300)


def test_softmax_batched_is_rowwise_along_last_axis(rng):
    x = rng.normal(size=(2, 4, 5)) * 10
    y = softmax(x)
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-14)
    for i in range(2):
        for j in range(4):
            np.testing.assert_allclose(y[i, j], softmax(x[i, j]), rtol=1e-14)


@pytest.mark.torch
@pytest.mark.parametrize("shape", [(7,), (6, 5)])
def test_softmax_matches_torch(rng, shape):
    x = rng.normal(scale=3, size=shape)
    expected = torch.softmax(torch.from_numpy(x), dim=-1).numpy()
    np.testing.assert_allclose(softmax(x), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.torch
def test_sigmoid_matches_torch(rng):
    x = rng.normal(scale=10, size=(4, 6))
    np.testing.assert_allclose(sigmoid(x), torch.sigmoid(torch.from_numpy(x)).numpy(), rtol=1e-13)
