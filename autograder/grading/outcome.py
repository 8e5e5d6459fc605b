"""What one hidden test produced; the unit the score and the reports are built from."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


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
    name: str                # human title (the test docstring's first line, else the function name)
    item: str                # book name of the graded item, e.g. "softmax"
    max_points: float
    status: TestStatus
    message: str = ""        # what was called, with what, what came back, what was expected
    hint: str = ""           # a known classic miss, when one matched
    duration: float = 0.0
    tags: list[str] = field(default_factory=list)

    @property
    def points(self) -> float:
        return self.max_points if self.status is TestStatus.PASSED else 0.0
