"""StampAssignment: metadata["dlfs"] = {"assignment": id, "version": version}.

The grader reads the id to choose the hidden suite (detect.py); the version says which
publication a student started from.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Unicode


class StampAssignment(Preprocessor):
    assignment_id = Unicode(help="the assignment id the grader reads, e.g. ch03").tag(config=True)
    version = Unicode(help="the assignment's version, from its config").tag(config=True)

    def preprocess(self, nb, resources):
        if not self.assignment_id:
            raise ValueError("StampAssignment needs an assignment id")
        nb.metadata["dlfs"] = {"assignment": self.assignment_id, "version": self.version}
        return nb, resources
