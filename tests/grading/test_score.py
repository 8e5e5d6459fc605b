"""Is partial credit per item and the total computed from test points alone?"""

from autograder.feedback import Verbatim
from autograder.grading.outcome import TestStatus, TestOutcome
from autograder.grading.score import score_outcomes


def _t(item, points, status):
    return TestOutcome(test_id=f"{item}-{points}-{status}", title=Verbatim("t"), item=item,
                       max_points=points, status=status)


def test_partial_credit_and_total():
    score = score_outcomes([
        _t("softmax", 2, TestStatus.PASSED), _t("softmax", 3, TestStatus.FAILED),
        _t("relu", 1, TestStatus.PASSED),
        _t("sigmoid", 2, TestStatus.MISSING), _t("sigmoid", 1, TestStatus.MISSING),
        _t("step_function", 1, TestStatus.ERROR),
    ], item_order=["relu", "softmax", "sigmoid"])
    assert [i.item for i in score.items] == ["relu", "softmax", "sigmoid", "step_function"]
    by = {i.item: i for i in score.items}
    assert (by["softmax"].points, by["softmax"].max_points, by["softmax"].status) == (2, 5, "partial")
    assert by["relu"].status == "full"
    assert by["sigmoid"].status == "missing"
    assert by["step_function"].status == "zero"
    assert (score.points, score.max_points) == (3, 10)
    assert score.percent == 30.0
