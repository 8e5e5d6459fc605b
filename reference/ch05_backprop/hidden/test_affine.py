"""Affine: x @ W + b, backward dx = dout @ W.T, dW = x.T @ dout, db = sum of dout over the
batch (sections 5.6.1-5.6.2); input of any rank is flattened to (N, -1), and dx takes x's
shape back (the book's tensor-ready layer, needed for chapter 7's convolution features).

A batch (N, D) is the chapter's own use and is tested first; only the N-D test needs the
flattening, so a layer written for 2-D input loses that test alone.
"""

import numpy as np
import pytest

from autograder.feedback import msg
from autograder.grading import tolerances as tol
from autograder.grading.checks import CheckFailed, assert_close, assert_grad_close, assert_restored
from autograder.grading.gradcheck import assert_own_grad_close, numerical_grad_of
from reference.ch05_backprop.hints import affine_db_variants, affine_dW_variants, affine_dx_variants

pytestmark = pytest.mark.item("Affine")

N_OUT = 3


def _setup(student, reference, rng, x_shape):
    """A student layer and a reference layer with the same W and b, and an input x."""
    x = rng.normal(size=x_shape)
    W, b = rng.normal(size=(int(np.prod(x_shape[1:])), N_OUT)), rng.normal(size=N_OUT)
    # Constructed with the book's positional arguments: students rename the parameters.
    return student.Affine(W, b), reference.Affine(W.copy(), b.copy()), x, W, b


def _forward_backward(layer, ref, x, rng):
    out = layer.forward(x)
    expected = ref.forward(x)
    dout = rng.normal(size=expected.shape)
    return out, expected, dout, layer.backward(dout), ref.backward(dout)


@pytest.mark.points(3)
def test_forward_batch(student, reference, rng):
    """forward(x) is x @ W + b for a batch x (N, D)"""
    layer, ref, x, W, b = _setup(student, reference, rng, (5, 4))
    assert_close(layer.forward(x), ref.forward(x), call="Affine(W, b).forward(x)",
                 inputs={"x": x, "W": W, "b": b})


@pytest.mark.points(1)
def test_forward_leaves_input_unchanged(student, rng):
    """forward leaves x as it was"""
    x, W, b = rng.normal(size=(5, 4)), rng.normal(size=(4, N_OUT)), rng.normal(size=N_OUT)
    before = x.copy()
    student.inplace.Affine(W, b).forward(x)
    try:
        assert_restored(before, x, call="Affine(W, b).forward(x)")
    except CheckFailed as failed:
        raise CheckFailed(failed.feedback, msg("hint.backprop_layer_input_changed")) from None


@pytest.mark.points(2)
def test_backward_dx(student, reference, rng):
    """backward(dout) returns dx = dout @ W.T, shaped like x"""
    layer, ref, x, W, _ = _setup(student, reference, rng, (5, 4))
    _, _, dout, dx, ref_dx = _forward_backward(layer, ref, x, rng)
    assert_grad_close(dx, ref_dx, call="layer.backward(dout)", inputs={"x": x, "W": W, "dout": dout},
                      variants=affine_dx_variants(x, W, dout))


@pytest.mark.points(3)
def test_backward_dW_db(student, reference, rng):
    """backward(dout) stores dW = x.T @ dout (shaped like W) and db = dout summed over the batch (shaped like b)"""
    layer, ref, x, W, _ = _setup(student, reference, rng, (5, 4))
    _, _, dout, _, _ = _forward_backward(layer, ref, x, rng)
    inputs = {"x": x, "dout": dout}
    assert_grad_close(layer.dW, ref.dW, call="layer.dW after layer.backward(dout)", inputs=inputs,
                      variants=affine_dW_variants(x, dout))
    assert_grad_close(layer.db, ref.db, call="layer.db after layer.backward(dout)", inputs=inputs,
                      variants=affine_db_variants(dout))


@pytest.mark.points(3)
def test_backward_matches_own_forward(student, reference, rng):
    """dx, dW and db agree with the numerical gradient of your own forward, which depends on x, W and b as the layer does"""
    x = rng.normal(size=(3, 4))
    W, b, dout = rng.normal(size=(4, 2)), rng.normal(size=2), rng.normal(size=(3, 2))
    layer = student.Affine(W, b)
    layer.forward(x)
    dx = layer.backward(dout)
    probe = student.Affine(W, b)
    ref = reference.Affine(W.copy(), b.copy())
    ref.forward(x)
    expected = {"dx": ref.backward(dout), "dW": ref.dW, "db": ref.db}
    inputs = {"x": x, "W": W, "b": b, "dout": dout}
    numerical = {
        "dx": numerical_grad_of(probe.forward, x, dout),
        # A fresh layer per probe of W or b: the layer keeps the arrays it was given.
        "dW": numerical_grad_of(lambda v: student.Affine(v, b).forward(x), W, dout),
        "db": numerical_grad_of(lambda v: student.Affine(W, v).forward(x), b, dout),
    }
    # The classic misses, as the book's forward would see them (they name a wrong
    # backward whenever your forward is x @ W + b).
    variants = {"dx": affine_dx_variants(x, W, dout), "dW": affine_dW_variants(x, dout),
                "db": affine_db_variants(dout)}
    for name, analytic in (("dx", dx), ("dW", layer.dW), ("db", layer.db)):
        what = "layer.backward(dout)" if name == "dx" else f"layer.{name}"
        assert_own_grad_close(analytic, numerical[name], expected[name],
                              call=f"{what} vs numerical d forward / d{name[1:]}", dout=dout,
                              inputs=inputs, threshold=tol.NUMERICAL_GRAD_REL_TOL,
                              variants=variants[name])


@pytest.mark.points(2)
def test_input_of_any_shape(student, reference, rng):
    """an input (N, C, H, W) is flattened to (N, C*H*W): forward, dW and db as for 2-D, and dx has x's shape"""
    layer, ref, x, W, _ = _setup(student, reference, rng, (3, 2, 2, 2))
    out, expected, dout, dx, ref_dx = _forward_backward(layer, ref, x, rng)
    inputs = {"x": x, "W": W}
    assert_close(out, expected, call="layer.forward(x)", inputs=inputs)
    inputs["dout"] = dout
    assert_grad_close(dx, ref_dx, call="layer.backward(dout)", inputs=inputs,
                      variants=affine_dx_variants(x, W, dout))
    assert_grad_close(layer.dW, ref.dW, call="layer.dW after layer.backward(dout)", inputs=inputs,
                      variants=affine_dW_variants(x, dout))
    assert_grad_close(layer.db, ref.db, call="layer.db after layer.backward(dout)", inputs=inputs,
                      variants=affine_db_variants(dout))


@pytest.mark.points(1)
def test_backward_uses_last_forward(student, reference, rng):
    """after two forward calls, dW comes from the second call's x"""
    layer, ref, x1, W, _ = _setup(student, reference, rng, (5, 4))
    x2 = rng.normal(size=x1.shape)
    layer.forward(x1)
    layer.forward(x2)
    dout = rng.normal(size=(5, N_OUT))
    layer.backward(dout)
    ref.forward(x2)
    ref.backward(dout)
    assert_grad_close(layer.dW, ref.dW, call="layer.dW after layer.backward(dout)",
                      inputs={"x (1st call)": x1, "x (2nd call)": x2, "dout": dout},
                      variants={**affine_dW_variants(x2, dout), "affine_stale_input": x1.T @ dout})
