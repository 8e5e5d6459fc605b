"""DropAuthoringMetadata: what only an author's notebook carries does not reach students.

nbgrader's cell metadata (ids, points, locks) and our own notebook-level `dlfs` block of
the source (which names the authoring files) are removed; StampAssignment writes the
block the grader reads afresh.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor

AUTHORING_KEYS = ("nbgrader",)


class DropAuthoringMetadata(Preprocessor):
    def preprocess(self, nb, resources):
        for key in (*AUTHORING_KEYS, "dlfs"):
            nb.metadata.pop(key, None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        for key in AUTHORING_KEYS:
            cell.metadata.pop(key, None)
        return cell, resources
