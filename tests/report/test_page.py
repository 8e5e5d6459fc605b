"""Is the student page one language, one block per cause, in the order a student needs?"""

from autograder.feedback import Feedback, Verbatim, msg
from autograder.grading.outcome import TestStatus, TestOutcome
from autograder.grading.score import score_outcomes
from autograder.messages import say
from autograder.report.page import submission_view
from autograder.report.render import render_feedback
from autograder.result import GradingResult, ImportFailure, Provenance, RunStatus


def _mismatch(value):
    return Feedback(msg("grading.mismatch", call="mse(y, t)"),
                    inputs="y = ndarray shape (3,) float64: [1., 2., 3.]", returned=f"float64: {value}")


def _result():
    hint = msg("hint.int_dtype")
    outcomes = [
        TestOutcome("h::test_a", Verbatim("mse of the book's example"), "mse", 2, TestStatus.FAILED,
                    feedback=_mismatch("0.1"), hint=hint),
        TestOutcome("h::test_b", Verbatim("mse of any vectors"), "mse", 3, TestStatus.FAILED,
                    feedback=_mismatch("0.2"), hint=hint),
        TestOutcome("h::test_c", Verbatim("mse of a batch"), "mse", 1, TestStatus.FAILED,
                    feedback=_mismatch("0.3")),
        TestOutcome("h::test_d", Verbatim("relu is fine"), "relu", 4, TestStatus.PASSED),
    ]
    return GradingResult(Provenance("kim", "kim.ipynb", "ab" * 32, "0.1.0", "ch04", "1"),
                         RunStatus.GRADED, score=score_outcomes(outcomes, ["mse", "relu"]),
                         outcomes=outcomes,
                         import_errors=[ImportFailure("cell 2", "1", "import torch", "No module")])


def test_a_korean_page_has_no_english_sentence_and_the_english_page_no_korean():
    ko, en = render_feedback(_result(), "md", "ko"), render_feedback(_result(), "md", "en")
    for key in ("report.label.score", "report.label.fix_first", "grading.label.inputs"):
        assert say(key, lang="ko") in ko and say(key, lang="en") not in ko
        assert say(key, lang="en") in en and say(key, lang="ko") not in en
    assert not any("\uac00" <= ch <= "\ud7a3" for ch in en)


def test_failing_tests_with_one_cause_make_one_block_showing_the_call_once():
    view = submission_view(_result(), "en")
    (mse,) = view["open_items"]
    assert [b["count"] for b in mse["blocks"]] == [2, 1]       # the hint's two tests, then the rest
    text = render_feedback(_result(), "md", "en")
    assert text.count(say("hint.int_dtype", lang="en")) == 1
    assert text.count("mse(y, t)") == 2                        # one example per cause, not per test


def test_summary_and_fixes_come_before_items_and_full_items_take_one_line():
    text = render_feedback(_result(), "md", "en")
    assert text.index("Score") < text.index("import torch") < text.index("mse of a batch")
    assert "relu is fine" not in text
    full = [line for line in text.splitlines() if "`relu`" in line]
    assert len(full) == 2            # the summary table's row and the one-line entry


def test_long_values_are_folded_in_html():
    long = Feedback(msg("grading.mismatch", call="f(x)"), inputs="x = ndarray shape (100,) float64: " + "1.0, " * 60)
    outcome = TestOutcome("t::x", Verbatim("long"), "f", 1, TestStatus.FAILED, feedback=long)
    result = GradingResult(Provenance("kim", "k.ipynb", "ab" * 32, "0.1.0", "ch04", "1"),
                           RunStatus.GRADED, score=score_outcomes([outcome]), outcomes=[outcome])
    html = render_feedback(result, "html", "en")
    assert "<details>" in html and 'lang="en"' in html
    assert max(len(line) for line in render_feedback(result, "md", "en").splitlines()) < 160


def test_hidden_tests_count_but_say_nothing_on_the_page_and_are_marked_in_results_json():
    from autograder.report.results_json import to_dict
    rules = {"test_b": "hidden", "*batch*": "after_due_date"}
    text = render_feedback(_result(), "md", "en", rules)
    assert "mse of any vectors" not in text and "mse of a batch" not in text
    assert "mse of the book's example" in text and "0 / 6" in text     # the item's points stay
    marks = [t["visibility"] for t in to_dict(_result(), rules)["tests"]]
    assert marks == ["visible", "hidden", "after_due_date", "visible"]
