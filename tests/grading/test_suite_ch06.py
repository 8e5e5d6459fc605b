"""Chapter 6's hidden suite: the reference gets full marks, what the book accepts passes,
and each classic bug fails exactly the tests it should, with its hint. Also the helpers
the suite needs to see state where the student's code runs (autograder.grading.resident).
"""

import types
from dataclasses import dataclass

import numpy as np
import pytest

from autograder.assignment import load_assignment
from autograder.feedback import msg
from autograder.grading.outcome import TestStatus
from autograder.grading.resident import (ResidentParams, params_numerical_grad, seed_numpy,
                                         set_params)
from autograder.grading.runner import run_hidden_suite
from autograder.grading.student import StudentView
from autograder.sandbox import Limits, Sandbox
from reference import ch06_training_techniques as ch06
from reference.ch06_training_techniques import normalization, optimizers

from .students import define
from .said import said, titled

# The buggy students divide by zero on purpose.
pytestmark = [pytest.mark.sandbox, pytest.mark.filterwarnings("ignore::RuntimeWarning")]

CH06 = load_assignment("ch06")


def reference_student(**overrides) -> types.ModuleType:
    """A module holding chapter 6's reference items (and numpy as np, as notebooks do)."""
    module = types.ModuleType("student_submission")
    module.np = np
    for name in ch06.__all__:
        setattr(module, name, getattr(ch06, name))
    for name, value in overrides.items():
        setattr(module, name, value)
    return module


def grade(module, unavailable=None):
    return run_hidden_suite(CH06.suite_dir, StudentView(module, unavailable=unavailable),
                            reference=CH06.package)


def failed(outcomes) -> dict:
    return {o.test_id.split("::")[1]: o for o in outcomes if o.status is not TestStatus.PASSED}


def test_reference_gets_full_marks():
    outcomes = grade(reference_student())
    assert failed(outcomes) == {}
    assert sum(o.max_points for o in outcomes) % 10 == 0
    assert {o.item for o in outcomes} == set(CH06.items)
    assert all(titled(o) for o in outcomes)


def test_scales_are_graded_through_the_network_when_no_function_is_written():
    """The book has no he_std/xavier_std function: a notebook without them loses nothing."""
    why = "not defined"
    outcomes = grade(reference_student(), unavailable={"he_std": why, "xavier_std": why})
    assert failed(outcomes) == {}


# --- optimizers -------------------------------------------------------------------------

class RebindingSGD(optimizers.SGD):
    def update(self, params, grads):
        for key in params:
            params[key] = params[key] - self.lr * grads[key]


class UphillMomentum(optimizers.Momentum):
    def update(self, params, grads):
        for key in params:
            self.v.setdefault(key, np.zeros_like(params[key]))
            self.v[key] = self.momentum * self.v[key] + self.lr * grads[key]
            params[key] += self.v[key]


class ForgetfulMomentum(optimizers.Momentum):
    def update(self, params, grads):
        self.v = {}
        super().update(params, grads)


class EarlierPrintingNesterov(optimizers.Nesterov):
    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(lr, momentum, order="step_first")


ADAGRAD_EPS_INSIDE = """
class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / np.sqrt(self.h[key] + 1e-7)
"""
ADAGRAD_NO_EPS = ADAGRAD_EPS_INSIDE.replace("np.sqrt(self.h[key] + 1e-7)", "np.sqrt(self.h[key])")
ADAM_NO_BIAS_CORRECTION = """
class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.m = self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params.keys():
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] ** 2
            params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)
"""
RMSPROP_DECAY_SWAPPED = """
class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr, self.decay_rate = lr, decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params.keys():
            self.h[key] = (1 - self.decay_rate) * self.h[key] + self.decay_rate * grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
"""


# --- batch normalization and dropout ----------------------------------------------------

class WrongAxisBatchNorm(normalization.BatchNormalization):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dbeta = dout.reshape(dout.shape[0], -1).sum(axis=1)
        return dx


# A notebook's layer as the book's API has it, backward through the computational graph
# (xc, std, var, mu), with torch's epsilon 1e-5 rather than the book's 10e-7.
GRAPH_BATCHNORM_EPS_1E_5 = """
class BatchNormalization:
    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        self.gamma, self.beta, self.momentum = gamma, beta, momentum
        self.running_mean, self.running_var = running_mean, running_var
        self.input_shape = self.xc = self.xn = self.std = None
        self.dgamma = self.dbeta = None

    def forward(self, x, train_flg=True):
        self.input_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        if self.running_mean is None:
            self.running_mean = np.zeros(x.shape[1])
            self.running_var = np.zeros(x.shape[1])
        if train_flg:
            mu = x.mean(axis=0)
            self.xc = x - mu
            var = np.mean(self.xc ** 2, axis=0)
            self.std = np.sqrt(var + 1e-5)
            self.xn = self.xc / self.std
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
            xn = self.xn
        else:
            xn = (x - self.running_mean) / np.sqrt(self.running_var + 1e-5)
        return (self.gamma * xn + self.beta).reshape(self.input_shape)

    def backward(self, dout):
        dout = dout.reshape(dout.shape[0], -1)
        n = dout.shape[0]
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum(dxn * self.xc / (self.std * self.std), axis=0)
        dvar = 0.5 * dstd / self.std
        dxc = dxc + (2.0 / n) * self.xc * dvar
        dx = dxc - np.sum(dxc, axis=0) / n
        return dx.reshape(self.input_shape)
"""
GRAPH_BATCHNORM_NO_EPS = GRAPH_BATCHNORM_EPS_1E_5.replace("+ 1e-5", "+ 0.0")


class InvertedDropout(normalization.Dropout):
    def forward(self, x, train_flg=True):
        out = super().forward(x, train_flg)
        return out / (1.0 - self.dropout_ratio) if train_flg else x

    def backward(self, dout):
        return dout * self.mask / (1.0 - self.dropout_ratio)


BOOK_STYLE_DROPOUT = """
class Dropout:
    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio
        self.mask = None

    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = np.random.rand(*x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        return dout * self.mask
"""
DROPOUT_NEW_MASK = BOOK_STYLE_DROPOUT.replace(
    "return dout * self.mask", "return dout * (np.random.rand(*dout.shape) > self.dropout_ratio)")
DROPOUT_NOT_SCALED = BOOK_STYLE_DROPOUT.replace("return x * (1.0 - self.dropout_ratio)", "return x")
DROPOUT_KEEPS_RATIO = BOOK_STYLE_DROPOUT.replace("> self.dropout_ratio", "< self.dropout_ratio")


# --- networks ---------------------------------------------------------------------------

class DecayLeftOutOfGradient(ch06.MultiLayerNet):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        return {k: g - self.weight_decay_lambda * self.params[k] if k.startswith("W") else g
                for k, g in grads.items()}


class XavierForRelu(ch06.MultiLayerNet):
    def __init__(self, input_size, hidden_size_list, output_size, activation="relu",
                 weight_init_std="relu", weight_decay_lambda=0):
        scale = "sigmoid" if str(weight_init_std).lower() in ("relu", "he") else weight_init_std
        super().__init__(input_size, hidden_size_list, output_size, activation, scale,
                         weight_decay_lambda)


class Frozen(ch06.MultiLayerNet):
    def gradient(self, x, t):
        return {k: np.zeros_like(v) for k, v in super().gradient(x, t).items()}


# --- every classic bug fails exactly its tests, with its hint ---------------------------

@dataclass(frozen=True)
class Bug:
    id: str
    item: str
    value: object          # a class, or a notebook's source defining the item
    failing: frozenset     # the tests it must fail, and no other
    hint: str              # the hint those tests give ...
    hinted: frozenset = None   # ... all of them, or only these

    def student_value(self):
        return define(self.value, self.item) if isinstance(self.value, str) else self.value


def bug(id, item, value, failing, hint="", hinted=None):
    return Bug(id, item, value, frozenset(failing), hint, frozenset(hinted or failing))


MOMENTUM_TESTS = {"test_momentum_first_step", "test_momentum_keeps_velocity",
                  "test_momentum_defaults"}
BUGS = [
    bug("sgd-rebinds", "SGD", RebindingSGD, {"test_sgd_updates_in_place"}, "optimizer_rebinds"),
    bug("momentum-uphill", "Momentum", UphillMomentum, MOMENTUM_TESTS, "momentum_uphill"),
    bug("momentum-forgets", "Momentum", ForgetfulMomentum,
        MOMENTUM_TESTS - {"test_momentum_first_step"}, "optimizer_state_lost"),
    bug("nesterov-is-momentum", "Nesterov", optimizers.Momentum,
        {"test_nesterov_first_step", "test_nesterov_keeps_velocity", "test_nesterov_defaults"},
        "nesterov_is_momentum"),
    bug("adagrad-eps-inside", "AdaGrad", ADAGRAD_EPS_INSIDE, {"test_adagrad_small_gradients"},
        "adagrad_eps_inside_sqrt"),
    bug("adagrad-no-eps", "AdaGrad", ADAGRAD_NO_EPS,
        {"test_adagrad_zero_gradient", "test_adagrad_small_gradients"}, "adagrad_no_eps"),
    bug("rmsprop-decay-swapped", "RMSprop", RMSPROP_DECAY_SWAPPED,
        {"test_rmsprop_first_step", "test_rmsprop_keeps_h", "test_rmsprop_defaults"},
        "rmsprop_decay_swapped"),
    bug("adam-no-bias-correction", "Adam", ADAM_NO_BIAS_CORRECTION,
        {"test_adam_first_step", "test_adam_keeps_moments", "test_adam_defaults"},
        "adam_no_bias_correction"),
    bug("bn-dbeta-axis", "BatchNormalization", WrongAxisBatchNorm,
        {"test_dgamma_dbeta_match_reference", "test_dgamma_dbeta_match_own_forward"},
        "batchnorm_dparams_wrong_axis"),
    bug("bn-no-eps", "BatchNormalization", GRAPH_BATCHNORM_NO_EPS,
        {"test_constant_column_stays_finite"}, "batchnorm_no_eps"),
    bug("dropout-new-mask", "Dropout", DROPOUT_NEW_MASK, {"test_backward_uses_the_forward_mask"},
        "dropout_new_mask_in_backward"),
    bug("dropout-test-not-scaled", "Dropout", DROPOUT_NOT_SCALED,
        {"test_test_mode_matches_training_on_average"}, "dropout_test_not_scaled"),
    bug("dropout-keeps-ratio", "Dropout", DROPOUT_KEEPS_RATIO, {"test_dropped_share_is_the_ratio"},
        "dropout_mask_inverted"),
    # The numerical check of the student's own loss has no reference to name a miss by.
    bug("decay-left-out-of-gradient", "MultiLayerNet", DecayLeftOutOfGradient,
        {"test_gradient_matches_reference", "test_gradient_matches_own_loss"},
        "multilayernet_decay_missing_in_grad", hinted={"test_gradient_matches_reference"}),
    bug("he-written-as-xavier", "MultiLayerNet", XavierForRelu,
        {"test_relu_draws_he_scale", "test_he_by_its_name"}, "he_scale_is_xavier"),
    bug("does-not-learn", "MultiLayerNet", Frozen,
        {"test_gradient_matches_reference", "test_gradient_matches_own_loss",
         "test_learns_digits"}),
]
# What the book or real notebooks do differently, and must not cost a point.
ACCEPTED = [
    bug("nesterov-earlier-printing", "Nesterov", EarlierPrintingNesterov, ()),
    bug("bn-graph-backward-eps-1e-5", "BatchNormalization", GRAPH_BATCHNORM_EPS_1E_5, ()),
    bug("inverted-dropout", "Dropout", InvertedDropout, ()),
    bug("book-style-dropout", "Dropout", BOOK_STYLE_DROPOUT, ()),
]


def rounds(bugs):
    """Bugs grouped so that no item is changed twice in one round: items are independent
    (the reference networks use their own layers), so one grading run checks a round."""
    grouped = []
    for b in bugs:
        for group in grouped:
            if all(other.item != b.item for other in group):
                group.append(b)
                break
        else:
            grouped.append([b])
    return grouped


ROUNDS = rounds(BUGS + ACCEPTED)


@pytest.mark.parametrize("round_", ROUNDS, ids=["+".join(b.id for b in r) for r in ROUNDS])
def test_each_bug_fails_exactly_its_tests_with_its_hint(round_):
    module = reference_student(**{b.item: b.student_value() for b in round_})
    bad = failed(grade(module))
    assert set(bad) == set().union(*(b.failing for b in round_)), \
        {k: said(v.feedback)[:300] for k, v in bad.items()}
    for b in round_:
        for name in b.failing:
            assert bad[name].status is TestStatus.FAILED, (b.id, name, said(bad[name].feedback))
            if b.hint and name in b.hinted:
                assert bad[name].hint == msg(f"hint.{b.hint}"), (b.id, name, bad[name].hint)


# --- the resident helpers ---------------------------------------------------------------

REBINDING = """
import numpy as np

class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] = params[key] - self.lr * grads[key]

class Net:
    def __init__(self):
        self.params = {"W": np.zeros(3)}
        self.W = self.params["W"]

    def loss(self):
        return float(np.sum(self.W ** 2))

def draw():
    return np.random.rand(4)
"""


def test_resident_params_see_a_rebinding_through_the_sandbox():
    with Sandbox(limits=Limits(call_seconds=10)) as sandbox:
        assert sandbox.load([("cell 1", REBINDING)]).ok
        student = StudentView(sandbox.module)
        with ResidentParams(student, {"W": np.ones(3)}) as resident:
            student.inplace.SGD(0.5).update(resident.params, {"W": np.ones(3)})
            np.testing.assert_array_equal(resident.current("W"), [0.5, 0.5, 0.5])
            np.testing.assert_array_equal(resident.original("W"), [1.0, 1.0, 1.0])
        assert seed_numpy(student, 7)
        first = student.draw()
        seed_numpy(student, 7)
        np.testing.assert_array_equal(student.draw(), first)
        # Written into the array the network's own attribute holds, then differentiated.
        net = student.Net()
        set_params(net, {"W": np.array([1.0, -2.0, 3.0])})
        np.testing.assert_allclose(params_numerical_grad(net, "W", net.loss), [2.0, -4.0, 6.0],
                                   rtol=1e-7)
        np.testing.assert_array_equal(net.W, [1.0, -2.0, 3.0])


def test_resident_params_in_process_keep_the_same_contract():
    module = reference_student(SGD=RebindingSGD)
    student = StudentView(module)
    with ResidentParams(student, {"W": np.ones(2)}) as resident:
        student.inplace.SGD(0.5).update(resident.params, {"W": np.ones(2)})
        np.testing.assert_array_equal(resident.current("W"), [0.5, 0.5])
        np.testing.assert_array_equal(resident.original("W"), [1.0, 1.0])
    assert not seed_numpy(StudentView(types.ModuleType("no_numpy")), 0)


@pytest.mark.parametrize("bug_id, item, key", [
    ("nesterov-earlier-printing", "Nesterov", "note.nesterov_other_order"),
    ("inverted-dropout", "Dropout", "note.dropout_inverted"),
])
def test_an_accepted_variant_passes_with_its_note(bug_id, item, key):
    """Does the student learn that their form differs from the book's, though it passes?"""
    variant = next(b for b in ACCEPTED if b.id == bug_id)
    outcomes = [o for o in grade(reference_student(**{item: variant.student_value()}))
                if o.item == item]
    assert all(o.status is TestStatus.PASSED for o in outcomes)
    assert any(msg(key) in o.notes for o in outcomes)
    plain = [o for o in grade(reference_student()) if o.item == item]
    assert not any(msg(key) in o.notes for o in plain)
