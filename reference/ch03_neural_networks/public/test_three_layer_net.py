"""Public checks of the three-layer network (sections 3.4.3 and 3.6).

The book's weights and its example output are checked through salted hashes
(dlfs_check.hashing): the test holds no value of the answer.
"""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact
from dlfs_check.hashing import digest

BOOK_SHAPES = {"W1": (2, 3), "b1": (3,), "W2": (3, 2), "b2": (2,), "W3": (2, 2), "b3": (2,)}
# A network of our own (not the book's), so forward's hashed output says nothing about
# init_network's values.
NETWORK = {
    "W1": np.array([[0.2, -0.4, 0.6], [0.5, 0.1, -0.3]]), "b1": np.array([0.1, -0.2, 0.05]),
    "W2": np.array([[0.3, -0.1], [-0.6, 0.4], [0.2, 0.7]]), "b2": np.array([-0.1, 0.2]),
    "W3": np.array([[0.5, -0.8], [0.9, 0.3]]), "b3": np.array([0.05, -0.15]),
}
X = np.array([[1.0, 0.5], [-0.7, 2.0], [0.0, 0.0]])
# Identity weights and zero biases: each layer is then its activation alone, so forward
# and predict can be compared with your own sigmoid and softmax without this test
# computing a network.
IDENTITY = {key: (np.eye(3) if key.startswith("W") else np.zeros(3))
            for key in ("W1", "b1", "W2", "b2", "W3", "b3")}
# test_activations.py's test_sigmoid_values: its points, salt and digest.
SIGMOID_X = np.array([-4.2, -2.5, -1.3, -0.4, 0.7, 1.6, 3.1, 5.3])
SIGMOID_DIGEST = ("8939062b5f6b54e24d4a34ccc9e5e60c", "ch03/sigmoid/1")
# As close as grading holds a network to your own helpers (float32 answers included).
OWN_RTOL, OWN_ATOL = 1e-5, 1e-6


def _network(rng, sizes):
    network = {}
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]), start=1):
        network[f"W{i}"] = rng.normal(size=(n_in, n_out))
        network[f"b{i}"] = rng.normal(size=n_out)
    return network


def _sigmoid_passes_its_own_tests(student) -> bool:
    """Does your sigmoid pass its own tests (test_activations.py: between 0 and 1,
    sigmoid(-x) = 1 - sigmoid(x) and sigmoid(0) = 0.5 as closely as expect.close asks,
    increasing, its values by hash)? forward's values are held to the right ones only
    then: a slip in sigmoid is charged at sigmoid, not again at forward, as in grading."""
    x = np.linspace(-6.0, 6.0, 25)   # x[12] is 0
    try:
        out = np.asarray(student.sigmoid(x), dtype=float)
        mirror = np.asarray(student.sigmoid(-x), dtype=float)
        values = np.asarray(student.sigmoid(SIGMOID_X), dtype=float)
    except Exception:  # noqa: BLE001 - missing or broken: sigmoid's tests say why
        return False
    if out.shape != x.shape or mirror.shape != x.shape or values.shape != SIGMOID_X.shape \
            or not np.all(np.isfinite(out)) or not np.all(np.isfinite(values)):
        return False
    want, salt = SIGMOID_DIGEST
    return bool(digest(values, salt) == want and np.all((out > 0) & (out < 1)) and np.all(np.diff(out) > 0)
                and np.allclose(mirror, 1.0 - out, rtol=1e-6, atol=1e-8)
                and np.allclose(out[12], 0.5, rtol=1e-6, atol=1e-8))


def _softmax_passes_its_own_tests(student) -> bool:
    """Does your softmax pass its own tests (test_softmax.py: positive, summing to 1, in
    order, the same for x + c, finite on large inputs, row by row on a batch)? predict is
    held to probabilities only then, as in grading."""
    one = np.array([0.3, -1.2, 2.0, 0.7, -0.4])
    batch = np.array([[0.5, -0.2, 1.1], [2.0, 0.1, -1.3], [-0.6, 0.9, 0.0], [1.4, 1.5, -0.8]])
    try:
        out = np.asarray(student.softmax(one), dtype=float)
        shifted = np.asarray(student.softmax(one + 3.0), dtype=float)
        large = [np.asarray(student.softmax(x), dtype=float)
                 for x in (np.array([1010.0, 1000.0, 990.0]), np.array([1000.0, 0.0, -1000.0]))]
        rows = np.asarray(student.softmax(batch), dtype=float)
        each = np.array([np.asarray(student.softmax(row), dtype=float) for row in batch])
    except Exception:  # noqa: BLE001 - missing or broken: softmax's tests say why
        return False
    if out.shape != one.shape or shifted.shape != one.shape or rows.shape != batch.shape \
            or each.shape != batch.shape or any(y.shape != (3,) for y in large):
        return False
    if not all(np.all(np.isfinite(y)) for y in (out, shifted, rows, *large)):
        return False
    return bool(np.all(out > 0) and np.allclose(np.sum(out), 1.0, rtol=1e-6, atol=1e-8)
                and np.array_equal(np.argsort(out), np.argsort(one))
                and np.allclose(shifted, out, rtol=1e-6, atol=1e-8)
                and all(np.allclose(np.sum(y), 1.0, rtol=1e-6, atol=1e-8) for y in large)
                and np.allclose(np.sum(rows, axis=1), 1.0, rtol=1e-6, atol=1e-8)
                and np.allclose(rows, each, rtol=1e-6, atol=1e-8))


@pytest.mark.item("init_network")
def test_init_network_shapes(student):
    """init_network() 는 W1, b1, W2, b2, W3, b3 을 책의 모양으로 담은 dict 를 돌려준다
    init_network() returns a dict of W1, b1, W2, b2, W3, b3 in the book's shapes"""
    network = expect.keys(student.init_network(), BOOK_SHAPES, "init_network()")
    for key, want in BOOK_SHAPES.items():
        expect.shape(network[key], want, f"init_network()['{key}']", "hint.params_layout")


@pytest.mark.item("init_network")
def test_init_network_book_values(student):
    """init_network() 의 값이 책의 값과 같다 (해시로 비교)
    init_network() holds the book's values (compared by hash)"""
    network = expect.keys(student.init_network(), BOOK_SHAPES, "init_network()")
    values = np.concatenate([expect.shape(network[k], s, f"init_network()['{k}']").ravel()
                             for k, s in BOOK_SHAPES.items()])
    expect.hashed(values, "e1124e717d26970aea6d62c99cd4da41", "ch03/init_network/1",
                  "init_network()")


@pytest.mark.item("forward")
def test_forward_shapes(student):
    """forward 는 샘플 하나 (2,) 에는 (2,), 배치 (N, 2) 에는 (N, 2) 를 돌려준다
    forward gives (2,) for one sample (2,) and (N, 2) for a batch (N, 2)"""
    expect.shape(student.forward(NETWORK, X[0]), (2,), "forward(network, x)", "hint.return_array")
    expect.shape(student.forward(NETWORK, X), (3, 2), "forward(network, X)", "hint.batch_axis")


@pytest.mark.item("forward")
def test_forward_batch_is_row_by_row(student, rng):
    """배치의 forward 는 샘플마다 따로 계산한 것과 같다
    forward on a batch equals forward on each sample alone"""
    network, x = _network(rng, [4, 5, 3, 2]), rng.normal(size=(6, 4))
    batch = expect.shape(student.forward(network, x), (6, 2), "forward(network, x)")
    rows = np.array([np.asarray(student.forward(network, row), dtype=float) for row in x])
    expect.close(batch, rows, Fact("배치 결과 = 샘플별 결과", "batch result = sample-by-sample results"),
                 "forward(network, x)", "hint.batch_axis")


@pytest.mark.item("forward")
def test_forward_values(student, rng):
    """정해진 가중치에서 forward 의 값이 맞다 (해시로 비교; sigmoid 가 자기 테스트를 통과하지 못하면 여러분의 sigmoid 로 비교)
    forward gives the right values for fixed weights (compared by hash; with your own sigmoid while sigmoid fails its tests)"""
    if _sigmoid_passes_its_own_tests(student):
        out = expect.shape(student.forward(NETWORK, X), (3, 2), "forward(network, X)")
        expect.hashed(out, "e26e4fd36a1f29a19c5c667a325d30ae", "ch03/forward/1", "forward(network, X)",
                      hint="hint.formula")
        return
    # forward computes through your sigmoid, whose own tests say what to fix there.
    x = rng.normal(size=(4, 3))
    out = expect.shape(student.forward(IDENTITY, x), x.shape, "forward(network, x)")
    expect.close(out, student.sigmoid(student.sigmoid(x)),
                 Fact("항등 가중치와 0 편향이면 forward(x) = sigmoid(sigmoid(x))",
                      "with identity weights and zero biases, forward(x) = sigmoid(sigmoid(x))"),
                 "forward(network, x)", "hint.formula", rtol=OWN_RTOL, atol=OWN_ATOL)


@pytest.mark.item("predict")
def test_predict_gives_probabilities(student, rng):
    """predict 의 각 행은 합이 1 인 확률이다 (softmax 가 자기 테스트를 통과하지 못하면 여러분의 softmax 로 비교)
    every row of predict is a probability vector summing to 1 (with your own softmax while softmax fails its tests)"""
    if not _softmax_passes_its_own_tests(student):
        _predict_through_own_helpers(student, rng)
        return
    network, x = _network(rng, [4, 5, 6, 3]), rng.normal(size=(7, 4))
    out = expect.shape(student.predict(network, x), (7, 3), "predict(network, x)")
    expect.holds(np.all(out >= 0), Fact("모든 값이 0 이상", "every value is >= 0"), "predict(network, x)")
    expect.close(np.sum(out, axis=1), np.ones(7), Fact("행마다 합이 1", "every row sums to 1"),
                 "predict(network, x)", "hint.batch_axis")


@pytest.mark.item("predict")
def test_predict_ignores_a_shift_of_the_output_bias(student, rng):
    """출력층 편향 b3 의 모든 값에 같은 수를 더해도 predict 는 같다 (출력이 softmax 이므로)
    adding the same number to every entry of b3 leaves predict unchanged (its output is a softmax)"""
    if not _softmax_passes_its_own_tests(student):
        _predict_through_own_helpers(student, rng)
        return
    network, x = _network(rng, [4, 5, 6, 3]), rng.normal(size=(5, 4))
    before = expect.shape(student.predict(network, x), (5, 3), "predict(network, x)")
    shifted = dict(network, b3=network["b3"] + 4.0)
    expect.close(student.predict(shifted, x), before,
                 Fact("b3 + c 여도 같은 확률", "the same probabilities for b3 + c"), "predict(network, x)")


def _predict_through_own_helpers(student, rng):
    """predict, while your softmax fails its own tests (which say what to fix there),
    compared with your own softmax and sigmoid, as grading does."""
    x = rng.normal(size=(7, 3))
    out = expect.shape(student.predict(IDENTITY, x), x.shape, "predict(network, x)")
    expect.close(out, student.softmax(student.sigmoid(student.sigmoid(x))),
                 Fact("항등 가중치와 0 편향이면 predict(x) = softmax(sigmoid(sigmoid(x)))",
                      "with identity weights and zero biases, predict(x) = softmax(sigmoid(sigmoid(x)))"),
                 "predict(network, x)", "hint.formula", rtol=OWN_RTOL, atol=OWN_ATOL)


def _labels(student, network, x):
    scores = expect.numbers(student.predict(network, x), "predict(network, x)")
    return np.argmax(scores, axis=1), scores.shape[1]


@pytest.mark.item("accuracy")
def test_accuracy_all_right_and_all_wrong(student, rng):
    """예측과 모두 같은 정답이면 1.0, 모두 다르면 0.0 이다
    accuracy is 1.0 when every label matches the prediction and 0.0 when none does"""
    network, x = _network(rng, [4, 5, 6, 3]), rng.normal(size=(6, 4))
    right, classes = _labels(student, network, x)
    expect.close(student.accuracy(network, x, right), 1.0, Fact("모두 맞으면 1.0", "all right gives 1.0"),
                 "accuracy(network, x, t)")
    expect.close(student.accuracy(network, x, (right + 1) % classes), 0.0,
                 Fact("모두 틀리면 0.0", "all wrong gives 0.0"), "accuracy(network, x, t)")


@pytest.mark.item("accuracy")
def test_accuracy_is_a_fraction(student, rng):
    """절반이 맞으면 0.5 이고, 원-핫 정답도 같은 결과를 준다
    half right gives 0.5, and one-hot labels give the same answer"""
    network, x = _network(rng, [4, 5, 6, 3]), rng.normal(size=(8, 4))
    right, classes = _labels(student, network, x)
    t = np.where(np.arange(8) % 2 == 0, right, (right + 1) % classes)
    expect.close(student.accuracy(network, x, t), 0.5, Fact("절반이 맞으면 0.5", "half right gives 0.5"),
                 "accuracy(network, x, t)")
    expect.close(student.accuracy(network, x, np.eye(classes)[t]), 0.5,
                 Fact("원-핫 정답도 0.5", "one-hot labels give 0.5 too"), "accuracy(network, x, t)",
                 "hint.labels_and_onehot")
