"""Public checks of the three-layer network (sections 3.4.3 and 3.6).

The book's weights and its example output are checked through salted hashes
(dlfs_check.hashing): the test holds no value of the answer.
"""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

BOOK_SHAPES = {"W1": (2, 3), "b1": (3,), "W2": (3, 2), "b2": (2,), "W3": (2, 2), "b3": (2,)}
# A network of our own (not the book's), so forward's hashed output says nothing about
# init_network's values.
NETWORK = {
    "W1": np.array([[0.2, -0.4, 0.6], [0.5, 0.1, -0.3]]), "b1": np.array([0.1, -0.2, 0.05]),
    "W2": np.array([[0.3, -0.1], [-0.6, 0.4], [0.2, 0.7]]), "b2": np.array([-0.1, 0.2]),
    "W3": np.array([[0.5, -0.8], [0.9, 0.3]]), "b3": np.array([0.05, -0.15]),
}
X = np.array([[1.0, 0.5], [-0.7, 2.0], [0.0, 0.0]])


def _network(rng, sizes):
    network = {}
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]), start=1):
        network[f"W{i}"] = rng.normal(size=(n_in, n_out))
        network[f"b{i}"] = rng.normal(size=n_out)
    return network


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
def test_forward_values(student):
    """정해진 가중치에서 forward 의 값이 맞다 (해시로 비교)
    forward gives the right values for fixed weights (compared by hash)"""
    out = expect.shape(student.forward(NETWORK, X), (3, 2), "forward(network, X)")
    expect.hashed(out, "e26e4fd36a1f29a19c5c667a325d30ae", "ch03/forward/1", "forward(network, X)",
                  hint="hint.formula")


@pytest.mark.item("predict")
def test_predict_gives_probabilities(student, rng):
    """predict 의 각 행은 합이 1 인 확률이다
    every row of predict is a probability vector summing to 1"""
    network, x = _network(rng, [4, 5, 6, 3]), rng.normal(size=(7, 4))
    out = expect.shape(student.predict(network, x), (7, 3), "predict(network, x)")
    expect.holds(np.all(out >= 0), Fact("모든 값이 0 이상", "every value is >= 0"), "predict(network, x)")
    expect.close(np.sum(out, axis=1), np.ones(7), Fact("행마다 합이 1", "every row sums to 1"),
                 "predict(network, x)", "hint.batch_axis")


@pytest.mark.item("predict")
def test_predict_ignores_a_shift_of_the_output_bias(student, rng):
    """출력층 편향 b3 의 모든 값에 같은 수를 더해도 predict 는 같다 (출력이 softmax 이므로)
    adding the same number to every entry of b3 leaves predict unchanged (its output is a softmax)"""
    network, x = _network(rng, [4, 5, 6, 3]), rng.normal(size=(5, 4))
    before = expect.shape(student.predict(network, x), (5, 3), "predict(network, x)")
    shifted = dict(network, b3=network["b3"] + 4.0)
    expect.close(student.predict(shifted, x), before,
                 Fact("b3 + c 여도 같은 확률", "the same probabilities for b3 + c"), "predict(network, x)")


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
