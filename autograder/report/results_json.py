"""results.json in Gradescope's schema, with our provenance under the "dlfs" key.

Gradescope knows only "passed"/"failed" per test; our finer outcome (error, missing)
rides in each test's extra_data so nothing is lost for our own reports.
"""

from __future__ import annotations

from ..grading.outcome import Status, TestOutcome
from ..grading.score import Score


def test_entry(number: int, outcome: TestOutcome) -> dict:
    output = outcome.message
    if outcome.hint:
        output = f"{output}\n\n{outcome.hint}" if output else outcome.hint
    return {
        "number": str(number),
        "name": outcome.name,
        "score": outcome.points,
        "max_score": outcome.max_points,
        "status": "passed" if outcome.status is Status.PASSED else "failed",
        "output": output,
        "tags": [outcome.item],
        "visibility": "visible",
        # Gradescope shows `output` (message and hint together); our own reports show the
        # hint apart, so it is kept on its own here too.
        "extra_data": {"outcome": outcome.status.value, "test_id": outcome.test_id,
                       "message": outcome.message, "hint": outcome.hint,
                       "duration": round(outcome.duration, 4)},
    }


def build_results(*, provenance: dict, outcomes: list[TestOutcome] | None = None,
                  score: Score | None = None, execution_time: float, output: str = "") -> dict:
    """Assemble one submission's results. `provenance` becomes the "dlfs" block."""
    tests = [test_entry(i, o) for i, o in enumerate(outcomes or [], start=1)]
    dlfs = dict(provenance)
    if score is not None:
        dlfs["max_score"] = score.max_points
        dlfs["items"] = [
            {"item": s.item, "score": s.points, "max_score": s.max_points,
             "passed": s.passed, "tests": s.tests, "status": s.status}
            for s in score.items]
    return {
        "score": score.points if score is not None else 0.0,
        "execution_time": round(execution_time, 3),
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "dlfs": dlfs,
    }
