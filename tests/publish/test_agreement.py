"""Do the local check and the grader agree, on the reference and on the classic bugs?

Agreement means three things, each of which must hold for every notebook:

1. Same verdicts. Every public test passes locally (dlfs_check, in the student's own
   process) exactly when it passes run by the grader's runner against the notebook as
   grading loads it (ingest, sandbox, proxy). So what a student sees is what grading sees.
2. No false alarm. When the hidden suite gives an item full marks, every public test of
   that item passes locally: a public test never rejects what grading accepts. (The other
   way round cannot hold: public tests give less away than hidden ones, so a bug may pass
   them and still lose points.)
3. The reference passes every public test and gets full marks.

Mutants are each chapter's reference/chNN_topic/mutants.toml, whatever exists. Every one is
checked with DLFS_ALL_MUTANTS=1; by default a fixed sample of one per chapter keeps
`make test` fast (the whole catalogue takes minutes).
"""

from __future__ import annotations

import os
import zlib

import nbformat
import pytest

from autograder.assignment import list_assignments
from tests.mutants.catalogue import mutants_of, notebook

from .harness import both_ways
from .paths import ASSIGNMENTS, TEMPLATE

pytestmark = pytest.mark.sandbox

PUBLISHED = [a for a in list_assignments() if (TEMPLATE / a.config_path.parent.name).is_dir()]
SAMPLE = None if os.environ.get("DLFS_ALL_MUTANTS") else 1


def _sample(mutants):
    ranked = sorted(mutants, key=lambda m: zlib.crc32(m.id.encode()))
    return ranked if SAMPLE is None else ranked[:SAMPLE]


CASES = [(a, None) for a in PUBLISHED] + [(a, m) for a in PUBLISHED for m in _sample(mutants_of(a))]


def _path(assignment, mutant, tmp_path):
    if mutant is None:
        return ASSIGNMENTS / assignment.config_path.parent.name / "source.ipynb"
    path = tmp_path / f"{assignment.id}__{mutant.id}.ipynb"
    nbformat.write(notebook(assignment, mutant), path)
    return path


@pytest.mark.parametrize("assignment, mutant", CASES,
                         ids=[f"{a.id}-{m.id if m else 'source'}" for a, m in CASES])
def test_local_check_agrees_with_the_grader(assignment, mutant, tmp_path):
    seen = both_ways(_path(assignment, mutant, tmp_path), assignment.id)
    assert seen.result.graded, seen.result.error
    assert seen.local.chapter.id == assignment.id
    assert seen.local_public and seen.local_public == seen.graded_public
    alarms = [t for t, ok in seen.local_public.items() if not ok and seen.full_marks.get(seen.public_item[t])
              and seen.public_item[t] not in seen.forgiven]
    assert not alarms, f"public tests fail items the hidden suite gives full marks: {alarms}"
    if mutant is None:
        assert all(seen.local_public.values())
        assert seen.result.points == seen.result.max_points > 0
