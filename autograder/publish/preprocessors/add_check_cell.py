"""AddCheckCell: the last cells run the public tests on the live kernel's definitions.

The code cell is one try statement. It finds the chapter folder's own copy of dlfs_check
in the kernel's working folder (the notebook's folder in Jupyter, /content in Colab), so
the folder works wherever it is handed out or moved. When the checker or a package it
needs cannot be imported, the cell prints one line, in the notebook's language, saying
what to put where: the sentence is written into the cell, since the checker's own catalog
is what is missing. Grading skips a try statement that imports dlfs_check whole (see
autograder/ingest/rules.py), so the cell neither runs in the sandbox nor shows up in the
feedback.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_code_cell, new_markdown_cell
from traitlets import Enum, Unicode

from ...messages import say
from ..text import render


class AddCheckCell(Preprocessor):
    assignment_id = Unicode(help="the assignment whose public tests the cell runs").tag(config=True)
    example_item = Unicode("softmax", help="the item the cell's text shows check() with").tag(config=True)
    lang = Enum(("ko", "en"), default_value="ko", help="the language the cell prints in").tag(config=True)

    def preprocess(self, nb, resources):
        nb.cells.append(new_markdown_cell(render("check.md.j2", example=self.example_item).rstrip("\n"),
                                          id="check-md"))
        code = render("check.py.j2", assignment_id=self.assignment_id,
                      lang_arg="" if self.lang == "ko" else f", lang={self.lang!r}",
                      no_checker=repr(say("publish.cell.no_checker", self.lang)),
                      no_package=repr(say("publish.cell.no_package", self.lang, name="{name}")))
        nb.cells.append(new_code_cell(code.rstrip("\n"), id="check"))
        return nb, resources
