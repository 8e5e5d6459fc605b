"""Is every chapter's catalogue of classic bugs complete and still about the current reference?

Grading the mutants is `make mutants` (tests/mutants/run.py); this checks, cheaply, that
each one still applies to the reference text and that every chapter has enough of them.
"""

import pytest

from autograder.assignment import list_assignments

from .catalogue import mutants_of, notebook

ASSIGNMENTS = list_assignments()
MIN_PER_CHAPTER = 10


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.id for a in ASSIGNMENTS])
def test_every_mutant_applies_once_and_changes_the_code(assignment):
    mutants = mutants_of(assignment)
    assert len(mutants) >= MIN_PER_CHAPTER
    assert len({m.id for m in mutants}) == len(mutants)
    reference_cells = [c.source for c in notebook(assignment).cells]
    for mutant in mutants:
        assert mutant.old != mutant.new and mutant.why, mutant.id
        assert [c.source for c in notebook(assignment, mutant).cells] != reference_cells
