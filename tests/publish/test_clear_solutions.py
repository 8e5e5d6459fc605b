"""ClearSolutions: nbgrader's solution markers become stubs that run and say what is missing."""

from __future__ import annotations

import pytest

from autograder.publish.preprocessors.clear_solutions import (SolutionMarkerError, stub_code,
                                                             stub_markdown)

FUNCTION = '''def softmax(x):
    ### BEGIN SOLUTION
    e = np.exp(x - x.max())
    return e / e.sum()
    ### END SOLUTION
'''


def _run(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "<stub>", "exec"), namespace)
    return namespace


def test_a_function_body_becomes_a_raise():
    """Does an untouched function say it is not implemented, with nothing of the solution?"""
    stub = stub_code(FUNCTION)
    assert stub == "def softmax(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    with pytest.raises(NotImplementedError):
        _run(stub)["softmax"](1.0)


def test_a_top_level_region_becomes_a_comment_only():
    """Does a helper region at the top level leave the cell able to define what follows?"""
    source = "### BEGIN SOLUTION\ndef _helper(x):\n    return x\n### END SOLUTION\n\n\n" + FUNCTION
    stub = stub_code(source)
    assert stub.startswith("# YOUR CODE HERE\n\n\ndef softmax")
    assert "_helper" not in stub and "softmax" in _run(stub)


def test_a_class_level_region_does_not_raise_but_its_methods_do():
    source = '''class Relu:
    ### BEGIN SOLUTION
    """Doc."""
    ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        return x
        ### END SOLUTION
'''
    stub = stub_code(source)
    layer = _run(stub)["Relu"]()
    with pytest.raises(NotImplementedError):
        layer.forward(1)
    assert stub.count("raise NotImplementedError()") == 1


def test_a_whole_block_outside_a_function_gets_pass():
    """Would a region that is a whole `if` block at the top level leave it empty? (No: pass.)"""
    stub = stub_code("if True:\n    ### BEGIN SOLUTION\n    y = 2\n    ### END SOLUTION\n")
    assert "pass" in stub and "y = 2" not in stub
    _run(stub)


def test_code_without_markers_is_unchanged():
    source = "import numpy as np\nX = np.arange(3)\n"
    assert stub_code(source) == source


def test_a_markdown_region_becomes_your_answer_here():
    text = "Why?\n### BEGIN SOLUTION\nBecause of overflow.\n### END SOLUTION\nNext."
    assert stub_markdown(text) == "Why?\nYOUR ANSWER HERE\nNext."


@pytest.mark.parametrize("source", [
    "### BEGIN SOLUTION\nx = 1\n",
    "x = 1\n### END SOLUTION\n",
    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n### END SOLUTION\n",
], ids=["never-ended", "end-without-begin", "nested"])
def test_unbalanced_markers_are_refused(source):
    with pytest.raises(SolutionMarkerError, match="line"):
        stub_code(source, "cell 3")
