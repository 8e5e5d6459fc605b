"""RefuseHiddenTests: a notebook that carries tests is not published.

Hidden tests live in reference/<chapter>/hidden/ and public ones in .../public/, never in
the notebook: a student would receive them. An nbgrader source may hold both kinds (a
`### BEGIN HIDDEN TESTS` region, or an autograder test cell: grade true, solution false);
publishing stops and says where they belong, rather than dropping them silently.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor

HIDDEN_MARKER = "### BEGIN HIDDEN TESTS"


class HiddenTestsInNotebook(ValueError):
    """The notebook holds tests; the message names the cell."""


class RefuseHiddenTests(Preprocessor):
    def preprocess_cell(self, cell, resources, index):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        test_cell = meta.get("grade") is True and meta.get("solution") is not True \
            and cell.cell_type == "code"
        if HIDDEN_MARKER in cell.source or test_cell:
            raise HiddenTestsInNotebook(
                f"cell {index + 1} holds tests; tests never live in a published notebook: move "
                f"them to reference/<chapter>/hidden/ (graded) or public/ (the students' checks)")
        return cell, resources
