"""Does run_hidden_suite turn each way a hidden test can end into the right outcome?"""

import numpy as np
import pytest

from autograder.grading.outcome import TestStatus
from autograder.grading.runner import HiddenSuiteError, run_hidden_suite
from autograder.grading.student import StudentView
from autograder.messages import say

from .students import reference_student

pytestmark = pytest.mark.sandbox

SUITE = '''
import numpy as np
import pytest

from autograder.grading.checks import assert_close
from autograder.sandbox.errors import StudentRaised, TimeLimitExceeded

pytestmark = pytest.mark.item("softmax")


@pytest.mark.points(3)
def test_passes(student, reference):
    """softmax of a vector
    (second docstring line is not the title)"""
    x = np.array([1.0, 2.0])
    assert_close(student.softmax(x), reference.softmax(x), call="softmax(x)")


def test_wrong_answer(student):
    assert_close(np.array([2.0]), np.array([1.0]), call="softmax(x)")


def test_plain_assert(student):
    assert 1 == 2, "plain assertion text"


@pytest.mark.item("relu")
def test_missing(student):
    student.relu(np.zeros(2))


def test_student_raised(student):
    raise StudentRaised("softmax(x)", "ZeroDivisionError", "division by zero",
                        "Traceback (most recent call last):\\n  line 3, in softmax\\nZeroDivisionError")


def test_uses_a_global_from_a_skipped_cell(student):
    raise StudentRaised("softmax(x)", "NameError", "name 'x_train' is not defined", "")


@pytest.mark.item("sigmoid")
def test_time_limit(student):
    raise TimeLimitExceeded("sigmoid(x) ran past 5 s")


@pytest.mark.item("sigmoid")
def test_after_time_limit(student):
    """would pass, but its item already ran out of time"""


def test_unexpected_exception(student):
    {}["missing"]


@pytest.fixture
def broken():
    raise RuntimeError("fixture exploded")


def test_setup_fails(broken):
    pass


@pytest.fixture
def bad_teardown():
    yield
    raise RuntimeError("teardown exploded")


def test_teardown_fails(bad_teardown):
    pass


def test_rng_a(rng):
    print("noise on stdout")
    pytest.draws["a"] = rng.random(3).tolist()


def test_rng_b(rng):
    pytest.draws["b"] = rng.random(3).tolist()
'''


@pytest.fixture
def suite(tmp_path):
    # A conftest above the suite that would break any run that loaded it.
    (tmp_path / "conftest.py").write_text("raise RuntimeError('outer conftest was loaded')\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --this-option-does-not-exist\n")
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_demo.py").write_text(SUITE)
    return suite


@pytest.fixture
def draws(monkeypatch):
    # The suite reports its rng draws through a namespace both sides can reach.
    box = {}
    monkeypatch.setattr(pytest, "draws", box, raising=False)
    return box


def run(suite, **kwargs):
    view = StudentView(reference_student(), unavailable={"relu": "relu is imported, not written"})
    return {o.test_id.split("::")[1]: o for o in run_hidden_suite(suite, view, reference="reference.ch03_neural_networks",
                                                                **kwargs)}


def test_statuses_messages_and_markers(suite, draws):
    out = run(suite)
    assert out["test_passes"].status is TestStatus.PASSED
    assert out["test_passes"].name == "softmax of a vector"
    assert out["test_passes"].max_points == 3 and out["test_passes"].points == 3
    assert out["test_passes"].item == "softmax"

    wrong = out["test_wrong_answer"]
    assert wrong.status is TestStatus.FAILED and wrong.points == 0 and wrong.max_points == 1
    assert "softmax(x)" in wrong.message and wrong.name == "test_wrong_answer"
    assert "plain assertion text" in out["test_plain_assert"].message
    assert out["test_plain_assert"].status is TestStatus.FAILED

    missing = out["test_missing"]
    assert (missing.status, missing.item, missing.message) == \
        (TestStatus.MISSING, "relu", "relu is imported, not written")

    raised = out["test_student_raised"]
    assert raised.status is TestStatus.ERROR
    assert "ZeroDivisionError" in raised.message and "softmax(x)" in raised.message
    assert "line 3, in softmax" in raised.message
    assert out["test_time_limit"].status is TestStatus.ERROR
    assert say("grading.time_limit", detail="sigmoid(x) ran past 5 s") == out["test_time_limit"].message
    # One endless loop costs one time limit, not one per test of that item.
    after = out["test_after_time_limit"]
    assert after.status is TestStatus.ERROR
    assert after.message == say("grading.not_rerun_after_timeout", item="sigmoid")

    # A NameError is almost always a global made by a cell grading does not run: say so.
    undefined = out["test_uses_a_global_from_a_skipped_cell"]
    assert undefined.status is TestStatus.ERROR
    assert undefined.hint == say("hint.name_undefined")
    assert out["test_student_raised"].hint == ""

    unexpected = out["test_unexpected_exception"]
    assert unexpected.status is TestStatus.FAILED and "KeyError" in unexpected.message


def test_failed_setup_or_teardown_is_an_error_not_a_failure(suite, draws):
    out = run(suite)
    assert out["test_setup_fails"].status is TestStatus.ERROR
    assert "fixture exploded" in out["test_setup_fails"].message
    assert out["test_teardown_fails"].status is TestStatus.ERROR
    assert "teardown exploded" in out["test_teardown_fails"].message


def test_rng_is_per_test_and_repeatable(suite, draws):
    run(suite, seed=7)
    first = dict(draws)
    run(suite, seed=7)
    assert draws == first
    assert first["a"] != first["b"]
    run(suite, seed=8)
    assert draws["a"] != first["a"]


def test_repeated_runs_give_identical_outcomes_and_print_nothing(suite, draws, capfd):
    def strip(outcomes):
        return [(o.test_id, o.status, o.message, o.max_points) for o in outcomes.values()]
    first = strip(run(suite))
    for _ in range(3):
        assert strip(run(suite)) == first
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_outer_conftest_and_ini_are_ignored(suite, draws):
    assert len(run(suite)) == 13


def test_project_tests_are_not_collected(suite, draws):
    ids = run(suite).keys()
    assert not any("test_checks" in i or "test_plugin" in i for i in ids)


def test_broken_or_empty_suite_raises(tmp_path):
    (tmp_path / "test_broken.py").write_text("def test_x(:\n")
    with pytest.raises(HiddenSuiteError, match="test_broken"):
        run_hidden_suite(tmp_path, StudentView(reference_student()))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(HiddenSuiteError):
        run_hidden_suite(empty, StudentView(reference_student()))


def test_the_assignment_accept_policy_reaches_the_hidden_tests(tmp_path):
    (tmp_path / "test_list.py").write_text(
        "import numpy as np\nimport pytest\n"
        "from autograder.grading.checks import assert_close\n"
        "@pytest.mark.item('softmax')\n"
        "def test_list(student):\n"
        "    assert_close([0.5, 0.5], np.array([0.5, 0.5]), call='softmax(x)')\n")
    view = StudentView(reference_student())
    assert run_hidden_suite(tmp_path, view)[0].status is TestStatus.PASSED
    refused = run_hidden_suite(tmp_path, view, accept={"allow_list": False})[0]
    assert refused.status is TestStatus.FAILED
    assert say("grading.list_refused", call="softmax(x)") in refused.message


def test_a_huge_exception_message_is_clipped():
    from autograder.grading.plugin import MESSAGE_CHARS, fault_message
    from autograder.sandbox.errors import StudentRaised
    text = fault_message(StudentRaised("sigmoid(x)", "ValueError", "x" * 100_000))
    assert len(text) < 4 * MESSAGE_CHARS + 400
    assert "99700 more characters" in text


def test_a_pass_in_a_form_the_book_does_not_use_carries_its_note(tmp_path):
    """Is an accepted list answer a PASSED outcome that says it was accepted?"""
    (tmp_path / "test_list.py").write_text(
        "import pytest\nfrom autograder.grading.checks import assert_close, note\n"
        "pytestmark = pytest.mark.item('softmax')\n"
        "def test_list(student):\n    assert_close([1.0, 2.0], [1.0, 2.0], call='f(x)')\n"
        "def test_noted(student):\n    note('the other order')\n"
        "def test_plain(student):\n    assert_close(1.0, 1.0, call='f(x)')\n", encoding="utf-8")
    from autograder.messages import say
    view = StudentView(reference_student())
    outcomes = {o.test_id.split("::")[1]: o for o in run_hidden_suite(tmp_path, view)}
    assert all(o.status is TestStatus.PASSED for o in outcomes.values())
    assert outcomes["test_list"].message == say("grading.accepted_list")
    assert outcomes["test_noted"].message == "the other order"
    assert outcomes["test_plain"].message == ""
