"""run_hidden_suite: a hidden suite run against one submission.

Called once per submission in a long-lived process. The suite is collected once per
process (collected.py) and run again for each submission; pytest is configured to pick
up nothing around the suite: no cache directory, no ini file or conftest from the project
(our own tests/ are never collected), no terminal output.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

import pytest

from ..assignment import AssignmentConfigError, load_assignment_file
from ..chapters import CONFIG_NAME
from ..feedback import Verbatim, msg
from ..messages import SaidError
from . import collected
from .causes import NotebookSummary
from .checks import accepting
from .outcome import TestOutcome
from .plugin import GradingPlugin

log = logging.getLogger(__name__)


class HiddenSuiteError(SaidError, RuntimeError):
    """The suite itself is broken (import error, syntax error, no tests): our fault, not
    the student's, so it must stop the batch rather than grade everyone zero. `message`
    says so as data; the exception's text is it in the console's language."""


def pytest_args(suite_dir: Path) -> list[str]:
    suite = str(suite_dir)
    return [
        suite,
        "-c", os.devnull,            # no pytest.ini / pyproject section from around the suite
        "--rootdir", suite,          # node ids relative to the suite: stable across machines
        "--confcutdir", suite,       # only the suite's own conftest.py, none above it
        "-p", "no:cacheprovider",
        "-p", "no:stepwise",
        "-p", "no:warnings",         # the suite provokes overflows on purpose
        "--import-mode=importlib",   # no sys.path edits; hidden/ is not a package
        "--capture=sys",
        # Outcomes travel through the plugin; the terminal report is only built, then dropped
        # (-p no:terminal is not an option: other plugins need the reporter).
        "-qq", "--tb=no", "--no-header", "--no-summary", "-rN",
    ]


def run_hidden_suite(suite_dir: Path, student, *, seed: int = 0, accept: dict | None = None,
                     reference: str | None = None, notebook: NotebookSummary | None = None,
                     salt: bytes = b"", assignment_id: str | None = None) -> list[TestOutcome]:
    """Run every test under suite_dir against `student` (a StudentView); one outcome each.

    `accept` is the assignment's [checks] policy (allow_list, allow_float32); `reference`
    the dotted name of the chapter package the `reference` fixture gives; `notebook` what
    ingest knows about the submission, so a NameError's hint can name its cause; `salt`
    what the `rng` fixture mixes in besides the seed (inputs.py); `assignment_id` the
    chapter whose catalog titles the tests (by default, the assignment of this suite)."""
    suite_dir = Path(suite_dir).resolve()
    if not suite_dir.is_dir():
        raise HiddenSuiteError(msg("grading.suite_broken", suite=str(suite_dir),
                                   detail=msg("grading.suite_not_a_directory")))
    suite = collected.collected(suite_dir, pytest_args(suite_dir))
    if suite.host.collect_errors or not suite.items:
        collected.discard(suite_dir)
        detail = Verbatim("\n".join(suite.host.collect_errors)) if suite.host.collect_errors else \
            msg("grading.suite_empty", code=int(pytest.ExitCode.NO_TESTS_COLLECTED))
        raise HiddenSuiteError(msg("grading.suite_broken", suite=str(suite_dir), detail=detail))
    plugin = GradingPlugin(student, seed=seed, reference=reference, notebook=notebook, salt=salt,
                           assignment_id=assignment_id or suite_assignment_id(suite_dir))
    try:
        with accepting(**(accept or {})):
            exit_code, output = suite.run(plugin)
    except collected.SuiteBroken as broken:
        raise HiddenSuiteError(msg("grading.suite_broken", suite=str(suite_dir),
                                   detail=Verbatim(str(broken)))) from None
    if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        log.warning("pytest exited with %s on %s: %s", exit_code, suite_dir, output[-2000:])
    return plugin.outcomes()


@functools.lru_cache(maxsize=32)
def suite_assignment_id(suite_dir: Path) -> str | None:
    """The id of the assignment whose hidden suite `suite_dir` is (its assignment.toml is
    beside it), or None for a suite of no assignment (a test's own)."""
    config = suite_dir.parent / CONFIG_NAME
    if not config.is_file():
        return None
    try:
        assignment = load_assignment_file(config)
    except AssignmentConfigError:
        return None
    return assignment.id if assignment.suite_dir == suite_dir else None
