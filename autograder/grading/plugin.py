"""The pytest plugin that turns one run of a hidden suite into TestOutcomes.

Like pytest's junitxml: one object per run (a suite is collected once per process,
collected.py; its SuiteHost passes each hook on to the run's GradingPlugin), fed phase
by phase through `pytest_runtest_logreport`. The verdict of a phase is decided in
`pytest_runtest_makereport`, where the exception object is still at hand (a report only
keeps its text), and travels on the report to the collector.

Fixtures offered to hidden tests, by SuiteHost (which outlives a run) from the run's
GradingPlugin: `student` (the StudentView of this submission), `reference` (the chapter's
reference package), `rng` (a Generator seeded by run seed + node id + the submission's
salt, see inputs.py), `set_params` (resident.set_params: the public tests, run here to
compare with the students' local check, write a network's parameters with it).
Markers read: `item("softmax")` and `points(2)` (module-level `pytestmark` works too).
A failure that lies in another graded item gets a sentence naming it (roots.py).
Everything an outcome says is data (feedback/): catalog keys and their fields, what the
student's code raised kept verbatim, rendered later by the report in one language.
"""

from __future__ import annotations

import importlib
import logging
import time
import traceback
import zlib
from dataclasses import dataclass

import numpy as np
import pytest

from ..feedback import Feedback, Message, Part, Verbatim, Where, msg
from ..sandbox.errors import (SandboxCrashed, StaleHandle, StudentFault, StudentRaised,
                              TimeLimitExceeded, UnsafeValue)
from . import inputs, resident, roots
from .signature import signature_hint
from .causes import NotebookSummary, name_error_hint
from .checks import CheckFailed, collecting_notes
from .outcome import TestStatus, TestOutcome
from .student import ItemUnavailable
from .titles import title_of

log = logging.getLogger(__name__)

# A student's traceback is trimmed to its last lines: the failing line is what they need.
TRACEBACK_LINES = 8
# An exception message is shown in every test that hit it: keep it short.
MESSAGE_CHARS = 300
DEFAULT_POINTS = 1.0


class NotRerunAfterTimeout(StudentFault):
    """Raised in setup for a test whose item already ran out of time in this run."""

    def __init__(self, item: str):
        self.item = item
        super().__init__(item)


@dataclass
class Verdict:
    status: TestStatus
    feedback: Feedback | None = None       # why it did not pass; None when it passed
    hint: Message | None = None
    notes: tuple[Part, ...] = ()           # what a pass (or a forgiven failure) carries


def _short(text: str, lines: int = TRACEBACK_LINES) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def _clip(text: str, limit: int = MESSAGE_CHARS) -> Part:
    """The student's text as it is, or its start when it is longer than `limit`."""
    if len(text) <= limit:
        return Verbatim(text)
    return msg("grading.clipped", text=Verbatim(text[:limit]), more=len(text) - limit)


def fault_feedback(exc: StudentFault) -> Feedback:
    """What was called and what happened, for each way a student's call can fail; for an
    exception the student's code raised, its message and traceback as they are, and the
    cell and line it was raised at."""
    if isinstance(exc, StudentRaised):
        headline = msg("grading.student_raised", call=exc.call, exc_type=exc.exc_type,
                       message=_clip(exc.message))
        details = (Verbatim(_short(exc.traceback)),) if exc.traceback.strip() else ()
        return Feedback(headline, details=details, where=Where.of_frames(exc.frames))
    if isinstance(exc, NotRerunAfterTimeout):
        return Feedback(msg("grading.not_rerun_after_timeout", item=exc.item))
    key = {TimeLimitExceeded: "grading.time_limit", SandboxCrashed: "grading.crashed",
           UnsafeValue: "grading.unsafe_value", StaleHandle: "grading.stale_handle"}
    for cls, entry in key.items():
        if isinstance(exc, cls):
            return Feedback(msg(entry, detail=str(exc)))
    return Feedback(msg("grading.crashed", detail=f"{type(exc).__name__}: {exc}"))


# Errors that come from how grading runs a notebook, not from the student's math.
FAULT_HINTS = {"FileNotFoundError": "hint.file_missing",
               "ModuleNotFoundError": "hint.module_missing",
               "ImportError": "hint.module_missing",
               "NameError": "hint.name_undefined"}


def _fault_hint(exc: StudentFault, notebook: NotebookSummary | None = None) -> Message | None:
    if notebook is not None and isinstance(exc, StudentRaised) and exc.exc_type == "NameError":
        # What ingest knows about the notebook says which of several causes it is.
        if hint := name_error_hint(exc.message, notebook, exc.frames):
            return hint
    key = FAULT_HINTS.get(exc.exc_type) if isinstance(exc, StudentRaised) else None
    return msg(key) if key else None


def _unavailable(exc: ItemUnavailable) -> Feedback:
    reason = exc.reason
    return Feedback(reason if isinstance(reason, (Message, Verbatim)) else Verbatim(str(reason)))


def classify(exc: BaseException, when: str, notebook: NotebookSummary | None = None) -> Verdict:
    """TestStatus of a test from the exception one of its phases raised; `notebook` (what
    ingest knows) explains a NameError, when given."""
    if isinstance(exc, ItemUnavailable):
        return Verdict(TestStatus.MISSING, _unavailable(exc))
    if isinstance(exc, StudentFault):
        return Verdict(TestStatus.ERROR, fault_feedback(exc), _fault_hint(exc, notebook))
    if when != "call":  # a broken fixture is not a wrong answer (junitxml: error)
        return Verdict(TestStatus.ERROR, Feedback(msg("grading.setup_error", exc_type=type(exc).__name__,
                                                      message=Verbatim(str(exc)))))
    if isinstance(exc, CheckFailed):
        return Verdict(TestStatus.FAILED, exc.feedback, exc.hint)
    if isinstance(exc, AssertionError):
        return Verdict(TestStatus.FAILED, Feedback(Verbatim(str(exc))))
    return Verdict(TestStatus.FAILED, Feedback(msg("grading.test_exception", exc_type=type(exc).__name__,
                                                   message=Verbatim(str(exc)))))


class SuiteHost:
    """The plugin a collected suite's pytest has for as long as the suite is kept
    (collected.py): the markers, what collection went wrong, the fixtures and the run's
    hooks, which give and pass on to the submission being graded (`current`).

    One plugin registered once, not one per submission: pytest binds fixtures to the
    tests when it collects them, and pluggy keeps every registration's record for good
    (pytest_plugin_registered is a historic hook), which would keep each submission's
    plugin, and all its verdicts, for the life of the process."""

    def __init__(self):
        self.current: GradingPlugin | None = None
        self.collect_errors: list[str] = []

    def _run(self) -> GradingPlugin:
        if self.current is None:
            raise RuntimeError("a hidden test ran outside a submission's run")
        return self.current

    def pytest_configure(self, config):
        config.addinivalue_line("markers", "item(name): the book name of the graded item")
        config.addinivalue_line("markers", "points(n): points this test is worth")

    def pytest_collectreport(self, report):
        if report.failed:
            self.collect_errors.append(f"{report.nodeid}: {_short(str(report.longrepr), 20)}")

    @pytest.fixture
    def student(self):
        return self._run().student

    @pytest.fixture
    def reference(self):
        return self._run().reference_package()

    @pytest.fixture
    def rng(self, request):
        return self._run()._rng_for(request.node.nodeid)

    @pytest.fixture
    def set_params(self):
        return resident.set_params

    # The run's hooks, passed to its GradingPlugin (see the class's docstring).
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        self._run().on_setup(item)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        yield from self._run().on_call(item)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        yield from self._run().on_makereport(item, call)

    def pytest_runtest_logreport(self, report):
        self._run().on_logreport(report)


class GradingPlugin:
    """One submission's run of a collected suite: what its tests are given, and its
    hooks (called through SuiteHost) that turn the run's reports into the outcomes."""

    def __init__(self, student, seed: int = 0, reference: str | None = None,
                 notebook: NotebookSummary | None = None, salt: bytes = b"",
                 assignment_id: str | None = None):
        # `assignment_id` names the chapter whose catalog titles the tests (titles.py).
        self._assignment_id = assignment_id
        self._student = student
        self._salt = inputs.entropy(salt)
        self._notebook = notebook
        self._reference = reference
        self._seed = seed
        self._meta: dict[str, tuple[Part, str, float]] = {}   # nodeid -> (title, item, points)
        self._phases: dict[str, list] = {}
        self.order: list[str] = []
        # Items whose code already ran out of time: their other tests are not run again,
        # or one endless loop would cost call_seconds per test of that item.
        self._timed_out: set[str] = set()
        self._notes: dict[str, list[Part]] = {}
        self._roots: dict[str, Message] = {}   # nodeid -> the sentence naming another item to fix first
        # nodeid -> the other graded items with whose reference version the failed test
        # passes; forgiven in outcomes() when each of them is charged by its own tests.
        self._explained: dict[str, tuple[str, ...]] = {}
        # Items with a test that failed on its own so far (not through another item): the
        # graded classes a later test's rerun may lend (roots.trace).
        self._failed_items: set[str] = set()

    # --- what the suite's fixtures give (SuiteHost) -----------------------------------
    @property
    def student(self):
        return self._student

    def reference_package(self):
        if self._reference is None:
            pytest.fail("this suite has no chapter package to take reference values from")
        return importlib.import_module(self._reference)

    def _rng_for(self, nodeid: str) -> np.random.Generator:
        # crc32, not hash(): str hashes are salted per process and reruns must agree.
        key = zlib.crc32(nodeid.encode("utf-8"))
        return np.random.default_rng([self._seed, key, *self._salt])

    # --- hooks ----------------------------------------------------------------------
    def index(self, items) -> None:
        """Take the suite's collected tests: their order, titles, items and points."""
        for item in items:
            name_mark = item.get_closest_marker("item")
            points_mark = item.get_closest_marker("points")
            graded = name_mark.args[0] if name_mark and name_mark.args else ""
            if not graded:
                log.warning("hidden test %s has no item marker", item.nodeid)
            points = float(points_mark.args[0]) if points_mark and points_mark.args else DEFAULT_POINTS
            doc = getattr(getattr(item, "function", None), "__doc__", None)
            title = title_of(item.nodeid, self._assignment_id, doc, item.name)
            self._meta[item.nodeid] = (title, graded, points)
            self.order.append(item.nodeid)

    def on_setup(self, item):
        graded = self._meta.get(item.nodeid, ("", "", 0))[1]
        if graded in self._timed_out:
            raise NotRerunAfterTimeout(graded)

    def on_call(self, item):
        """Around a test's call (a hook wrapper's generator: pytest sends the outcome in)."""
        started = time.monotonic()
        with collecting_notes() as notes:
            outcome = yield
        self._notes[item.nodeid] = notes
        wrong = outcome.excinfo[1] if outcome.excinfo else None
        graded = self._meta.get(item.nodeid, ("", "", 0))[1]
        if isinstance(wrong, (CheckFailed, AssertionError, StudentRaised)):
            # A wrong value or an exception (im2col called with a pad it does not take
            # raises in Convolution's frame): would the test pass with the reference's
            # other items (graded classes: those already charged)?
            root = roots.trace(item, self._student, self._reference_module(), graded,
                               lambda: self._rng_for(item.nodeid), time.monotonic() - started,
                               charged=self._failed_items)
            if root.sentence is not None:
                self._roots[item.nodeid] = root.sentence
            if root.items:
                self._explained[item.nodeid] = root.items

    def _reference_module(self):
        return importlib.import_module(self._reference) if self._reference else None

    def on_makereport(self, item, call):
        """Around the making of a phase's report (a hook wrapper's generator)."""
        outcome = yield
        report = outcome.get_result()
        if call.excinfo is None:
            # A pass may carry notes: the answer was accepted in a form the book does not use.
            notes = self._notes.pop(item.nodeid, []) if call.when == "call" else []
            report.grading_verdict = Verdict(TestStatus.PASSED, notes=tuple(notes))
        elif call.excinfo.errisinstance(pytest.skip.Exception):
            report.grading_verdict = Verdict(TestStatus.MISSING, Feedback(msg(
                "grading.skipped", reason=Verbatim(str(call.excinfo.value)))))
        else:
            report.grading_verdict = classify(call.excinfo.value, call.when, self._notebook)
            self._name_the_signature(report.grading_verdict, call.excinfo.value)
            self._name_the_root(report.grading_verdict, call.excinfo.value, item.nodeid)
            if call.when == "call" and call.excinfo.errisinstance(TimeLimitExceeded):
                self._timed_out.add(self._meta.get(item.nodeid, ("", "", 0))[1])
            if report.grading_verdict.status is TestStatus.FAILED and call.when == "call" \
                    and not isinstance(call.excinfo.value, (AssertionError, ItemUnavailable)):
                log.debug("hidden test %s raised:\n%s", item.nodeid,
                          "".join(traceback.format_exception(call.excinfo.value)))

    def _name_the_signature(self, verdict: Verdict, exc: BaseException) -> None:
        """A call that does not fit a graded item's signature: one hint, whatever the call."""
        if isinstance(exc, StudentRaised) and exc.exc_type == "TypeError":
            hint = signature_hint(exc.message, self._reference_module(),
                                  getattr(self._student, "_bindings", {}), self._notebook)
            verdict.hint = hint or verdict.hint

    def _name_the_root(self, verdict: Verdict, exc: BaseException, nodeid: str) -> None:
        """A failure that lies in another graded item: say which, so the student fixes that first."""
        sentence = self._roots.pop(nodeid, None)
        if isinstance(exc, StudentRaised):
            graded = self._meta.get(nodeid, ("", "", 0))[1]
            sentence = roots.raised_in_other_item(exc, graded, getattr(self._student, "_bindings", {})) \
                or sentence
        if sentence is not None and verdict.feedback is not None and verdict.status is not TestStatus.PASSED:
            verdict.feedback = verdict.feedback.with_details(sentence)

    def on_logreport(self, report):
        verdict = getattr(report, "grading_verdict", None) or (
            Verdict(TestStatus.PASSED) if report.passed
            else Verdict(TestStatus.ERROR, Feedback(Verbatim(str(report.longrepr or "")))))
        self._phases.setdefault(report.nodeid, []).append((report.duration, verdict))
        _, graded, points = self._meta.get(report.nodeid, ("", "", 0))
        if verdict.status is not TestStatus.PASSED and points > 0 and report.nodeid not in self._explained:
            self._failed_items.add(graded)

    def _forgiven(self, verdicts: dict[str, Verdict]) -> set[str]:
        """Failed tests explained by other graded items that are each charged: an item is
        charged when one of its tests failed on its own, not through another item."""
        explained = {n for n in self._explained if verdicts[n].status is not TestStatus.PASSED}
        charged = {self._meta[n][1] for n, v in verdicts.items()
                   if v.status is not TestStatus.PASSED and self._meta[n][2] > 0 and n not in explained}
        return {n for n in explained if set(self._explained[n]) <= charged}

    # --- result ---------------------------------------------------------------------
    def _student_name(self, book: str) -> str:
        return getattr(self._student, "_bindings", {}).get(book, book)

    def outcomes(self) -> list[TestOutcome]:
        verdicts = {}
        for nodeid in self.order:
            phases = self._phases.get(nodeid, [])
            # The first phase that did not pass decides: a failed setup never ran the call.
            passed_notes = tuple(part for _, v in phases for part in v.notes)
            verdicts[nodeid] = next((v for _, v in phases if v.status is not TestStatus.PASSED),
                                    Verdict(TestStatus.PASSED, notes=passed_notes) if phases else
                                    Verdict(TestStatus.ERROR, Feedback(msg("grading.not_run"))))
        for nodeid in self._forgiven(verdicts):
            # One slip is charged once, at its item: this test failed only through it.
            names = ", ".join(f"`{self._student_name(book)}`" for book in self._explained[nodeid])
            verdicts[nodeid] = Verdict(TestStatus.PASSED, notes=(msg("grading.root.charged_at", names=names),))
        results = []
        for nodeid in self.order:
            verdict = verdicts[nodeid]
            title, item, points = self._meta[nodeid]
            passed = verdict.status is TestStatus.PASSED
            results.append(TestOutcome(test_id=nodeid, title=title, item=item, max_points=points,
                                       status=verdict.status,
                                       feedback=None if passed else verdict.feedback,
                                       hint=None if passed else verdict.hint, notes=verdict.notes,
                                       duration=sum(d for d, _ in self._phases.get(nodeid, []))))
        return results
