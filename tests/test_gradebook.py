"""Does the gradebook keep every run and hand back only exact matches?"""

import dataclasses
import json
import sqlite3

import pytest

from autograder.gradebook import Gradebook
from autograder.grading.score import ItemScore, ItemStatus, Score
from autograder.result import ErrorCode, GradingResult, Provenance, RunError, RunStatus


def _result(sha="abc", score=3.0, status=RunStatus.GRADED, version="1", student="kim"):
    prov = Provenance(student, f"{student}.ipynb", sha, "0.1.0", "ch04", version)
    if status is RunStatus.ERROR:
        return GradingResult(prov, status, error=RunError(ErrorCode.TRUNCATED, "cut off"))
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
