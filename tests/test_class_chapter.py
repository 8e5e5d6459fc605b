"""Is a class graded against one chapter, whatever a student's notebook says about itself?

The attacks: last week's notebook reused for this week's work (old metadata, new
definitions), and last week's easy exercises handed in under last week's metadata. Alone,
each would be graded as last week's chapter and land in that chapter's LMS column.
"""

import json
from pathlib import Path

import nbformat
import pytest

from autograder.assignment import load_assignment
from autograder.batch import run_batch
from autograder.class_chapter import Signals, chapter_note, class_chapter
from autograder.executor import SerialExecutor
from autograder.feedback import msg
from autograder.submissions import Submission
from tests.mutants.catalogue import notebook

pytestmark = pytest.mark.sandbox


def _write(folder: Path, name: str, chapter: str, metadata: str | None) -> Submission:
    """`chapter`'s reference code, under `metadata`'s id (None: no metadata at all)."""
    nb = notebook(load_assignment(chapter))
    if metadata is None:
        del nb.metadata["dlfs"]
    else:
        nb.metadata["dlfs"] = {"assignment": metadata}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return Submission(name, path, origin=path.name)


def _results(out: Path, student: str) -> dict:
    return json.loads((out / "students" / student / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ch05_class(tmp_path_factory):
    """Two honest ch05 notebooks, a reused ch04 notebook holding ch05 work, ch04's easy
    exercises under ch04's metadata, and a ch05 notebook without metadata."""
    folder = tmp_path_factory.mktemp("class")
    subs = [_write(folder, "honest1", "ch05", "ch05"), _write(folder, "honest2", "ch05", "ch05"),
            _write(folder, "reused", "ch05", "ch04"), _write(folder, "easy", "ch04", "ch04"),
            _write(folder, "blank_start", "ch05", None)]
    out = tmp_path_factory.mktemp("out")
    batch = run_batch(subs, out, executor=SerialExecutor(), lang="en")
    return out, {r.student_id: r for r in batch.results}, subs


def test_every_notebook_is_graded_as_the_classs_chapter(ch05_class):
    _out, results, _subs = ch05_class
    assert {r.provenance.assignment_id for r in results.values()} == {"ch05"}
    # The reused notebook's ch05 work earns ch05's marks; the easy exercises earn none of them.
    assert results["reused"].graded and results["reused"].points == results["reused"].max_points > 0
    assert results["easy"].graded and results["easy"].points < 0.5 * results["easy"].max_points


def test_the_notebooks_that_say_otherwise_carry_a_note(ch05_class):
    out, results, _subs = ch05_class
    assert results["honest1"].chapter_note is None and results["blank_start"].chapter_note is None
    # What the notebook says and what it was graded as, as facts: the pages say them.
    assert results["reused"].chapter_note == msg("detect.note_metadata", named="ch04", chosen="ch05")
    assert results["easy"].chapter_note == msg("detect.note_both", named="ch04", detected="ch04",
                                               chosen="ch05")
    # On the result, the student's page and the dashboard (this class's pages are in English).
    assert _results(out, "reused")["dlfs"]["chapter_note"]
    assert "chapter_note" not in _results(out, "honest1")["dlfs"]
    page = (out / "students" / "easy" / "feedback.html").read_text(encoding="utf-8")
    assert "definitions look like ch04" in page
    dashboard = (out / "dashboard.html").read_text(encoding="utf-8")
    assert "metadata says ch04; it was graded as ch05" in dashboard
    assert "honest1</a>: " not in dashboard   # no problem line for a notebook that agrees


def test_a_rerun_reuses_results_and_keeps_the_note(ch05_class, tmp_path):
    out, first, subs = ch05_class
    again = {r.student_id: r for r in run_batch(subs, out, executor=SerialExecutor()).results}
    assert again["reused"].reused_run is not None
    assert again["reused"].chapter_note == first["reused"].chapter_note


def test_the_flag_decides_and_the_others_are_noted(tmp_path):
    subs = [_write(tmp_path, "a", "ch04", "ch04"), _write(tmp_path, "b", "ch04", "ch04")]
    batch = run_batch(subs, tmp_path / "out", assignment=load_assignment("ch03"),
                      executor=SerialExecutor())
    assert {r.provenance.assignment_id for r in batch.results} == {"ch03"}
    assert all(r.chapter_note.field("chosen") == "ch03" for r in batch.results)


def test_a_single_notebook_keeps_its_own_detection(tmp_path):
    subs = [_write(tmp_path, "reused", "ch05", "ch04")]
    result = run_batch(subs, tmp_path / "out", executor=SerialExecutor()).results[0]
    assert result.provenance.assignment_id == "ch04" and result.chapter_note is None


def test_a_notebook_that_names_an_unknown_chapter_is_still_graded_as_the_classs(tmp_path):
    subs = [_write(tmp_path, "a", "ch03", "ch03"), _write(tmp_path, "b", "ch03", "ch99")]
    results = run_batch(subs, tmp_path / "out", executor=SerialExecutor()).results
    assert [r.provenance.assignment_id for r in results] == ["ch03", "ch03"]
    assert results[1].graded and results[1].points == results[1].max_points


def test_a_folder_without_a_majority_chapter_grades_each_notebook_as_its_own(tmp_path, caplog):
    """Is a folder of several chapters (no chapter holds a majority) graded notebook by
    notebook, with a warning naming the tally and the flag, rather than stopped or forced?"""
    subs = [_write(tmp_path, "a", "ch03", "ch03"), _write(tmp_path, "b", "ch04", "ch04")]
    results = run_batch(subs, tmp_path / "out", executor=SerialExecutor()).results
    assert [r.provenance.assignment_id for r in results] == ["ch03", "ch04"]
    assert all(r.chapter_note is None and r.points == r.max_points for r in results)
    assert "ch03 (1), ch04 (1)" in caplog.text and "--assignment" in caplog.text
    assert "과반" in caplog.text and "majority" not in caplog.text   # the console's language: Korean


def test_the_vote_counts_definitions_before_metadata():
    reused = Signals(named="ch04", detected="ch05")
    assert class_chapter([reused, reused, Signals("ch04", "ch04")]) == "ch05"
    # Metadata counts when the definitions decide nothing.
    assert class_chapter([Signals("ch06", None), Signals("ch06", None), Signals(None, "ch05")]) == "ch06"
    assert class_chapter([Signals(None, None)]) is None
    assert class_chapter([Signals("ch04", None), Signals(None, "ch05")]) is None       # a tie
    assert class_chapter([Signals(None, "ch03"), Signals(None, "ch04"), Signals(None, "ch05")]) is None
    assert chapter_note(Signals("ch05", "ch05"), "ch05") is None
    assert chapter_note(Signals(None, "ch07"), "ch05") == msg("detect.note_definitions", detected="ch07",
                                                              chosen="ch05")


def test_metadata_names_only_a_known_chapter_by_id_or_folder():
    from autograder.assignment import list_assignments
    from autograder.detect import named_assignment
    known = list_assignments()
    assert named_assignment({"dlfs": {"assignment": "ch05_backprop"}}, known) == "ch05"
    assert named_assignment({"dlfs": {"assignment": "ch04"}}, known) == "ch04"
    for forged in ("../reference/ch05_backprop", "ch99", ["ch05"], None, "ch05\n"):
        assert named_assignment({"dlfs": {"assignment": forged}}, known) is None
    assert named_assignment({"dlfs": "ch05"}, known) is None and named_assignment([], known) is None
