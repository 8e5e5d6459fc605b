"""The gradebook: an append-only SQLite record of every grading run.

Each run is stored in the store's one serialised form (store/codec.py; the column keeps its
old name, results_json, for folders graded by earlier versions, whose rows still read).
A run is never updated or deleted. Re-grading the same bytes under the same assignment
version and grader version reuses the newest stored result unless forced, so a re-run of
a whole class costs only the new or changed notebooks.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from .grading import inputs
from .result import GradingResult, Provenance
from .store import decode, encode

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    graded_at          REAL NOT NULL,
    student_id         TEXT NOT NULL,
    source_path        TEXT NOT NULL,
    sha256             TEXT NOT NULL,
    assignment_id      TEXT,
    assignment_version TEXT,
    grader_version     TEXT NOT NULL,
    status             TEXT NOT NULL,
    score              REAL,
    max_score          REAL,
    reused_run         INTEGER REFERENCES runs(id),
    results_json       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_bytes ON runs (sha256, assignment_id, assignment_version, grader_version);
CREATE INDEX IF NOT EXISTS runs_by_student ON runs (student_id, graded_at);
-- The secret salting this folder's test inputs (grading/inputs.py): one row, never shown.
CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
-- Append-only by construction: the database itself refuses edits to history.
CREATE TRIGGER IF NOT EXISTS runs_no_update BEFORE UPDATE ON runs
    BEGIN SELECT RAISE(ABORT, 'gradebook is append-only'); END;
CREATE TRIGGER IF NOT EXISTS runs_no_delete BEFORE DELETE ON runs
    BEGIN SELECT RAISE(ABORT, 'gradebook is append-only'); END;
"""


class Gradebook:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One writer (the batch's parent process); a 30 s busy timeout covers a second
        # instructor run on the same folder.
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def cached(self, provenance: Provenance) -> tuple[int, GradingResult] | None:
        """Newest successful result for these exact bytes and versions, or None."""
        row = self._db.execute(
            "SELECT id, results_json FROM runs WHERE sha256=? AND assignment_id IS ? "
            "AND assignment_version IS ? AND grader_version=? AND status='graded' "
            "ORDER BY id DESC LIMIT 1",
            (provenance.sha256, provenance.assignment_id, provenance.assignment_version,
             provenance.grader_version)).fetchone()
        return (row[0], decode(row[1])) if row else None

    def record(self, result: GradingResult) -> int:
        prov = result.provenance
        with closing(self._db.cursor()) as cur:
            document = encode(result)
            cur.execute("BEGIN IMMEDIATE")
            try:
                cur.execute(
                    "INSERT INTO runs (graded_at, student_id, source_path, sha256, assignment_id, "
                    "assignment_version, grader_version, status, score, max_score, reused_run, "
                    "results_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (time.time(), prov.student_id, prov.source, prov.sha256, prov.assignment_id,
                     prov.assignment_version, prov.grader_version, result.status.value,
                     result.points, result.max_points, result.reused_run, document))
            except BaseException:
                # The batch goes on after one failed record (poststage.py): leave no open
                # transaction behind for the next student's.
                cur.execute("ROLLBACK")
                raise
            run_id = cur.lastrowid
            cur.execute("COMMIT")
        return run_id

    def history(self, student_id: str) -> list[sqlite3.Row]:
        cur = self._db.execute(
            "SELECT id, graded_at, sha256, assignment_id, status, score, max_score, reused_run "
            "FROM runs WHERE student_id=? ORDER BY id", (student_id,))
        return cur.fetchall()

    def latest_results(self) -> list[GradingResult]:
        """The newest result of every student ever graded into this gradebook, by student id."""
        rows = self._db.execute(
            "SELECT results_json FROM runs WHERE id IN "
            "(SELECT MAX(id) FROM runs GROUP BY student_id) ORDER BY student_id").fetchall()
        return [decode(r[0]) for r in rows]

    def latest_per_assignment(self, on_error: Callable[[str, Exception], None] | None = None
                              ) -> list[GradingResult]:
        """The newest result of every (student, assignment) ever graded into this gradebook:
        grading ch04 into a folder that holds ch03 keeps every student's ch03 result for the
        exports and the dashboard. A result that names no assignment (refused, unreadable)
        counts only while it is the student's newest. A stored row that no longer reads is
        handed to `on_error` (student id, exception) and left out, never the whole list."""
        rows = self._db.execute(
            "SELECT student_id, results_json FROM runs WHERE id IN "
            "(SELECT MAX(id) FROM runs WHERE assignment_id IS NOT NULL "
            " GROUP BY student_id, assignment_id) "
            "OR (assignment_id IS NULL AND id = "
            " (SELECT MAX(id) FROM runs AS newer WHERE newer.student_id = runs.student_id)) "
            "ORDER BY student_id, assignment_id").fetchall()
        results = []
        for student_id, text in rows:
            try:
                results.append(decode(text))
            except Exception as exc:
                if on_error is None:
                    raise
                on_error(student_id, exc)
        return results

    def input_secret(self) -> bytes:
        """The secret of the test inputs graded into this folder: made on first use, then kept
        (a second instructor run on the folder reads the same one)."""
        self._db.execute("INSERT OR IGNORE INTO secrets (name, value) VALUES ('inputs', ?)",
                         (inputs.new_secret(),))
        return bytes(self._db.execute("SELECT value FROM secrets WHERE name='inputs'").fetchone()[0])

    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
