"""The local check accepts what the book accepts: chapter 4's public network tests write
known parameters into the arrays net.params holds, as the book's training loop does, so a
network whose methods read the dict it captured in __init__ passes them, as it gets full
marks from the hidden suite (tests/grading/test_book_accepts.py)."""

from __future__ import annotations

import nbformat

from autograder.assignment import load_assignment
from dlfs_check.checking import check_notebook
from tests.mutants.catalogue import mutants_of, notebook

from .paths import TEMPLATE


def test_a_network_reading_the_params_it_captured_passes_the_local_check(tmp_path):
    """The public tests rebound net.params, so this network's predict kept its first
    parameters and test_two_layer_net_gradient_matches_numerical failed locally."""
    assignment = load_assignment("ch04")
    captured = next(m for m in mutants_of(assignment) if m.id == "net_reads_params_captured_in_init")
    path = tmp_path / "ch04.ipynb"
    nbformat.write(notebook(assignment, captured), path)
    report = check_notebook(path, None, TEMPLATE)
    network = {o.test: o.passed for o in report.outcomes if o.test.startswith("test_networks.py::test_two_layer")}
    assert len(network) == 5
    assert all(network.values()), [t for t, ok in network.items() if not ok]
