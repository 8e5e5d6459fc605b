"""Do calls, handles, attributes, copy-back and callbacks behave like local Python?"""

import numpy as np
import pytest

from autograder.sandbox import Handle, Limits, Sandbox, StaleHandle, StudentRaised, UnsafeValue

pytestmark = pytest.mark.sandbox

STUDENT = [
    ("cell 1", "import numpy as np\nfrom collections import OrderedDict\n"),
    ("cell 2", "def softmax(x):\n    e = np.exp(x - np.max(x, axis=-1, keepdims=True))\n    return e / e.sum(axis=-1, keepdims=True)\n"),
    ("cell 3", """
class TwoLayerNet:
    def __init__(self, i, h, o):
        self.params = {'W1': np.ones((i, h)), 'b1': np.zeros(h), 'W2': np.ones((h, o)), 'b2': np.zeros(o)}
        self.layers = OrderedDict(first=Relu())
    def predict(self, x):
        return (x @ self.params['W1'] + self.params['b1']) @ self.params['W2'] + self.params['b2']

class Relu:
    pass

class SGD:
    def __init__(self, lr=0.1):
        self.lr = lr
    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]

class Rebind:
    def update(self, params, grads):
        for key in params:
            params[key] = params[key] - grads[key]

def append_to(items):
    items.append(np.arange(2))

def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for i in range(x.size):
        tmp = x.flat[i]
        x.flat[i] = tmp + h
        fxh1 = f(x)
        x.flat[i] = tmp - h
        fxh2 = f(x)
        x.flat[i] = tmp
        grad.flat[i] = (fxh1 - fxh2) / (2 * h)
    return grad

def fail(n):
    helper = n + 1
    raise ValueError(f"bad input {n}")

class LyingArray(np.ndarray):
    def __eq__(self, other):
        return True
    def __array__(self, *a, **k):
        return np.zeros(3)

def lying():
    return np.arange(3.0).view(LyingArray)

def patch_allclose():
    np.allclose = lambda *a, **k: True
    return np.allclose(1, 2)

def make_object_array():
    return np.array([object()])

def huge_int():
    return 10 ** 20000

THRESHOLD = 0.5
"""),
]


@pytest.fixture(scope="module")
def sb():
    with Sandbox(limits=Limits(call_seconds=5)) as box:
        report = box.load(STUDENT)
        assert report.ok, report
        yield box


def test_function_call_returns_plain_array(sb):
    x = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    y = sb.module.softmax(x)
    assert type(y) is np.ndarray
    np.testing.assert_allclose(y.sum(axis=1), [1.0, 1.0])
    assert sb.module.THRESHOLD == 0.5


def test_objects_stay_remote_and_attributes_copy(sb):
    net = sb.module.TwoLayerNet(2, 3, 4)
    assert isinstance(net, Handle)
    out = net.predict(np.ones((5, 2)))
    np.testing.assert_allclose(out, np.full((5, 4), 6.0))
    params = net.params
    assert type(params) is dict and params["W1"].shape == (2, 3)
    params["W1"][:] = 100  # a copy: the remote net is unchanged
    np.testing.assert_allclose(net.params["W1"], 1.0)
    assert isinstance(net.layers["first"], Handle)


def test_setattr_setitem_and_in_place_ref(sb):
    net = sb.module.TwoLayerNet(2, 3, 4)
    net.params = {"W1": np.zeros((2, 3)), "b1": np.zeros(3), "W2": np.zeros((3, 4)), "b2": np.ones(4)}
    np.testing.assert_allclose(net.predict(np.ones((1, 2))), [[1, 1, 1, 1]])
    ref = sb.ref(net, "params")
    ref["b2"] = np.full(4, 2.0)
    np.testing.assert_allclose(net.params["b2"], 2.0)
    sb.ref(ref, item="b2")[...] = np.full(4, 7.0)
    np.testing.assert_allclose(net.predict(np.ones((1, 2))), [[7, 7, 7, 7]])
    assert sb.fetch(ref)["b2"][0] == 7.0


def test_write_into_fills_the_arrays_the_network_holds_in_one_exchange(sb, monkeypatch):
    """A training step's parameters go into the network's own arrays (which its layers
    would hold too), all in one exchange, and a key the params lack fails as the
    student's own params[key] would."""
    net = sb.module.TwoLayerNet(2, 3, 4)
    held = sb.ref(sb.ref(net, "params"), item="b2")       # what a layer would keep
    params = sb.ref(net, "params")
    sent = []
    exchange = sb._exchange
    monkeypatch.setattr(sb, "_exchange", lambda req, *a, **k: sent.append(req.op) or exchange(req, *a, **k))
    sb.write_into(params, {"b2": np.full(4, 3.0), "W2": np.zeros((3, 4))})
    assert len(sent) == 1
    monkeypatch.undo()
    assert sb.fetch(held)[0] == 3.0                         # in place: the held array changed
    np.testing.assert_allclose(net.predict(np.ones((1, 2))), [[3, 3, 3, 3]])
    with pytest.raises(StudentRaised) as raised:
        sb.write_into(params, {"nope": np.zeros(1)})
    assert raised.value.exc_type == "KeyError"


@pytest.mark.parametrize("optimizer", ["SGD", "Rebind"])
def test_mutated_arguments_are_copied_back_in_place(sb, optimizer):
    W = np.ones((2, 2))
    params = {"W": W, "b": np.zeros(2)}
    grads = {"W": np.full((2, 2), 0.5), "b": np.ones(2)}
    opt = getattr(sb.module, optimizer)()
    opt.update(params, grads)
    assert params["W"] is W  # same trusted array object, updated in place
    expected = 0.95 if optimizer == "SGD" else 0.5
    np.testing.assert_allclose(W, expected)
    np.testing.assert_allclose(grads["W"], 0.5)
    items = [np.zeros(1)]
    sb.module.append_to(items)
    assert len(items) == 2 and items[1].tolist() == [0, 1]


def test_callback_runs_on_the_trusted_side(sb):
    calls = []

    def f(x):
        calls.append(x.copy())
        return float(np.sum(x ** 2))

    x = np.array([1.0, -2.0, 3.0])
    grad = sb.module.numerical_gradient(f, x)
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-6)
    assert len(calls) == 6


def test_callback_may_call_back_into_the_sandbox(sb):
    net = sb.module.TwoLayerNet(2, 1, 1)
    x = np.ones((1, 2))

    def loss(W):
        net.params = {"W1": W, "b1": np.zeros(1), "W2": np.ones((1, 1)), "b2": np.zeros(1)}
        return float(net.predict(x)[0, 0])

    grad = sb.module.numerical_gradient(loss, np.ones((2, 1)))
    np.testing.assert_allclose(grad, np.ones((2, 1)), rtol=1e-6)


def test_trusted_callback_error_surfaces_as_itself(sb):
    def broken(x):
        raise KeyError("trusted bug")

    with pytest.raises(KeyError, match="trusted bug"):
        sb.module.numerical_gradient(broken, np.ones(2))


def test_student_exception_carries_trimmed_traceback(sb):
    with pytest.raises(StudentRaised) as info:
        sb.module.fail(3)
    err = info.value
    assert err.exc_type == "ValueError" and err.message == "bad input 3"
    assert '"<cell 3>"' in err.traceback and "raise ValueError" in err.traceback
    assert "child.py" not in err.traceback and "fail(3)" in err.call


def test_lying_subclass_arrives_as_plain_array_with_real_data(sb):
    value = sb.module.lying()
    assert type(value) is np.ndarray
    np.testing.assert_array_equal(np.asarray(value), [0.0, 1.0, 2.0])


def test_monkeypatching_numpy_inside_does_not_touch_trusted_numpy(sb):
    assert sb.module.patch_allclose() is True
    assert not np.allclose(1, 2)
    assert np.allclose.__module__.startswith("numpy")


def test_values_without_encoding_are_handles_or_refused(sb):
    assert isinstance(sb.module.make_object_array(), Handle)  # object dtype never crosses as data
    with pytest.raises(UnsafeValue):
        sb.module.softmax(np.array([object()]))
    with pytest.raises(UnsafeValue):
        sb.module.huge_int()


def test_handles_sharing_one_remote_object_survive_each_other(sb):
    kept = sb.ref(sb.module, "softmax")
    for _ in range(3):
        sb.module.softmax(np.zeros(2))  # each builds and drops a Handle to the same function
    np.testing.assert_allclose(kept(np.zeros(2)), [0.5, 0.5])


def test_handles_from_a_restarted_process_are_stale(make_sandbox):
    box = make_sandbox()
    box.load(STUDENT)
    net = box.module.TwoLayerNet(2, 3, 4)
    box.load([("cell 9", "import os\ndef die():\n    os._exit(1)\n")] + STUDENT)
    with pytest.raises(StaleHandle):
        net.predict(np.ones((1, 2)))


ROOTS = [("cell 1", "def softmax(x):\n    return 1 / x\n"),
         ("cell 2", "import sys\n\nclass Net:\n    def loss(self, x):\n        return softmax(x)\n\n"
                    "    def quiet_loss(self, x):\n        sys.tracebacklimit = 0\n        return softmax(x)\n")]


def test_a_raise_names_each_student_frame_by_its_qualified_name(make_sandbox):
    box = make_sandbox()
    assert box.load(ROOTS).ok
    with pytest.raises(StudentRaised) as info:
        box.module.Net().loss(0)
    assert info.value.frames == (("cell 2", 5, "Net.loss"), ("cell 1", 2, "softmax"))
    # The text reads as Python's own, with the class in front of the method.
    assert 'File "<cell 2>", line 5, in Net.loss\n    return softmax(x)\n' in info.value.traceback
    assert info.value.traceback.rstrip().endswith("ZeroDivisionError: division by zero")


def test_the_students_traceback_limit_does_not_mix_up_the_frames(make_sandbox):
    box = make_sandbox()
    assert box.load(ROOTS).ok
    with pytest.raises(StudentRaised) as info:
        box.module.Net().quiet_loss(0)
    assert info.value.frames == (("cell 2", 9, "Net.quiet_loss"), ("cell 1", 2, "softmax"))


LENDING = [("cell 1", "import numpy as np\n\ndef softmax(x):\n    return x\n\n"
                      "def loss(x):\n    return float(np.sum(softmax(x)))\n\n"
                      "def loss_of(f):\n    return softmax(f)\n")]


def test_a_lent_function_stands_for_a_students_global_until_the_block_ends(make_sandbox):
    from autograder.sandbox.substitute import substituted
    box = make_sandbox()
    assert box.load(LENDING).ok
    calls = []

    def right(x):
        calls.append(x.shape)
        return np.exp(x) / np.sum(np.exp(x))

    x = np.array([1.0, 2.0, 3.0])
    assert box.module.loss(x) == 6.0
    with substituted(box, {"softmax": right}) as lent:
        assert box.module.loss(x) == pytest.approx(1.0)   # called back, across several calls
        assert box.module.loss(x) == pytest.approx(1.0)
        assert not lent["softmax"].refused
        with pytest.raises(UnsafeValue):
            box.module.loss_of(box.module.loss)              # a function cannot cross to the grader
        assert lent["softmax"].refused
    assert calls == [(3,), (3,)]
    assert box.module.loss(x) == 6.0                       # the student's own is back
    assert box._callbacks._fns == {}                      # and nothing lent is left to call
