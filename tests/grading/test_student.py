"""Does the student view keep a student's in-place changes away from the test's own data,
except where a test asks to see them?"""

import numpy as np
import pytest

from autograder.assignment import load_assignment
from autograder.grading.outcome import TestStatus
from autograder.grading.runner import run_hidden_suite
from autograder.grading.student import ItemUnavailable, StudentView

from .students import define, reference_student

pytestmark = pytest.mark.sandbox

MSE_IN_PLACE = """
import numpy as np

def mean_squared_error(y, t):
    y -= t            # right value, but it changes the caller's y
    return 0.5 * np.sum(y ** 2)
"""
RELU_IN_PLACE = """
def relu(x):
    x[x < 0] = 0
    return x
"""
NET = """
class Net:
    def loss(self, x):
        x *= 2
        return float(x.sum())
"""


def _failed(assignment_id, module):
    assignment = load_assignment(assignment_id)
    outcomes = run_hidden_suite(assignment.suite_dir, StudentView(module),
                                reference=assignment.package)
    return {o.test_id.split("::")[1] for o in outcomes if o.status is not TestStatus.PASSED}


def test_an_in_place_slip_does_not_change_the_expected_value():
    module = reference_student(mean_squared_error=define(MSE_IN_PLACE, "mean_squared_error"))
    assert _failed("ch04", module) == set()


def test_the_in_place_test_still_sees_what_the_student_did():
    module = reference_student(relu=define(RELU_IN_PLACE, "relu"))
    assert _failed("ch03", module) == {"test_input_left_unchanged"}


def test_calls_and_methods_of_returned_objects_get_copies_inplace_gets_the_originals():
    module = reference_student(Net=define(NET, "Net"),
                               mean_squared_error=define(MSE_IN_PLACE, "mean_squared_error"))
    view = StudentView(module)
    y, t = np.array([1.0, 2.0]), np.array([0.0, 1.0])
    assert view.mean_squared_error(y, t) == pytest.approx(1.0)
    np.testing.assert_array_equal(y, [1.0, 2.0])
    net, x = view.Net(), np.ones(3)
    assert net.loss(x) == 6.0
    np.testing.assert_array_equal(x, np.ones(3))
    view.inplace.mean_squared_error(y, t)
    np.testing.assert_array_equal(y, [1.0, 1.0])


def test_unavailable_items_are_refused_in_both_views():
    view = StudentView(reference_student(), unavailable={"softmax": "imported, not written"})
    for v in (view, view.inplace):
        with pytest.raises(ItemUnavailable, match="imported"):
            v.softmax


def test_a_wrong_return_type_is_named_as_the_student_wrote_it():
    from autograder.grading.checks import CheckFailed, assert_close
    from autograder.feedback import msg
    view = StudentView(reference_student(relu=define(
        "class Thing:\n    pass\n\ndef relu(x):\n    return Thing()\n", "relu")))
    with pytest.raises(CheckFailed) as info:
        assert_close(view.relu(np.ones(2)), np.ones(2), call="relu(x)")
    assert info.value.feedback.headline == msg("grading.not_numeric", call="relu(x)", kind="Thing")


OWN_NAMES = """
class TwoLayerNet:
    def __init__(self, n_in, n_hidden, n_out, scale=0.01):
        self.sizes = (n_in, n_hidden, n_out, scale)

def gradient_descent(f, x0, learning_rate=0.01):
    return x0
"""
BOOK_ORDER = {"TwoLayerNet": ("input_size", "hidden_size", "output_size", "weight_init_std")}


def test_a_class_with_its_own_parameter_names_is_built_by_position_with_a_note():
    """`TwoLayerNet(input_size=4, ...)` against `__init__(self, n_in, ...)`: built, and noted?"""
    from autograder.grading.checks import collecting_notes
    from autograder.feedback import msg
    module = reference_student(TwoLayerNet=define(OWN_NAMES, "TwoLayerNet"))
    view = StudentView(module, orders=BOOK_ORDER)
    with collecting_notes() as notes:
        net = view.TwoLayerNet(4, hidden_size=5, output_size=3)
    assert net.sizes == (4, 5, 3, 0.01)
    assert notes == [msg("grading.constructor_positional", name="TwoLayerNet",
                         keywords="hidden_size=, output_size=")]


@pytest.mark.parametrize("call", [
    lambda view: view.TwoLayerNet(4, 5, 3, weight_init_std=0.1, extra=1),   # not a book parameter
    lambda view: view.TwoLayerNet(4, 5, weight_init_std=0.1),               # a gap before it
    lambda view: StudentView(view._module).TwoLayerNet(input_size=4),        # no order known
    lambda view: view.gradient_descent(lambda x: 0.0, 1.0, lr=0.1),         # not a class
])
def test_no_retry_unless_it_is_clearly_the_same_call(call):
    module = reference_student(TwoLayerNet=define(OWN_NAMES, "TwoLayerNet"),
                               gradient_descent=define(OWN_NAMES, "gradient_descent"))
    view = StudentView(module, orders={**BOOK_ORDER, "gradient_descent": ("f", "init_x", "lr")})
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        call(view)


def test_the_retry_works_through_the_sandbox():
    """In grading the TypeError arrives as StudentRaised: is the class still rebuilt by position?"""
    from autograder.sandbox import Limits, Sandbox
    from autograder.sandbox.errors import StudentRaised
    with Sandbox(limits=Limits(call_seconds=5.0, load_seconds=5.0)) as sandbox:
        assert sandbox.load([("cell 1", OWN_NAMES)]).ok
        net = StudentView(sandbox.module, orders=BOOK_ORDER).TwoLayerNet(input_size=4, hidden_size=5,
                                                                          output_size=3)
        assert net.sizes == (4, 5, 3, 0.01)
        with pytest.raises(StudentRaised, match="unexpected keyword"):
            StudentView(sandbox.module).TwoLayerNet(input_size=4, hidden_size=5, output_size=3)
