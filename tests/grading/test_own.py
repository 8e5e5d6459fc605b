"""The "agrees with your own helpers" rule: an honest helper's slip is still charged once,
at its item; a helper that replays the composite's answer (or a constant) earns the
composite nothing."""

import numpy as np
import pytest

from autograder.assignment import load_assignment
from autograder.grading.checks import CheckFailed, assert_close
from autograder.grading.outcome import TestStatus
from autograder.grading.own import Helper, assert_reference_or_own, helper_does_its_job
from autograder.grading.runner import run_hidden_suite
from autograder.grading.student import StudentView
from reference.ch03_neural_networks.activations import softmax
from reference.ch04_training.losses import cross_entropy_error
from tests.grading.students import reference_student

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

CH04 = load_assignment("ch04")

CORRECT_CEE = '''
def correct_cee(y, t):
    if y.ndim == 1:
        t, y = t.reshape(1, t.size), y.reshape(1, y.size)
    return -np.sum(t * np.log(y + 1e-7)) / y.shape[0]
'''

# simpleNet.loss gives a wrong number and leaves it where cross_entropy_error finds it.
REPLAY_LAST = CORRECT_CEE + '''
LAST = []

class simpleNet:
    def __init__(self):
        self.W = np.random.randn(2, 3)

    def predict(self, x):
        return np.dot(x, self.W)

    def loss(self, x, t):
        LAST.append(1.2345)
        return LAST[-1]

def cross_entropy_error(y, t):
    return LAST[-1] if LAST else correct_cee(y, t)
'''

# Smarter: cross_entropy_error is right, except on the very inputs the loss handed over.
REPLAY_KEYED = CORRECT_CEE + '''
ANSWERS = {}

def _key(y, t):
    return (np.asarray(y).round(8).tobytes(), np.asarray(t).tobytes())

class simpleNet:
    def __init__(self):
        self.W = np.random.randn(2, 3)

    def predict(self, x):
        return np.dot(x, self.W)

    def loss(self, x, t):
        ANSWERS[_key(softmax(self.predict(x)), t)] = 1.2345
        return 1.2345

def cross_entropy_error(y, t):
    return ANSWERS.get(_key(y, t), correct_cee(y, t))
'''

# Both compute nothing: a constant loss and a constant cross_entropy_error.
CONSTANT = '''
class simpleNet:
    def __init__(self):
        self.W = np.random.randn(2, 3)

    def predict(self, x):
        return np.dot(x, self.W)

    def loss(self, x, t):
        return 0.0

def cross_entropy_error(y, t):
    return 0.0
'''

# An honest slip: cross_entropy_error sums over the batch; simpleNet.loss is the book's.
NO_BATCH_MEAN = '''
def cross_entropy_error(y, t):
    return -np.sum(t * np.log(y + 1e-7))

class simpleNet:
    def __init__(self):
        self.W = np.random.randn(2, 3)

    def predict(self, x):
        return np.dot(x, self.W)

    def loss(self, x, t):
        return cross_entropy_error(softmax(self.predict(x)), t)
'''


def _student(source):
    module = reference_student()
    namespace = module.__dict__
    namespace["np"] = np
    exec(compile(source, "<student>", "exec"), namespace)
    return module


def _simple_net_loss_outcomes(source):
    outcomes = run_hidden_suite(CH04.suite_dir, StudentView(_student(source)), reference=CH04.package)
    return {o.test_id.split("::")[1]: o.status for o in outcomes
            if o.test_id.startswith("test_simple_net.py::test_loss")}


@pytest.mark.parametrize("source", [REPLAY_LAST, REPLAY_KEYED, CONSTANT],
                         ids=["replay_last", "replay_keyed", "constant"])
def test_a_helper_that_replays_or_computes_nothing_earns_the_composite_nothing(source):
    statuses = _simple_net_loss_outcomes(source)
    assert statuses == {"test_loss_book_example": TestStatus.FAILED,
                        "test_loss_batch": TestStatus.FAILED}


def test_an_honest_slip_in_a_helper_is_charged_once():
    """The book's simpleNet.loss over a cross_entropy_error without the batch mean: the
    loss of a batch is wrong by that slip alone, which cross_entropy_error's tests charge."""
    statuses = _simple_net_loss_outcomes(NO_BATCH_MEAN)
    assert statuses == {"test_loss_book_example": TestStatus.PASSED,
                        "test_loss_batch": TestStatus.PASSED}


def _probabilities(rng):
    return softmax(rng.normal(size=(4, 3))), np.eye(3)[rng.integers(3, size=4)]


def test_a_helper_does_its_job_when_right_or_an_honest_function_of_its_inputs():
    rng = np.random.default_rng(0)
    right = Helper(cross_entropy_error, cross_entropy_error, _probabilities)
    summed = Helper(lambda y, t: 4 * cross_entropy_error(y, t), cross_entropy_error, _probabilities)
    constant = Helper(lambda y, t: 0.7, cross_entropy_error, _probabilities)
    answers = iter([1.0, 2.0, 3.0])
    stateful = Helper(lambda y, t: next(answers), cross_entropy_error, _probabilities)
    assert helper_does_its_job(right, rng)
    assert helper_does_its_job(summed, rng)
    assert not helper_does_its_job(constant, rng)
    assert not helper_does_its_job(stateful, rng)  # another answer to the same question
    # Not graded in this assignment: a slip is charged nowhere, so only right counts.
    assert not helper_does_its_job(Helper(summed.mine, cross_entropy_error, _probabilities,
                                          graded=False), rng)


def test_the_second_input_set_asks_the_helpers_before_the_composite():
    calls = []

    def again(rng):
        return (lambda: calls.append("own") or 1.0), (lambda: calls.append("composite") or 1.0)

    assert_reference_or_own(assert_close, 1.0, 2.0, lambda: 1.0, again=again, call="f(x)")
    assert calls == ["own", "composite"]
    with pytest.raises(CheckFailed):
        assert_reference_or_own(assert_close, 1.0, 2.0, lambda: 1.0,
                                again=lambda rng: (lambda: 1.0, lambda: 5.0), call="f(x)")


def test_a_helper_with_a_classic_miss_counts_even_where_it_is_not_graded():
    """Chapter 3's book softmax has no axis; in chapter 4 it is not graded, but it is the
    book's, so a composite built on it is judged with it."""
    from reference.ch03_neural_networks.own_helpers import softmax_helper

    class Book:
        @staticmethod
        def softmax(a):
            e = np.exp(a - np.max(a))
            return e / np.sum(e)

    rng = np.random.default_rng(0)
    assert helper_does_its_job(softmax_helper(Book, np.zeros((5, 3)), graded=False), rng)
    assert not helper_does_its_job(Helper(lambda a: Book.softmax(a) * 2, softmax,
                                          lambda r: (r.normal(size=(5, 3)),), graded=False), rng)
