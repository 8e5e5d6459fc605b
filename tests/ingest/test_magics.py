"""IPython syntax: every kind is stripped and counted, and line numbers do not move."""

import pytest

from autograder.ingest import ingest
from tests.ingest.conftest import notebook_bytes

LINE_MAGICS = ["%matplotlib inline", "%timeit f(3)", "!pip install numpy", "x = !ls",
               "var = %time f(2)", "np.dot?", "?np.dot", "f??", "  %load_ext autoreload"]


@pytest.mark.parametrize("line", LINE_MAGICS)
def test_each_line_magic_is_stripped(write, line):
    """Is each kind of magic or shell line removed, counted once, without losing the cell?"""
    cell = f"import numpy as np\n{line}\ndef f(x):\n    return x\n"
    result = ingest(write(notebook_bytes(cell)))
    assert result.report.syntax_errors == []
    assert result.report.magics_stripped == 1
    assert result.definitions["f"].line == 3


def test_continued_shell_line_is_stripped_whole(write):
    """Does a `!pip install \\` continued onto the next line go away with its continuation?"""
    result = ingest(write(notebook_bytes("!pip install \\\n    matplotlib\ndef f():\n    return 1")))
    assert result.report.syntax_errors == []
    assert result.report.magics_stripped == 1


def test_indented_magic_keeps_the_block_valid(write):
    """Does a shell line inside a def leave a body behind, so the def survives?"""
    result = ingest(write(notebook_bytes("def setup():\n    !pip install numpy\n\ndef g():\n    return 2")))
    assert result.report.syntax_errors == []
    assert {"setup", "g"} <= set(result.definitions)


@pytest.mark.parametrize("magic", ["time", "timeit", "capture"])
def test_body_keeping_cell_magics(write, magic):
    """Do %%time, %%timeit and %%capture cells keep their Python body on its own lines?"""
    result = ingest(write(notebook_bytes(f"%%{magic}\ndef relu(x):\n    return max(0, x)")))
    assert result.definitions["relu"].line == 2
    assert result.report.magics_stripped == 1
    assert result.report.warnings == []


@pytest.mark.parametrize("magic", ["bash", "sh", "html", "writefile util.py", "javascript"])
def test_foreign_cell_magics_drop_the_cell(write, magic):
    """Do %%bash, %%html, %%writefile ... cells vanish entirely, with a warning?"""
    body = "def leaked():\n    return 1"
    result = ingest(write(notebook_bytes(f"%%{magic}\n{body}", "def kept():\n    return 2")))
    assert "leaked" not in result.definitions and "kept" in result.definitions
    assert result.report.magics_stripped == 1
    assert len(result.report.warnings) == 1


def test_get_ipython_calls_count_as_magics(write):
    """Are nbconvert's `get_ipython().run_line_magic(...)` lines counted as magics, not calls?"""
    cell = "get_ipython().run_line_magic('matplotlib', 'inline')\nfiles = get_ipython().getoutput('ls')"
    result = ingest(write(notebook_bytes(cell, "def f():\n    return 1")))
    assert result.report.magics_stripped == 2
    assert result.report.skipped_total == 0
    assert "files" not in result.definitions


def test_question_in_a_comment_is_not_help(write):
    """Is a comment ending in `?` left alone (help syntax is only a bare name)?"""
    result = ingest(write(notebook_bytes("# why does this overflow?\ndef f():\n    return 1")))
    assert result.report.magics_stripped == 0
