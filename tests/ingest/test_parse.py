"""Parsing each cell on its own: one broken cell costs that cell only."""

from autograder.ingest import ingest
from tests.ingest.conftest import notebook_bytes


def test_syntax_error_loses_one_cell(write):
    """With a syntax error among good cells, are the others kept and the error placed?"""
    cells = ["def sigmoid(x):\n    return 1 / (1 + np.exp(-x))",
             "def relu(x):\n    return np.maximum(0, x\n\nprint(relu(1))",
             "def step_function(x):\n    return np.array(x > 0, dtype=int)"]
    result = ingest(write(notebook_bytes(*cells)))
    assert {"sigmoid", "step_function"} <= set(result.definitions)
    assert "relu" not in result.definitions
    [(cell, line, message)] = result.report.syntax_errors
    assert (cell, line) == (3, 2)
    assert "never closed" in message
    assert [label for label, _ in result.blocks[1:]] == ["cell 2", "cell 4"]


def test_compile_time_errors_drop_the_cell_too(write):
    """Is a cell Jupyter would refuse to compile (top-level `return`) dropped as a syntax error?"""
    result = ingest(write(notebook_bytes("def f():\n    return 1\nreturn f", "x = 2")))
    assert result.report.syntax_errors[0][:2] == (2, 3)
    assert "f" not in result.definitions and "x" in result.definitions


def test_invalid_escapes_are_not_syntax_errors_even_when_warnings_are_errors(write):
    """Does `re.compile('\\d+')` parse when the process turns warnings into errors?"""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = ingest(write(notebook_bytes("import re\nP = re.compile('\\d+')\ndef f():\n    return P")))
    assert result.report.syntax_errors == []
    assert "f" in result.definitions
