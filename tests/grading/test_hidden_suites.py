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
    assert_fails_exactly(grade(assignment, module), failing, name, hint)


def assert_fails_exactly(outcomes, failing, item, hint):
    """Exactly the tests `failing` fail, all of `item`, each with hint.<hint> ('' for none)."""
    bad = not_passed(outcomes)
    assert {i.split("::")[1] for i in bad} == failing
    for outcome in bad.values():
        assert outcome.status is Status.FAILED and outcome.item == item, outcome.message
        assert outcome.hint == (say(f"hint.{hint}") if hint else "")


def notebook(source: str, *names: str, **context) -> dict:
    """Several definitions from one source, as one notebook's cells define them: the
    item under test calls the student's own helpers, not the reference's."""
    namespace = {"np": np, **context}
    exec(compile(source, "<student>", "exec"), namespace)
    return {name: namespace[name] for name in names}


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


# A chapter-3 notebook as students write it: forward, predict and accuracy call the
# notebook's own sigmoid and softmax, so a slip in those reaches the network too.
CH03_NETWORK = """
def identity_function(x):
    return x

def init_network():
    return {"W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]), "b1": np.array([0.1, 0.2, 0.3]),
            "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]), "b2": np.array([0.1, 0.2]),
            "W3": np.array([[0.1, 0.3], [0.2, 0.4]]), "b3": np.array([0.1, 0.2])}

def _scores(network, x):
    z1 = sigmoid(np.dot(x, network["W1"]) + network["b1"])
    z2 = sigmoid(np.dot(z1, network["W2"]) + network["b2"])
    return np.dot(z2, network["W3"]) + network["b3"]

def forward(network, x):
    return identity_function(_scores(network, x))

def predict(network, x):
    return softmax(_scores(network, x))

def accuracy(network, x, t):
    return np.sum(np.argmax(predict(network, x), axis=1) == t) / float(x.shape[0])
"""
SIGMOID_EXP_SIGN = """
def sigmoid(x):
    return 1 / (1 + np.exp(x))

def softmax(a):
    e = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
"""
SOFTMAX_WHOLE_IN_NETWORK = SOFTMAX_WHOLE + """
def sigmoid(x):
    return 1 / (1 + np.exp(-x))
"""
NETWORK_NAMES = ("sigmoid", "softmax", "identity_function", "init_network", "forward",
                 "predict", "accuracy")


@pytest.mark.parametrize("helpers, failing, item, hint", [
    (SIGMOID_EXP_SIGN, {"test_values_on_a_vector", "test_batch_keeps_shape",
                        "test_large_inputs_stay_between_zero_and_one"}, "sigmoid", "sigmoid_exp_sign"),
    (SOFTMAX_WHOLE_IN_NETWORK, {"test_each_row_of_a_batch", "test_batch_with_large_values"},
     "softmax", "softmax_whole"),
], ids=["sigmoid-exp-sign", "softmax-whole-batch"])
def test_ch03_a_helpers_slip_is_charged_to_the_helper_only(helpers, failing, item, hint):
    """forward, predict and accuracy that call the student's own (wrong) sigmoid or softmax
    are judged with those: the slip costs the helper's tests, not the network's too."""
    module = reference_student(**notebook(helpers + CH03_NETWORK, *NETWORK_NAMES))
    assert_fails_exactly(grade(CH03, module), failing, item, hint)


def test_ch03_biases_spelled_B1_cost_init_network_only():
    """A notebook that writes network['B1'] in its own init_network and forward (as some
    do) loses init_network's key test, not forward, predict and accuracy as well."""
    source = SIGMOID_EXP_SIGN.replace("np.exp(x)", "np.exp(-x)") + CH03_NETWORK.replace('"b', '"B')
    module = Sandboxed(reference_student(**notebook(source, *NETWORK_NAMES)))
    failing = {"test_init_network_keys_and_shapes", "test_init_network_book_values"}
    assert_fails_exactly(grade(CH03, module), failing, "init_network", None)


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
