"""Do the hidden suites give the reference full marks, and fail exactly the tests a classic
bug should fail, with the hint for that bug?"""

import numpy as np
import pytest

from autograder.assignment import load_assignment
from autograder.feedback import Verbatim, msg
from autograder.grading.outcome import TestStatus
from autograder.grading.runner import run_hidden_suite
from autograder.grading.student import StudentView

from .students import Sandboxed, define, reference_student
from .said import said, titled

# The buggy students overflow and divide by zero on purpose.
pytestmark = [pytest.mark.sandbox, pytest.mark.filterwarnings("ignore::RuntimeWarning")]

CH03 = load_assignment("ch03")
CH04 = load_assignment("ch04")


def grade(assignment, module, unavailable=None):
    return run_hidden_suite(assignment.suite_dir, StudentView(module, unavailable=unavailable),
                            reference=assignment.package)


def not_passed(outcomes):
    return {o.test_id: o for o in outcomes if o.status is not TestStatus.PASSED}


def assert_only_these_fail_with_hint(assignment, name, source, failing, hint):
    """A classic bug in `name` fails exactly `failing`, each with that bug's hint."""
    module = reference_student(**{name: define(source, name)})
    assert_fails_exactly(grade(assignment, module), failing, name, hint)


def assert_fails_exactly(outcomes, failing, item, hint):
    """Exactly the tests `failing` fail, all of `item`, each with hint.<hint> ('' for none)."""
    bad = not_passed(outcomes)
    assert {i.split("::")[1] for i in bad} == failing
    for outcome in bad.values():
        assert outcome.status is TestStatus.FAILED and outcome.item == item, said(outcome.feedback)
        assert outcome.hint == (msg(f"hint.{hint}") if hint else None)


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
    assert 20 <= len(outcomes) <= 40
    total = sum(o.max_points for o in outcomes)
    assert total % 10 == 0
    # Every graded item is tested, and every test grades a declared item.
    assert {o.item for o in outcomes} == set(assignment.items)
    assert all(titled(o) for o in outcomes)


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
    assert all(o.status is TestStatus.MISSING and o.feedback.headline == Verbatim(message) and o.item == "softmax"
               for o in bad.values())


def test_ch03_raising_function_is_an_error():
    module = Sandboxed(reference_student(sigmoid=define(SIGMOID_RAISES, "sigmoid")))
    bad = not_passed(grade(CH03, module))
    assert {o.item for o in bad.values()} == {"sigmoid"} and len(bad) == 4
    for outcome in bad.values():
        assert outcome.status is TestStatus.ERROR
        headline = outcome.feedback.headline
        assert headline.key == "grading.student_raised" and headline.field("exc_type") == "NotImplementedError"
        assert "TODO" in headline.field("message").text and headline.field("call").startswith("sigmoid(")


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
# A real notebook's: rows of a 2-D x handed to the 1-D version one at a time. Right for
# every f that applies the same function to each element, wrong for any other.
GRAD_ROWS_TO_F = """
def _numerical_gradient_no_batch(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in range(x.size):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
    return grad

def numerical_gradient(f, X):
    if X.ndim == 1:
        return _numerical_gradient_no_batch(f, X)
    grad = np.zeros_like(X)
    for idx, x in enumerate(X):
        grad[idx] = _numerical_gradient_no_batch(f, x)
    return grad
"""
GD = """
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
        x[idx] = tmp_val
    return grad

def gradient_descent(f, init_x, lr=0.01, step_num=100):
    x = np.array(init_x, dtype=float)
    for i in range(step_num):
        grad = numerical_gradient(f, x)
        x -= lr * grad
    return x
"""
GD_FIXED_STEPS = GD.replace("range(step_num)", "range(100)")
GD_NO_UPDATE = GD.replace("x -= lr * grad", "x - lr * grad")
GD_ASCENT = GD.replace("x -= lr * grad", "x += lr * grad")


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
    ("numerical_gradient", GRAD_ROWS_TO_F, {"test_whole_matrix_goes_to_f"}, "grad_rows_to_f"),
    ("gradient_descent", GD_FIXED_STEPS, {"test_takes_step_num_steps_of_size_lr"}, "gd_fixed_steps"),
    ("gradient_descent", GD_NO_UPDATE,
     {"test_book_example", "test_default_learning_rate_and_steps",
      "test_takes_step_num_steps_of_size_lr"}, "gd_no_update"),
    ("gradient_descent", GD_ASCENT,
     {"test_book_example", "test_default_learning_rate_and_steps",
      "test_takes_step_num_steps_of_size_lr"}, "gd_ascent"),
], ids=["cee-no-batch-mean", "cee-no-delta", "diff-forward", "diff-precedence",
        "grad-not-restored", "mse-mean", "grad-rows-to-f", "gd-fixed-steps", "gd-no-update",
        "gd-ascent"])
def test_ch04_classic_bugs(name, source, failing, hint):
    assert_only_these_fail_with_hint(CH04, name, source, failing, hint)


GRAD_NOT_RESTORED_WITH_GD = GRAD_NOT_RESTORED + GD.split("return grad", 1)[1]
CEE_NO_BATCH_MEAN_WITH_SIMPLE_NET = CEE_NO_BATCH_MEAN + SOFTMAX_WHOLE + """
class simpleNet:
    def __init__(self):
        self.W = np.random.randn(2, 3)

    def predict(self, x):
        return np.dot(x, self.W)

    def loss(self, x, t):
        return cross_entropy_error(softmax(self.predict(x)), t)
"""


@pytest.mark.parametrize("source, names, failing, item, hint", [
    (GRAD_NOT_RESTORED_WITH_GD, ("numerical_gradient", "gradient_descent"), {"test_x_restored"},
     "numerical_gradient", "grad_not_restored"),
    (CEE_NO_BATCH_MEAN_WITH_SIMPLE_NET, ("cross_entropy_error", "softmax", "simpleNet"),
     {"test_batch_one_hot_is_the_mean", "test_batch_with_labels",
      "test_zero_probability_stays_finite"}, "cross_entropy_error", "cee_no_batch_mean"),
], ids=["gradient-descent-with-an-unrestoring-numerical-gradient",
        "simple-net-with-a-cee-without-batch-mean"])
def test_ch04_a_helpers_slip_is_charged_to_the_helper_only(source, names, failing, item, hint):
    """gradient_descent and simpleNet calling the student's own (wrong) numerical_gradient
    or cross_entropy_error are judged with those: the slip costs the helper's tests only."""
    module = reference_student(**notebook(source, *names))
    assert_fails_exactly(grade(CH04, module), failing, item, hint)


def test_ch04_two_layer_net_with_a_wrong_gradient_fails_the_gradient_tests():
    from reference.ch04_training.two_layer_net import TwoLayerNet

    class DoubleGradientNet(TwoLayerNet):
        def gradient(self, x, t):
            # the classic: forgetting to divide by the batch size twice over
            return {k: 2 * v for k, v in super().gradient(x, t).items()}

    bad = not_passed(grade(CH04, reference_student(TwoLayerNet=DoubleGradientNet)))
    # Against the reference and against its own loss; twice the gradient still learns.
    assert {i.split("::")[1] for i in bad} == {"test_gradient", "test_gradient_matches_own_loss"}
    assert all("W1" in said(o.feedback) for o in bad.values())


def test_ch04_two_layer_net_whose_gradient_climbs_does_not_learn():
    from reference.ch04_training.two_layer_net import TwoLayerNet

    class AscentNet(TwoLayerNet):
        def gradient(self, x, t):
            return {k: -v for k, v in super().gradient(x, t).items()}

    bad = not_passed(grade(CH04, reference_student(TwoLayerNet=AscentNet)))
    assert {i.split("::")[1] for i in bad} == {"test_gradient", "test_gradient_matches_own_loss",
                                               "test_learns_digits"}
    assert "accuracy" in said(bad["test_two_layer_net.py::test_learns_digits"].feedback)


def test_ch04_two_layer_net_numerical_gradient_must_put_params_back():
    """The book's net.numerical_gradient calls the module's numerical_gradient on params:
    one that leaves x off by h leaves the network's params off too. Its values are judged
    with the student's own numerical_gradient, so they are not charged a third time."""
    from reference.ch04_training.two_layer_net import TwoLayerNet

    source = GRAD_NOT_RESTORED + """
class TwoLayerNet(ReferenceNet):
    def numerical_gradient(self, x, t):
        loss_W = lambda W: self.loss(x, t)
        return {k: numerical_gradient(loss_W, self.params[k]) for k in ("W1", "b1", "W2", "b2")}
"""
    module = reference_student(**notebook(source, "numerical_gradient", "TwoLayerNet",
                                          ReferenceNet=TwoLayerNet))
    bad = not_passed(grade(CH04, module))
    assert {i.split("::")[1]: o.item for i, o in bad.items()} == {
        "test_x_restored": "numerical_gradient",
        "test_numerical_gradient_leaves_params_as_they_were": "TwoLayerNet"}
    assert all(o.status is TestStatus.FAILED and o.hint == msg("hint.grad_not_restored")
               for o in bad.values())


def test_ch04_two_layer_net_loss_without_batch_mean_fails_its_own_gradient_check():
    """gradient() is right for the book's loss, but not for the loss this net computes:
    the second gradient check (against the student's own loss) is what says so."""
    from reference.ch04_training.two_layer_net import TwoLayerNet

    class SumLossNet(TwoLayerNet):
        def loss(self, x, t):
            return super().loss(x, t) * x.shape[0]

    outcomes = grade(CH04, reference_student(TwoLayerNet=SumLossNet))
    assert_fails_exactly(outcomes, {"test_loss", "test_gradient_matches_own_loss"},
                         "TwoLayerNet", None)


def test_ch04_two_layer_net_without_gradient_loses_the_three_gradient_tests():
    """Chapter 4's text trains with numerical_gradient; gradient() is the faster one its
    code adds. Without it, the tests that call it are errors and nothing else is lost."""
    from reference.ch04_training.two_layer_net import TwoLayerNet

    class NumericalOnlyNet(TwoLayerNet):
        def __getattribute__(self, name):
            if name == "gradient":
                raise AttributeError("'TwoLayerNet' object has no attribute 'gradient'")
            return super().__getattribute__(name)

    bad = not_passed(grade(CH04, reference_student(TwoLayerNet=NumericalOnlyNet)))
    assert {i.split("::")[1] for i in bad} == {"test_gradient", "test_gradient_matches_own_loss",
                                               "test_learns_digits"}
