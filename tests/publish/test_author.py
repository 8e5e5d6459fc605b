"""The generator: solution regions are the reference's own code, notebooks run top to
bottom, points come from the hidden suite, and a spec that forgets something is refused."""

from __future__ import annotations

import dataclasses

import nbformat
import pytest

from autograder.publish.author import build_source
from autograder.publish.points import chapter_points
from autograder.publish.publish import publish_notebook
from autograder.publish.spec import SpecError, list_specs
from autograder.reference_source import chapter_sources

from .test_no_leaks import _regions

SPECS = list_specs()
IDS = [s.assignment_id for s in SPECS]


def _code_cells(nb):
    return [c.source for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_solutions_are_the_reference_code(spec):
    """Is every line of every solution region a line of the chapter's reference?"""
    reference = {line for m in chapter_sources(spec.reference_dir) for line in m.source.splitlines()}
    nb = nbformat.read(spec.source_path, as_version=4)
    strays = [line for cell in _code_cells(nb) for line in _regions(cell) if line not in reference]
    assert not strays


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_source_and_student_notebooks_run_top_to_bottom(spec):
    """Does the source run as a script would, and the student's untouched notebook too
    (the stubs define every name; only calling them raises)?"""
    source = nbformat.read(spec.source_path, as_version=4)
    student = publish_notebook(source, spec.assignment_id, spec.version)
    for nb in (source, student):
        namespace: dict = {"__name__": "__main__"}
        for cell in _code_cells(nb)[:len(_code_cells(source))]:   # not the check cell
            exec(compile(cell, "<cell>", "exec"), namespace)
        assert all(item in namespace for item in spec.items)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_task_headings_show_the_hidden_suites_points(spec):
    points = chapter_points(spec)
    headings = {c.id: c.source for c in build_source(spec).cells}
    for task in spec.tasks:
        heading = headings[f"task-{task.item}-md"]
        if task.item in points:
            assert f"· {points[task.item]:g}점" in heading and f"· {points[task.item]:g} points" in heading
        else:
            assert "점" not in heading.splitlines()[0]


def test_a_helper_the_spec_forgets_is_refused():
    spec = next(s for s in SPECS if s.assignment_id == "ch03")
    forward = next(t for t in spec.tasks if t.item == "forward")
    broken = dataclasses.replace(spec, tasks=tuple(dataclasses.replace(t, helpers=()) if t is forward else t
                                                   for t in spec.tasks))
    with pytest.raises(SpecError, match="_hidden"):
        build_source(broken)


def test_a_name_shown_twice_is_refused():
    spec = next(s for s in SPECS if s.assignment_id == "ch03")
    first = spec.tasks[0]
    broken = dataclasses.replace(spec, tasks=(dataclasses.replace(first, given=("softmax",)),) + spec.tasks[1:])
    with pytest.raises(SpecError, match="twice"):
        build_source(broken)


def test_every_item_has_one_task():
    for spec in SPECS:
        assert [t.item for t in spec.tasks] == list(spec.items)
