"""Does grading the same notebook twice give the same verdicts and the same words?

Instructors regrade; students compare feedback with friends. Seeded inputs, stable
labels (no memory addresses) and sorted outputs make a rerun byte-identical in what a
person reads.
"""

import pytest
from pathlib import Path

from autograder.pipeline import grade, prepare
from autograder.report.results_json import to_dict
from autograder.submissions import Submission

pytestmark = pytest.mark.sandbox

ROOT = Path(__file__).resolve().parents[2]


def _readable(results: dict) -> list[tuple]:
    return [(t["name"], t["status"], t["score"], t["output"]) for t in results["tests"]]


def test_regrading_gives_identical_feedback():
    for notebook in (ROOT / "examples" / "lee_younghee_ch04.ipynb",
                     ROOT / "tests" / "e2e" / "scenarios" / "exit_calls" / "submission.ipynb"):
        first = to_dict(grade(prepare(Submission("a", notebook))))
        second = to_dict(grade(prepare(Submission("a", notebook))))
        assert _readable(first) == _readable(second)
        assert any(t["status"] == "failed" for t in first["tests"])
