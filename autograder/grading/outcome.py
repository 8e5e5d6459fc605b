"""What one hidden test produced; the unit the score and the reports are built from."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ..feedback import Feedback, Part


class TestStatus(str, enum.Enum):
    __test__ = False         # an enum, not a pytest test class
    PASSED = "passed"
    FAILED = "failed"        # an assertion about the student's answer did not hold
    ERROR = "error"          # the student's code raised, timed out or crashed
    MISSING = "missing"      # the graded item is absent, imported, or not callable


@dataclass
class TestOutcome:
    __test__ = False         # a data class, not a pytest test class
    test_id: str             # pytest node id, stable across runs
    # The test's title: its catalog entry (title.<chapter>.<file>__<function>) when the
    # chapter has one, else the docstring's first line (else the function name), verbatim.
    title: Part
    item: str                # book name of the graded item, e.g. "softmax"
    max_points: float
    status: TestStatus
    # Why it did not pass: what was called, with what, what came back, what was expected.
    feedback: Feedback | None = None
    # A known classic miss, when one matched (verbatim only in a run stored by an older version).
    hint: Part | None = None
    # What a test says even when it passed: an accepted deviation, a slip charged elsewhere.
    notes: tuple[Part, ...] = ()
    duration: float = 0.0
    tags: list[str] = field(default_factory=list)

    @property
    def points(self) -> float:
        return self.max_points if self.status is TestStatus.PASSED else 0.0
