"""The initial weight scales of section 6.2.2, where the book computes them.

The book has no he_std or xavier_std function: MultiLayerNet draws each W with
np.sqrt(2 / n) (weight_init_std='relu' or 'he') or np.sqrt(1 / n) ('sigmoid' or 'xavier'),
n being the previous layer's size. So both scales are graded there, the same way for every
notebook: the standard deviation of each layer's initial W, measured over 20,000 or more
draws, on layers whose fan-in and fan-out differ.
"""

import numpy as np
import pytest

from autograder.grading.checks import assert_close, assert_keys, assert_shape
from autograder.grading.resident import seed_numpy
from reference.ch06_training_techniques.hints import he_scale_variants, xavier_scale_variants

# The sample std of N >= 20,000 normal draws is within 1/sqrt(2N) = 0.5 % of the true std
# (one sigma), so 5 % is ten sigma: never a false alarm. Every classic miss is >= 18 % off.
SCALE_RTOL = 0.05

INPUT, HIDDEN, OUTPUT = 400, 100, 200
LAYERS = [(INPUT, HIDDEN), (HIDDEN, OUTPUT)]


def _near(measured, candidates):
    """Measured values never equal a variant exactly: name those within the tolerance."""
    return {hint: measured for hint, value in candidates.items()
            if abs(measured - value) <= SCALE_RTOL * value}


def check_scales(student, activation, weight_init_std, expected_std, variants_of):
    seed_numpy(student, 0)
    made = f"MultiLayerNet({INPUT}, [{HIDDEN}], {OUTPUT}, {activation!r}, {weight_init_std!r})"
    net = student.MultiLayerNet(INPUT, [HIDDEN], OUTPUT, activation, weight_init_std)
    params = assert_keys(net.params, ["W1", "W2"], call=f"{made}.params")
    for i, (n_in, n_out) in enumerate(LAYERS, start=1):
        W = params[f"W{i}"]
        assert_shape(W, (n_in, n_out), call=f"{made}.params['W{i}']")
        measured = float(np.std(np.asarray(W, dtype=np.float64)))
        assert_close(measured, expected_std(n_in), call=f"np.std({made}.params['W{i}'])",
                     inputs={"fan-in n": n_in, "fan-out": n_out}, rtol=SCALE_RTOL, atol=0.0,
                     variants=_near(measured, variants_of(n_in, n_out)))


@pytest.mark.item("he_std")
@pytest.mark.points(3)
def test_relu_draws_he_scale(student, reference):
    """weight_init_std='relu' draws each W with std sqrt(2 / n), n the previous layer's size"""
    check_scales(student, "relu", "relu", reference.he_std, he_scale_variants)


@pytest.mark.item("he_std")
def test_he_by_its_name(student, reference):
    """weight_init_std='he' means the He scale too, as in the book"""
    check_scales(student, "relu", "he", reference.he_std, he_scale_variants)


@pytest.mark.item("xavier_std")
@pytest.mark.points(3)
def test_sigmoid_draws_xavier_scale(student, reference):
    """weight_init_std='sigmoid' draws each W with std sqrt(1 / n), n the previous layer's size"""
    check_scales(student, "sigmoid", "sigmoid", reference.xavier_std, xavier_scale_variants)


@pytest.mark.item("xavier_std")
def test_xavier_by_its_name(student, reference):
    """weight_init_std='xavier' means the Xavier scale too, as in the book"""
    check_scales(student, "sigmoid", "xavier", reference.xavier_std, xavier_scale_variants)
