"""Does the learning check train a network in place, in process and through the sandbox,
and give nothing for accuracy that does not come from the trained parameters?"""

import numpy as np
import pytest

from autograder.grading.checks import CheckFailed
from autograder.grading.learning import (assert_predict_follows_params, digits, output_layer,
                                         predicted_accuracy, train)
from autograder.grading.student import StudentView
from autograder.reference_source import chapter_sources
from autograder.chapters import chapters_root
from autograder.sandbox import Limits, Sandbox
from reference.ch05_backprop import TwoLayerNet

pytestmark = pytest.mark.sandbox


def test_the_digits_are_scikit_learns():
    from sklearn.datasets import load_digits
    from autograder.grading.learning import _all_digits
    data = load_digits()
    x, t = _all_digits()
    assert np.array_equal(x, data.data / 16.0) and np.array_equal(t, data.target)


def test_the_split_is_seeded_and_scaled():
    a, b = digits(seed=3), digits(seed=3)
    assert np.array_equal(a.x_train, b.x_train) and a.x_train.shape == (600, 64)
    assert 0.0 <= a.x_train.min() and a.x_train.max() <= 1.0
    assert digits(images=True).x_test.shape == (300, 1, 8, 8)


def test_reference_net_learns_in_process():
    np.random.seed(0)
    net = TwoLayerNet(64, 30, 10)
    data = digits()
    before = predicted_accuracy(net, data.x_test, data.t_test)
    after = train(net, data, steps=150, lr=0.5, one_hot=True)
    assert before < 0.3 and after > 0.8


def test_reference_net_learns_through_the_sandbox():
    """Are the updates written into the arrays the student's layers hold, in the sandbox?"""
    cells = [(m.name, m.source) for m in chapter_sources(chapters_root() / "ch05_backprop")]
    with Sandbox(limits=Limits(call_seconds=10)) as sandbox:
        assert sandbox.load(cells).ok
        net = StudentView(sandbox.module).TwoLayerNet(64, 30, 10)
        after = train(net, digits(), steps=150, lr=0.5, one_hot=True)
    assert after > 0.8


# --- accuracy that does not come from the trained params earns nothing ---------------

def _memoriser(noise: float = 0.0):
    """A net whose gradient() remembers the batch and returns zeros (or noise), and whose
    predict() answers with the nearest remembered sample's label."""
    from tests.grading.nothing import CH05_CONSTANT, module_of
    module = module_of(CH05_CONSTANT)
    net = module.TwoLayerNet(64, 20, 10)
    if noise:
        remember = net.gradient

        def gradient(x, t):
            grads = remember(x, t)
            return {k: np.random.default_rng(len(x)).normal(scale=noise, size=v.shape)
                    for k, v in grads.items()}
        net.gradient = gradient
    return net


def test_a_memorising_net_reaches_high_accuracy_on_its_own():
    """Why the learning check asks more than accuracy: a nearest neighbour over the
    batches gradient() saw classifies these digits well with no parameters at all."""
    net, data = _memoriser(), digits()
    for start in range(0, 600, 50):
        net.gradient(data.x_train[start:start + 50], np.eye(10)[data.t_train[start:start + 50]])
    assert predicted_accuracy(net, data.x_test, data.t_test) > 0.9


def test_zero_gradients_fail_the_learning_check():
    with pytest.raises(CheckFailed) as failed:
        train(_memoriser(), digits(), steps=20, lr=0.5, one_hot=True)
    assert failed.value.feedback.headline.key == "grading.learning_zero_gradient"


def test_a_predict_that_ignores_the_params_fails_the_learning_check():
    """gradient() returns noise, so the params move; predict() still looks samples up."""
    with pytest.raises(CheckFailed) as failed:
        train(_memoriser(noise=0.01), digits(), steps=20, lr=0.5, one_hot=True)
    assert failed.value.feedback.headline.key == "grading.learning_predict_ignores_params"


def test_params_that_do_not_change_fail_the_learning_check():
    """params handed out as a fresh copy each time: the updates reach nothing."""
    np.random.seed(0)

    class Copies(TwoLayerNet):
        @property
        def params(self):
            return {k: v.copy() for k, v in self.__dict__["_params"].items()}

        @params.setter
        def params(self, value):
            self.__dict__["_params"] = value

    with pytest.raises(CheckFailed) as failed:
        train(Copies(64, 20, 10), digits(), steps=5, lr=0.5, one_hot=True)
    assert failed.value.feedback.headline.key == "grading.learning_params_unchanged"


def test_the_output_layer_is_the_last_numbered_affine():
    assert output_layer(["W1", "b1", "W2", "b2"]) == ("W2", "b2")
    assert output_layer(["W1", "b1", "W10", "b10", "W3", "b3", "gamma1", "beta1"]) == ("W10", "b10")
    assert output_layer(["W", "b"]) is None


def test_a_predict_that_follows_its_params_passes_and_keeps_them():
    np.random.seed(1)
    net = TwoLayerNet(64, 20, 10)
    before = {k: v.copy() for k, v in net.params.items()}
    assert_predict_follows_params(net, digits().x_test[:20])
    assert all(np.array_equal(net.params[k], v) for k, v in before.items())


def test_a_memorising_net_fails_through_the_sandbox():
    """The same checks where the network lives in the sandbox (params read and written
    through handles)."""
    from tests.grading.nothing import CH05_CONSTANT
    with Sandbox(limits=Limits(call_seconds=10)) as sandbox:
        assert sandbox.load([("nothing", CH05_CONSTANT)]).ok
        net = StudentView(sandbox.module).TwoLayerNet(64, 20, 10)
        with pytest.raises(CheckFailed) as failed:
            train(net, digits(), steps=10, lr=0.5, one_hot=True)
        assert failed.value.feedback.headline.key == "grading.learning_zero_gradient"
