"""Does the gradebook keep every run and hand back only exact matches?"""

import base64
import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest

from autograder.batch import run_batch
from autograder.executor import SerialExecutor
from autograder.feedback import Verbatim
from autograder.gradebook import Gradebook
from autograder.grading import inputs
from autograder.submissions import Submission
from autograder.grading.score import ItemScore, ItemStatus, Score
from autograder.result import ErrorCode, GradingResult, Provenance, RunError, RunStatus


def _result(sha="abc", score=3.0, status=RunStatus.GRADED, version="1", student="kim"):
    prov = Provenance(student, f"{student}.ipynb", sha, "0.1.0", "ch04", version)
    if status is RunStatus.ERROR:
        return GradingResult(prov, status, error=RunError(ErrorCode.TRUNCATED, Verbatim("cut off")))
    item = ItemScore("softmax", score, 10.0, 1, 2, ItemStatus.PARTIAL)
    return GradingResult(prov, status, score=Score(score, 10.0, (item,)))


def test_runs_are_appended_never_replaced(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        first = book.record(_result(score=3.0))
        second = book.record(_result(score=5.0))
        assert second > first
        assert [row[5] for row in book.history("kim")] == [3.0, 5.0]


def test_history_cannot_be_edited(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(_result())
    db = sqlite3.connect(tmp_path / "g.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE runs SET score = 100")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM runs")


def test_cache_matches_bytes_and_versions_only(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        stored = _result(sha="abc")
        run = book.record(stored)
        prov = stored.provenance
        hit = book.cached(prov)
        assert hit[0] == run and hit[1] == stored
        assert book.cached(dataclasses.replace(prov, sha256="abd")) is None
        assert book.cached(dataclasses.replace(prov, assignment_version="2")) is None
        assert book.cached(dataclasses.replace(prov, grader_version="0.2.0")) is None


def test_error_runs_are_not_reused(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(_result(status=RunStatus.ERROR))
        assert book.cached(_result().provenance) is None


def test_latest_results_has_one_row_per_student(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(_result(score=1.0))
        book.record(_result(score=2.0))
        book.record(_result(score=7.0, student="lee"))
        assert [r.points for r in book.latest_results()] == [2.0, 7.0]


def test_runs_stored_before_timings_were_kept_still_read(tmp_path):
    """Does a gradebook written by the previous grader version still give its results back?"""
    old = {"score": 4.0, "execution_time": 9.9, "output": "", "tests": [], "dlfs": {
        "student_id": "kim", "source": "kim.ipynb", "sha256": "abc", "grader_version": "0.1.0",
        "assignment_id": "ch04", "assignment_version": "1", "status": "graded", "max_score": 10.0,
        "items": [{"item": "softmax", "score": 4.0, "max_score": 10.0, "passed": 1, "tests": 2,
                   "status": "partial"}]}}
    with Gradebook(tmp_path / "g.sqlite") as book:
        book._db.execute("INSERT INTO runs (graded_at, student_id, source_path, sha256, assignment_id, "
                         "assignment_version, grader_version, status, score, max_score, results_json) "
                         "VALUES (0, 'kim', 'a', 'abc', 'ch04', '1', '0.1.0', 'graded', 4, 10, ?)",
                         (json.dumps(old),))
        [result] = book.latest_results()
        assert result.points == 4.0 and result.score.items[0].status is ItemStatus.PARTIAL


def test_every_assignment_keeps_its_latest_result(tmp_path):
    """ch03 then ch04 into one gradebook: both stay, each the newest of its own."""
    def run(student, assignment, score, status=RunStatus.GRADED):
        result = _result(score=score, student=student, status=status)
        return dataclasses.replace(result, provenance=dataclasses.replace(
            result.provenance, assignment_id=assignment))
    with Gradebook(tmp_path / "g.sqlite") as book:
        for result in (run("kim", "ch03", 2.0), run("kim", "ch03", 4.0), run("lee", "ch03", 1.0),
                       run("kim", "ch04", 7.0), run("lee", None, 0, RunStatus.ERROR)):
            book.record(result)
        latest = {(r.student_id, r.provenance.assignment_id): r.points for r in book.latest_per_assignment()}
        assert latest == {("kim", "ch03"): 4.0, ("kim", "ch04"): 7.0, ("lee", "ch03"): 1.0, ("lee", None): 0.0}
        # An unassigned error counts only while it is the student's newest result.
        book.record(run("lee", "ch03", 3.0))
        latest = {(r.student_id, r.provenance.assignment_id): r.points for r in book.latest_per_assignment()}
        assert ("lee", None) not in latest and latest[("lee", "ch03")] == 3.0


def test_a_stored_row_that_no_longer_reads_is_reported_not_fatal(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(_result(student="kim"))
        book.record(_result(student="lee"))
    db = sqlite3.connect(tmp_path / "g.sqlite")
    db.execute("DROP TRIGGER runs_no_update")
    db.execute("UPDATE runs SET results_json = '{}' WHERE student_id = 'lee'")
    db.commit()
    db.close()
    seen = []
    with Gradebook(tmp_path / "g.sqlite") as book:
        assert [r.student_id for r in book.latest_per_assignment(lambda sid, exc: seen.append(sid))] == ["kim"]
    assert seen == ["lee"]


def test_a_failed_record_leaves_no_transaction_open(tmp_path):
    """The batch goes on after a record that raised: the next student's must still land."""
    with Gradebook(tmp_path / "g.sqlite") as book:
        book._db.execute("CREATE TRIGGER no_lee BEFORE INSERT ON runs WHEN NEW.student_id = 'lee' "
                         "BEGIN SELECT RAISE(ABORT, 'refused'); END")
        with pytest.raises(sqlite3.DatabaseError):
            book.record(_result(student="lee"))
        book.record(_result(student="kim"))
        assert book.count() == 1


def test_the_input_secret_is_made_once_per_folder_and_kept(tmp_path):
    with Gradebook(tmp_path / "a" / "gradebook.sqlite") as book:
        first = book.input_secret()
        assert book.input_secret() == first
    with Gradebook(tmp_path / "a" / "gradebook.sqlite") as book:
        assert book.input_secret() == first          # a later run into the same folder
        book.record(_result())                       # and history is still append-only beside it
    with Gradebook(tmp_path / "b" / "gradebook.sqlite") as book:
        assert book.input_secret() != first
    assert len(first) == 32


LEE = Path(__file__).resolve().parents[1] / "examples" / "lee_younghee_ch04.ipynb"


def _outcomes(batch):
    return [(o.title.render("en"), o.status, o.points, o.feedback) for o in batch.results[0].outcomes]


@pytest.mark.sandbox
def test_regrades_into_a_folder_draw_its_inputs_and_another_folder_draws_others(tmp_path):
    """lee's failing tests show the inputs they were given: the same in one folder, run
    after run, others in another folder; and the secret behind them is shown nowhere."""
    subs = [Submission("lee", LEE)]
    first = run_batch(subs, tmp_path / "a", executor=SerialExecutor())
    again = run_batch(subs, tmp_path / "a", executor=SerialExecutor(), force=True)
    other = run_batch(subs, tmp_path / "b", executor=SerialExecutor())
    assert again.cached == 0 and _outcomes(again) == _outcomes(first)
    assert other.results[0].points == first.results[0].points      # a fixed bug is fixed for any input
    differ = [a[0] for a, b in zip(_outcomes(first), _outcomes(other)) if a[3] != b[3]]
    assert "mean_squared_error is 0.5 * sum((y - t)**2) for any pair of vectors" in differ
    with Gradebook(tmp_path / "a" / "gradebook.sqlite") as book:
        secret = book.input_secret()
    salt = inputs.salt(secret, first.results[0].provenance.sha256)
    shown = [secret.hex(), base64.b64encode(secret).decode(), salt.hex(), base64.b64encode(salt).decode()]
    for path in (tmp_path / "a").rglob("*"):
        if path.is_file() and path.suffix != ".sqlite" and "sqlite" not in path.name:
            data = path.read_bytes()
            assert secret not in data and salt not in data, path
            text = data.decode("utf-8", "replace").lower()
            assert not any(form.lower() in text for form in shown), path
