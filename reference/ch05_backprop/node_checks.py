"""The checks the two-input nodes of the computational graph share (MulLayer, AddLayer).

Both hidden suites ask the same three questions of `forward(x, y)` / `backward(dout)`;
only the node and its classic wrong gradients (hints.py) differ. Not part of the
chapter's reference items, so publishing never shows it.
"""

from autograder.grading import tolerances as tol
from autograder.grading.checks import assert_close, assert_grad_close, assert_true
from autograder.grading.gradcheck import assert_own_grad_close, numerical_grad_of


def two_gradients(result, call):
    """backward's result, once it is the pair (dx, dy)."""
    assert_true(isinstance(result, (tuple, list)) and len(result) == 2, call=call,
                what="returns two gradients: dx, dy", returned=result)
    return result


def check_forward(student, reference, rng, node: str) -> None:
    """forward(x, y) element by element, for 1-D arrays and for batches (N, D)."""
    for shape in [(5,), (3, 4)]:
        x, y = rng.normal(size=shape), rng.normal(size=shape)
        assert_close(getattr(student, node)().forward(x, y), getattr(reference, node)().forward(x, y),
                     call=f"{node}().forward(x, y)", inputs={"x": x, "y": y})


def check_backward_against_reference(student, reference, rng, node: str, variants_of) -> None:
    """backward(dout) after forward(x, y) equals the reference's (dx, dy)."""
    x, y, dout = (rng.normal(size=(3, 4)) for _ in range(3))
    layer, ref = getattr(student, node)(), getattr(reference, node)()
    layer.forward(x, y)
    ref.forward(x, y)
    dx, dy = two_gradients(layer.backward(dout), "layer.backward(dout)")
    ref_dx, ref_dy = ref.backward(dout)
    wrong_dx, wrong_dy = variants_of(x, y, dout)
    inputs = {"x": x, "y": y, "dout": dout}
    assert_grad_close(dx, ref_dx, call="layer.backward(dout)[0] (dx)", inputs=inputs,
                      variants=wrong_dx)
    assert_grad_close(dy, ref_dy, call="layer.backward(dout)[1] (dy)", inputs=inputs,
                      variants=wrong_dy)


def check_backward_against_own_forward(student, reference, rng, node: str, variants_of) -> None:
    """dx and dy agree with the numerical gradient of the student's own forward, and that
    forward depends on x and on y (a constant does not, nor `return x`, whose dy is zero).
    Passing dout on is not held against it: a multiply node written as x + y computes
    with both inputs, a slip its forward's test charges."""
    x, y, dout = (rng.normal(size=(2, 3)) for _ in range(3))
    layer = getattr(student, node)()
    layer.forward(x, y)
    dx, dy = two_gradients(layer.backward(dout), "layer.backward(dout)")
    probe = getattr(student, node)()
    ref = getattr(reference, node)()
    ref.forward(x, y)
    ref_dx, ref_dy = ref.backward(dout)
    inputs = {"x": x, "y": y, "dout": dout}
    wrong_dx, wrong_dy = variants_of(x, y, dout)
    assert_own_grad_close(dx, numerical_grad_of(lambda v: probe.forward(v, y), x, dout), ref_dx,
                          call="layer.backward(dout)[0] (dx) vs numerical d forward / dx",
                          dout=dout, inputs=inputs, threshold=tol.NUMERICAL_GRAD_REL_TOL,
                          passthrough_ok=True, variants=wrong_dx)
    assert_own_grad_close(dy, numerical_grad_of(lambda v: probe.forward(x, v), y, dout), ref_dy,
                          call="layer.backward(dout)[1] (dy) vs numerical d forward / dy",
                          dout=dout, inputs=inputs, threshold=tol.NUMERICAL_GRAD_REL_TOL,
                          passthrough_ok=True, variants=wrong_dy)
