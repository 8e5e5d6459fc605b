"""Do the checks say what was called, what came back and by how much it missed, and name
the classic misses only when the answer really is one of them? Failures are data: the
tests read catalog keys and fields, not sentences."""

import numpy as np
import pytest

from reference import ch03_neural_networks as ch03, ch04_training as ch04
from reference.ch03_neural_networks import hints as ch03_hints
from reference.ch04_training import hints as ch04_hints
from autograder.grading import tolerances as tol
from autograder.grading.checks import (CheckFailed, assert_close, assert_dtype_kind,
                                       assert_grad_close, assert_keys, assert_restored,
                                       assert_shape, rel_error)
from autograder.feedback import Feedback, msg


def failure(fn, *args, **kwargs) -> CheckFailed:
    with pytest.raises(CheckFailed) as info:
        fn(*args, **kwargs)
    return info.value


def test_mismatch_message_has_call_shapes_numbers_and_worst_index():
    expected = np.array([[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])
    actual = expected.copy()
    actual[1, 2] += 0.5
    exc = failure(assert_close, actual, expected, call="softmax(x)", inputs={"x": np.zeros((2, 3))})
    feedback = exc.feedback
    assert feedback.headline == msg("grading.mismatch", call="softmax(x)")
    assert feedback.inputs.startswith("x = ndarray shape (2, 3) float64")   # described
    assert feedback.returned.startswith("ndarray shape (2, 3) float64")
    size, worst = feedback.details[:2]
    assert size.key == "grading.detail.error_size" and size.field("max_abs") == "0.5"
    assert worst == msg("grading.detail.worst", index="(1, 2)", returned="0.9", expected="0.4")
    assert exc.hint is None


def test_close_enough_passes_and_returns_the_array():
    expected = np.linspace(0, 1, 5)
    got = assert_close(expected * (1 + 1e-9), expected, call="f(x)")
    assert isinstance(got, np.ndarray) and got.shape == (5,)


@pytest.mark.parametrize("returned, key", [
    (None, "grading.returned_none"),
    ({"a": 1}, "grading.not_numeric"),
    ("0.5", "grading.not_numeric"),
    ([[1.0, 2.0], [3.0]], "grading.not_numeric"),
    (0.5, "grading.wrong_shape"),
    (np.zeros((3, 2)), "grading.wrong_shape"),
])
def test_bad_returns_get_a_clear_message_not_a_type_error(returned, key):
    exc = failure(assert_close, returned, np.zeros((2, 3)), call="softmax(x)")
    assert exc.feedback.headline.key == key
    assert exc.feedback.headline.field("call") == "softmax(x)"


def test_wrong_shape_names_both_shapes():
    exc = failure(assert_close, np.zeros((3, 2)), np.zeros((2, 3)), call="f(x)")
    assert exc.feedback.headline == msg("grading.wrong_shape", call="f(x)", got="(3, 2)", want="(2, 3)")


def test_list_accepted_by_default_and_refused_when_asked():
    expected = np.array([1.0, 2.0])
    assert_close([1.0, 2.0], expected, call="f(x)")
    exc = failure(assert_close, [1.0, 2.0], expected, call="f(x)", allow_list=False)
    assert exc.feedback.headline == msg("grading.list_refused", call="f(x)")
    # A wrong list says it was accepted as an array, so the student knows the type was fine.
    exc = failure(assert_close, [1.0, 3.0], expected, call="f(x)")
    assert msg("grading.accepted_list") in exc.feedback.details


def test_float32_accepted_with_single_precision_tolerance():
    expected = np.array([0.1, 0.2, 0.7])
    single = expected.astype(np.float32)
    assert_close(single, expected, call="f(x)")      # off by ~1e-8 relative, beyond RTOL
    exc = failure(assert_close, single, expected, call="f(x)", allow_float32=False)
    assert exc.feedback.headline == msg("grading.float32_refused", call="f(x)", dtype="float32")
    exc = failure(assert_close, (expected + 0.01).astype(np.float32), expected, call="f(x)")
    assert msg("grading.accepted_float32", dtype="float32") in exc.feedback.details


def test_the_assignment_policy_sets_the_default_and_a_call_can_override_it():
    from autograder.grading.checks import accepting
    expected = np.array([0.1, 0.2, 0.7])
    single = expected.astype(np.float32)
    with accepting(allow_float32=False, allow_list=False):
        exc = failure(assert_close, single, expected, call="f(x)")
        assert exc.feedback.headline == msg("grading.float32_refused", call="f(x)", dtype="float32")
        failure(assert_close, [0.1, 0.2, 0.7], expected, call="f(x)")
        failure(assert_grad_close, single, expected, call="grad")
        assert_close(single, expected, call="f(x)", allow_float32=True)
    assert_close(single, expected, call="f(x)")  # the policy ends with the block


def test_scalar_expectation_accepts_a_one_element_array():
    assert_close(np.array([0.5]), 0.5, call="loss(y, t)")


def test_int_result_for_float_expectation_gets_the_dtype_hint():
    exc = failure(assert_close, np.array([0, 1]), np.array([0.5, 1.5]), call="numerical_gradient(f, x)")
    assert exc.hint == msg("hint.int_dtype")


def test_bool_step_function_gets_the_bool_hint_and_numbers_pass():
    x = np.array([-1.0, 0.0, 2.0])
    assert_close(x > 0, ch03.step_function(x), call="step_function(x)")   # values are right
    exc = failure(assert_dtype_kind, x > 0, "iuf", call="step_function(x)", want="int/float")
    assert exc.hint == msg("hint.bool_dtype")
    assert_dtype_kind(np.array([0, 1]), "iuf", call="step_function(x)", want="int/float")


# --- hints: each classic miss, recognised; a right answer never gets one ------------

def _hint_of(actual, expected, variants, **kwargs):
    return failure(assert_close, actual, expected, call="f", variants=variants, **kwargs).hint


def test_softmax_overflow_hint():
    x = np.array([1010.0, 1000.0, 990.0])
    with np.errstate(all="ignore"):
        naive = np.exp(x) / np.sum(np.exp(x))
    assert _hint_of(naive, ch03.softmax(x), ch03_hints.softmax_variants(x)) == \
        msg("hint.softmax_overflow")
    details = failure(assert_close, naive, ch03.softmax(x), call="f").feedback.details
    assert msg("grading.nonfinite", count=3) in details   # every entry is nan


@pytest.mark.parametrize("key, wrong", [
    ("softmax_axis0", lambda x: np.exp(x) / np.sum(np.exp(x), axis=0)),
    ("softmax_whole", lambda x: np.exp(x) / np.sum(np.exp(x))),
])
def test_softmax_axis_hints(key, wrong):
    x = np.random.default_rng(1).normal(size=(4, 3))
    assert _hint_of(wrong(x), ch03.softmax(x), ch03_hints.softmax_variants(x)) == \
        msg(f"hint.{key}")


def test_cross_entropy_hints():
    rng = np.random.default_rng(2)
    y = rng.dirichlet(np.ones(4), size=5)
    t = np.eye(4)[rng.integers(4, size=5)]
    right = ch04.cross_entropy_error(y, t)
    variants = ch04_hints.cross_entropy_variants(y, t)
    assert _hint_of(right * 5, right, variants) == msg("hint.cee_no_batch_mean")
    per_sample = -np.sum(t * np.log(y + 1e-7), axis=1)
    exc = failure(assert_close, per_sample, right, call="f", variants=variants)
    assert exc.hint == msg("hint.cee_per_sample") and exc.feedback.headline.field("got") == "(5,)"
    y0 = np.array([[0.0, 0.4, 0.6]])
    t0 = np.array([[1, 0, 0]])
    assert _hint_of(np.inf, ch04.cross_entropy_error(y0, t0),
                    ch04_hints.cross_entropy_variants(y0, t0)) == msg("hint.cee_no_delta")


def test_mean_squared_hints():
    y, t = np.array([0.1, 0.6, 0.3]), np.array([0.0, 1.0, 0.0])
    right = ch04.mean_squared_error(y, t)
    variants = ch04_hints.mean_squared_variants(y, t)
    assert _hint_of(2 * right, right, variants) == msg("hint.mse_no_half")
    assert _hint_of(np.mean((y - t) ** 2), right, variants) == msg("hint.mse_mean")


def test_numerical_diff_hints():
    def f(x):
        return x ** 3
    h, x = 1e-4, 2.0
    right = ch04.numerical_diff(f, x)
    variants = ch04_hints.numerical_diff_variants(f, x)
    kw = {"rtol": tol.NUMERICAL_DIFF_RTOL, "atol": tol.NUMERICAL_DIFF_ATOL}
    assert _hint_of((f(x + h) - f(x)) / h, right, variants, **kw) == msg("hint.diff_forward")
    assert _hint_of((f(x + h) - f(x - h)) / 2 * h, right, variants, **kw) == \
        msg("hint.diff_precedence")
    assert _hint_of(0.0, right, variants, **kw) == msg("hint.diff_tiny_h")


def test_accuracy_hints():
    y = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.9, 0.05, 0.05]])
    t = np.eye(3)[[0, 1, 2, 1]]
    right = 0.75
    variants = ch03_hints.accuracy_variants(y, t)
    assert _hint_of(3.0, right, variants) == msg("hint.accuracy_count")
    wrong_axis = np.sum(np.argmax(y, axis=0) == np.argmax(t, axis=0)) / 4
    assert wrong_axis != right
    assert _hint_of(wrong_axis, right, variants) == msg("hint.accuracy_axis")


def test_right_answers_never_fail_and_wrong_unrelated_answers_get_no_hint():
    x = np.random.default_rng(3).normal(size=(3, 4))
    assert_close(ch03.softmax(x), ch03.softmax(x), call="f",
                 variants=ch03_hints.softmax_variants(x))
    assert _hint_of(np.full((3, 4), 0.25), ch03.softmax(x), ch03_hints.softmax_variants(x)) is None


# --- gradients, restoration, dict checks --------------------------------------------

def test_rel_error_is_cs231n():
    assert rel_error([1.0], [3.0])[0] == pytest.approx(0.5)
    assert rel_error([0.0], [0.0])[0] == 0.0
    assert rel_error([1e-12], [3e-12], atol=1e-8)[0] == 0.0


def test_grad_check_passes_within_threshold_and_reports_the_worst_entry():
    g = np.array([[1.0, -2.0], [0.5, 3.0]])
    assert_grad_close(g * (1 + 1e-9), g, call="net.gradient(x, t)['W1']")
    bad = g.copy()
    bad[0, 1] = -2.2
    exc = failure(assert_grad_close, bad, g, call="net.gradient(x, t)['W1']")
    assert exc.feedback.details[:2] == (
        msg("grading.detail.rel_error", error="0.0476", threshold=f"{tol.GRAD_REL_TOL:g}"),   # 0.2 / 4.2
        msg("grading.detail.worst", index="(0, 1)", returned="-2.2", expected="-2"))


def test_not_restored_names_the_hint():
    before = np.array([1.0, 2.0, 3.0])
    assert_restored(before, before.copy(), call="numerical_gradient(f, x)")
    exc = failure(assert_restored, before, before - [0, 1e-4, 0], call="numerical_gradient(f, x)")
    assert exc.hint == msg("hint.grad_not_restored")
    assert exc.feedback.details == (msg("grading.detail.changed", max_abs="0.0001", index="(1,)"),)


def test_keys_and_shapes():
    params = {"W1": np.zeros((2, 3))}
    assert assert_keys(params, ["W1"], call="net.params") is params
    missing = failure(assert_keys, params, ["W1", "b1"], call="net.params").feedback
    assert missing.headline == msg("grading.missing_keys", call="net.params", keys="'b1'")
    assert missing.details == (msg("grading.detail.keys", keys="['W1']"),)
    assert failure(assert_keys, [1], ["W1"], call="net.params").feedback.headline.field("kind") == "list"
    assert_shape(params["W1"], (2, 3), call="net.params['W1']")
    assert failure(assert_shape, params["W1"], (3, 2), call="W").feedback.headline.field("want") == "(3, 2)"
    failure(assert_shape, None, (3, 2), call="W")


# --- a value is converted to a real array before anything about it is read ----------

class _RecordingSandbox:
    """Stands in for a sandbox: every remote access a Handle would make is recorded."""

    def __init__(self):
        self.calls = []

    def _getattr(self, handle, name):
        self.calls.append(("getattr", name))
        return {"shape": (2, 3), "dtype": np.dtype("float64"), "ndim": 2}.get(name, 0)

    def _getitem(self, handle, key):
        self.calls.append(("getitem", key))
        return 0.0

    def _call(self, handle, args, kwargs):
        self.calls.append(("call", args))
        return np.zeros((2, 3))

    def _setattr(self, handle, name, value):
        self.calls.append(("setattr", name))

    def _forget(self, ref):
        pass


def _handle(type_name="FakeArray"):
    from types import SimpleNamespace

    from autograder.sandbox.proxy import Handle
    sandbox = _RecordingSandbox()
    return Handle(sandbox, SimpleNamespace(type_name=type_name, generation=0), "W1"), sandbox


class FakeArray:
    """A student object pretending to be a 2x3 float array every way numpy might ask."""

    shape, dtype, ndim, size = (2, 3), np.dtype("float64"), 2, 6

    def __array__(self, dtype=None, copy=None):
        return np.zeros((2, 3))

    def __len__(self):
        return 2

    def __getitem__(self, key):
        return np.zeros(3)


@pytest.mark.parametrize("check, args", [
    (assert_shape, ((2, 3),)),
    (assert_close, (np.zeros((2, 3)),)),
    (assert_grad_close, (np.zeros((2, 3)),)),
    (assert_dtype_kind, ("f",)),
])
def test_a_sandbox_handle_fails_without_a_single_remote_read(check, args):
    """Does a Handle to a student object fail every check, named by its type, unread?"""
    extra = {"want": "float"} if check is assert_dtype_kind else {}
    handle, sandbox = _handle()
    exc = failure(check, handle, *args, call="init_network()['W1']", **extra)
    assert exc.feedback.headline == msg("grading.not_numeric", call="init_network()['W1']", kind="FakeArray")
    assert sandbox.calls == []


def test_a_shielded_handle_and_a_list_of_handles_are_refused_too():
    """Are a Handle behind the student view's shield, or inside a list, refused unread?"""
    from autograder.grading.student import Shielded
    handle, sandbox = _handle()
    exc = failure(assert_shape, Shielded(handle), (2, 3), call="W")
    assert exc.feedback.headline == msg("grading.not_numeric", call="W", kind="FakeArray")
    exc = failure(assert_close, [[0.0, 0.0, 0.0], handle], np.zeros((2, 3)), call="W")
    assert exc.feedback.headline == msg("grading.not_numeric", call="W", kind="list of FakeArray")
    failure(assert_restored, np.zeros(3), handle, call="numerical_gradient(f, x)")
    assert sandbox.calls == []


@pytest.mark.parametrize("check, args", [
    (assert_shape, ((2, 3),)),
    (assert_close, (np.zeros((2, 3)),)),
    (assert_dtype_kind, ("f",)),
])
def test_an_object_with_array_attributes_is_not_an_array(check, args):
    """Does an in-process object with shape, dtype and __array__ fail, named by its class?"""
    extra = {"want": "float"} if check is assert_dtype_kind else {}
    exc = failure(check, FakeArray(), *args, call="f()", **extra)
    assert exc.feedback.headline == msg("grading.not_numeric", call="f()", kind="FakeArray")


def test_shape_is_read_from_the_data_not_from_an_override():
    """Does an ndarray subclass claiming shape (2, 3) over 3 numbers fail with shape (3,)?"""
    class Liar(np.ndarray):
        @property
        def shape(self):
            return (2, 3)

    exc = failure(assert_shape, np.zeros(3).view(Liar), (2, 3), call="W")
    assert exc.feedback.headline.field("got") == "(3,)"
    assert isinstance(assert_shape([[1, 2, 3], [4, 5, 6]], (2, 3), call="W"), np.ndarray)


def test_lists_follow_the_policy_and_odd_lists_are_refused():
    """Is a list of numbers a shape pass unless lists are refused; are strings and cycles refused?"""
    from autograder.grading.checks import accepting
    with accepting(allow_list=False):
        failure(assert_shape, [[1.0, 2.0, 3.0]], (1, 3), call="W")
    failure(assert_shape, [["a", "b", "c"]], (1, 3), call="W")
    cycle = [1.0]
    cycle.append(cycle)
    exc = failure(assert_shape, cycle, (2,), call="W")
    assert exc.feedback.headline == msg("grading.not_numeric", call="W", kind="list")


def test_keys_are_read_from_a_real_dict_only():
    """Is a dict subclass that claims every key judged by its real items, and a Handle refused?"""
    class Yes(dict):
        def __contains__(self, key):
            return True

        def __getitem__(self, key):
            return np.zeros((2, 3))

    exc = failure(assert_keys, Yes(W1=np.zeros(2)), ["W1", "b1"], call="init_network()")
    assert exc.feedback.headline.field("keys") == "'b1'"
    assert assert_keys(Yes(W1=1), ["W1"], call="init_network()") == {"W1": 1}
    handle, sandbox = _handle("Network")
    exc = failure(assert_keys, handle, ["W1"], call="init_network()")
    assert exc.feedback.headline == msg("grading.not_dict", call="init_network()", kind="Network")
    assert sandbox.calls == []


def test_a_bare_message_is_the_headline_of_a_feedback():
    """Does CheckFailed take a lone message as a headline, and a Feedback as it is?"""
    headline = msg("grading.returned_none", call="f(x)")
    assert CheckFailed(headline).feedback == Feedback(headline)
    full = Feedback(headline, returned="None")
    assert CheckFailed(full, msg("hint.int_dtype")).feedback is full


def test_a_failure_survives_being_stored():
    """Does a check's feedback read back from to_data as it was, and render in each language?"""
    exc = failure(assert_close, [1.0, 3.0], np.array([1.0, 2.0]), call="f(x)", inputs={"x": 1.0})
    stored = Feedback.from_data(exc.feedback.to_data())
    assert stored == exc.feedback
    ko, en = (stored.details[0].render(lang) for lang in ("ko", "en"))
    assert en.startswith("max abs error: 1") and ko.startswith("최대 절대 오차: 1")
