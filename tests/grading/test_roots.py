"""When a test fails inside another graded item, does the feedback name that item?"""

import pytest

from autograder.grading.outcome import TestStatus
from autograder.grading.roots import raised_in_other_item
from autograder.grading.runner import run_hidden_suite
from autograder.grading.student import StudentView
from autograder.feedback import Where, msg
from autograder.sandbox import Limits, Sandbox, StudentRaised

pytestmark = pytest.mark.sandbox

BINDINGS = {"cross_entropy_error": "ce_loss", "simpleNet": "simpleNet", "Affine": "Affine",
            "TwoLayerNet": "TwoLayerNet"}


def raised(*frames):
    return StudentRaised("net.loss(x, t)", "IndexError", "bad index", "", tuple(frames))


def test_an_exception_inside_another_item_names_it_by_the_students_name():
    exc = raised(("cell 7", 9, "simpleNet.loss"), ("cell 4", 6, "ce_loss"))
    assert raised_in_other_item(exc, "simpleNet", BINDINGS) == \
        msg("grading.root.raised_in_other_item", name="ce_loss", cell=4, line=6)


def test_a_method_belongs_to_its_class_and_a_helper_to_the_item_that_called_it():
    # TwoLayerNet -> Affine.forward -> the student's own ungraded helper, which raised.
    exc = raised(("cell 9", 20, "TwoLayerNet.predict"), ("cell 8", 12, "Affine.forward"),
                 ("cell 2", 3, "matmul_helper"))
    assert raised_in_other_item(exc, "TwoLayerNet", BINDINGS) == \
        msg("grading.root.raised_in_other_item", name="Affine", cell=8, line=12)


@pytest.mark.parametrize("frames", [
    [("cell 7", 9, "simpleNet.loss")],                                        # its own code
    [("cell 4", 6, "ce_loss"), ("cell 7", 9, "simpleNet.loss.<locals>.<lambda>")],  # own, innermost
    [("cell 2", 3, "helper")],                                                # no graded item
    [("ingest prelude", 1, "ce_loss")],                                       # no cell to point at
    [],
])
def test_nothing_is_said_when_the_tests_own_item_or_no_item_raised(frames):
    assert raised_in_other_item(raised(*frames), "simpleNet", BINDINGS) is None


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
    assert loss.status is TestStatus.ERROR and loss.points == 0
    root = msg("grading.root.raised_in_other_item", name="ce_loss", cell=2, line=2)
    assert loss.feedback.details[-1] == root
    assert "in simpleNet.loss" in loss.feedback.details[0].text      # the traceback, verbatim
    # Where the student's code raised: ce_loss's line, in its cell, whichever test called it.
    assert loss.feedback.where == own.feedback.where == Where(cell=2, line=2)
    # The item that raised is told nothing more: it is already the place to look.
    assert own.status is TestStatus.ERROR
    assert root not in own.feedback.details


VALUE_SUITE = '''
import numpy as np
import pytest

from autograder.grading.checks import assert_close

X, T = np.array([0.6, 0.9]), np.array([0.0, 0.0, 1.0])


@pytest.mark.item("simpleNet")
def test_loss(student, reference):
    net, ref = student.simpleNet(), reference.simpleNet()
    net.W = ref.W = np.arange(6.0).reshape(2, 3) / 10
    assert_close(net.loss(X, T), ref.loss(X, T), call="net.loss(x, t)")


@pytest.mark.item("simpleNet")
def test_predict(student, reference, rng):
    net, ref = student.simpleNet(), reference.simpleNet()
    net.W = ref.W = rng.normal(size=(2, 3))
    assert_close(net.predict(X), ref.predict(X), call="net.predict(x)")


@pytest.mark.item("cross_entropy_error")
def test_cross_entropy_error(student, reference):
    y = np.array([0.1, 0.2, 0.7])
    assert_close(student.cross_entropy_error(y, T), reference.cross_entropy_error(y, T), call="cee(y, t)")
'''

NET = ("class simpleNet:\n    def __init__(self):\n        self.W = np.ones((2, 3))\n\n"
       "    def predict(self, x):\n        return np.dot(x, self.W){}\n\n"
       "    def loss(self, x, t):\n        return ce_loss(softmax(self.predict(x)), t)\n")
SOFTMAX = "def softmax(x):\n    e = np.exp(x - np.max(x))\n    return e / np.sum(e)\n"
CEE_WITHOUT_MINUS = "def ce_loss(y, t):\n    return np.sum(t * np.log(y + 1e-7))\n"
CEE_RIGHT = "def ce_loss(y, t):\n    return -np.sum(t * np.log(y + 1e-7))\n"


def grade_values(tmp_path, cee: str, predict_slip: str = "") -> dict:
    (tmp_path / "test_values.py").write_text(VALUE_SUITE)
    blocks = [("cell 1", "import numpy as np\n" + SOFTMAX), ("cell 2", cee), ("cell 3", NET.format(predict_slip))]
    with Sandbox(Limits(call_seconds=10.0)) as box:
        assert box.load(blocks).ok
        view = StudentView(box.module, {"cross_entropy_error": "ce_loss", "simpleNet": "simpleNet"})
        return {o.test_id.split("::")[1]: o for o in run_hidden_suite(tmp_path, view,
                                                                        reference="reference.ch04_training")}


CHARGED_AT_CE = (msg("grading.root.charged_at", names="`ce_loss`"),)
PASSES_WITH_CE = msg("grading.root.passes_with_reference", names="`ce_loss`")


def test_a_wrong_value_that_a_correct_helper_fixes_is_charged_at_the_helper_only(tmp_path):
    out = grade_values(tmp_path, CEE_WITHOUT_MINUS)
    loss = out["test_loss"]
    # One slip, charged once: at ce_loss's own test, which fails; the composite passes
    # with a note saying where the slip was charged.
    assert loss.status is TestStatus.PASSED and loss.points == 1
    assert loss.notes == CHARGED_AT_CE and loss.feedback is None
    # The helper's own test is told nothing more, and still meets the student's own function.
    own = out["test_cross_entropy_error"]
    assert own.status is TestStatus.FAILED
    assert PASSES_WITH_CE not in own.feedback.details
    assert out["test_predict"].status is TestStatus.PASSED


def test_a_wrong_value_of_the_items_own_making_names_no_helper(tmp_path):
    out = grade_values(tmp_path, CEE_RIGHT, predict_slip=" * 2")
    loss = out["test_loss"]
    assert loss.status is TestStatus.FAILED
    assert PASSES_WITH_CE not in loss.feedback.details
    assert out["test_cross_entropy_error"].status is TestStatus.PASSED


# A notebook that, when the grader lends it the reference's cross-entropy (to run
# test_loss again), computes that function on test_cross_entropy_error's fixed input and
# keeps the answer for when its own ce_loss is graded.
HOARDING_CEE = ("STASH = {}\n\n"
                "def ce_loss(y, t):\n"
                "    key = (tuple(np.round(y, 6)), tuple(t))\n"
                "    if key in STASH:\n"
                "        return STASH[key]\n"
                "    return np.sum(t * np.log(y + 1e-7))\n")
HOARDING_NET = ("class simpleNet:\n    def __init__(self):\n        self.W = np.ones((2, 3))\n\n"
                "    def predict(self, x):\n        return np.dot(x, self.W)\n\n"
                "    def loss(self, x, t):\n"
                "        if type(ce_loss).__name__ != 'function':   # the grader's, lent\n"
                "            y, T = np.array([0.1, 0.2, 0.7]), np.array([0.0, 0.0, 1.0])\n"
                "            STASH[(tuple(np.round(y, 6)), tuple(T))] = ce_loss(y, T)\n"
                "        return ce_loss(softmax(self.predict(x)), t)\n")
RESIDENT_SUITE = '''
import numpy as np
import pytest

from autograder.grading.checks import assert_close
from autograder.grading.resident import ResidentParams


@pytest.mark.item("step")
def test_step_in_place(student):
    with ResidentParams(student, {"W": np.ones(3)}) as resident:
        student.step(resident.params)
        assert_close(resident.original("W"), np.full(3, 0.5), call="step(params)")
'''
STEP = "def step(params):\n    params['W'] -= 0.5\n"


def grade_blocks(tmp_path, blocks) -> dict:
    (tmp_path / "test_values.py").write_text(VALUE_SUITE)
    (tmp_path / "test_values_resident.py").write_text(RESIDENT_SUITE)
    with Sandbox(Limits(call_seconds=10.0)) as box:
        assert box.load(blocks).ok
        view = StudentView(box.module, {"cross_entropy_error": "ce_loss", "simpleNet": "simpleNet",
                                        "step": "step"})
        outcomes = run_hidden_suite(tmp_path, view, reference="reference.ch04_training")
        return {o.test_id.split("::")[1]: o for o in outcomes}


def test_what_a_notebook_kept_from_the_lent_reference_scores_nothing_later(tmp_path):
    head = ("cell 1", "import numpy as np\n" + SOFTMAX)
    hoarder = grade_blocks(tmp_path, [head, ("cell 2", HOARDING_CEE), ("cell 3", HOARDING_NET),
                                      ("cell 4", STEP)])
    honest = grade_blocks(tmp_path, [head, ("cell 2", CEE_WITHOUT_MINUS), ("cell 3", NET.format("")),
                                     ("cell 4", STEP)])
    # The retry did run with the reference lent (it names the helper), and then the
    # stash went with the restarted process: ce_loss is graded on its own answer.
    assert hoarder["test_loss"].notes == CHARGED_AT_CE
    assert hoarder["test_cross_entropy_error"].status is TestStatus.FAILED
    assert {k: o.points for k, o in hoarder.items()} == {k: o.points for k, o in honest.items()}
    # A suite's resident state after the restart: the test after the retry meets a
    # working process and its own params dict there.
    assert hoarder["test_step_in_place"].status is TestStatus.PASSED


ABUSING_NET = ("class simpleNet:\n    def __init__(self):\n        self.W = np.ones((2, 3))\n\n"
               "    def predict(self, x):\n        return np.dot(x, self.W)\n\n"
               "    def loss(self, x, t):\n"
               "        if type(ce_loss).__name__ != 'function':   # the grader's, lent\n"
               "            try:\n"
               "                ce_loss(np.ones(3), 10 ** 9)\n"
               "            except Exception:\n"
               "                pass\n"
               "        return ce_loss(softmax(self.predict(x)), t)\n")


def test_a_lent_call_beyond_its_bounds_makes_the_retry_claim_nothing(tmp_path):
    head = ("cell 1", "import numpy as np\n" + SOFTMAX)
    abuser = grade_blocks(tmp_path, [head, ("cell 2", CEE_WITHOUT_MINUS), ("cell 3", ABUSING_NET),
                                     ("cell 4", STEP)])
    honest = grade_blocks(tmp_path, [head, ("cell 2", CEE_WITHOUT_MINUS), ("cell 3", NET.format("")),
                                     ("cell 4", STEP)])
    assert honest["test_loss"].status is TestStatus.PASSED and honest["test_loss"].notes == CHARGED_AT_CE
    # The abuser's retry claims nothing: its composite is not forgiven.
    assert abuser["test_loss"].status is TestStatus.FAILED
    assert PASSES_WITH_CE not in abuser["test_loss"].feedback.details
    assert abuser["test_loss"].notes == ()
    del abuser["test_loss"], honest["test_loss"]
    assert {k: o.points for k, o in abuser.items()} == {k: o.points for k, o in honest.items()}
