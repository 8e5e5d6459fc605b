"""Definitions inside top-level `if`, `try` and `with` blocks: kept, on their lines, with a note."""

import numpy
import pytest

from autograder.ingest import ingest, resolve_items
from autograder.feedback import msg
from tests.ingest.conftest import notebook_bytes

CUPY_OR_NUMPY = "try:\n    import cupy as np\nexcept ImportError:\n    import numpy as np\n"
RELU = "def relu(x):\n    return np.maximum(0, x)\n"


def load(result) -> dict:
    namespace: dict = {}
    for label, source in result.blocks:
        exec(compile(source, label, "exec"), namespace)
    return namespace


def ingest_cells(write, *cells):
    return ingest(write(notebook_bytes(*cells)))


def test_cupy_fallback_binds_numpy(write):
    """With `try: import cupy as np / except ImportError: import numpy as np`, is np numpy at load?"""
    result = ingest_cells(write, CUPY_OR_NUMPY, RELU)
    np = result.definitions["np"]
    assert (np.kind, np.imported_from, np.line, np.block, np.block_line) == ("import", "numpy", 4, "try", 1)
    namespace = load(result)
    assert namespace["np"] is numpy
    assert namespace["relu"](numpy.array([-1.0, 2.0])).tolist() == [0.0, 2.0]
    assert msg("ingest.warn.block_opened", cell=2, line=1, block="try", names="`np`") in result.report.warnings


def test_one_line_clauses(write):
    """Do `try: import ...` / `except ImportError: def ...` on one line each still load?"""
    cell = ("try: from common.functions import softmax\n"
            "except ImportError: softmax = lambda a: a - a.max(); print('own softmax')\n"
            "else: pass\n"
            "finally:\n    # the end\n    DONE = True\n")
    result = ingest_cells(write, "import numpy as np", cell)
    assert result.definitions["softmax"].kind == "lambda"
    namespace = load(result)
    assert namespace["softmax"](numpy.array([1.0, 3.0])).tolist() == [-2.0, 0.0]
    assert namespace["DONE"] is True
    assert [entry[2] for entry in namespace["__ingest_import_errors__"]] == [
        "from common.functions import softmax"]
    assert result.report.skipped == {"call": 1}


@pytest.mark.parametrize("header", ["if True:", "if 1:", "with np.errstate(all='ignore'):",
                                    "with open('weights.pkl') as f:"])
def test_definitions_in_if_and_with_are_kept_on_their_lines(write, header):
    """Is a def inside `if True:` or a `with` kept, and does its traceback name the student's line?"""
    cell = f"{header}\n    # a helper\n    def ratio(a, b):\n        return a / b\n    print(ratio(1, 2))\n"
    result = ingest_cells(write, "import numpy as np", cell)
    ratio = result.definitions["ratio"]
    assert (ratio.cell, ratio.line, ratio.block_line) == (3, 3, 1)
    assert result.report.skipped == {"call": 1}
    with pytest.raises(ZeroDivisionError) as caught:
        load(result)["ratio"](1, 0)
    frame = caught.tb.tb_next
    assert (frame.tb_frame.f_code.co_filename, frame.tb_lineno) == ("cell 3", 4)


def test_main_guard_with_training_is_skipped_whole(write):
    """Is `if __name__ == "__main__":` holding a training loop (and a def) left out, with a note?"""
    cell = ("if __name__ == '__main__':\n    def train(n):\n        return n\n"
            "    while True:\n        train(1)\n")
    result = ingest_cells(write, RELU, cell)
    assert "train" not in result.definitions
    assert result.report.skipped == {"if": 1}
    assert msg("ingest.warn.block_skipped", cell=3, line=1, block="if",
               names="`train`") in result.report.warnings
    assert "while" not in result.source
    load(result)  # returns: the loop is not in the module


def test_literal_false_branch_is_dead(write):
    """With old code parked under `if False:`, is the other branch's definition the one kept?"""
    cell = ("if False:\n    def relu(x):\n        return 'old'\nelse:\n    def relu(x):\n"
            "        return 'new'\n")
    result = ingest_cells(write, cell)
    assert result.definitions["relu"].line == 5
    assert load(result)["relu"](1) == "new"
    assert result.report.skipped == {}


def test_constant_test_decides_at_load_time(write):
    """Is `if USE_GPU:` on a kept constant left as written, so the notebook's branch runs?"""
    cell = "USE_GPU = False\nif USE_GPU:\n    import cupy as np\nelse:\n    import numpy as np\n"
    result = ingest_cells(write, cell, RELU)
    namespace = load(result)
    assert namespace["np"] is numpy and namespace["__ingest_import_errors__"] == []


def test_test_that_runs_code_keeps_the_block_out(write):
    """Is an `if` whose test calls student code skipped whole, its definitions named in a warning?"""
    cell = "if check_gpu():\n    def relu(x):\n        return x\n"
    result = ingest_cells(write, cell)
    assert "relu" not in result.definitions
    assert result.report.skipped == {"if": 1}
    assert [(w.key, w.field("names")) for w in result.report.warnings] == [("ingest.warn.block_skipped", "`relu`")]


def test_nested_blocks_and_mixed_statements(write):
    """Are defs in a `with` inside a `try` kept, while the loop and the call beside them are not?"""
    cell = ("try:\n    with np.errstate(divide='ignore'):\n        def log0(x):\n            return np.log(x)\n"
            "    for i in range(3):\n        def leaked(): pass\n    LIMIT = 3\n    print(LIMIT)\n"
            "except Exception:\n    pass\n")
    result = ingest_cells(write, "import numpy as np", cell)
    assert {"log0", "LIMIT"} <= set(result.definitions) and "leaked" not in result.definitions
    assert result.report.skipped == {"for": 1, "call": 1}
    assert any(w.field("names") == "`leaked`" and w.field("line") == 5 for w in result.report.warnings)
    namespace = load(result)
    assert namespace["LIMIT"] == 3 and namespace["log0"](1.0) == 0.0


def test_multiline_header_and_utf8_columns(write):
    """Do a two-line `with` header and Korean names before a skipped call keep the block valid?"""
    cell = ("with (np.errstate(all='ignore'),\n      np.errstate(over='ignore')):\n"
            "    가중치 = 1.5; print(가중치)\n    def 활성화(x): return x * 가중치\n")
    result = ingest_cells(write, "import numpy as np", cell)
    namespace = load(result)
    assert namespace["활성화"](2) == 3.0
    assert result.definitions["활성화"].line == 4


def test_block_that_keeps_nothing_is_counted_once(write):
    """Is a `with` holding only skipped statements counted once, as before?"""
    result = ingest_cells(write, "with open('w.pkl', 'rb') as f:\n    W = f.read()\n    print(W)")
    assert result.report.skipped == {"with": 1}
    assert result.report.warnings == []


def test_graded_definition_from_a_block_gets_a_note(write):
    """Does resolving relu, found inside `if True:`, add a note saying where it was found?"""
    result = ingest_cells(write, "import numpy as np", "if True:\n" + "".join(
        "    " + line + "\n" for line in RELU.splitlines()))
    resolution = resolve_items(result.definitions, items=["relu"])
    assert resolution.bindings == {"relu": "relu"}
    assert resolution.notes["relu"] == msg("ingest.resolve.in_block", name="relu", block="if",
                                           cell=3, line=1)
