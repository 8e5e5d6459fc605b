"""Notebooks that compute nothing (tests/grading/nothing.py) score near zero.

The bound: every self-consistency test (a backward against the numerical gradient of the
student's own forward or loss) and every learning test earns 0, and the whole notebook at
most 12 % of the chapter. What is left is structure a notebook that computes nothing can
honestly have: params of the right shapes, biases that start at zero, a forward that leaves
its input alone, an accuracy() right about its own predict(), the add node's backward
(which is dout, passed on). Before these checks the same notebooks got 28-36 % of ch05
and 20-26 % of ch07.
"""

import pytest

from autograder.assignment import load_assignment
from autograder.grading.outcome import TestStatus
from autograder.grading.runner import run_hidden_suite
from autograder.grading.score import score_outcomes
from autograder.grading.student import StudentView
from tests.grading.nothing import NOTHING, module_of
from tests.grading.test_suite_ch06 import grade as grade_ch06
from tests.grading.test_suite_ch06 import reference_student as ch06_student

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

MAX_PERCENT = 12.0
SELF_CONSISTENCY = ("own_forward", "own_loss", "learns_digits")


def _grade(name):
    chapter, source = NOTHING[name]
    assignment = load_assignment(chapter)
    outcomes = run_hidden_suite(assignment.suite_dir, StudentView(module_of(source)),
                                reference=assignment.package)
    return outcomes, score_outcomes(outcomes, list(assignment.items))


@pytest.mark.parametrize("name", sorted(NOTHING))
def test_a_notebook_that_computes_nothing_scores_near_zero(name):
    outcomes, score = _grade(name)
    paid = {o.test_id: o.points for o in outcomes
            if any(k in o.test_id for k in SELF_CONSISTENCY) and o.points}
    assert paid == {}
    checked = [o for o in outcomes if any(k in o.test_id for k in SELF_CONSISTENCY)]
    assert len(checked) >= 4  # the suite still has such tests, and they ran
    assert score.percent <= MAX_PERCENT, [(i.item, i.points) for i in score.items]


def test_the_memorising_net_is_told_why_it_did_not_learn():
    outcomes, _ = _grade("ch05_constant")
    learning = next(o for o in outcomes if o.test_id.endswith("test_learns_digits"))
    assert learning.status is TestStatus.FAILED
    assert learning.feedback.headline.key == "grading.learning_zero_gradient"


CONSTANT_BN = '''
class BatchNormalization:
    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        self.gamma, self.beta = gamma, beta
        self.dgamma, self.dbeta = np.zeros_like(gamma), np.zeros_like(beta)

    def forward(self, x, train_flg=True):
        self.shape = x.shape
        return np.zeros(x.shape)

    def backward(self, dout):
        return np.zeros(self.shape)
'''

IDENTITY_BN = '''
class BatchNormalization:
    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        self.gamma, self.beta = gamma, beta
        self.dgamma, self.dbeta = np.zeros_like(gamma), np.zeros_like(beta)

    def forward(self, x, train_flg=True):
        return x

    def backward(self, dout):
        return dout
'''


@pytest.mark.parametrize("source", [CONSTANT_BN, IDENTITY_BN], ids=["constant", "identity"])
def test_a_batch_norm_that_computes_nothing_earns_no_own_forward_points(source):
    bn = module_of(source).BatchNormalization
    outcomes = grade_ch06(ch06_student(BatchNormalization=bn))
    own = {o.test_id.split("::")[1]: o.status for o in outcomes
           if o.test_id.startswith("test_batch_normalization.py") and "own_forward" in o.test_id}
    assert own == {"test_backward_matches_own_forward": TestStatus.FAILED,
                   "test_dgamma_dbeta_match_own_forward": TestStatus.FAILED}


def test_the_compute_nothing_sources_define_every_graded_item():
    """Each scores near zero for computing nothing, not for missing an item."""
    for chapter, source in NOTHING.values():
        module = module_of(source)
        for item in load_assignment(chapter).items:
            assert callable(getattr(module, item, None)), (chapter, item)
