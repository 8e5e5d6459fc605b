"""Does a batch leave each submission's work to its workers, the reading and ingesting as
well as the grading and rendering, and still give every student a result when rendering
fails there? The parent only settles the chapter, records and writes files.

A LocalPoolExecutor's workers are forked from this process, so a function patched here is
patched there too: `parent_only` makes it fail in this process alone.
"""

import json
import os
from pathlib import Path

import pytest

from autograder import pipeline, units
from autograder.assignment import load_assignment
from autograder.batch import run_batch
from autograder.executor import LocalPoolExecutor, SerialExecutor
from autograder.gradebook import Gradebook
from autograder.report import render
from autograder.report.history import history_rows
from autograder.submissions import Submission

pytestmark = pytest.mark.sandbox

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CLASS = {"park": "park_jiwoo_ch04.ipynb", "lee": "lee_younghee_ch04.ipynb"}


def _class() -> list[Submission]:
    return [Submission(sid, EXAMPLES / name) for sid, name in CLASS.items()]


def parent_only(real, what: str):
    parent = os.getpid()

    def guarded(*args, **kwargs):
        if os.getpid() == parent:
            raise AssertionError(f"the batch's own process {what}")
        return real(*args, **kwargs)
    return guarded


def test_the_parent_neither_ingests_nor_renders_a_students_page(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "ingest_bytes", parent_only(pipeline.ingest_bytes, "ingested a notebook"))
    monkeypatch.setattr(render, "submission_view", parent_only(render.submission_view, "rendered a page"))
    with LocalPoolExecutor(2) as executor:
        batch = run_batch(_class(), tmp_path, executor=executor, force=True)
    assert [(r.student_id, r.status.value) for r in batch.results] == [("park", "graded"), ("lee", "graded")]
    assert batch.results[0].points == batch.results[0].max_points > batch.results[1].points
    # A page the parent tried to render would be a stage fault, not a failed batch: none.
    assert batch.faults == []
    for sid in CLASS:
        folder = tmp_path / "students" / sid
        assert json.loads((folder / "results.json").read_text(encoding="utf-8"))["dlfs"]["student_id"] == sid
        assert "ch04" in (folder / "feedback.html").read_text(encoding="utf-8")


def test_the_run_history_rendered_in_the_parent_fills_the_workers_page(tmp_path):
    """The history ends with this run, which only the gradebook numbers: the page a worker
    rendered gets it where it belongs, as the page rendered in one piece would have it."""
    with LocalPoolExecutor(2) as executor:
        run_batch(_class(), tmp_path, executor=executor)
        again = run_batch(_class(), tmp_path, executor=executor)       # reused from the gradebook
    lee = again.results[1]
    with Gradebook(tmp_path / "gradebook.sqlite") as book:
        rows = history_rows(book.history("lee"))
    assert len(rows) == 2 and rows[1]["reused"] == f"#{rows[0]['run']}"
    config = load_assignment("ch04")
    for fmt in ("md", "html"):
        page = (tmp_path / "students" / "lee" / f"feedback.{fmt}").read_text(encoding="utf-8")
        assert "run-history-" not in page
        assert ('<table class="history">' if fmt == "html" else "| # |") in page
        assert page == render.render_feedback(lee, fmt, units.page_lang(None, config), config.visibility, rows)


def failing_for_lee(real):
    def render_student_files(result, *args):
        if result.student_id == "lee":
            raise RecursionError(f"maximum recursion depth exceeded in process {os.getpid()}")
        return real(result, *args)
    return render_student_files


def test_a_page_that_fails_to_render_in_a_worker_still_gives_the_student_a_grade(tmp_path, monkeypatch):
    monkeypatch.setattr(units, "render_student_files", failing_for_lee(units.render_student_files))
    with LocalPoolExecutor(2) as executor:
        batch = run_batch(_class(), tmp_path, executor=executor, force=True)
    lee = {r.student_id: r for r in batch.results}["lee"]
    assert lee.graded and lee.points is not None
    [fault] = batch.faults
    assert (fault.stage, fault.student_id) == ("results", "lee")
    # It failed in a worker, not here.
    assert "in process" in fault.detail and f"in process {os.getpid()}" not in fault.detail
    # The plain results.json: the grade, nothing the student's code produced, and no pages.
    folder = tmp_path / "students" / "lee"
    plain = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert plain["score"] == lee.points and plain["tests"] == []
    assert not (folder / "feedback.html").exists()
    assert (tmp_path / "students" / "park" / "feedback.html").is_file()
    assert "lee" in (tmp_path / "summary.csv").read_text(encoding="utf-8-sig")


def test_an_interrupted_batch_keeps_what_finished_and_the_next_run_resumes(tmp_path):
    """Each result is recorded and written as it comes back, before the progress bar moves:
    Ctrl-C after the first loses nothing of it, and the next run grades only the rest."""
    seen = []

    def progress(result):
        seen.append((result.student_id, (tmp_path / "students" / result.student_id / "feedback.html").is_file()))
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        run_batch(_class(), tmp_path, executor=SerialExecutor(), progress=progress)
    assert seen == [("park", True)]
    assert not (tmp_path / "students" / "lee").exists()
    again = run_batch(_class(), tmp_path, executor=SerialExecutor(), progress=lambda r: seen.append(r.student_id))
    assert again.cached == 1 and [r.reused_run is not None for r in again.results] == [True, False]
    assert sorted(seen[1:]) == ["lee", "park"]      # once per submission, reused or graded


def test_the_workers_normalise_the_code_the_similarity_pass_compares(tmp_path, monkeypatch):
    """Each submission's share of the similarity pass (its items' canonical forms) is done
    where it was graded: the parent only pairs forms up, and still finds the copy."""
    from autograder.report import similarity
    copy = tmp_path / "copy.ipynb"
    copy.write_bytes((EXAMPLES / CLASS["park"]).read_bytes() + b"\n")
    monkeypatch.setattr(similarity, "canonical_form", parent_only(similarity.canonical_form, "normalised code"))
    with LocalPoolExecutor(2) as executor:
        batch = run_batch(_class() + [Submission("copy", copy)], tmp_path / "out", executor=executor, force=True)
    assert batch.faults == []
    dashboard = (tmp_path / "out" / "dashboard.html").read_text(encoding="utf-8")
    pairs = dashboard.split('<table class="similar">', 1)[1].split("</table>", 1)[0]
    assert "<td>copy</td><td>park</td>" in pairs and "lee" not in pairs
