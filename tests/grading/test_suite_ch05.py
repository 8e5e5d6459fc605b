"""Does chapter 5's hidden suite give the reference (and the book's own style of layer) full
marks, and fail exactly the tests a classic backprop bug should fail, with its hint?"""

import types

import numpy as np
import pytest

from autograder.assignment import load_assignment
from autograder.feedback import msg
from autograder.grading.outcome import TestStatus
from autograder.grading.runner import run_hidden_suite
from autograder.grading.student import StudentView
from reference import ch05_backprop
from reference.ch03_neural_networks.activations import sigmoid, softmax
from reference.ch04_training.losses import cross_entropy_error
from reference.ch05_backprop.layers import AddLayer, Affine, MulLayer, Relu, Sigmoid, SoftmaxWithLoss
from reference.ch05_backprop.two_layer_net import TwoLayerNet

from .said import said, titled

# Buggy students overflow or divide by zero on purpose.
pytestmark = [pytest.mark.sandbox, pytest.mark.filterwarnings("ignore::RuntimeWarning")]

CH05 = load_assignment("ch05")
ITEMS = ["MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss", "TwoLayerNet"]


def student_module(**overrides) -> types.ModuleType:
    """The reference's items under the book's names, plus `overrides`."""
    module = types.ModuleType("student_submission")
    for name in ITEMS:
        setattr(module, name, getattr(ch05_backprop, name))
    for name, value in overrides.items():
        setattr(module, name, value)
    return module


def classes(source: str, **names) -> dict:
    """A student's cells, run in one namespace that has what a ch05 notebook defines earlier."""
    namespace = {"np": np, "sigmoid": sigmoid, "softmax": softmax,
                 "cross_entropy_error": cross_entropy_error, **names}
    exec(compile(source, "<student>", "exec"), namespace)
    return namespace


def grade(module):
    return run_hidden_suite(CH05.suite_dir, StudentView(module), reference=CH05.package)


def not_passed(module):
    return {o.test_id.split("::")[1]: o for o in grade(module) if o.status is not TestStatus.PASSED}


def assert_fails_exactly(module, failing, hint=None):
    bad = not_passed(module)
    assert set(bad) == failing, sorted(bad)
    for outcome in bad.values():
        assert outcome.status is TestStatus.FAILED, said(outcome.feedback)
        if hint:
            assert outcome.hint == msg(f"hint.{hint}"), (outcome.test_id, said(outcome.feedback))
    return bad


def test_reference_gets_full_marks():
    outcomes = grade(student_module())
    assert [o.test_id for o in outcomes if o.status is not TestStatus.PASSED] == []
    assert {o.item for o in outcomes} == set(CH05.items) == set(ITEMS)
    total = sum(o.max_points for o in outcomes)
    assert total % 10 == 0 and total == 100
    assert all(titled(o) for o in outcomes)


def test_the_book_apple_and_orange_values():
    """The hand-worked values of section 5.4 that the AddLayer test's title quotes."""
    mul_apple, mul_orange, add, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    price = mul_tax.forward(add.forward(mul_apple.forward(100, 2), mul_orange.forward(150, 3)), 1.1)
    dall, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = add.backward(dall)
    got = (price, *mul_apple.backward(dapple_price), *mul_orange.backward(dorange_price), dtax)
    assert got == pytest.approx((715, 2.2, 110, 3.3, 165, 650))


def test_aliases_students_use():
    assert "MultLayer" in CH05.aliases["MulLayer"]
    assert {"ReLU", "ReLu"} <= set(CH05.aliases["Relu"])
    assert "AffineLayer" in CH05.aliases["Affine"]
    assert "SoftmaxWithLossLayer" in CH05.aliases["SoftmaxWithLoss"]
    assert "TwoLayerNetwork" in CH05.aliases["TwoLayerNet"]


# The book's own style, written out as a student would: Relu.backward masks dout in place
# (the book's wart), SoftmaxWithLoss takes the batch size from t, Affine flattens input.
BOOK_STYLE = """
class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:
            return (self.y - self.t) / batch_size
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        return dx / batch_size
"""


def test_the_books_style_gets_full_marks():
    ns = classes(BOOK_STYLE)
    assert not_passed(student_module(Relu=ns["Relu"], SoftmaxWithLoss=ns["SoftmaxWithLoss"])) == {}


def test_layers_named_as_students_name_them_are_graded():
    module = student_module()
    module.MultLayer, module.ReLU = MulLayer, Relu
    del module.MulLayer, module.Relu
    view = StudentView(module, bindings={"MulLayer": "MultLayer", "Relu": "ReLU"})
    outcomes = run_hidden_suite(CH05.suite_dir, view, reference=CH05.package)
    assert all(o.status is TestStatus.PASSED for o in outcomes)


class MulSwapped(MulLayer):
    def backward(self, dout):
        return dout * self.x, dout * self.y


class ReluNoMask(Relu):
    def backward(self, dout):
        return dout


class ReluInPlace(Relu):
    def forward(self, x):
        self.mask = x <= 0
        x[self.mask] = 0
        return x


class SigmoidFromX(Sigmoid):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        return dout * (1.0 - self.x) * self.x


class AffineDbAxis(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = np.sum(dout.reshape(self.x.shape[0], -1), axis=1)
        return dx


class AffineFirstVersion(Affine):
    """The book's first Affine: no flattening, so (N, D) input only."""

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        self.dW, self.db = np.dot(self.x.T, dout), np.sum(dout, axis=0)
        return np.dot(dout, self.W.T)


class SoftmaxNoBatchMean(SoftmaxWithLoss):
    def backward(self, dout=1):
        return super().backward(dout) * self.y.reshape(-1, self.y.shape[-1]).shape[0]


ALL_OWN = {"test_backward_matches_reference", "test_backward_matches_own_forward",
           "test_backward_uses_last_forward"}


@pytest.mark.parametrize("name, bug, failing, hint", [
    ("MulLayer", MulSwapped, {"test_book_apple_example"} | ALL_OWN, "mul_backward_swapped"),
    ("Relu", ReluNoMask, ALL_OWN, "relu_backward_no_mask"),
    ("Relu", ReluInPlace, {"test_forward_leaves_input_unchanged"}, "relu_forward_in_place"),
    ("Sigmoid", SigmoidFromX, {"test_backward_vector"} | ALL_OWN, "sigmoid_backward_from_x"),
    ("Affine", AffineDbAxis,
     {"test_backward_dW_db", "test_backward_matches_own_forward", "test_input_of_any_shape"},
     "affine_db_axis"),
    ("Affine", AffineFirstVersion, {"test_input_of_any_shape"}, None),
    ("SoftmaxWithLoss", SoftmaxNoBatchMean,
     {"test_backward_one_hot", "test_backward_labels", "test_backward_matches_own_forward",
      "test_backward_uses_last_forward"}, "swl_backward_no_batch_mean"),
], ids=["mul-swapped", "relu-no-mask", "relu-forward-in-place", "sigmoid-from-x",
        "affine-db-axis", "affine-2d-only", "softmax-no-batch-mean"])
def test_classic_layer_bug(name, bug, failing, hint):
    bad = assert_fails_exactly(student_module(**{name: bug}), failing, hint)
    assert all(o.item == name for o in bad.values())


ADD_LIKE_MUL = """
class AddLayer:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x + y

    def backward(self, dout):
        return dout * self.y, dout * self.x
"""
SOFTMAX_ONE_HOT_ONLY = """
class SoftmaxWithLoss:
    def forward(self, x, t):
        self.t, self.y = t, softmax(x)
        return cross_entropy_error(self.y, self.t)

    def backward(self, dout=1):
        return (self.y - self.t) / self.t.shape[0]
"""


SOFTMAX_LABELS_NO_COPY = """
class SoftmaxWithLoss:
    def forward(self, x, t):
        self.t, self.y = t, softmax(x)
        return cross_entropy_error(self.y, self.t)

    def backward(self, dout=1):
        n = self.t.shape[0]
        if self.t.size == self.y.size:
            return (self.y - self.t) / n
        dx = self.y
        dx[np.arange(n), self.t] -= 1
        return dx / n
"""
SOFTMAX_SHIFTS_INPUT = """
class SoftmaxWithLoss:
    def forward(self, x, t):
        x -= np.max(x, axis=-1, keepdims=True)
        self.t, self.y = t, softmax(x)
        return cross_entropy_error(self.y, self.t)

    def backward(self, dout=1):
        t = self.t if self.t.size == self.y.size else np.eye(self.y.shape[1])[self.t]
        return (self.y - t) / self.y.shape[0]
"""


@pytest.mark.parametrize("source, failing, hint", [
    (SOFTMAX_LABELS_NO_COPY, {"test_backward_labels"}, "swl_backward_changes_y"),
    (SOFTMAX_SHIFTS_INPUT, {"test_forward_leaves_inputs_unchanged"}, "backprop_layer_input_changed"),
], ids=["labels-no-copy", "shifts-x-in-place"])
def test_classic_softmax_with_loss_slips(source, failing, hint):
    bug = classes(source)["SoftmaxWithLoss"]
    assert_fails_exactly(student_module(SoftmaxWithLoss=bug), failing, hint)


def test_add_layer_copied_from_mul_layer():
    bug = classes(ADD_LIKE_MUL)["AddLayer"]
    assert_fails_exactly(student_module(AddLayer=bug),
                         {"test_book_apple_orange_example", "test_backward_matches_reference",
                          "test_backward_matches_own_forward"}, "add_backward_multiplied")


def test_softmax_with_loss_for_one_hot_only_loses_the_label_test_alone():
    bug = classes(SOFTMAX_ONE_HOT_ONLY)["SoftmaxWithLoss"]
    bad = not_passed(student_module(SoftmaxWithLoss=bug))
    assert set(bad) == {"test_backward_labels"}


class KeysSwapped(TwoLayerNet):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        return {"W1": grads["W2"], "b1": grads["b2"], "W2": grads["W1"], "b2": grads["b1"]}


class ParamsCopied(TwoLayerNet):
    def __init__(self, *sizes):
        super().__init__(*sizes)
        self.layers["Affine1"] = Affine(self.params["W1"].copy(), self.params["b1"].copy())
        self.layers["Affine2"] = Affine(self.params["W2"].copy(), self.params["b2"].copy())


class Accumulating(TwoLayerNet):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        if not hasattr(self, "kept"):
            self.kept = {k: np.zeros_like(v) for k, v in grads.items()}
        for key, value in grads.items():
            self.kept[key] += value
        return {k: v.copy() for k, v in self.kept.items()}


NET_GRADIENTS = {"test_gradient_matches_reference", "test_gradient_matches_own_loss",
                 "test_gradient_twice"}


def test_net_with_keys_swapped():
    bad = assert_fails_exactly(student_module(TwoLayerNet=KeysSwapped),
                               NET_GRADIENTS | {"test_learns_digits"})
    for test in NET_GRADIENTS:
        assert bad[test].hint == msg("hint.backprop_net_keys_swapped")
    # The learning check names the wrong shape before training, not a numpy error inside it.
    assert "(64, 20)" in said(bad["test_learns_digits"].feedback)


def test_net_whose_layers_hold_copies_of_params():
    # accuracy is scored against the student's own predict, so it is not charged again.
    bad = assert_fails_exactly(student_module(TwoLayerNet=ParamsCopied),
                               {"test_predict", "test_loss"} | NET_GRADIENTS | {"test_learns_digits"})
    for test in {"test_predict", "test_loss"} | NET_GRADIENTS:
        assert bad[test].hint == msg("hint.backprop_net_params_not_shared"), test


def test_net_accumulating_gradients_fails_the_second_call():
    bad = assert_fails_exactly(student_module(TwoLayerNet=Accumulating),
                               {"test_gradient_twice", "test_learns_digits"})
    assert bad["test_gradient_twice"].hint == msg("hint.backprop_net_accumulates")


SIGMOID_NET = """
class TwoLayerNet(TwoLayerNet):
    def __init__(self, *sizes):
        super().__init__(*sizes)
        self.layers["Relu1"] = Sigmoid()
"""
RELU_NO_MASK = """
class Relu:
    def forward(self, x):
        self.mask = x <= 0
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout
"""


def test_net_with_a_sigmoid_hidden_layer():
    ns = classes(SIGMOID_NET.replace("(TwoLayerNet)", "(Base)"), Base=TwoLayerNet, Sigmoid=Sigmoid)
    bad = not_passed(student_module(TwoLayerNet=ns["TwoLayerNet"]))
    assert bad["test_predict"].hint == msg("hint.backprop_net_sigmoid_hidden")
    # A sigmoid net is still a consistent net: its gradient matches its own loss, and its
    # accuracy matches its own predict.
    assert {"test_params_shapes", "test_accuracy", "test_gradient_matches_own_loss"}.isdisjoint(bad)


def test_net_on_a_wrong_layer_points_at_the_layer():
    """The student's TwoLayerNet built on the student's Relu: the net's failures name the layer."""
    ns = classes(RELU_NO_MASK)

    class NetOnStudentRelu(TwoLayerNet):
        def __init__(self, *sizes):
            super().__init__(*sizes)
            self.layers["Relu1"] = ns["Relu"]()

    bad = not_passed(student_module(Relu=ns["Relu"], TwoLayerNet=NetOnStudentRelu))
    net_failures = {k: o for k, o in bad.items() if o.item == "TwoLayerNet"}
    assert set(net_failures) == NET_GRADIENTS
    assert all(o.hint == msg("hint.backprop_net_wrong_layer") for o in net_failures.values())


class PredictWithSoftmax(TwoLayerNet):
    def predict(self, x):
        return softmax(super().predict(x))


def test_net_whose_predict_ends_in_softmax():
    bad = not_passed(student_module(TwoLayerNet=PredictWithSoftmax))
    assert bad["test_predict"].hint == msg("hint.backprop_net_predict_softmax")
    assert "test_accuracy" not in bad  # argmax of probabilities is argmax of scores


# --- helpers that are not items of this chapter: charged at the layer that uses them ----

def unshifted_softmax(x):
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)


def cross_entropy_without_delta(y, t):
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1, -1)
    if t.size == y.size:
        t = t.argmax(axis=1)
    return -np.sum(np.log(y[np.arange(y.shape[0]), t])) / y.shape[0]


@pytest.mark.parametrize("helpers, hint", [
    ({"softmax": unshifted_softmax}, "softmax_overflow"),
    ({"cross_entropy_error": cross_entropy_without_delta}, "cee_no_delta"),
], ids=["softmax-without-max-shift", "cross-entropy-without-delta"])
def test_an_unstable_helper_under_softmax_with_loss_loses_points(helpers, hint):
    """softmax and cross_entropy_error are not graded in chapter 5, so their slip is the
    layer's: it loses the confident-scores test (it scored 100/100 before)."""
    ns = classes(BOOK_STYLE, **helpers)
    bad = not_passed(student_module(SoftmaxWithLoss=ns["SoftmaxWithLoss"]))
    assert set(bad) == {"test_forward_confident_scores"}
    assert bad["test_forward_confident_scores"].hint == msg(f"hint.{hint}")


EXACT_LOG_SOFTMAX = """
class SoftmaxWithLoss:
    def forward(self, x, t):
        self.t = t
        shifted = x - np.max(x, axis=-1, keepdims=True)
        log_y = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
        self.y = np.exp(log_y)
        onehot = t if t.size == x.size else np.eye(x.shape[-1])[t]
        return -np.sum(onehot * log_y) / (x.shape[0] if x.ndim == 2 else 1)

    def backward(self, dout=1):
        onehot = self.t if self.t.size == self.y.size else np.eye(self.y.shape[-1])[self.t]
        return dout * (self.y - onehot) / (self.y.shape[0] if self.y.ndim == 2 else 1)
"""


def test_an_exact_log_softmax_loss_passes_with_a_note():
    """The book keeps 1e-7 in the log; an exact loss differs only on confidently wrong
    samples, and is accepted there with a note."""
    ns = classes(EXACT_LOG_SOFTMAX)
    outcomes = {o.test_id.split("::")[1]: o for o in grade(student_module(SoftmaxWithLoss=ns["SoftmaxWithLoss"]))}
    assert all(o.status is TestStatus.PASSED for o in outcomes.values()), \
        [k for k, o in outcomes.items() if o.status is not TestStatus.PASSED]
    assert msg("note.softmax_exact_loss") in outcomes["test_forward_confident_scores"].notes
