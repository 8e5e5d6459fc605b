"""The publishing steps, as a list and one by one, on an nbgrader-style source notebook."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.publish.preprocessors import HiddenTestsInNotebook, StampAssignment
from autograder.publish.publish import publish_notebook, publish_steps


def _nbgrader_source() -> nbformat.NotebookNode:
    """A notebook as an instructor who knows nbgrader writes it, run once, outputs and all."""
    solution = new_code_cell("def relu(x):\n    ### BEGIN SOLUTION\n    return np.maximum(0, x)\n"
                             "    ### END SOLUTION", execution_count=3,
                             outputs=[new_output("stream", name="stdout", text="ran\n")])
    solution.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "relu",
                                     "locked": False, "schema_version": 3}
    nb = new_notebook(cells=[new_markdown_cell("# ReLU"), new_code_cell("import numpy as np"), solution])
    nb.metadata["nbgrader"] = {"__altered__": False}
    return nb


def test_the_steps_run_in_one_visible_order():
    assert [type(step).__name__ for step in publish_steps("ch03", "1.0.0")] == [
        "RefuseHiddenTests", "ClearSolutions", "ClearOutputPreprocessor", "DropAuthoringMetadata",
        "StampAssignment", "AddCheckCell"]


def test_an_nbgrader_source_notebook_publishes():
    nb = publish_notebook(_nbgrader_source(), "ch03", "1.0.0")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "np.maximum" not in nbformat.writes(nb)
    assert "raise NotImplementedError()" in code[1].source
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert all("nbgrader" not in c.metadata for c in nb.cells) and "nbgrader" not in nb.metadata
    assert nb.metadata["dlfs"] == {"assignment": "ch03", "version": "1.0.0"}
    assert 'check_all("ch03")' in nb.cells[-1].source
    nbformat.validate(nb)


def test_the_source_is_left_as_it_was():
    source = _nbgrader_source()
    before = nbformat.writes(source)
    publish_notebook(source, "ch03", "1.0.0")
    assert nbformat.writes(source) == before


@pytest.mark.parametrize("cell", [
    new_code_cell("### BEGIN HIDDEN TESTS\nassert relu(-1) == 0\n### END HIDDEN TESTS"),
    new_code_cell("assert relu(-1) == 0", metadata={"nbgrader": {"grade": True, "solution": False}}),
], ids=["hidden-tests-region", "autograder-test-cell"])
def test_a_notebook_with_tests_is_refused(cell):
    """Tests never live in the notebook: publishing stops, naming the cell."""
    nb = _nbgrader_source()
    nb.cells.append(cell)
    with pytest.raises(HiddenTestsInNotebook, match="cell 4"):
        publish_notebook(nb, "ch03", "1.0.0")


def test_stamping_needs_an_assignment_id():
    with pytest.raises(ValueError):
        StampAssignment(assignment_id="", version="1").preprocess(new_notebook(), {})
