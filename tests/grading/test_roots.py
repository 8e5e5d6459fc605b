"""When a test fails inside another graded item, does the feedback name that item?"""

import pytest

from autograder.grading.outcome import Status
from autograder.grading.roots import raised_in_other_item
from autograder.grading.runner import run_hidden_suite
from autograder.grading.student import StudentView
from autograder.messages import say
from autograder.sandbox import Limits, Sandbox, StudentRaised

BINDINGS = {"cross_entropy_error": "ce_loss", "simpleNet": "simpleNet", "Affine": "Affine",
            "TwoLayerNet": "TwoLayerNet"}


def raised(*frames):
    return StudentRaised("net.loss(x, t)", "IndexError", "bad index", "", tuple(frames))


def test_an_exception_inside_another_item_names_it_by_the_students_name():
    exc = raised(("cell 7", 9, "simpleNet.loss"), ("cell 4", 6, "ce_loss"))
    assert raised_in_other_item(exc, "simpleNet", BINDINGS) == \
        say("grading.root.raised_in_other_item", name="ce_loss", cell="4", line=6)


def test_a_method_belongs_to_its_class_and_a_helper_to_the_item_that_called_it():
    # TwoLayerNet -> Affine.forward -> the student's own ungraded helper, which raised.
    exc = raised(("cell 9", 20, "TwoLayerNet.predict"), ("cell 8", 12, "Affine.forward"),
                 ("cell 2", 3, "matmul_helper"))
    assert "`Affine` (" in raised_in_other_item(exc, "TwoLayerNet", BINDINGS)


@pytest.mark.parametrize("frames", [
    [("cell 7", 9, "simpleNet.loss")],                                        # its own code
    [("cell 4", 6, "ce_loss"), ("cell 7", 9, "simpleNet.loss.<locals>.<lambda>")],  # own, innermost
    [("cell 2", 3, "helper")],                                                # no graded item
    [("ingest prelude", 1, "ce_loss")],                                       # no cell to point at
    [],
])
def test_nothing_is_said_when_the_tests_own_item_or_no_item_raised(frames):
    assert raised_in_other_item(raised(*frames), "simpleNet", BINDINGS) == ""


SUITE = '''
import numpy as np
import pytest


@pytest.mark.item("simpleNet")
def test_loss(student):
    net = student.simpleNet()
    net.loss(np.array([0.6, 0.9]), np.array([0, 0, 1]))


@pytest.mark.item("cross_entropy_error")
def test_cross_entropy_error(student):
    student.cross_entropy_error(np.array([0.1, 0.9]), np.array([0, 1]))
'''

STUDENT = [("cell 1", "import numpy as np\n"),
           ("cell 2", "def ce_loss(y, t):\n    return -np.sum(t * np.log(y[t.size]))\n"),
           ("cell 3", "class simpleNet:\n    def __init__(self):\n        self.W = np.ones((2, 3))\n\n"
                      "    def loss(self, x, t):\n        return ce_loss(x @ self.W, t)\n")]


def test_the_feedback_of_the_calling_item_names_the_item_that_raised(tmp_path):
    (tmp_path / "test_items.py").write_text(SUITE)
    with Sandbox(Limits(call_seconds=10.0)) as box:
        assert box.load(STUDENT).ok
        view = StudentView(box.module, {"cross_entropy_error": "ce_loss", "simpleNet": "simpleNet"})
        out = {o.test_id.split("::")[1]: o for o in run_hidden_suite(tmp_path, view)}
    loss, own = out["test_loss"], out["test_cross_entropy_error"]
    assert loss.status is Status.ERROR and loss.points == 0
    assert loss.message.endswith(say("grading.root.raised_in_other_item", name="ce_loss", cell="2", line=2))
    assert "in simpleNet.loss" in loss.message
    # The item that raised is told nothing more: it is already the place to look.
    assert own.status is Status.ERROR
    assert say("grading.root.raised_in_other_item", name="ce_loss", cell="2", line=2) not in own.message
