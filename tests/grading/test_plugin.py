"""Does run_hidden_suite turn each way a hidden test can end into the right outcome?"""

import numpy as np
import pytest

from autograder.grading.outcome import TestStatus
from autograder.grading.runner import HiddenSuiteError, run_hidden_suite
from autograder.grading.student import StudentView
from autograder.feedback import Feedback, Message, Verbatim, Where, msg

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
                        "Traceback (most recent call last):\\n  line 3, in softmax\\nZeroDivisionError",
                        (("cell 5", 2, "softmax"), ("ingest prelude", 4, "_clip")))


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
    assert out["test_passes"].title == Verbatim("softmax of a vector")
    assert out["test_passes"].feedback is None and out["test_passes"].hint is None
    assert out["test_passes"].max_points == 3 and out["test_passes"].points == 3
    assert out["test_passes"].item == "softmax"

    wrong = out["test_wrong_answer"]
    assert wrong.status is TestStatus.FAILED and wrong.points == 0 and wrong.max_points == 1
    assert wrong.feedback.headline == msg("grading.mismatch", call="softmax(x)")
    assert wrong.title == Verbatim("test_wrong_answer")
    assert out["test_plain_assert"].feedback.headline.text.startswith("plain assertion text")
    assert out["test_plain_assert"].status is TestStatus.FAILED

    missing = out["test_missing"]
    assert (missing.status, missing.item, missing.feedback) == \
        (TestStatus.MISSING, "relu", Feedback(Verbatim("relu is imported, not written")))

    raised = out["test_student_raised"]
    assert raised.status is TestStatus.ERROR
    assert raised.feedback.headline == msg("grading.student_raised", call="softmax(x)",
                                           exc_type="ZeroDivisionError", message=Verbatim("division by zero"))
    assert "line 3, in softmax" in raised.feedback.details[0].text
    # The innermost frame in a notebook cell is where it happened (the prelude is not one).
    assert raised.feedback.where == Where(cell=5, line=2)
    assert out["test_time_limit"].status is TestStatus.ERROR
    assert out["test_time_limit"].feedback == Feedback(msg("grading.time_limit", detail="sigmoid(x) ran past 5 s"))
    # One endless loop costs one time limit, not one per test of that item.
    after = out["test_after_time_limit"]
    assert after.status is TestStatus.ERROR
    assert after.feedback.headline == msg("grading.not_rerun_after_timeout", item="sigmoid")

    # A NameError is almost always a global made by a cell grading does not run: say so.
    undefined = out["test_uses_a_global_from_a_skipped_cell"]
    assert undefined.status is TestStatus.ERROR
    assert undefined.hint == msg("hint.name_undefined")
    assert undefined.feedback.where is None      # raised in no cell the sandbox reported
    assert out["test_student_raised"].hint is None

    unexpected = out["test_unexpected_exception"]
    assert unexpected.status is TestStatus.FAILED
    assert unexpected.feedback.headline.key == "grading.test_exception"
    assert unexpected.feedback.headline.field("exc_type") == "KeyError"


def test_failed_setup_or_teardown_is_an_error_not_a_failure(suite, draws):
    out = run(suite)
    assert out["test_setup_fails"].status is TestStatus.ERROR
    assert out["test_setup_fails"].feedback.headline == \
        msg("grading.setup_error", exc_type="RuntimeError", message=Verbatim("fixture exploded"))
    assert out["test_teardown_fails"].status is TestStatus.ERROR
    assert out["test_teardown_fails"].feedback.headline.field("message") == Verbatim("teardown exploded")


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
        return [(o.test_id, o.status, o.feedback, o.hint, o.notes, o.max_points) for o in outcomes.values()]
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
    with pytest.raises(HiddenSuiteError, match="test_broken") as broken:
        run_hidden_suite(tmp_path, StudentView(reference_student()))
    assert broken.value.message.key == "grading.suite_broken"
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(HiddenSuiteError) as nothing:
        run_hidden_suite(empty, StudentView(reference_student()))
    assert nothing.value.message.field("detail").key == "grading.suite_empty"


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
    assert refused.feedback.headline == msg("grading.list_refused", call="softmax(x)")


def test_a_huge_exception_message_is_clipped():
    from autograder.grading.plugin import MESSAGE_CHARS, fault_feedback
    from autograder.sandbox.errors import StudentRaised
    clipped = fault_feedback(StudentRaised("sigmoid(x)", "ValueError", "x" * 100_000)).headline.field("message")
    assert clipped == msg("grading.clipped", text=Verbatim("x" * MESSAGE_CHARS), more=99_700)
    assert len(clipped.render("en")) < MESSAGE_CHARS + 100


def test_a_pass_in_a_form_the_book_does_not_use_carries_its_note(tmp_path):
    """Is an accepted list answer a PASSED outcome that says it was accepted?"""
    (tmp_path / "test_list.py").write_text(
        "import pytest\nfrom autograder.feedback import msg\n"
        "from autograder.grading.checks import assert_close, note\n"
        "pytestmark = pytest.mark.item('softmax')\n"
        "def test_list(student):\n    assert_close([1.0, 2.0], [1.0, 2.0], call='f(x)')\n"
        "def test_noted(student):\n    note(msg('note.nesterov_other_order'))\n"
        "def test_plain(student):\n    assert_close(1.0, 1.0, call='f(x)')\n", encoding="utf-8")
    view = StudentView(reference_student())
    outcomes = {o.test_id.split("::")[1]: o for o in run_hidden_suite(tmp_path, view)}
    assert all(o.status is TestStatus.PASSED for o in outcomes.values())
    assert outcomes["test_list"].notes == (msg("grading.accepted_list"),)
    assert outcomes["test_noted"].notes == (msg("note.nesterov_other_order"),)
    assert outcomes["test_plain"].notes == () and outcomes["test_plain"].feedback is None


def test_a_chapter_test_is_titled_by_its_catalog_entry():
    """Is a test the chapter's messages.toml titles a Message, and one it does not a Verbatim?"""
    from autograder.grading.titles import title_key, title_of
    assert title_key("test_softmax.py::test_book_example[3]", "ch03") == "title.ch03.softmax__book_example"
    key = "title.ch02.gates__and_truth_table"
    assert title_of("test_gates.py::test_and_truth_table", "ch02", "AND's table", "x") == Message(key)
    assert title_of("test_gates.py::test_no_such_test", "ch02", "\n  First line.\n  More.", "x") == \
        Verbatim("First line.")
    assert title_of("test_gates.py::test_and_truth_table", None, None, "test_and") == Verbatim("test_and")


def test_a_chapter_suite_run_gives_catalog_titles():
    """Does a run of a chapter's own suite find the chapter, and so its catalog titles?"""
    from autograder.assignment import load_assignment
    ch02 = load_assignment("ch02")
    outcomes = run_hidden_suite(ch02.suite_dir, StudentView(_gates()), reference=ch02.package)
    titles = {o.test_id.split("::")[1]: o.title for o in outcomes}
    assert titles["test_and_truth_table"] == Message("title.ch02.gates__and_truth_table")
    assert all(isinstance(t, Message) and t.key.startswith("title.ch02.") for t in titles.values())


def _gates():
    import types
    from reference import ch02_perceptron
    module = types.ModuleType("student")
    for name in ("AND", "NAND", "OR", "XOR"):
        setattr(module, name, getattr(ch02_perceptron, name))
    return module
