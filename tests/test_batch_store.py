"""Does a regrade of the same bytes reuse the gradebook's typed result, never a results.json
read back, and write each export in the course's one language?"""

import json
import re
from pathlib import Path

import pytest

from autograder import units
from autograder.batch import run_batch
from autograder.executor import SerialExecutor
from autograder.feedback import Feedback, Message, Verbatim, msg
from autograder.grading.outcome import TestOutcome, TestStatus
from autograder.grading.score import score_outcomes
from autograder.messages import say
from autograder.result import GradingResult, RunStatus
from autograder.submissions import Submission

KIM = Path(__file__).resolve().parents[1] / "examples" / "kim_minsu_ch03.ipynb"
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture
def typed(monkeypatch):
    """Grading without a sandbox: every submission gets one failing test with a hint; the
    list names each one graded."""
    graded = []

    def grade(prep, **_options):
        graded.append(prep.submission.student_id)
        outcomes = [TestOutcome("t::a", Verbatim("step_function of zero"), "step_function", 2,
                                TestStatus.FAILED, hint=msg("hint.int_dtype"),
                                feedback=Feedback(msg("grading.mismatch", call="step_function(x)"),
                                                  returned="int64: 1", expected="int64: 0"))]
        return GradingResult(prep.provenance, RunStatus.GRADED, outcomes=outcomes,
                             score=score_outcomes(outcomes, ["step_function"]))
    monkeypatch.setattr(units, "grade", grade)
    return graded


def test_a_regrade_reuses_the_stored_result_not_the_results_json(tmp_path, typed):
    subs = [Submission("kim", KIM)]
    executor = SerialExecutor()
    first = run_batch(subs, tmp_path, executor=executor, lang="en")
    exported = tmp_path / "students" / "kim" / "results.json"
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert not HANGUL.search(json.dumps(data, ensure_ascii=False))
    assert data["tests"][0]["output"].endswith(say("hint.int_dtype", lang="en"))
    # An export is not a record: garble it, and the regrade still has the typed result.
    exported.write_text("not json", encoding="utf-8")
    again = run_batch(subs, tmp_path, executor=executor, lang="ko")
    assert typed == ["kim"] and again.cached == 1
    (reused,) = again.results
    assert reused.reused_run is not None and isinstance(reused.outcomes[0].hint, Message)
    assert reused.outcomes == first.results[0].outcomes
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["tests"][0]["output"].endswith(say("hint.int_dtype", lang="ko"))
    assert say("hint.int_dtype", lang="en") not in exported.read_text(encoding="utf-8")
    assert say("hint.int_dtype", lang="ko") in (tmp_path / "students" / "kim" / "feedback.md").read_text(
        encoding="utf-8")
