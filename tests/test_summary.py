"""Do the lines above a result's printed output come from its data, in one language each?"""

import re

from autograder.feedback import Verbatim, msg
from autograder.grading.score import Score
from autograder.result import (BlockError, ErrorCode, GradingResult, LoadSummary, Provenance,
                               RunError, RunStatus)
from autograder.summary import summary_parts, summary_text

HANGUL = re.compile("[\uac00-\ud7a3]")
PROVENANCE = Provenance("kim", "kim.ipynb", "0" * 64, "test")


def graded(output: str = "", load: LoadSummary | None = None) -> GradingResult:
    return GradingResult(PROVENANCE, RunStatus.GRADED, score=Score(7.5, 10.0, ()),
                         load=load or LoadSummary(True), output=output)


def test_a_graded_result_says_its_score_then_what_failed_to_load():
    load = LoadSummary(False, timed_out=True,
                       block_errors=(BlockError("cell 3", "ValueError", "bad shape", 2),))
    result = graded("loss 0.1\n", load)
    assert summary_parts(result) == [
        msg("report.score_line", points="7.5", max_points="10"),
        msg("report.block_failed", label=msg("report.cell", cell=3), line=2, error="ValueError: bad shape"),
        msg("report.load_timed_out"),
        msg("report.student_output_follows")]
    # The printed output stays the student's alone, and follows the summary at the edge.
    assert result.output == "loss 0.1\n"
    en, ko = summary_text(result, "en"), summary_text(result, "ko")
    assert en.startswith("Score: 7.5 / 10\n") and en.endswith("loss 0.1\n")
    assert not HANGUL.search(en)
    assert ko.startswith("점수: 7.5 / 10\n") and "Score" not in ko and "time limit" not in ko
    assert "셀 3, 2번째 줄" in ko and "Running cell 3, line 2" in en


def test_nothing_printed_means_no_heading_for_it():
    assert summary_parts(graded("  \n")) == [msg("report.score_line", points="7.5", max_points="10")]


def test_an_error_result_says_its_error_and_nothing_else():
    error = RunError(ErrorCode.NO_NOTEBOOK, msg("ingest.error.no_notebook", path="kim"))
    result = GradingResult(PROVENANCE, RunStatus.ERROR, error=error)
    assert summary_parts(result) == [error.message]
    assert summary_text(result, "en") == error.message.render("en")
    assert not HANGUL.search(summary_text(result, "en")) and HANGUL.search(summary_text(result, "ko"))


def test_an_older_runs_prose_error_is_said_as_it_was_stored():
    result = GradingResult(PROVENANCE, RunStatus.ERROR,
                           error=RunError(ErrorCode.INTERNAL_ERROR, Verbatim("오류 / error")))
    assert summary_text(result, "en") == summary_text(result, "ko") == "오류 / error"
