"""One notebook, seen both ways: graded by the real pipeline (and its public tests run by
the grader's own runner against the sandboxed student), and checked by dlfs_check locally."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from autograder.assignment import Assignment, load_assignment
from autograder.grading.runner import run_hidden_suite
from autograder.grading.score import ItemStatus
from autograder.grading.student import StudentView
from autograder.ingest import resolve_items
from autograder.pipeline import grade, prepare
from autograder.result import GradingResult
from autograder.sandbox import Limits, Sandbox
from autograder.submissions import Submission
from dlfs_check.chapters import by_id
from dlfs_check.checking import Report, check_notebook

from .paths import TEMPLATE


@dataclass
class BothWays:
    result: GradingResult    # the real pipeline's grade
    graded_public: dict      # public test id -> passed, run by the grader on the sandboxed student
    local: Report            # dlfs_check's report on the same notebook

    @property
    def full_marks(self) -> dict:
        return {i.item: i.status is ItemStatus.FULL for i in self.result.score.items}

    @property
    def forgiven(self) -> set[str]:
        """Items with full marks only because a slip was charged at another item (a test
        that passed with the charged-elsewhere note): their public tests may still fail,
        since the student's own code is wrong through that other item."""
        return {o.item for o in self.result.outcomes
                if any(getattr(note, "key", None) == "grading.root.charged_at" for note in o.notes)}

    @property
    def local_public(self) -> dict:
        return {o.test: o.passed for o in self.local.outcomes}

    @property
    def public_item(self) -> dict:
        return {o.test: o.item for o in self.local.outcomes}


def public_through_sandbox(path: Path, assignment: Assignment) -> dict:
    """{public test id: passed}, the public tests run by the grader's runner on the
    notebook as grading loads it (ingest, sandbox, proxy, copies of arguments)."""
    prep = prepare(Submission(path.stem, path), assignment)
    assert prep.error is None, prep.error
    resolution = resolve_items(prep.ingest.definitions, list(assignment.items), assignment.aliases)
    with Sandbox(limits=assignment.limits) as sandbox:
        sandbox.load(prep.ingest.blocks)
        student = StudentView(sandbox.module, resolution.bindings, resolution.unavailable)
        outcomes = run_hidden_suite(by_id(assignment.id, TEMPLATE).public_dir, student)
    return {o.test_id: o.status.value == "passed" for o in outcomes}


@functools.lru_cache(maxsize=None)
def both_ways(path: Path, assignment_id: str) -> BothWays:
    """Cached: the source notebook's grade serves several tests."""
    assignment = load_assignment(assignment_id)
    result = grade(prepare(Submission(path.stem, path)))
    return BothWays(result, public_through_sandbox(path, assignment),
                    check_notebook(path, None, TEMPLATE))
