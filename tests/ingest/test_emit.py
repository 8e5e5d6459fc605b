"""Emitted blocks: original line numbers, guarded imports, and a module that loads."""

import pytest

from autograder.ingest import ingest
from tests.ingest.conftest import notebook_bytes


def load(result) -> dict:
    namespace: dict = {}
    for label, source in result.blocks:
        exec(compile(source, label, "exec"), namespace)
    return namespace


def test_kept_lines_stay_on_their_line_numbers(write):
    """Does an error inside a kept function name the student's cell and line?"""
    cell = "import numpy as np\nprint('hi')\nfor i in range(3):\n    pass\n\ndef broken(x):\n    return x / 0\n"
    result = ingest(write(notebook_bytes(cell)))
    label, source = result.blocks[1]
    assert label == "cell 2"
    assert source.splitlines()[5:7] == ["def broken(x):", "    return x / 0"]
    namespace = load(result)
    with pytest.raises(ZeroDivisionError) as caught:
        namespace["broken"](1)
    frame = caught.tb.tb_next
    assert (frame.tb_frame.f_code.co_filename, frame.tb_lineno) == ("cell 2", 7)


def test_failing_import_is_recorded_not_fatal(write):
    """Does a failing import leave a record and a stand-in, and the rest of the module load?"""
    cells = ["import sys, os\nsys.path.append(os.pardir)\nfrom dataset.mnist import load_mnist\nimport numpy as np",
             "def f(x):\n    return np.sum(x)"]
    namespace = load(ingest(write(notebook_bytes(*cells))))
    [(cell, line, statement, error)] = namespace["__ingest_import_errors__"]
    assert (cell, line, statement) == ("cell 2", 3, "from dataset.mnist import load_mnist")
    assert "dataset" in error
    assert namespace["f"]([1, 2]) == 3
    with pytest.raises(ImportError, match="load_mnist"):
        namespace["load_mnist"](normalize=True)


def test_multiline_import_keeps_following_lines(write):
    """Does a parenthesised import over three lines still leave the next def on its line?"""
    cell = "from math import (\n    sqrt,\n    pi)\ndef area(r):\n    return pi * r * r"
    result = ingest(write(notebook_bytes(cell)))
    assert result.blocks[1][1].splitlines()[3] == "def area(r):"
    assert load(result)["area"](1) == load(result)["pi"]


def test_statement_sharing_a_line_is_kept_alone(write):
    """With `W = 1; print(W)` on one line, is only the assignment kept, on that line?"""
    result = ingest(write(notebook_bytes("import numpy as np\nW = np.ones(2); print(W)")))
    assert result.blocks[1][1].splitlines()[1] == "W = np.ones(2)"
    assert result.report.skipped["call"] == 1


def test_source_locates_back_to_cells(write):
    """Does a line of the joined module map back to its block label and line?"""
    result = ingest(write(notebook_bytes("x = 1", "\n\ny = 2")))
    module_lines = result.source.splitlines()
    target = module_lines.index("y = 2") + 1
    assert result.locate(target) == ("cell 3", 3)


@pytest.mark.parametrize("odd", ["\x0c", "\u2028", "\x1c", "\x85"])
def test_characters_str_splitlines_breaks_on_stay_inside_their_line(write, odd):
    """Does a form feed or U+2028 in a comment or string leave the code after it on its line?"""
    cell = f"# note{odd}relu follows\ndef relu(x):\n    return x  # {odd} done\nLABEL = 'a{odd}b'"
    result = ingest(write(notebook_bytes(cell)))
    assert result.report.syntax_errors == []
    assert result.definitions["relu"].line == 2
    assert load(result)["LABEL"] == f"a{odd}b"
    assert result.locate(result.source.split("\n").index("def relu(x):") + 1) == ("cell 2", 2)


def test_script_lines_are_python_lines(write):
    """In a .py file, does a form feed inside a comment not split a cell's line?"""
    result = ingest(write("# %%\n# page\x0cbreak\ndef f():\n    return 1\n", "hw.py"))
    assert result.definitions["f"].line == 2
