"""Does the page show the student's own code of each item that lost points, failing line marked?"""

import dataclasses

from autograder.feedback import Feedback, Verbatim, Where, msg
from autograder.grading.outcome import TestStatus, TestOutcome
from autograder.grading.score import score_outcomes
from autograder.ingest.sources import ItemSource
from autograder.report.code_view import failing_lines
from autograder.report.render import render_feedback
from autograder.result import BlockError, GradingResult, LoadSummary, Provenance, RunStatus

CODE = 'def ce_loss(y, t):\n    delta = 1e-7\n    return -np.sum(t * np.log(y + delta))  # "</pre><script>x</script>"\n'
TRACEBACK = ('File "<cell 5>", line 4, in ce_loss\n'
             '    return -np.sum(t * np.log(y + delta))\nValueError: operands could not be broadcast')


def _raised(where):
    return Feedback(msg("grading.student_raised", call="ce_loss(y, t)", exc_type="ValueError",
                        message=Verbatim("operands could not be broadcast")),
                    details=(Verbatim(TRACEBACK),), where=where)


def _result(feedback=None):
    feedback = feedback or _raised(Where(5, 4))
    outcomes = [TestOutcome("t1", Verbatim("batch"), "cross_entropy_error", 3, TestStatus.ERROR, feedback=feedback),
                TestOutcome("t2", Verbatim("relu"), "relu", 1, TestStatus.PASSED)]
    return GradingResult(Provenance("kim", "kim.ipynb", "ab" * 32, "0.1.0", "ch04", "1"), RunStatus.GRADED,
                         score=score_outcomes(outcomes, ["cross_entropy_error", "relu"]), outcomes=outcomes,
                         item_sources={"cross_entropy_error": ItemSource(5, 2, CODE),
                                       "relu": ItemSource(6, 1, "def relu(x):\n    return np.maximum(0, x)\n")})


def test_failing_lines_come_from_the_failures_where_and_load_errors_of_the_same_cell_only():
    source = ItemSource(5, 2, CODE)
    assert failing_lines(_result(), "cross_entropy_error", source) == [3]
    # A line number in a traceback's text is not read: only the Where marks a line.
    assert failing_lines(_result(_raised(None)), "cross_entropy_error", source) == []
    assert failing_lines(_result(_raised(Where(4, 4))), "cross_entropy_error", source) == []
    assert failing_lines(_result(_raised(Where(5, 9))), "cross_entropy_error", source) == []
    loaded = dataclasses.replace(_result(_raised(None)), load=LoadSummary(False, block_errors=(
        BlockError("cell 5", "NameError", "x", 2), BlockError("cell 4", "NameError", "x", 3))))
    assert failing_lines(loaded, "cross_entropy_error", source) == [1]


def test_html_page_shows_the_highlighted_code_with_the_failing_line_marked():
    html = render_feedback(_result(), "html", "en")
    assert "Your code — From cell 5, line 2" in html
    assert "It failed at cell 5, line 4 (highlighted)." in html
    assert 'style="background-color: #ffffcc"' in html          # Pygments' inline line mark
    assert "<script>x" not in html and "&lt;script&gt;x" in html  # the student's text is escaped
    assert "def relu" not in html                                # items with full points: no code


def test_markdown_page_fences_the_code_and_names_the_failing_line():
    md = render_feedback(_result(), "md", "ko")
    assert "```python\n" + CODE.rstrip("\n") in md
    assert "셀 5, 4번째 줄(강조 표시)에서 실패했습니다." in md


def test_without_a_place_in_the_failure_the_code_is_shown_unmarked():
    html = render_feedback(_result(Feedback(msg("grading.mismatch", call="ce_loss(y, t)"),
                                            returned="3", expected="1")), "html", "en")
    assert "Your code" in html and "ffffcc" not in html and "It failed at" not in html
