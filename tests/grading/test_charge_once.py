"""One slip is charged once, at its item: a composite that fails only through a graded item
charged by its own tests is forgiven (with a note saying where), and only then.

Graded through the real pipeline (ingest, sandbox, hidden suite), on the chapter's
reference notebook with one slip, as tests/mutants does.
"""

import nbformat
import pytest

from autograder.assignment import load_assignment
from autograder.feedback import msg
from autograder.grading.outcome import TestStatus
from autograder.pipeline import grade, prepare
from autograder.submissions import Submission
from tests.mutants.catalogue import Mutant, notebook

pytestmark = pytest.mark.sandbox


def graded(tmp_path, chapter: str, module: str, old, new) -> dict[str, dict[str, object]]:
    """item -> {test name: outcome} for the chapter's reference notebook with one change."""
    assignment = load_assignment(chapter)
    path = tmp_path / f"{chapter}.ipynb"
    nbformat.write(notebook(assignment, Mutant("slip", module, old, new, "a test's slip")), path)
    result = grade(prepare(Submission("kim", path), assignment))
    items: dict[str, dict[str, object]] = {}
    for outcome in result.outcomes:
        items.setdefault(outcome.item, {})[outcome.test_id.split("::")[1]] = outcome
    return items


def points(outcomes: dict) -> tuple[float, float]:
    return sum(o.points for o in outcomes.values()), sum(o.max_points for o in outcomes.values())


def test_an_affine_slip_is_charged_at_affine_and_not_again_at_the_network(tmp_path):
    """`self.db = dout` (no sum over the batch) scored Affine 7/15 and TwoLayerNet 10/30."""
    items = graded(tmp_path, "ch05", "ch05_backprop/layers",
                   "self.db = np.sum(dout, axis=0)", "self.db = dout")
    got, full = points(items["Affine"])
    assert got < full
    net = items["TwoLayerNet"]
    assert points(net)[0] == points(net)[1]
    forgiven = [o for o in net.values() if o.notes == (msg("grading.root.charged_at", names="`Affine`"),)]
    # The network's gradient tests failed through Affine and say where it was charged.
    assert {"test_gradient_matches_reference", "test_learns_digits"} <= {o.test_id.split("::")[1]
                                                                          for o in forgiven}
    assert all(o.status is TestStatus.PASSED for o in forgiven)


def test_a_network_that_fails_on_its_own_is_charged(tmp_path):
    """Gradients filed under each other's keys: no layer explains it, nothing is forgiven."""
    items = graded(tmp_path, "ch05", "ch05_backprop/two_layer_net",
                   'return {"W1": a1.dW, "b1": a1.db, "W2": a2.dW, "b2": a2.db}',
                   'return {"W1": a2.dW, "b1": a2.db, "W2": a1.dW, "b2": a1.db}')
    net = items["TwoLayerNet"]
    assert points(net)[0] < points(net)[1]
    assert all(points(outcomes)[0] == points(outcomes)[1] for item, outcomes in items.items()
               if item != "TwoLayerNet")
    assert not any(part.key == "grading.root.charged_at" for o in net.values() for part in o.notes)
    assert net["test_gradient_matches_reference"].status is TestStatus.FAILED


@pytest.mark.parametrize("chapter, item, test", [
    ("ch05", "SoftmaxWithLoss", "test_forward_confident_scores"),
    ("ch07", "SimpleConvNet", "test_loss_confident"),
])
@pytest.mark.parametrize("module, old, new", [
    ("ch03_neural_networks/activations", "np.exp(x - np.max(x, axis=-1, keepdims=True))", "np.exp(x)"),
    ("ch04_training/losses", "DELTA = 1e-7", "DELTA = 0.0"),
], ids=["softmax-without-max-shift", "cross-entropy-without-delta"])
def test_a_helper_that_is_not_an_item_is_charged_where_it_is_used(tmp_path, chapter, item, test,
                                                                   module, old, new):
    """softmax and cross_entropy_error are items of chapters 3 and 4, not of 5 or 7: their
    slip is not forgiven (they scored 100/100), it costs the item built on them."""
    items = graded(tmp_path, chapter, module, old, new)
    assert items[item][test].status is TestStatus.FAILED
    assert items[item][test].notes == ()
    assert sum(points(o)[0] for o in items.values()) < sum(points(o)[1] for o in items.values())
