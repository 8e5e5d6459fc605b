"""A reference class written out as one block: it defines the class under the student's
name and nothing else, and closes over the reference's own helpers, never the student's."""

import numpy as np

from autograder.grading.lending import class_block
from reference import ch05_backprop, ch07_cnn


def run(block: str, namespace: dict) -> dict:
    exec(compile(block, "<loan>", "exec"), namespace)
    return namespace


def test_the_block_defines_only_the_class_and_reads_no_student_global():
    def students_softmax(x):
        raise AssertionError("the lent layer called the student's softmax")

    namespace = run(class_block(ch05_backprop.SoftmaxWithLoss, "SWL"),
                    {"softmax": students_softmax, "np": None})
    assert set(namespace) - {"__builtins__"} == {"SWL", "softmax", "np"}
    assert namespace["softmax"] is students_softmax and namespace["np"] is None
    # The reference's softmax and its 1e-7 came along: finite on confident scores.
    loss = namespace["SWL"]().forward(np.array([[1000.0, 0.0]]), np.array([1]))
    assert np.isclose(loss, -np.log(1e-7))


def test_a_layer_built_on_reference_functions_of_another_module_works():
    conv = run(class_block(ch07_cnn.Convolution, "Conv"), {})["Conv"]
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(2, 2, 5, 5)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    assert np.allclose(conv(W, b, 2, 1).forward(x), ch07_cnn.Convolution(W, b, 2, 1).forward(x))
