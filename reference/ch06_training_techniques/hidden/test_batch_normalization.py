"""BatchNormalization (section 6.3): BatchNormalization(gamma, beta, momentum=0.9,
running_mean=None, running_var=None), forward(x, train_flg=True), backward(dout).

A batch (N, D) first, as the chapter's networks use it; 4-D input (flattened to
(N, C*H*W), as the book does) has its own test. A single 1-D sample has no batch
statistics, so it is not asked for.
"""

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import assert_close, assert_grad_close
from autograder.grading.gradcheck import assert_own_grad_close, numerical_grad_of
from reference.ch06_training_techniques.hints import (batchnorm_backward_variants,
                                                      batchnorm_forward_variants,
                                                      batchnorm_running_variants)

pytestmark = pytest.mark.item("BatchNormalization")

# The book's epsilon is 10e-7 (= 1e-6); notebooks also write 1e-7, torch's 1e-5, or put
# it outside the square root. Any of these (0 too) moves an entry of the output, dx,
# dgamma or dbeta by < 1e-4 of that array's largest entry (worst 4.5e-5 over 200 random
# layers like these), where an entrywise relative bound would trip on entries near 0;
# every classic miss is off by more than 1e-1 of it. Comparisons with the reference
# therefore forgive differences below BN_SHARE of the array's largest entry.
BN_SHARE = 1e-3


def _forgiven(expected) -> float:
    return BN_SHARE * float(np.max(np.abs(expected)))


def check_values(got, expected, *, call, inputs, variants=None):
    assert_close(got, expected, call=call, inputs=inputs, atol=_forgiven(expected),
                 variants=variants)


def check_grad(got, expected, *, call, inputs, variants=None):
    assert_grad_close(got, expected, call=call, inputs=inputs, atol=_forgiven(expected),
                      threshold=tol.NUMERICAL_GRAD_REL_TOL, variants=variants)


def _layer_inputs(rng, d=4):
    gamma = rng.uniform(0.5, 2.0, d) * rng.choice([-1.0, 1.0], d)
    beta = rng.normal(size=d)
    return gamma, beta


def _batch(rng, shape):
    # Column scales between 1 and 3, means away from zero.
    return rng.uniform(1.0, 3.0, shape[1:]) * rng.normal(size=shape) + rng.normal(size=shape[1:])


@pytest.mark.points(3)
def test_train_forward(student, reference, rng):
    """forward(x) in training normalises each column of a batch by its mean and variance, then gamma * x_hat + beta"""
    gamma, beta = _layer_inputs(rng)
    x = _batch(rng, (6, 4))
    expected = reference.BatchNormalization(gamma, beta).forward(x)
    got = student.BatchNormalization(gamma, beta).forward(x)
    check_values(got, expected, call="BatchNormalization(gamma, beta).forward(x)",
                 inputs={"x": x, "gamma": gamma, "beta": beta},
                 variants=batchnorm_forward_variants(gamma, beta, x))


def test_constant_column_stays_finite(student, reference, rng):
    """a column that is the same in every sample has variance 0: the output there is beta, not nan"""
    gamma, beta = _layer_inputs(rng, d=3)
    x = _batch(rng, (5, 3))
    x[:, 1] = 0.7
    expected = reference.BatchNormalization(gamma, beta).forward(x)
    got = student.BatchNormalization(gamma, beta).forward(x)
    check_values(got, expected, call="BatchNormalization(gamma, beta).forward(x)",
                 inputs={"x": x}, variants=batchnorm_forward_variants(gamma, beta, x))


@pytest.mark.points(2)
def test_running_statistics(student, reference, rng):
    """two training forwards update running_mean and running_var by momentum * running + (1 - momentum) * batch"""
    gamma, beta = _layer_inputs(rng)
    batches = [_batch(rng, (6, 4)) for _ in range(2)]
    mine, ref = student.BatchNormalization(gamma, beta), reference.BatchNormalization(gamma, beta)
    for x in batches:
        mine.forward(x)
        ref.forward(x)
    variants = batchnorm_running_variants(batches)
    for name, key in (("running_mean", "mean"), ("running_var", "var")):
        assert_close(getattr(mine, name), getattr(ref, name),
                     call=f"bn.{name} after bn.forward(x1) and bn.forward(x2)",
                     inputs={"x1": batches[0], "x2": batches[1]}, variants=variants[key])


@pytest.mark.points(2)
def test_test_mode_uses_running_statistics(student, reference, rng):
    """forward(x, train_flg=False) normalises with running_mean and running_var, not the batch's"""
    gamma, beta = _layer_inputs(rng)
    running_mean, running_var = rng.normal(size=4), rng.uniform(1.0, 2.0, 4)
    x = _batch(rng, (6, 4))
    expected = reference.BatchNormalization(gamma, beta, 0.9, running_mean, running_var) \
        .forward(x, False)
    got = student.BatchNormalization(gamma, beta, 0.9, running_mean, running_var).forward(x, False)
    batch_statistics = reference.BatchNormalization(gamma, beta).forward(x)
    check_values(got, expected,
                 call="BatchNormalization(gamma, beta, 0.9, running_mean, running_var)"
                      ".forward(x, False)",
                 inputs={"x": x, "running_mean": running_mean, "running_var": running_var},
                 variants={"batchnorm_test_uses_batch": batch_statistics})


def _backward_case(rng, shape=(5, 3)):
    d = int(np.prod(shape[1:]))
    gamma, beta = _layer_inputs(rng, d=d)
    return gamma, beta, _batch(rng, shape), rng.normal(size=shape)


@pytest.mark.points(3)
def test_backward_matches_reference(student, reference, rng):
    """backward(dout) after a training forward matches the reference's dx (through the mean and the variance)"""
    gamma, beta, x, dout = _backward_case(rng)
    ref = reference.BatchNormalization(gamma, beta)
    ref.forward(x)
    mine = student.BatchNormalization(gamma, beta)
    mine.forward(x)
    check_grad(mine.backward(dout), ref.backward(dout), call="bn.backward(dout)",
               inputs={"x": x, "dout": dout},
               variants=batchnorm_backward_variants(gamma, x, dout)["dx"])


@pytest.mark.points(3)
def test_backward_matches_own_forward(student, reference, rng):
    """backward(dout) is the gradient of your own training forward (checked numerically), a forward that normalises (not a constant or x itself)"""
    gamma, beta, x, dout = _backward_case(rng)
    mine = student.BatchNormalization(gamma, beta)
    numerical = numerical_grad_of(mine.forward, x, dout)
    mine.forward(x)
    ref = reference.BatchNormalization(gamma, beta)
    ref.forward(x)
    assert_own_grad_close(mine.backward(dout), numerical, ref.backward(dout), call="bn.backward(dout)",
                          dout=dout, inputs={"x": x, "dout": dout},
                          threshold=tol.NUMERICAL_GRAD_REL_TOL,
                          variants=batchnorm_backward_variants(gamma, x, dout)["dx"])


@pytest.mark.points(2)
def test_dgamma_dbeta_match_reference(student, reference, rng):
    """backward stores dgamma = sum(dout * x_hat) and dbeta = sum(dout) over the batch axis"""
    gamma, beta, x, dout = _backward_case(rng)
    ref = reference.BatchNormalization(gamma, beta)
    ref.forward(x)
    ref.backward(dout)
    mine = student.BatchNormalization(gamma, beta)
    mine.forward(x)
    mine.backward(dout)
    variants = batchnorm_backward_variants(gamma, x, dout)
    for name in ("dgamma", "dbeta"):
        check_grad(getattr(mine, name), getattr(ref, name),
                   call=f"bn.{name} after bn.backward(dout)", inputs={"x": x, "dout": dout},
                   variants=variants[name])


@pytest.mark.points(2)
def test_dgamma_dbeta_match_own_forward(student, reference, rng):
    """dgamma and dbeta are the gradients of your own forward with respect to gamma and beta"""
    gamma, beta, x, dout = _backward_case(rng)
    numerical = {
        "dgamma": numerical_grad_of(lambda g: student.BatchNormalization(g, beta).forward(x),
                                    gamma, dout),
        "dbeta": numerical_grad_of(lambda b: student.BatchNormalization(gamma, b).forward(x),
                                   beta, dout),
    }
    mine = student.BatchNormalization(gamma, beta)
    mine.forward(x)
    mine.backward(dout)
    ref = reference.BatchNormalization(gamma, beta)
    ref.forward(x)
    ref.backward(dout)
    variants = batchnorm_backward_variants(gamma, x, dout)
    for name, expected in numerical.items():
        assert_own_grad_close(getattr(mine, name), expected, getattr(ref, name),
                              call=f"bn.{name} after bn.backward(dout)", dout=dout,
                              inputs={"x": x, "dout": dout}, threshold=tol.NUMERICAL_GRAD_REL_TOL,
                              variants=variants[name])


@pytest.mark.points(2)
def test_four_dimensional_input(student, reference, rng):
    """a conv batch (N, C, H, W) is normalised like its (N, C*H*W) flattening, forward and backward"""
    gamma, beta, x, dout = _backward_case(rng, shape=(4, 2, 2, 2))
    ref = reference.BatchNormalization(gamma, beta)
    mine = student.BatchNormalization(gamma, beta)
    check_values(mine.forward(x), ref.forward(x), call="BatchNormalization(gamma, beta).forward(x)",
                 inputs={"x": x, "gamma": gamma})
    check_grad(mine.backward(dout), ref.backward(dout), call="bn.backward(dout)",
               inputs={"x": x, "dout": dout})


def test_inputs_left_unchanged(student, rng):
    """forward and backward leave x, dout, gamma and beta as they were"""
    gamma, beta, x, dout = _backward_case(rng)
    given = {"x": x.copy(), "dout": dout.copy()}
    bn = student.inplace.BatchNormalization(gamma.copy(), beta.copy())
    bn.forward(given["x"])
    bn.backward(given["dout"])
    for name, before in (("x", x), ("dout", dout)):
        assert_close(given[name], before, call=f"{name} after bn.forward(x) and bn.backward(dout)",
                     inputs={name: before})
    for name, before in (("gamma", gamma), ("beta", beta)):
        assert_close(getattr(bn, name), before, call=f"bn.{name} after forward and backward",
                     inputs={name: before})
