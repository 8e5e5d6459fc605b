"""Do the hidden suites give the reference full marks, and fail exactly the tests a classic
bug should fail, with the hint for that bug?"""

import numpy as np
import pytest

from autograder.assignment import load_assignment
from autograder.grading.outcome import Status
from autograder.grading.runner import run_hidden_suite
from autograder.grading.student import StudentView
from autograder.messages import say

from .students import Sandboxed, define, reference_student

# The buggy students overflow and divide by zero on purpose.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

CH03 = load_assignment("ch03")
CH04 = load_assignment("ch04")


def grade(assignment, module, unavailable=None):
    return run_hidden_suite(assignment.suite_dir, StudentView(module, unavailable=unavailable),
                            reference=assignment.package)


def not_passed(outcomes):
    return {o.test_id: o for o in outcomes if o.status is not Status.PASSED}


def assert_only_these_fail_with_hint(assignment, name, source, failing, hint):
    """A classic bug in `name` fails exactly `failing`, each with that bug's hint."""
    module = reference_student(**{name: define(source, name)})
    bad = not_passed(grade(assignment, module))
    assert {i.split("::")[1] for i in bad} == failing
    for outcome in bad.values():
        assert outcome.status is Status.FAILED and outcome.item == name
        assert outcome.hint == say(f"hint.{hint}")


@pytest.mark.parametrize("assignment", [CH03, CH04], ids=["ch03", "ch04"])
def test_reference_gets_full_marks(assignment):
    outcomes = grade(assignment, reference_student())
    assert not_passed(outcomes) == {}
    assert 20 <= len(outcomes) <= 30
    total = sum(o.max_points for o in outcomes)
    assert total % 10 == 0
    # Every graded item is tested, and every test grades a declared item.
    assert {o.item for o in outcomes} == set(assignment.items)
    assert all(o.name and o.name != o.test_id.split("::")[1] for o in outcomes)


SOFTMAX_NO_MAX = """
def softmax(a):
    exp_a = np.exp(a)
    return exp_a / np.sum(exp_a, axis=-1, keepdims=True)
"""
SOFTMAX_AXIS0 = """
def softmax(a):
    exp_a = np.exp(a - np.max(a, axis=0))
    return exp_a / np.sum(exp_a, axis=0)
"""
SOFTMAX_WHOLE = """
def softmax(a):
    c = np.max(a)
    exp_a = np.exp(a - c)
    return exp_a / np.sum(exp_a)
"""
STEP_BOOL = """
def step_function(x):
    return x > 0
"""
SIGMOID_RAISES = """
def sigmoid(x):
    raise NotImplementedError("TODO")
"""


@pytest.mark.parametrize("name, source, failing, hint", [
    ("softmax", SOFTMAX_NO_MAX,
     {"test_large_values_do_not_overflow", "test_wide_spread_does_not_overflow",
      "test_batch_with_large_values"}, "softmax_overflow"),
    ("softmax", SOFTMAX_AXIS0,
     {"test_each_row_of_a_batch", "test_batch_with_large_values"}, "softmax_axis0"),
    ("softmax", SOFTMAX_WHOLE,
     {"test_each_row_of_a_batch", "test_batch_with_large_values"}, "softmax_whole"),
    ("step_function", STEP_BOOL, {"test_returns_numbers_not_bools"}, "bool_dtype"),
], ids=["softmax-no-max", "softmax-axis0", "softmax-whole-batch", "step-bool"])
def test_ch03_classic_bugs(name, source, failing, hint):
    assert_only_these_fail_with_hint(CH03, name, source, failing, hint)


def test_ch03_missing_item_is_missing_everywhere_else_graded():
    message = "softmax is imported from common.functions, not written"
    bad = not_passed(grade(CH03, reference_student(), unavailable={"softmax": message}))
    assert len(bad) == 6
    assert all(o.status is Status.MISSING and o.message == message and o.item == "softmax"
               for o in bad.values())


def test_ch03_raising_function_is_an_error():
    module = Sandboxed(reference_student(sigmoid=define(SIGMOID_RAISES, "sigmoid")))
    bad = not_passed(grade(CH03, module))
    assert {o.item for o in bad.values()} == {"sigmoid"} and len(bad) == 4
    for outcome in bad.values():
        assert outcome.status is Status.ERROR
        assert "NotImplementedError" in outcome.message and "TODO" in outcome.message
        assert "sigmoid(...)" in outcome.message


CEE_NO_BATCH_MEAN = """
def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7))
"""
CEE_NO_DELTA = """
def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t])) / batch_size
"""
DIFF_FORWARD = """
def numerical_diff(f, x):
    h = 1e-4
    return (f(x + h) - f(x)) / h
"""
DIFF_PRECEDENCE = """
def numerical_diff(f, x):
    h = 1e-4
    return (f(x + h) - f(x - h)) / 2*h
"""
GRAD_NOT_RESTORED = """
def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
    return grad
"""
MSE_MEAN = """
def mean_squared_error(y, t):
    return np.mean((y - t) ** 2)
"""


@pytest.mark.parametrize("name, source, failing, hint", [
    ("cross_entropy_error", CEE_NO_BATCH_MEAN,
     {"test_batch_one_hot_is_the_mean", "test_batch_with_labels",
      "test_zero_probability_stays_finite"}, "cee_no_batch_mean"),
    ("cross_entropy_error", CEE_NO_DELTA, {"test_zero_probability_stays_finite"}, "cee_no_delta"),
    ("numerical_diff", DIFF_FORWARD,
     {"test_book_function_at_5", "test_central_difference_on_a_cube", "test_exp_at_a_random_point"},
     "diff_forward"),
    ("numerical_diff", DIFF_PRECEDENCE,
     {"test_book_function_at_5", "test_central_difference_on_a_cube", "test_exp_at_a_random_point"},
     "diff_precedence"),
    ("numerical_gradient", GRAD_NOT_RESTORED, {"test_x_restored"}, "grad_not_restored"),
    ("mean_squared_error", MSE_MEAN,
     {"test_book_example", "test_random_vector", "test_batch_sums_every_element"}, "mse_mean"),
], ids=["cee-no-batch-mean", "cee-no-delta", "diff-forward", "diff-precedence",
        "grad-not-restored", "mse-mean"])
def test_ch04_classic_bugs(name, source, failing, hint):
    assert_only_these_fail_with_hint(CH04, name, source, failing, hint)


def test_ch04_two_layer_net_with_a_wrong_gradient_fails_only_the_gradient_test():
    from reference.ch04_training.two_layer_net import TwoLayerNet

    class HalfGradientNet(TwoLayerNet):
        def gradient(self, x, t):
            # the classic: forgetting to divide by the batch size twice over
            return {k: 2 * v for k, v in super().gradient(x, t).items()}

    bad = not_passed(grade(CH04, reference_student(TwoLayerNet=HalfGradientNet)))
    assert [i.split("::")[1] for i in bad] == ["test_gradient"]
    assert "W1" in next(iter(bad.values())).message
