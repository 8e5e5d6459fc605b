"""Cells built to break the parser or the grader's memory: each loses that cell, nothing more."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from nbformat import v4

from autograder.ingest import bounds, ingest, parse
from autograder.feedback import msg
from tests.ingest.conftest import notebook_bytes

GOOD = "def relu(x):\n    return x * (x > 0)"
ROOT = Path(__file__).resolve().parents[2]


def ascii_notebook_bytes(*cells: str) -> bytes:
    """JSON with \\u escapes, as Jupyter writes a lone surrogate (nbformat itself cannot)."""
    nb = v4.new_notebook(cells=[v4.new_code_cell(src) for src in cells])
    return json.dumps(nb, ensure_ascii=True).encode("ascii")


def left_out(result, cell: int) -> tuple[int, str]:
    [(line, message)] = [(ln, m) for c, ln, m in result.report.syntax_errors if c == cell]
    return line, message


@pytest.mark.parametrize("cell, message", [
    ("x = " + "+".join(["1"] * 1200), "RecursionError"),
    ("x = " + "-" * 50_000 + "1", "MemoryError"),
    ("y = " + "+".join(["a"] * 30_000), "RecursionError"),
])
def test_parser_giving_up_loses_that_cell_only(write, cell, message):
    """Does a cell the parser or compiler cannot handle become that cell's warning, the rest kept?"""
    result = ingest(write(notebook_bytes(GOOD, "import numpy as np\n\n" + cell, GOOD.replace("relu", "step"))))
    assert set(result.definitions) == {"relu", "step"}
    assert left_out(result, 3) == (3, message)
    assert msg("ingest.warn.too_complex", cell=3, line=3, message=message) in result.report.warnings
    assert [label for label, _ in result.blocks[1:]] == ["cell 2", "cell 4"]


def test_lone_surrogate_is_not_text(write):
    """Does a `\\ud800` escape in a cell's JSON leave that cell out with its line and code point?"""
    result = ingest(write(ascii_notebook_bytes(GOOD, 'x = 1\nname = "\ud800"\ndef softmax(a):\n    return a')))
    assert "softmax" not in result.definitions and "relu" in result.definitions
    assert left_out(result, 2) == (2, "U+D800")  # no markdown cell here: the code is cell 2
    assert msg("ingest.warn.not_text", cell=2, line=2, message="U+D800") in result.report.warnings
    result.source.encode("utf-8")  # the sandbox writes the module as UTF-8
    json.dumps(result.report.to_dict(), ensure_ascii=False).encode("utf-8")


def test_nul_byte_is_not_text(write):
    """Is a NUL byte in a cell reported the same way on every Python version?"""
    result = ingest(write(notebook_bytes(GOOD, "x = 1\x00")))
    assert left_out(result, 3) == (1, "U+0000")
    assert "relu" in result.definitions


def test_too_deep_for_the_later_steps(write):
    """Is a cell Python compiles but nested past MAX_DEPTH left out, and a long honest sum kept?"""
    deep = "z = " + "+".join(["1"] * (parse.MAX_DEPTH + 10))
    honest = "w = " + "+".join(["1"] * (parse.MAX_DEPTH // 2))
    result = ingest(write(notebook_bytes(GOOD, deep, honest)))
    assert left_out(result, 3) == (1, f"nested more than {parse.MAX_DEPTH} levels deep")
    assert msg("ingest.warn.too_deep", cell=3, line=1, limit=parse.MAX_DEPTH) in result.report.warnings
    assert set(result.definitions) == {"relu", "w"}


def test_a_long_elif_chain_is_too_deep_not_a_crash(write):
    """Does a 3,000-branch elif chain (each branch one level deeper) leave its cell out?"""
    chain = "if a == 0:\n    r = 0\n" + "".join(f"elif a == {i}:\n    r = {i}\n" for i in range(1, 3000))
    result = ingest(write(notebook_bytes(GOOD, chain)))
    assert [c for c, _, _ in result.report.syntax_errors] == [3]
    assert "relu" in result.definitions


def test_cell_over_the_size_cap_is_left_out_unread(write):
    """Is a cell over MAX_CELL_CHARS left out with its size named, and the next cell read?"""
    literal = "W = [" + ", ".join(["0.1234"] * (bounds.MAX_CELL_CHARS // 8 + 10)) + "]"
    result = ingest(write(notebook_bytes(GOOD, literal, GOOD.replace("relu", "step"))))
    assert set(result.definitions) == {"relu", "step"}
    size_kb = -(-len(literal) // 1024)
    assert msg("ingest.warn.cell_too_large", cell=3, size_kb=size_kb,
               limit_kb=bounds.MAX_CELL_CHARS // 1024) in result.report.warnings
    assert result.report.syntax_errors == []


def test_notebook_code_budget(write, monkeypatch):
    """Once the notebook's code passes the budget, are the later cells left out in one warning?"""
    monkeypatch.setattr(bounds, "MAX_NOTEBOOK_CHARS", 3 * len(GOOD))
    cells = [GOOD.replace("relu", f"f{i}") for i in range(6)]
    result = ingest(write(notebook_bytes(*cells)))
    assert set(result.definitions) == {"f0", "f1", "f2"}
    [warning] = result.report.warnings
    assert warning == msg("ingest.warn.notebook_too_large", cells="5, 6, 7", count=3, limit_kb=1)


def test_magic_stripping_ignores_cells_left_out(write, monkeypatch):
    """Is a cell over the cap never read by later steps (its magics are not counted)?"""
    monkeypatch.setattr(bounds, "MAX_CELL_CHARS", 50)
    result = ingest(write(notebook_bytes(GOOD, "%matplotlib inline\n" + "#" * 60)))
    assert result.report.magics_stripped == 0


PEAK_SCRIPT = r"""
import json, resource, sys, tempfile
from pathlib import Path
from nbformat import v4
from autograder.ingest import ingest

GOOD = "def relu(x):\n    return x * (x > 0)"
def notebook(*cells):
    nb = v4.new_notebook(cells=[v4.new_code_cell(c) for c in (GOOD, *cells)])
    return json.dumps(nb, ensure_ascii=True)

HOSTILE = {
    "list_8mb": ["W = [" + ", ".join(["0.123456"] * 800_000) + "]"],
    # Three cells just under the per-cell cap: the worst parse, then trees that stay alive.
    "near_the_caps": ["a\n" * 50_000, "x = [" + "a," * 50_000 + "]", "y = {" + "a," * 50_000 + "}"],
    "sum_1200": ["x = " + "+".join(["1"] * 1200)],
    "minus_50k": ["x = " + "-" * 50_000 + "1"],
    "surrogate": ['x = "\ud800"'],
    "spaces_line": ["a" + " " * 90_000 + "= 1"],
    "indented_magics": ["def f():\n" + "    %x\n" * 10_000],
}
# Just under the JSON value cap, in the notebook's and a cell's metadata.
bomb = json.dumps({"bomb": [{"a": 1}] * 120_000})
TEXTS = {name: notebook(*cells) for name, cells in HOSTILE.items()}
TEXTS["json_values"] = notebook().replace('"metadata": {}', '"metadata": ' + bomb)
del bomb
folder = Path(tempfile.mkdtemp())
for name, text in TEXTS.items():
    path = folder / f"{name}.ipynb"
    path.write_text(text)
    result = ingest(path)
    assert "relu" in result.definitions, name
    path.unlink()
# VmHWM is this process's own peak: ru_maxrss also counts the parent's size at fork.
status = Path("/proc/self/status")
if status.exists():
    print(next(int(l.split()[1]) for l in status.read_text().splitlines() if l.startswith("VmHWM")) // 1024)
else:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def test_peak_memory_of_hostile_cells_is_bounded():
    """Does ingesting every hostile cell above (and JSON near its cap), in a fresh process, peak under 300 MB?"""
    # Without the caps the 8 MB literal alone took 3.9 GB; the bound is generous on purpose.
    done = subprocess.run([sys.executable, "-c", PEAK_SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) < 300
