"""Text to cells: notebooks of both versions, scripts, and JSON that is not a notebook."""

import json

import nbformat
import pytest
from nbformat import v4

from autograder.ingest import IngestError, ingest
from tests.ingest.conftest import notebook_bytes, v3_notebook_bytes


def test_v4_notebook_counts_cells_and_keeps_metadata(write):
    """Are all cells counted, only code cells read, and the metadata handed on?"""
    data = notebook_bytes("def f(x):\n    return x", "", metadata={"dlfs": {"assignment": "ch03"}})
    result = ingest(write(data))
    assert result.report.format == "ipynb v4"
    assert (result.report.cells_total, result.report.cells_code) == (3, 1)
    assert result.metadata["dlfs"]["assignment"] == "ch03"


def test_v3_notebook_is_upgraded(write):
    """Is an nbformat 3 notebook upgraded and reported as such?"""
    result = ingest(write(v3_notebook_bytes("import numpy as np", "def relu(x):\n    return np.maximum(0, x)")))
    assert result.report.format == "ipynb v3 upgraded"
    assert result.definitions["relu"].cell == 2


def test_truncated_notebook(write):
    """Is a notebook cut off mid-upload reported as truncated, not as generic bad JSON?"""
    data = notebook_bytes("def f(x):\n    return x")
    with pytest.raises(IngestError) as caught:
        ingest(write(data[: len(data) // 2]))
    assert caught.value.code == "truncated"


def test_broken_json_in_the_middle_is_invalid_json(write):
    """Is a syntax error inside otherwise complete JSON reported with its place?"""
    data = notebook_bytes("x = 1").decode().replace('"cells": [', '"cells": [,', 1)
    with pytest.raises(IngestError) as caught:
        ingest(write(data))
    assert caught.value.code == "invalid_json"
    assert caught.value.message.key == "ingest.error.invalid_json"
    assert (caught.value.message.field("line"), caught.value.message.field("column")) == (2, 12)


@pytest.mark.parametrize("payload", [{"name": "kim", "score": 100}, [1, 2, 3]])
def test_json_that_is_not_a_notebook(write, payload):
    """Is valid JSON without notebook structure refused as not_a_notebook?"""
    with pytest.raises(IngestError) as caught:
        ingest(write(json.dumps(payload)))
    assert caught.value.code == "not_a_notebook"


@pytest.mark.parametrize("cells", [[], ["", "   \n"]])
def test_empty_notebook(write, cells):
    """Is a notebook with no code, or only blank code cells, refused as empty?"""
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("답안")] + [v4.new_code_cell(c) for c in cells])
    with pytest.raises(IngestError) as caught:
        ingest(write(nbformat.writes(nb)))
    assert caught.value.code == "empty"


def test_invalid_but_readable_notebook_warns(write):
    """Does a notebook that fails schema validation still read, with a warning?"""
    raw = json.loads(notebook_bytes("def f():\n    return 1"))
    raw["cells"][1]["execution_count"] = "seven"
    result = ingest(write(json.dumps(raw)))
    assert "f" in result.definitions
    assert len(result.report.warnings) == 1


def test_script_split_on_markers(write):
    """Is a .py file split into cells on `# %%` and `# In[ ]:` markers?"""
    script = ("#!/usr/bin/env python\n# coding: utf-8\n\n# In[1]:\n\nimport numpy as np\n\n"
              "# In[ ]:\n\ndef step(x):\n    return np.array(x > 0)\n\n# %%\nprint(step(1))\n")
    result = ingest(write(script, "hw.py"))
    assert result.report.format == "py"
    assert result.report.cells_code == 4
    assert result.definitions["step"].cell == 3
    assert result.report.skipped["call"] == 1


def test_script_without_markers_is_one_cell(write):
    """Is a plain .py file one cell whose lines are the file's lines?"""
    result = ingest(write("import numpy as np\n\n\ndef relu(x):\n    return np.maximum(0, x)\n", "hw.py"))
    assert (result.definitions["relu"].cell, result.definitions["relu"].line) == (1, 4)


def test_json_nested_thousands_deep_is_refused(write):
    """Is `[[[[...]]]]` nested past the JSON decoder's limit an ingest error, not a crash?"""
    deep = "[" * 100_000 + "]" * 100_000
    text = notebook_bytes("x = 1").decode().replace('"metadata": {', f'"metadata": {{"deep": {deep}, ', 1)
    with pytest.raises(IngestError) as caught:
        ingest(write(text))
    assert caught.value.code == "too_deep"


def test_millions_of_tiny_json_values_are_refused_unbuilt(write):
    """Is a notebook whose metadata holds 600,000 empty lists refused (it took 1.6 GB at 64 MB)?"""
    from autograder.ingest import read
    bomb = "[" + ",".join(["[]"] * (read.MAX_JSON_VALUES + 100_000)) + "]"
    text = notebook_bytes("x = 1").decode()
    text = text[:text.rindex("}")] + f', "bomb": {bomb}}}'  # a key of the notebook itself
    with pytest.raises(IngestError) as caught:
        ingest(write(text))
    assert caught.value.code == "too_many_values"


def test_commas_inside_strings_do_not_count_as_values(write):
    """Does a long printed output full of commas (one string) still read?"""
    from autograder.ingest import read
    raw = json.loads(notebook_bytes("def f():\n    return 1"))
    raw["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout",
                                   "text": "[" + ", ".join(["0.1"] * (read.MAX_JSON_VALUES + 10)) + "]"}]
    result = ingest(write(json.dumps(raw)))
    assert "f" in result.definitions


def test_too_many_cells_are_refused(write, monkeypatch):
    """Is a notebook, or a .py file, with more cells than MAX_CELLS refused with its own code?"""
    from autograder.ingest import read
    monkeypatch.setattr(read, "MAX_CELLS", 50)
    ingest(write(notebook_bytes(*["x = 1"] * 49)))  # the markdown cell makes 50
    with pytest.raises(IngestError) as caught:
        ingest(write(notebook_bytes(*["x = 1"] * (read.MAX_CELLS + 1))))
    assert caught.value.code == "too_many_cells"
    with pytest.raises(IngestError) as caught:
        ingest(write("# %%\nx = 1\n" * (read.MAX_CELLS + 2), "hw.py"))
    assert caught.value.code == "too_many_cells"


def test_script_markers_with_windows_line_ends(write):
    """Are `# %%` markers found in a CRLF file, and the lines of each cell kept?"""
    script = "import numpy as np\r\n# %%\r\n\r\ndef relu(x):\r\n    return np.maximum(0, x)\r\n# %% [markdown]\r\n# text\r\n"
    result = ingest(write(script, "hw.py"))
    assert result.report.cells_code == 3
    assert (result.definitions["relu"].cell, result.definitions["relu"].line) == (2, 2)
