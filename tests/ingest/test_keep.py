"""Which top-level statements the module keeps, what they define, and what is skipped."""

import pytest

from autograder.feedback import msg
from autograder.ingest import ingest
from tests.ingest.conftest import notebook_bytes


def kinds(result):
    return {name: d.kind for name, d in result.definitions.items()}


def test_kept_kinds(write):
    """Are imports, defs, classes, lambdas, aliases and constants kept with the right kind?"""
    cells = ["import numpy as np\nfrom common.functions import softmax",
             "def ce_loss(y, t):\n    return -np.sum(t * np.log(y + 1e-7))\ncross_entropy = ce_loss",
             "class MultLayer:\n    def forward(self, x, y):\n        return x * y",
             "relu = lambda x: np.maximum(0, x)\ndelta = 1e-7\nW1 = np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]])\n"
             "shape = W1.T.shape\nW2 = W1.reshape(3, 2) * 2\nnames = {'w': W1, 'n': len([1, 2])}"]
    result = ingest(write(notebook_bytes(*cells)))
    assert kinds(result) == {"np": "import", "softmax": "import", "ce_loss": "function",
                             "cross_entropy": "alias", "MultLayer": "class", "relu": "lambda",
                             "delta": "constant", "W1": "constant", "shape": "constant",
                             "W2": "constant", "names": "constant"}
    assert result.definitions["softmax"].imported_from == "common.functions"
    assert result.definitions["cross_entropy"].target == "ce_loss"
    assert result.report.skipped_total == 0


@pytest.mark.parametrize("statement, kind", [
    ("print(W)", "call"),
    ("plt.plot(x, y)", "call"),
    ("W", "expr"),
    ("y = sigmoid(W)", "assign"),
    ("(x_train, t_train), (x_test, t_test) = load_mnist(normalize=True)", "assign"),
    ("for i in range(10000):\n    W -= 0.1", "for"),
    ("while True:\n    pass", "while"),
    ("if __name__ == '__main__':\n    W = 2", "if"),
    ("with open('w.pkl', 'rb') as f:\n    W = f.read()", "with"),
    ("net.params['W1'] = W", "assign"),
    ("W += other", "augassign"),
])
def test_skipped_statements_are_counted_by_kind(write, statement, kind):
    """Is each runnable top-level statement skipped and counted under its kind?"""
    cell = "import numpy as np\nW = np.zeros(3)\ndef sigmoid(x):\n    return x\n" + statement
    result = ingest(write(notebook_bytes(cell)))
    assert dict(result.report.skipped) == {kind: 1}
    assert "while" not in "".join(src for _, src in result.blocks)


def test_numpy_call_with_unkept_argument_is_skipped(write):
    """Is `np.dot(X, W1)` kept when X and W1 are kept, and skipped when X came from a call?"""
    cells = ["import numpy as np\nX = np.array([1.0, 0.5])\nW1 = np.ones((2, 3))\nA1 = np.dot(X, W1)",
             "X = x_train[:5]\nA2 = np.dot(X, W1)"]
    result = ingest(write(notebook_bytes(*cells)))
    assert "A1" in result.definitions and "A2" not in result.definitions
    assert result.report.skipped["assign"] == 2


def test_redefinition_last_wins(write):
    """With a function defined, redefined in a later cell, is the later one recorded and emitted?"""
    cells = ["def softmax(a):\n    return a", "x = 1", "\n\ndef softmax(a):\n    c = a.max()\n    return a - c"]
    result = ingest(write(notebook_bytes(*cells)))
    assert (result.definitions["softmax"].cell, result.definitions["softmax"].line) == (4, 3)
    namespace = {}
    for label, source in result.blocks:
        exec(compile(source, label, "exec"), namespace)
    assert namespace["softmax"].__code__.co_filename == "cell 4"


def test_function_replaced_by_value_becomes_constant(write):
    """Does `softmax = 3` after `def softmax` leave softmax as a constant?"""
    result = ingest(write(notebook_bytes("def softmax(a):\n    return a\nsoftmax = 3")))
    assert result.definitions["softmax"].kind == "constant"


def test_method_written_outside_its_class_warns(write):
    """Is a top-level def taking `self` kept as a function, with a warning naming it?"""
    cells = ["class TwoLayerNet:\n    def __init__(self):\n        self.params = {}", "def predict(self, x):\n    return x"]
    result = ingest(write(notebook_bytes(*cells)))
    assert result.definitions["predict"].kind == "function"
    assert msg("ingest.warn.method_outside_class", name="predict", cell=3) in result.report.warnings


def test_star_import_is_recorded_apart_from_names(write):
    """Is `from common.functions import *` kept as an import without claiming any name?"""
    result = ingest(write(notebook_bytes("from common.functions import *")))
    [star] = result.definitions.values()
    assert (star.name, star.imported_from) == ("*", "common.functions")


def test_redefinition_twice_in_one_cell_keeps_the_earlier_cells(write):
    """Defined in cell 2, then twice in cell 4: does the record still name cell 2 as earlier?"""
    cells = ["def f():\n    return 1", "x = 1", "def f():\n    return 2\ndef f():\n    return 3"]
    result = ingest(write(notebook_bytes(*cells)))
    assert (result.definitions["f"].cell, result.definitions["f"].line) == (4, 3)
    assert result.definitions["f"].earlier == (2,)


def test_the_local_checkers_import_is_neither_kept_nor_reported(tmp_path):
    """A published notebook's check cell imports dlfs_check, which only a student's laptop has."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    from autograder.ingest import ingest
    path = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("import numpy as np\ndef relu(x):\n    return x\n"),
                                       new_code_cell("from dlfs_check import check_all\nimport dlfs_check.view\ncheck_all()\n")]), path)
    result = ingest(path)
    assert "check_all" not in result.definitions and "dlfs_check" not in result.source
    assert "relu" in result.definitions and result.report.skipped["local_check"] == 2


def test_a_try_that_imports_the_local_checker_is_skipped_whole(tmp_path):
    """The published check cell is one try statement (find dlfs_check, else print a line):
    none of it is kept, not even its os and sys imports, and no block is opened for it."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    from autograder.ingest import ingest
    check = ("try:\n    import os, sys\n    sys.path.insert(0, os.getcwd())\n"
             "    from dlfs_check import check, check_all\n"
             "except ImportError as missing:\n    print('put dlfs_check/ here')\n"
             "else:\n    check_all('ch03')\n")
    student_try = "try:\n    import cupy as np\nexcept ImportError:\n    import numpy as np\n"
    path = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(student_try),
                                       new_code_cell("def relu(x):\n    return np.maximum(0, x)\n"),
                                       new_code_cell(check)]), path)
    result = ingest(path)
    assert {"relu", "np"} <= set(result.definitions)
    assert not {"os", "sys", "check", "check_all", "missing"} & set(result.definitions)
    assert "dlfs_check" not in result.source and "getcwd" not in result.source
    assert result.report.skipped["local_check"] == 1
    # The student's own try block is still opened (and said so); the check cell is not.
    assert [w.field("block") for w in result.report.warnings] == ["try"]
