"""The suite's few bulk operations (one exchange for what would take hundreds) behave like
the loops they replace: a numerical gradient's probes, the book's SGD step, and a suite's
own function resident beside the student's code."""

import numpy as np
import pytest

from autograder.grading import resident
from autograder.grading.student import StudentView
from autograder.sandbox import StaleHandle, StudentRaised

pytestmark = pytest.mark.sandbox

NET = '''
import numpy as np

class Net:
    def __init__(self):
        self.params = {"W": np.array([1.0, -2.0, 3.0]), "b": np.zeros(2)}
        self.calls = 0
    def loss(self, x, scale=1.0):
        self.calls += 1
        value = scale * float(np.sum(self.params["W"] ** 2) + np.sum(x * self.params["b"]))
        x[...] = 0.0   # a loss that clobbers its input: the next evaluation must not see it
        return value

class Fragile(Net):
    def loss(self, x):
        if self.params["W"][1] > -2.0:
            raise ValueError("perturbed")
        return 0.0

class Rebinds(Net):
    def gradient(self, x):
        self.params = {key: value.copy() for key, value in self.params.items()}
        return {"W": np.ones(3), "b": np.ones(2)}

seen = []
def descend(f, x):
    seen.append(f(x))
    return f(x)
'''


@pytest.fixture
def student(make_sandbox):
    sandbox = make_sandbox()
    assert sandbox.load([("cell 1", NET)]).ok
    return StudentView(sandbox.module)


def test_probes_give_the_numerical_gradient_and_leave_the_params_as_they_were(student):
    net = student.Net()
    x = np.array([1.0, 2.0])
    grad_w = resident.params_numerical_grad(net, "W", net.loss, x, h=1e-5)
    grad_b = resident.params_numerical_grad(net, "b", net.loss, x, h=1e-5, scale=2.0)
    np.testing.assert_allclose(grad_w, [2.0, -4.0, 6.0], rtol=1e-6)
    # Every evaluation saw x as sent (the loss zeroes its own copy) and the scale keyword.
    np.testing.assert_allclose(grad_b, [2.0, 4.0], rtol=1e-6)
    np.testing.assert_array_equal(net.params["W"], [1.0, -2.0, 3.0])
    np.testing.assert_array_equal(net.params["b"], [0.0, 0.0])
    assert net.calls == 2 * 3 + 2 * 2


def test_a_loss_that_raises_mid_probe_leaves_the_entry_put_back(student):
    net = student.Fragile()
    with pytest.raises(StudentRaised, match="perturbed"):
        resident.params_numerical_grad(net, "W", net.loss, np.zeros(2))
    np.testing.assert_array_equal(net.params["W"], [1.0, -2.0, 3.0])


def test_probes_agree_with_the_loop_without_a_sandbox():
    namespace: dict = {}
    exec(NET, namespace)
    net = namespace["Net"]()
    grad = resident.params_numerical_grad(net, "W", net.loss, np.array([1.0, 2.0]), h=1e-5)
    np.testing.assert_allclose(grad, [2.0, -4.0, 6.0], rtol=1e-6)


def test_the_sgd_step_is_the_books_statement_on_the_params_the_net_holds_now(student):
    net = student.Rebinds()
    held = resident.param_in_place(net, "W")
    resident.subtract_from_params(net, {"W": np.array([1.0, 1.0, 1.0])})
    np.testing.assert_array_equal(net.params["W"], [0.0, -3.0, 2.0])
    np.testing.assert_array_equal(held[...], [0.0, -3.0, 2.0])   # in place, as -= on an array is
    net.gradient(np.zeros(2))        # rebinds params to copies
    resident.subtract_from_params(net, {"b": np.array([0.5, 0.5])})
    np.testing.assert_array_equal(net.params["b"], [-0.5, -0.5])  # the dict it holds now
    with pytest.raises(StudentRaised, match="KeyError"):
        resident.subtract_from_params(net, {"missing": np.ones(1)})


def test_a_resident_function_runs_beside_the_students_code_and_stays_out_of_their_names(student):
    source = "def make(center):\n    import numpy as np\n    def bowl(x):\n" \
             "        return float(np.sum((x - center) ** 2))\n    return bowl\n"
    here, there = resident.function(student, source, np.array([1.0, 2.0]))
    assert here(np.zeros(2)) == 5.0
    assert student.descend(there, np.zeros(2)) == 5.0
    assert student.seen == [5.0]
    module = object.__getattribute__(student, "_module")
    with pytest.raises((AttributeError, StudentRaised), match="make"):
        getattr(module, "make")   # make() was defined inside a function of a dunder name
    sandbox = object.__getattribute__(module, "_sb")
    sandbox.restart()
    with pytest.raises(StaleHandle):
        there(np.zeros(2))


def test_a_numerical_gradient_says_how_far_it_may_be_off(student):
    """Where the loss is smooth the two step sizes agree to round-off; where it curves
    sharply (here 1 / sqrt(w^2 + eps), batch norm's shape over a near-constant column) the
    estimate's own error shows, and an analytic gradient is held only to what it can tell."""
    net = student.Net()
    x = np.array([1.0, 2.0])
    grad, error = resident.params_numerical_grad_and_error(net, "W", net.loss, x, h=1e-5)
    np.testing.assert_allclose(grad, [2.0, -4.0, 6.0], rtol=1e-6)
    assert np.all(error < 1e-6)
    namespace: dict = {}
    exec("import numpy as np\nclass Sharp:\n    def __init__(self):\n        self.params = {'w': np.array([3e-5])}\n"
         "    def loss(self):\n        return float(1 / np.sqrt(self.params['w'][0] ** 2 + 1e-9))\n", namespace)
    sharp = namespace["Sharp"]()
    w = 3e-5
    true = -w / (w * w + 1e-9) ** 1.5
    grad, error = resident.params_numerical_grad_and_error(sharp, "w", sharp.loss, h=1e-5)
    assert abs(grad[0] - true) > 1e-4 * abs(true)        # the estimate misses the true slope...
    assert error[0] >= abs(grad[0] - true)               # ...and says by how much it may
