"""Each chapter's catalogue of classic bugs (reference/chNN_topic/mutants.toml), as notebooks.

A mutant is the chapter's reference with one change, written as the exact text it
replaces in one reference module:

    [[mutant]]
    id = "softmax_no_max"                       # unique within the chapter
    module = "ch03_neural_networks/activations" # path under reference/, no .py
    old = "np.exp(a - np.max(a, axis=-1, keepdims=True))"
    new = "np.exp(a)"
    why = "softmax without subtracting the maximum overflows"

`old` must occur exactly once in that module, so a refactor of the reference that makes
a mutant stale fails loudly instead of silently testing nothing.

A slip that takes more than one place (a value captured in __init__ and read in
predict) gives `old` and `new` as lists of the same length, each pair applied once.

Two optional keys say what the grade must be besides "loses points":

    expect = "full"            # a variant the book accepts (its own code, a form it is
                               # silent about): it must get full marks, not lose points
    full_items = ["TwoLayerNet"]  # items that must keep full marks although the mutant
                               # loses points elsewhere: a slip charged once, at its item
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder.assignment import Assignment
from autograder.reference_source import chapter_sources

CATALOGUE_NAME = "mutants.toml"


EXPECTATIONS = ("killed", "full")


@dataclass(frozen=True)
class Mutant:
    id: str
    module: str
    old: str | tuple[str, ...]
    new: str | tuple[str, ...]
    why: str
    expect: str = "killed"
    full_items: tuple[str, ...] = ()


class StaleMutant(ValueError):
    """A mutant whose text no longer occurs exactly once in its module."""


def mutants_of(assignment: Assignment) -> list[Mutant]:
    path = assignment.config_path.parent / CATALOGUE_NAME
    if not path.is_file():
        return []
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("mutant", [])
    def text(value):
        return tuple(value) if isinstance(value, list) else value

    mutants = [Mutant(e["id"], e["module"], text(e["old"]), text(e["new"]), e.get("why", ""),
                      e.get("expect", "killed"), tuple(e.get("full_items", ()))) for e in entries]
    for mutant in mutants:
        if mutant.expect not in EXPECTATIONS:
            raise ValueError(f"{assignment.id}/{mutant.id}: expect must be one of {EXPECTATIONS}")
    return mutants


def notebook(assignment: Assignment, mutant: Mutant | None = None) -> nbformat.NotebookNode:
    """The chapter's reference notebook, with `mutant` applied when given."""
    cells = []
    applied = mutant is None
    for module in chapter_sources(assignment.config_path.parent):
        source = module.source
        if mutant is not None and module.name == mutant.module:
            source = _applied(assignment, mutant, source)
            applied = True
        cells.append(new_code_cell(source))
    if not applied:
        raise StaleMutant(f"{assignment.id}/{mutant.id}: module {mutant.module} is not part of "
                          f"the chapter's notebook")
    nb = new_notebook(cells=cells)
    nb.metadata["dlfs"] = {"assignment": assignment.id}
    return nb


def _applied(assignment: Assignment, mutant: Mutant, source: str) -> str:
    olds, news = ((mutant.old,), (mutant.new,)) if isinstance(mutant.old, str) else (mutant.old, mutant.new)
    if len(olds) != len(news):
        raise StaleMutant(f"{assignment.id}/{mutant.id}: old and new differ in length")
    for old, new in zip(olds, news):
        count = source.count(old)
        if count != 1:
            raise StaleMutant(f"{assignment.id}/{mutant.id}: {old!r} occurs {count} times in {mutant.module}")
        source = source.replace(old, new)
    return source


def write_notebooks(assignment: Assignment, folder: Path) -> dict[str, Mutant | None]:
    """Write the reference and every mutant into `folder`; file stem -> mutant (None: reference)."""
    written: dict[str, Mutant | None] = {}
    for mutant in [None, *mutants_of(assignment)]:
        stem = f"{assignment.id}__{mutant.id if mutant else 'reference'}"
        nbformat.write(notebook(assignment, mutant), folder / f"{stem}.ipynb")
        written[stem] = mutant
    return written
