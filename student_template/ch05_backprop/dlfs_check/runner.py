"""Run public test files with pytest, in this process, against one notebook's definitions.

Each test gets the fixtures `student` (view.StudentCode), `rng` (seeded from the test's
id, as grading seeds its own tests, so the same inputs every run) and `set_params`
(expect.set_params: the grader offers its own, for a network behind its sandbox). Outcomes are collected
by a plugin object, phase by phase; pytest's own terminal report is built and dropped.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import threading
import traceback
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from . import expect
from .expect import Miss
from .messages import LANGS, say
from .view import Imported, NotCallable, NotDefined

TEST_SECONDS = 20          # per test; a student's endless loop must not hang the check
PACKAGE_DIR = Path(__file__).resolve().parent
LIBRARY_DIRS = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix})


class TooSlow(Exception):
    """A test ran longer than TEST_SECONDS."""


@dataclass
class Outcome:
    test: str                  # pytest node id, relative to the public folder
    item: str
    title: dict                # {"ko": ..., "en": ...}: the test's docstring, line by line
    status: str                # passed, failed, missing, not_implemented, error, timeout
    why: dict
    hint: dict

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def _both(key: str, **fields) -> dict:
    return {lang: say(key, lang, **fields) for lang in LANGS}


def _title(item: pytest.Item) -> dict:
    doc = getattr(getattr(item, "function", None), "__doc__", None) or ""
    lines = [line.strip() for line in doc.strip().splitlines() if line.strip()] or [item.name]
    return {"ko": lines[0], "en": lines[1] if len(lines) > 1 else lines[0]}


def _culprit(exc: BaseException, tests_dir: Path) -> tuple[str, dict]:
    """Who raised: ("student", where fields) or ("test", {}), from the innermost frame that
    is not a library's (numpy raising inside a student's np.dot is the student's)."""
    for frame, line in reversed(list(traceback.walk_tb(exc.__traceback__))):
        name = frame.f_code.co_filename
        if name.startswith((str(tests_dir), str(PACKAGE_DIR))):
            return "test", {}
        if name.startswith("<cell "):
            return "student", {"cell": name[len("<cell "):-1], "line": line}
        if name.startswith(LIBRARY_DIRS) or name.startswith("<frozen"):
            continue
        return "student", {}
    return "student", {}


def classify(exc: BaseException, when: str, tests_dir: Path) -> tuple[str, dict, dict]:
    """(status, why, hint) for the exception a phase of a test raised."""
    none = {lang: "" for lang in LANGS}
    if isinstance(exc, NotDefined):
        return "missing", _both("outcome.missing", name=exc.name), none
    if isinstance(exc, Imported):
        return "missing", _both("outcome.imported", name=exc.name, module=exc.module), none
    if isinstance(exc, NotCallable):
        return "missing", _both("outcome.not_callable", name=exc.name, kind=exc.kind), none
    if isinstance(exc, TooSlow):
        return "timeout", _both("outcome.timeout", seconds=TEST_SECONDS), none
    if isinstance(exc, NotImplementedError):
        return "not_implemented", _both("outcome.not_implemented"), none
    if isinstance(exc, Miss) and when == "call":
        rendered = {lang: exc.render(lang) for lang in LANGS}
        return "failed", {l: r[0] for l, r in rendered.items()}, {l: r[1] for l, r in rendered.items()}
    error = f"{type(exc).__name__}: {exc}"[:300]
    who, where = _culprit(exc, tests_dir)
    if isinstance(exc, AssertionError) and when == "call" and who == "test":
        return "failed", {lang: str(exc) for lang in LANGS}, none
    if when != "call":
        return "error", _both("outcome.test_broken", error=error), none
    if who == "test":
        return "failed", _both("outcome.unexpected", error=error), none
    at = {lang: say("outcome.where", lang, **where) if where else "" for lang in LANGS}
    return "error", {lang: say("outcome.raised", lang, error=error, where=at[lang])
                     for lang in LANGS}, none


class PublicPlugin:
    def __init__(self, student, tests_dir: Path, only_item: str | None = None):
        self._student = student
        self._tests_dir = tests_dir
        self._only = only_item
        self._meta: dict = {}
        self._verdicts: dict = {}
        self.order: list = []
        self.broken: list = []

    @pytest.fixture
    def student(self):
        return self._student

    @pytest.fixture
    def rng(self, request):
        return np.random.default_rng([0, zlib.crc32(request.node.nodeid.encode("utf-8"))])

    @pytest.fixture
    def set_params(self):
        return expect.set_params

    def pytest_configure(self, config):
        config.addinivalue_line("markers", "item(name): the graded item a test checks")

    def pytest_collection_modifyitems(self, config, items):
        kept, dropped = [], []
        for item in items:
            mark = item.get_closest_marker("item")
            name = mark.args[0] if mark and mark.args else ""
            if self._only is not None and name != self._only:
                dropped.append(item)
                continue
            kept.append(item)
            self._meta[item.nodeid] = (name, _title(item))
            self.order.append(item.nodeid)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept

    def pytest_collectreport(self, report):
        if report.failed:
            self.broken.append(f"{report.nodeid}: {str(report.longrepr)[-500:]}")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        with _time_limit(TEST_SECONDS):
            yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        if call.excinfo is not None and item.nodeid not in self._verdicts:
            self._verdicts[item.nodeid] = classify(call.excinfo.value, call.when, self._tests_dir)

    def outcomes(self) -> list:
        none = {lang: "" for lang in LANGS}
        found = []
        for nodeid in self.order:
            item, title = self._meta[nodeid]
            status, why, hint = self._verdicts.get(nodeid, ("passed", none, none))
            found.append(Outcome(nodeid, item, title, status, why, hint))
        return found


@contextlib.contextmanager
def _time_limit(seconds: float):
    """SIGALRM where there is one (POSIX, main thread, as in a Jupyter kernel); else none."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise TooSlow()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def pytest_args(files: list, tests_dir: Path) -> list:
    root = str(tests_dir)
    return [*map(str, files), "-c", str(PACKAGE_DIR / "pytest.ini"), "--rootdir", root,
            "--confcutdir", root, "-p", "no:cacheprovider", "-p", "no:stepwise",
            "-p", "no:faulthandler", "-p", "no:warnings", "--import-mode=importlib",
            "--capture=sys", "-qq", "--tb=no", "--no-header", "--no-summary", "-rN"]


def run_public_tests(files: list, tests_dir: Path, student, only_item: str | None = None) -> list:
    """One outcome per public test in `files` (of `only_item`, when given)."""
    tests_dir = Path(tests_dir).resolve()
    plugin = PublicPlugin(student, tests_dir, only_item)
    sink = io.StringIO()
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    # A student's own pytest plugins (randomly, xdist, ...) have no business here.
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), \
                np.errstate(all="ignore"):
            pytest.main(pytest_args(files, tests_dir), plugins=[plugin])
    finally:
        if saved is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved
        _forget_modules(files)
    if plugin.broken:
        raise RuntimeError("\n".join(plugin.broken))
    return plugin.outcomes()


def _forget_modules(files: list) -> None:
    """importlib mode caches test modules by file stem: drop them, so another chapter's
    test_softmax.py is not mistaken for this one's on the next run. Only the test files'
    own modules: uploaded file by file, the tests share their folder with this package."""
    tests = {os.path.realpath(str(f)) for f in files}
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and os.path.realpath(file) in tests:
            del sys.modules[name]
