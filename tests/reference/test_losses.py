import numpy as np
import pytest
import torch

from reference.ch04_training import losses
from reference.ch04_training.losses import cross_entropy_error, mean_squared_error, sum_squared_error

# The book's example (section 4.2): the net is most confident in class 2, the answer.
Y_GOOD = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
# ...and one that is most confident in class 7, a wrong answer.
Y_BAD = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])
T = np.eye(10)[2]


def test_mse_book_values():
    assert mean_squared_error(Y_GOOD, T) == pytest.approx(0.0975, rel=1e-12)
    assert mean_squared_error(Y_BAD, T) == pytest.approx(0.5975, rel=1e-12)


def test_sum_squared_error_is_the_same_function():
    assert sum_squared_error is mean_squared_error


def test_cee_book_values_one_hot_and_label():
    assert cross_entropy_error(Y_GOOD, T) == pytest.approx(0.510825457099338, rel=1e-12)
    assert cross_entropy_error(Y_GOOD, 2) == pytest.approx(0.510825457099338, rel=1e-12)
    assert cross_entropy_error(Y_BAD, T) == pytest.approx(2.302584092994546, rel=1e-12)


def test_cee_zero_probability_is_finite():
    # y[answer] == 0: only the delta inside the log keeps this finite (-log 1e-7).
    assert cross_entropy_error(Y_GOOD, 3) == pytest.approx(-np.log(losses.DELTA), rel=1e-12)


def test_cee_batch_is_the_mean_of_samples(rng):
    y = rng.dirichlet(np.ones(5), size=8)
    t = rng.integers(0, 5, size=8)
    per_sample = [cross_entropy_error(y[i], t[i]) for i in range(8)]
    assert cross_entropy_error(y, t) == pytest.approx(np.mean(per_sample), rel=1e-12)
    assert cross_entropy_error(y, np.eye(5)[t]) == pytest.approx(np.mean(per_sample), rel=1e-12)


def _torch_cee(y, t):
    """Same definition through torch ops: -mean(log(y + 1e-7)[answer])."""
    y = torch.from_numpy(np.atleast_2d(y))
    t = torch.as_tensor(np.atleast_1d(t))
    picked = torch.log(y + 1e-7).gather(1, t.reshape(-1, 1))
    return float(-picked.mean())


@pytest.mark.torch
@pytest.mark.parametrize("n", [None, 1, 9])
@pytest.mark.parametrize("one_hot", [False, True])
def test_cee_matches_torch(rng, n, one_hot):
    size = () if n is None else (n,)
    y = rng.dirichlet(np.ones(6), size=size)
    t = rng.integers(0, 6, size=size)
    t_in = np.eye(6)[t] if one_hot else t
    assert cross_entropy_error(y, t_in) == pytest.approx(_torch_cee(y, t), rel=1e-13)
