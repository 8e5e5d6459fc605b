"""Outputs never cost a grade: a notebook that is mostly a long training log still reads,
while the caps that protect the parser still hold for what grading keeps."""

import json

import pytest

from autograder.ingest import IngestError, ingest, read
from tests.ingest.conftest import notebook_bytes, v3_notebook_bytes

OVER = read.MAX_JSON_VALUES + 50_000


def _training_log(lines: int) -> list[dict]:
    """A stream output the way Jupyter stores `print` in a loop: one string per line."""
    return [{"output_type": "stream", "name": "stdout",
             "text": [f"iter {i}: loss {1 / (i + 1):.6f}\n" for i in range(lines)]}]


def _with_log(source: str, lines: int = OVER, **cell_extra) -> str:
    raw = json.loads(notebook_bytes("import numpy as np", source, metadata={"dlfs": {"assignment": "ch04"}}))
    raw["cells"][2]["outputs"] = _training_log(lines)
    raw["cells"][2].update(cell_extra)
    return json.dumps(raw, ensure_ascii=False)


def test_a_million_line_log_in_the_outputs_reads_whole(write):
    """Is a notebook with more printed lines than the value cap read, definitions and metadata kept?"""
    text = _with_log("def relu(x):\n    return np.maximum(0, x)\n\nfor i in range(10):\n    print(i)")
    assert read._json_values(text) > read.MAX_JSON_VALUES  # the case the old cap refused
    result = ingest(write(text))
    assert result.definitions["relu"].cell == 3
    assert result.metadata["dlfs"]["assignment"] == "ch04"
    assert result.report.cells_code == 2


def test_outputs_nested_past_the_depth_cap_are_passed_over(write):
    """Is deep nesting inside an output (never read) no reason to refuse a big notebook?"""
    deep = {"output_type": "execute_result", "execution_count": 1, "metadata": {},
            "data": {"application/json": json.loads("[" * 500 + "]" * 500)}}
    raw = json.loads(_with_log("def f():\n    return 1"))
    raw["cells"][2]["outputs"].append(deep)
    result = ingest(write(json.dumps(raw)))
    assert "f" in result.definitions


def test_an_nbformat3_notebook_with_a_long_log_reads(write):
    """Are an nbformat 3 notebook's outputs passed over too?"""
    raw = json.loads(v3_notebook_bytes("def f():\n    return 1"))
    raw["worksheets"][0]["cells"][0]["outputs"] = _training_log(OVER)
    result = ingest(write(json.dumps(raw)))
    assert result.report.format == "ipynb v3 upgraded"
    assert "f" in result.definitions


def test_a_kept_part_over_the_cap_is_still_refused(write):
    """Is a source written as more one-line strings than the cap (kept, so built) refused?"""
    raw = json.loads(notebook_bytes("x = 1"))
    raw["cells"][1]["source"] = ["x = 1\n"] * OVER
    with pytest.raises(IngestError) as caught:
        ingest(write(json.dumps(raw)))
    assert caught.value.code == "too_many_values"


def test_metadata_bomb_in_a_big_notebook_is_refused(write):
    """Does the notebook's metadata (kept: it names the assignment) still count against the cap?"""
    raw = json.loads(notebook_bytes("x = 1"))
    raw["metadata"]["bomb"] = [[] for _ in range(OVER)]
    with pytest.raises(IngestError) as caught:
        ingest(write(json.dumps(raw)))
    assert caught.value.code == "too_many_values"


def test_kept_nesting_past_the_depth_cap_is_refused(write):
    """Is deep nesting in what is kept refused as too deep, not built?"""
    raw = json.loads(_with_log("x = 1"))
    raw["metadata"]["deep"] = json.loads("[" * 300 + "]" * 300)
    with pytest.raises(IngestError) as caught:
        ingest(write(json.dumps(raw)))
    assert caught.value.code == "too_deep"


def test_a_big_notebook_cut_off_is_truncated(write):
    """Is a big notebook cut off mid-upload reported as truncated?"""
    text = _with_log("def f():\n    return 1")
    with pytest.raises(IngestError) as caught:
        ingest(write(text[: len(text) * 2 // 3]))
    assert caught.value.code == "truncated"


def test_a_big_notebook_with_broken_json_is_invalid(write):
    """Is a syntax error in a big notebook reported with the parser's reason?"""
    text = _with_log("def f():\n    return 1").replace('"cells": [', '"cells": [,', 1)
    with pytest.raises(IngestError) as caught:
        ingest(write(text))
    assert caught.value.code == "invalid_json"
    assert caught.value.message.key == "ingest.error.invalid_json_stream"
    assert caught.value.message.field("reason")   # the parser's own reason, said as it is


@pytest.mark.sandbox
def test_a_graded_notebook_with_a_long_log_keeps_full_marks(tmp_path):
    """Does the chapter's reference, with more printed lines in its outputs than the value
    cap, grade through the pipeline as it does without them (it was refused whole)?"""
    import nbformat

    from autograder.assignment import load_assignment
    from autograder.pipeline import grade, prepare
    from autograder.submissions import Submission
    from tests.mutants.catalogue import notebook

    assignment = load_assignment("ch04")
    raw = json.loads(nbformat.writes(notebook(assignment)))
    raw["cells"][-1]["outputs"] = _training_log(OVER)
    path = tmp_path / "ch04.ipynb"
    path.write_text(json.dumps(raw), encoding="utf-8")
    result = grade(prepare(Submission("kim", path), assignment))
    assert result.error is None
    assert result.points == result.max_points > 0
