"""Does the reference itself, pasted into a notebook as a student would, get full marks?

This runs each chapter's reference through everything a submission goes through (ingest,
sandbox, codec, proxy, hidden suite), so a suite that only the in-process reference can
pass, or a codec that mangles a correct answer, shows up here.
"""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.assignment import list_assignments
from autograder.pipeline import grade, prepare
from autograder.reference_source import chapter_sources
from autograder.report.results_json import to_dict
from autograder.submissions import Submission

pytestmark = pytest.mark.sandbox

ASSIGNMENTS = list_assignments()


def reference_notebook(assignment) -> nbformat.NotebookNode:
    cells = [new_code_cell(m.source) for m in chapter_sources(assignment.config_path.parent)]
    return new_notebook(cells=cells)


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.id for a in ASSIGNMENTS])
def test_reference_as_a_notebook_scores_full_marks(assignment, tmp_path):
    nb = reference_notebook(assignment)
    nb.metadata["dlfs"] = {"assignment": assignment.id}
    path = tmp_path / f"reference_{assignment.id}.ipynb"
    nbformat.write(nb, path)
    results = to_dict(grade(prepare(Submission("reference", path))))
    failed = [(t["name"], t["output"]) for t in results["tests"] if t["status"] != "passed"]
    assert results["dlfs"]["status"] == "graded", results["dlfs"].get("error")
    assert not failed
    assert results["score"] == results["dlfs"]["max_score"] > 0


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.id for a in ASSIGNMENTS])
def test_reference_is_recognised_without_metadata(assignment, tmp_path):
    """Is each chapter's reference notebook matched to its own assignment by its names alone?"""
    path = tmp_path / "no_metadata.ipynb"
    nbformat.write(reference_notebook(assignment), path)
    prep = prepare(Submission("reference", path))
    assert prep.error is None and prep.assignment.id == assignment.id
