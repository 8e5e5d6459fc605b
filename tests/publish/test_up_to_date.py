"""Is everything `make publish` writes committed as it would be written now?

The source notebooks are generated from tasks.toml and the reference, and student_template/
from the source notebooks and public tests: an edit to any of them without `make publish`
fails here, naming the file to regenerate."""

from __future__ import annotations

import filecmp

import nbformat
import pytest

from autograder.publish.author import build_source
from autograder.publish.publish import publish_chapter
from autograder.publish.spec import list_specs

from .paths import TEMPLATE

SPECS = list_specs()
IDS = [s.assignment_id for s in SPECS]
# What lives in student_template/ besides the published chapters: written by hand.
HAND_WRITTEN = {"dlfs_check", "requirements.txt", "README.md"}


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_source_notebook_is_what_the_generator_makes(spec):
    committed = spec.source_path.read_text(encoding="utf-8")
    assert committed.rstrip("\n") == nbformat.writes(build_source(spec)).rstrip("\n"), \
        f"{spec.source_path} is out of date: run make publish"


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_published_chapter_is_what_publishing_makes(spec, tmp_path):
    fresh = publish_chapter(spec, tmp_path).folder
    committed = TEMPLATE / spec.folder
    comparison = filecmp.dircmp(fresh, committed)
    stale = _differences(comparison)
    assert not stale, f"student_template/{spec.folder} is out of date ({stale}): run make publish"


def _differences(comparison: filecmp.dircmp, prefix: str = "") -> list[str]:
    # dircmp compares by stat signature first; compare contents for certainty.
    found = [prefix + n for n in comparison.left_only + comparison.right_only]
    found += [prefix + n for n in comparison.common_files
              if not filecmp.cmp(f"{comparison.left}/{n}", f"{comparison.right}/{n}", shallow=False)]
    for name, sub in comparison.subdirs.items():
        if name != "__pycache__":
            found += _differences(sub, f"{prefix}{name}/")
    return [f for f in found if "__pycache__" not in f]


def test_nothing_else_in_student_template():
    """Is every entry of student_template/ a published chapter or a hand-written part?"""
    entries = {p.name for p in TEMPLATE.iterdir() if p.name != "__pycache__"}
    assert entries == HAND_WRITTEN | {s.folder for s in SPECS}
