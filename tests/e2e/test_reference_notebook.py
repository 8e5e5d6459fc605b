"""Does the reference itself, pasted into a notebook as a student would, get full marks?

This runs the reference through everything a submission goes through (ingest, sandbox,
codec, proxy, hidden suite), so a suite that only the in-process reference can pass,
or a codec that mangles a correct answer, shows up here.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.pipeline import grade, prepare
from autograder.submissions import Submission

REFERENCE = Path(__file__).resolve().parents[2] / "reference"
MODULES = {
    "ch03": ["ch03_neural_networks/activations", "evaluation",
             "ch03_neural_networks/three_layer_net"],
    "ch04": ["ch03_neural_networks/activations", "ch04_training/losses", "ch04_training/gradient",
             "evaluation", "ch04_training/simple_net", "ch04_training/two_layer_net"],
}
RELATIVE_IMPORT = re.compile(r"^from \.+[\w.]* import (.+)$")


def _as_cell(module: str) -> str:
    """The module's source with package-relative imports turned into notebook-style names."""
    lines = []
    for line in (REFERENCE / f"{module}.py").read_text(encoding="utf-8").splitlines():
        match = RELATIVE_IMPORT.match(line)
        if not match:
            lines.append(line)
            continue
        # In one notebook namespace the names already exist; only renames need a line.
        for name in match.group(1).strip("()").split(","):
            parts = name.split(" as ")
            if len(parts) == 2:
                lines.append(f"{parts[1].strip()} = {parts[0].strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("assignment", sorted(MODULES))
def test_reference_as_a_notebook_scores_full_marks(assignment, tmp_path):
    nb = new_notebook(cells=[new_code_cell(_as_cell(m)) for m in MODULES[assignment]])
    nb.metadata["dlfs"] = {"assignment": assignment}
    path = tmp_path / f"reference_{assignment}.ipynb"
    nbformat.write(nb, path)
    results = grade(prepare(Submission("reference", path)))
    failed = [(t["name"], t["output"]) for t in results["tests"] if t["status"] != "passed"]
    assert results["dlfs"]["status"] == "graded", results["dlfs"].get("error")
    assert not failed
    assert results["score"] == results["dlfs"]["max_score"] > 0
