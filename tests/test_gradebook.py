"""Does the gradebook keep every run and hand back only exact matches?"""

import sqlite3

import pytest

from autograder.gradebook import Gradebook


def _results(sha="abc", score=3.0, status="graded", version="1"):
    return {"score": score, "tests": [], "dlfs": {
        "sha256": sha, "assignment_id": "ch04", "assignment_version": version,
        "grader_version": "0.1.0", "status": status, "max_score": 10.0, "student_id": "kim"}}


def test_runs_are_appended_never_replaced(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        first = book.record(student_id="kim", source_path="a", results=_results(score=3.0))
        second = book.record(student_id="kim", source_path="a", results=_results(score=5.0))
        assert second > first
        assert [row[5] for row in book.history("kim")] == [3.0, 5.0]


def test_history_cannot_be_edited(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(student_id="kim", source_path="a", results=_results())
    db = sqlite3.connect(tmp_path / "g.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE runs SET score = 100")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM runs")


def test_cache_matches_bytes_and_versions_only(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        run = book.record(student_id="kim", source_path="a", results=_results(sha="abc"))
        assert book.cached("abc", "ch04", "1", "0.1.0")[0] == run
        assert book.cached("abd", "ch04", "1", "0.1.0") is None
        assert book.cached("abc", "ch04", "2", "0.1.0") is None
        assert book.cached("abc", "ch04", "1", "0.2.0") is None


def test_error_runs_are_not_reused(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(student_id="kim", source_path="a", results=_results(status="error"))
        assert book.cached("abc", "ch04", "1", "0.1.0") is None


def test_latest_results_has_one_row_per_student(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(student_id="kim", source_path="a", results=_results(score=1.0))
        book.record(student_id="kim", source_path="a", results=_results(score=2.0))
        book.record(student_id="lee", source_path="b", results=_results(score=7.0))
        assert [r["score"] for r in book.latest_results()] == [2.0, 7.0]
