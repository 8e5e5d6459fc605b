"""A hidden suite collected once per process: does each submission's run still start as
from a fresh import, and is a changed suite collected again?"""

import sys

import pytest

from autograder.grading import collected
from autograder.grading.outcome import TestStatus
from autograder.grading.runner import HiddenSuiteError, pytest_args, run_hidden_suite
from autograder.grading.student import StudentView

from .students import reference_student

# Every test passes only when it is the first to see the module's state: what an earlier
# run (an earlier submission) left in a global, an array, a cache or a module-scoped
# fixture fails it.
STATEFUL = '''
import functools

import numpy as np
import pytest

pytestmark = pytest.mark.item("softmax")

SEEN = []
BOOK_X = np.zeros(3)
CALLS = {"n": 0}


@functools.cache
def expected_once():
    CALLS["n"] += 1
    return CALLS["n"]


@pytest.fixture(scope="module")
def shared():
    return []


def test_list_starts_empty(student):
    assert SEEN == [], f"left by an earlier run: {SEEN}"
    SEEN.append(student.softmax.__name__)


def test_array_starts_as_written(student):
    assert not BOOK_X.any(), f"changed by an earlier run: {BOOK_X}"
    BOOK_X[...] = 7.0   # what a student's in-place write copied back would do


def test_cache_starts_empty(student):
    assert expected_once() == 1


def test_module_fixture_is_new(student, shared):
    assert shared == []
    shared.append(1)


def test_rebinding_a_global_does_not_last(student):
    global SEEN
    assert isinstance(SEEN, list)
    SEEN = "rebound"
'''


def _statuses(suite_dir, view=None):
    view = view or StudentView(reference_student())
    return {o.test_id.split("::")[1]: o for o in run_hidden_suite(suite_dir, view)}


def test_module_state_left_by_one_submission_does_not_reach_the_next(tmp_path):
    (tmp_path / "test_state.py").write_text(STATEFUL, encoding="utf-8")
    for _ in range(3):
        outcomes = _statuses(tmp_path)
        assert len(outcomes) == 5
        failed = {name: o.feedback for name, o in outcomes.items() if o.status is not TestStatus.PASSED}
        assert failed == {}


def test_the_suite_is_collected_once_and_again_when_a_file_changes(tmp_path):
    (tmp_path / "test_a.py").write_text(
        "import pytest\npytestmark = pytest.mark.item('softmax')\n"
        "def test_one(student):\n    pass\n", encoding="utf-8")
    args = pytest_args(tmp_path.resolve())
    _statuses(tmp_path)
    first = collected.collected(tmp_path.resolve(), args)
    _statuses(tmp_path)
    assert collected.collected(tmp_path.resolve(), args) is first
    # The same size and (likely) the same modification time: the bytes decide.
    (tmp_path / "test_a.py").write_text(
        "import pytest\npytestmark = pytest.mark.item('softmax')\n"
        "def test_two(student):\n    assert 0\n", encoding="utf-8")
    outcomes = _statuses(tmp_path)
    assert list(outcomes) == ["test_two"] and outcomes["test_two"].status is TestStatus.FAILED
    assert collected.collected(tmp_path.resolve(), args) is not first


def test_two_suites_with_a_file_of_the_same_name_keep_their_own_module(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, answer in ((one, 1), (two, 2)):
        folder.mkdir()
        (folder / "test_relu.py").write_text(
            "import pytest\npytestmark = pytest.mark.item('relu')\n"
            f"ANSWER = {answer}\n"
            f"def test_answer(student):\n    assert ANSWER == {answer}\n", encoding="utf-8")
    for folder in (one, two, one, two):
        assert _statuses(folder)["test_answer"].status is TestStatus.PASSED


def test_between_runs_the_suite_leaves_nothing_in_the_process(tmp_path):
    (tmp_path / "test_a.py").write_text(
        "import pytest\npytestmark = pytest.mark.item('softmax')\n"
        "def test_one(student):\n    pass\n", encoding="utf-8")
    hooks = list(sys.meta_path)
    stdout = sys.stdout
    _statuses(tmp_path)
    _statuses(tmp_path)
    assert list(sys.meta_path) == hooks
    assert sys.stdout is stdout
    assert not any(getattr(m, "__file__", None) and str(tmp_path.resolve()) in str(m.__file__)
                   for m in list(sys.modules.values()))


def test_each_run_gives_the_tests_its_own_student(tmp_path):
    (tmp_path / "test_a.py").write_text(
        "import numpy as np\nimport pytest\npytestmark = pytest.mark.item('relu')\n"
        "def test_relu(student):\n    assert student.relu(np.array([-1.0]))[0] == 0\n", encoding="utf-8")
    good = StudentView(reference_student())
    bad = StudentView(reference_student(relu=lambda x: x))
    assert [_statuses(tmp_path, view)["test_relu"].status for view in (good, bad, good)] == \
        [TestStatus.PASSED, TestStatus.FAILED, TestStatus.PASSED]


def test_a_run_pytest_stopped_is_not_kept(tmp_path):
    """pytest.exit in a test ends that run (the rest said not run, as under pytest.main);
    the suite is collected again for the next run, which runs every test."""
    suite, flag = tmp_path / "suite", tmp_path / "stop"
    suite.mkdir()
    (suite / "test_a.py").write_text(
        "import pathlib\nimport pytest\npytestmark = pytest.mark.item('softmax')\n"
        f"def test_one(student):\n    if pathlib.Path({str(flag)!r}).exists():\n        pytest.exit('stop')\n"
        "def test_two(student):\n    pass\n", encoding="utf-8")
    args = pytest_args(suite.resolve())
    _statuses(suite)
    kept = collected.collected(suite.resolve(), args)
    flag.touch()
    assert _statuses(suite)["test_two"].status is TestStatus.ERROR
    flag.unlink()
    assert [o.status for o in _statuses(suite).values()] == [TestStatus.PASSED] * 2
    assert collected.collected(suite.resolve(), args) is not kept


def test_a_module_that_fails_when_it_runs_again_stops_the_batch(tmp_path):
    """A suite whose module code reads a file that went away is broken for everyone:
    HiddenSuiteError, as a failed import at collection is, not a zero for a student."""
    suite, data = tmp_path / "suite", tmp_path / "data.txt"
    suite.mkdir()
    data.write_text("1", encoding="utf-8")
    (suite / "test_a.py").write_text(
        "import pathlib\nimport pytest\npytestmark = pytest.mark.item('softmax')\n"
        f"VALUE = pathlib.Path({str(data)!r}).read_text()\n"
        "def test_one(student):\n    assert VALUE == '1'\n", encoding="utf-8")
    assert _statuses(suite)["test_one"].status is TestStatus.PASSED
    data.unlink()
    with pytest.raises(HiddenSuiteError) as broken:
        _statuses(suite)
    assert broken.value.message.key == "grading.suite_broken"
    assert "FileNotFoundError" in broken.value.message.field("detail").text


def test_a_kept_suite_does_not_grow_with_the_runs(tmp_path):
    """What pytest files per report (the terminal reporter's stats, what a test printed)
    holds one run's worth, however many submissions went through."""
    (tmp_path / "test_p.py").write_text(
        "import sys\nimport pytest\npytestmark = pytest.mark.item('softmax')\n"
        "def test_prints(student):\n    print('x' * 100)\n    print('y' * 100, file=sys.stderr)\n"
        "def test_fails(student):\n    assert 0\n", encoding="utf-8")
    args = pytest_args(tmp_path.resolve())

    def sizes():
        suite = collected.collected(tmp_path.resolve(), args)
        reporter = suite.config.pluginmanager.get_plugin("terminalreporter")
        return (sum(len(reports) for reports in reporter.stats.values()),
                [len(item._report_sections) for item in suite.items])

    _statuses(tmp_path)
    once = sizes()
    for _ in range(3):
        _statuses(tmp_path)
    assert sizes() == once
