"""AddCheckCell: the last cells run the public tests on the live kernel's definitions.

The import is wrapped in try/except: grading skips a try statement, so the check cell
neither fails an import in the sandbox nor shows up as a problem in the feedback, and the
top-level check_all() call is skipped like any other call.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_code_cell, new_markdown_cell
from traitlets import Unicode

from ..text import render


class AddCheckCell(Preprocessor):
    assignment_id = Unicode(help="the assignment whose public tests the cell runs").tag(config=True)
    example_item = Unicode("softmax", help="the item the cell's text shows check() with").tag(config=True)

    def preprocess(self, nb, resources):
        nb.cells.append(new_markdown_cell(render("check.md.j2", example=self.example_item).rstrip("\n"),
                                          id="check-md"))
        nb.cells.append(new_code_cell(render("check.py.j2", assignment_id=self.assignment_id).rstrip("\n"),
                                      id="check"))
        return nb, resources
