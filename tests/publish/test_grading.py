"""Through the real pipeline: the source notebook gets full marks; the untouched published
notebook gets 0, every test saying the code is not implemented, and nothing crashes; the
check cell a published notebook carries costs nothing in grading.

Parametrized over list_assignments(): a chapter whose hidden suite arrives later is covered
once it is merged (and published)."""

from __future__ import annotations

import functools

import pytest

from autograder.assignment import list_assignments
from autograder.pipeline import grade, prepare
from autograder.submissions import Submission
from dlfs_check.checking import check_notebook

from .harness import both_ways
from .paths import ASSIGNMENTS, TEMPLATE

pytestmark = pytest.mark.sandbox

PUBLISHED = [a for a in list_assignments() if (TEMPLATE / a.config_path.parent.name).is_dir()]
IDS = [a.id for a in PUBLISHED]


def _student_notebook(assignment):
    folder = assignment.config_path.parent.name
    return TEMPLATE / folder / f"{folder}.ipynb"


@functools.lru_cache(maxsize=None)
def _graded_untouched(assignment_id: str):
    assignment = next(a for a in PUBLISHED if a.id == assignment_id)
    return grade(prepare(Submission("untouched", _student_notebook(assignment))))


def test_every_assignment_is_published():
    """Does every chapter with an assignment.toml have a published chapter to start from?"""
    assert len(PUBLISHED) == len(list_assignments()) > 0


@pytest.mark.parametrize("assignment", PUBLISHED, ids=IDS)
def test_source_notebook_gets_full_marks(assignment):
    path = ASSIGNMENTS / assignment.config_path.parent.name / "source.ipynb"
    result = both_ways(path, assignment.id).result
    failed = [(o.test_id, o.feedback) for o in result.outcomes if o.status.value != "passed"]
    assert result.graded and not failed
    assert result.points == result.max_points > 0


@pytest.mark.parametrize("assignment", PUBLISHED, ids=IDS)
def test_untouched_student_notebook_gets_zero_saying_not_implemented(assignment):
    path = _student_notebook(assignment)
    result = _graded_untouched(assignment.id)
    assert result.graded, result.error
    assert result.provenance.assignment_id == assignment.id      # from the stamped metadata
    assert result.points == 0 and result.max_points > 0
    assert result.load.ok and not result.load.block_errors        # the stubs load without error
    unexplained = [o.test_id for o in result.outcomes if not _raised_not_implemented(o)]
    assert not unexplained
    local = check_notebook(path, None, TEMPLATE)
    assert local.outcomes and {o.status for o in local.outcomes} == {"not_implemented"}


@pytest.mark.parametrize("assignment", PUBLISHED, ids=IDS)
def test_check_cell_costs_nothing_in_grading(assignment):
    """The check cell's import of dlfs_check is skipped (grading never has it), so no import
    failure or warning reaches the feedback, and check_all() is skipped like any top-level call."""
    result = _graded_untouched(assignment.id)
    assert result.import_errors == []
    assert result.ingest.skipped.get("local_check") == 1 and not result.ingest.warnings


def _raised_not_implemented(outcome) -> bool:
    headline = outcome.feedback.headline if outcome.feedback else None
    return getattr(headline, "key", None) == "grading.student_raised" and \
        headline.field("exc_type") == "NotImplementedError"
