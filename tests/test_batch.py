"""Does a batch give every submission a result of its own, through any executor, without
losing earlier results or mixing students' files with the batch's own?"""

import pytest
import json
from pathlib import Path

from autograder import pipeline
from autograder.batch import run_batch
from autograder.executor import SerialExecutor, WorkerLost
from autograder.feedback import msg
from autograder.submissions import Refusal, Submission
from autograder.units import Job

pytestmark = pytest.mark.sandbox

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PARK = EXAMPLES / "park_jiwoo_ch04.ipynb"


class LosingExecutor:
    """An executor whose worker dies on the unit of one student."""

    def __init__(self, doomed: str):
        self.doomed = doomed
        self.units = []

    def run(self, work, units):
        for unit in units:
            self.units.append(unit)
            yield unit, (WorkerLost("killed") if unit.submission.student_id == self.doomed
                         else work(unit))


def test_a_lost_worker_costs_one_submission_an_error_result(tmp_path):
    executor = LosingExecutor("lee")
    subs = [Submission("lee", EXAMPLES / "lee_younghee_ch04.ipynb"), Submission("park", PARK)]
    batch = run_batch(subs, tmp_path, executor=executor)
    by_id = {r.student_id: r for r in batch.results}
    assert by_id["lee"].error.code.value == "worker_crashed" and by_id["park"].graded
    assert by_id["lee"].error.message == msg("batch.error.worker_crashed") and by_id["lee"].output == ""
    # The grading unit names its assignment by id and version, and carries no clock.
    unit = next(job.prep for job in executor.units if isinstance(job, Job) and job.submission.student_id == "park")
    assert unit.assignment.id == "ch04" and unit.assignment.version.startswith("1.")
    assert not any("time" in name or "clock" in name for name in vars(unit))


def test_student_files_live_apart_from_the_batchs_own(tmp_path):
    """Can a student named like the gradebook or the summary overwrite them?"""
    subs = [Submission("gradebook.sqlite", PARK), Submission("summary.csv", PARK)]
    batch = run_batch(subs, tmp_path, executor=SerialExecutor(), force=True)
    assert all(r.graded for r in batch.results)
    assert (tmp_path / "gradebook.sqlite").is_file() and (tmp_path / "summary.csv").is_file()
    assert (tmp_path / "students" / "gradebook.sqlite" / "results.json").is_file()


def test_a_second_run_reuses_results_and_keeps_the_first(tmp_path):
    first = run_batch([Submission("park", PARK)], tmp_path, jobs=1)
    second = run_batch([Submission("park", PARK)], tmp_path, jobs=1)
    assert second.cached == 1 and second.results[0].reused_run is not None
    assert second.results[0].points == first.results[0].points
    history = list((tmp_path / "students" / "park" / "history").iterdir())
    assert history and json.loads(history[0].read_text(encoding="utf-8"))["dlfs"]["student_id"] == "park"


def test_a_refused_submission_is_listed_with_its_reason(tmp_path):
    subs = [Submission("kim~1", tmp_path / "empty", refusal=Refusal("id_collision", "kim.ipynb, Kim.ipynb")),
            Submission("park", PARK)]
    (tmp_path / "empty").mkdir()
    batch = run_batch(subs, tmp_path / "out", jobs=1)
    refused = batch.results[0]
    assert refused.error.code.value == "id_collision"
    assert refused.error.message == msg("submissions.id_collision", detail="kim.ipynb, Kim.ipynb")
    summary = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8-sig")
    assert "kim~1" in summary and "id_collision" in summary


def test_one_broken_submission_does_not_stop_the_batch(tmp_path, monkeypatch):
    real_ingest = pipeline.ingest_bytes

    def flaky(data, name):
        if "lee" in name:
            raise RuntimeError("bug on this one notebook")
        return real_ingest(data, name)
    monkeypatch.setattr(pipeline, "ingest_bytes", flaky)
    subs = [Submission("lee", EXAMPLES / "lee_younghee_ch04.ipynb"),
            Submission("park", EXAMPLES / "park_jiwoo_ch04.ipynb")]
    batch = run_batch(subs, tmp_path / "out", jobs=1)
    statuses = {r.student_id: r.status.value for r in batch.results}
    assert statuses == {"lee": "error", "park": "graded"}
    assert (tmp_path / "out" / "students" / "lee" / "results.json").exists()


def test_execution_time_is_the_submissions_own_cost_not_its_wait(tmp_path):
    """In a serial batch of identical notebooks, does the last one report only its own time?"""
    subs = [Submission(f"s{i}", EXAMPLES / "park_jiwoo_ch04.ipynb") for i in range(4)]
    batch = run_batch(subs, tmp_path / "out", jobs=1, force=True)
    costs = [r.timings.total for r in batch.results]
    # Each result's stages sum to its own cost; together they cannot exceed the batch.
    assert sum(costs) <= batch.elapsed
    assert all(r.timings.suite > 0 and r.timings.sandbox_start > 0 for r in batch.results)
    assert costs[-1] < 0.75 * sum(costs)


def test_every_chapters_reference_grades_to_the_end_of_a_batch(tmp_path):
    """Do the batch's class-wide outputs (dashboard, similarity, exports) take every
    chapter's code, class attributes and all? Two copies each, so similarity compares them."""
    import nbformat
    from autograder.assignment import list_assignments
    from tests.mutants.catalogue import notebook
    results = []
    # A batch grades one chapter (class_chapter.py): one batch each, into one folder, so the
    # last one's dashboard and exports hold every chapter's latest results.
    for assignment in list_assignments():
        subs = []
        for copy in ("a", "b"):
            path = tmp_path / f"{assignment.id}_{copy}.ipynb"
            nbformat.write(notebook(assignment), path)
            subs.append(Submission(path.stem, path))
        results += run_batch(subs, tmp_path / "out", jobs=2).results
    assert len(results) == 2 * len(list_assignments())
    short = [(r.student_id, r.status.value, r.points, r.max_points, r.chapter_note, r.error,
              [(o.test_id, o.feedback) for o in r.outcomes if o.status.value != "passed"])
             for r in results if not (r.graded and r.points == r.max_points and not r.chapter_note)]
    assert not short, short
    dashboard = (tmp_path / "out" / "dashboard.html").read_text(encoding="utf-8")
    assert all(f'id="assignment-{a.id}"' in dashboard for a in list_assignments())
    assert (tmp_path / "out" / "dashboard.html").is_file() and (tmp_path / "out" / "grades.csv").is_file()


def _canvas(out):
    import csv
    import io
    rows = list(csv.reader(io.StringIO((out / "canvas.csv").read_text(encoding="utf-8-sig"))))
    return rows[0], {row[0]: row for row in rows[2:]}


def test_two_chapters_graded_into_one_folder_keep_both_columns(tmp_path):
    """ch03, then ch04 into the same folder (the Makefile's OUT=graded): ch03's scores stay."""
    out = tmp_path / "graded"
    ch03 = run_batch([Submission("kim", EXAMPLES / "kim_minsu_ch03.ipynb")], out, jobs=1)
    ch04 = run_batch([Submission("kim", PARK), Submission("lee", EXAMPLES / "lee_younghee_ch04.ipynb")],
                     out, jobs=1)
    assert ch03.results[0].provenance.assignment_id == "ch03" and ch03.results[0].graded
    header, rows = _canvas(out)
    assert header[5:] == ["ch03", "ch04"]      # no Canvas numbers given: bare titles
    assert float(rows["kim"][5]) == ch03.results[0].points
    assert float(rows["kim"][6]) == ch04.results[0].points
    assert rows["lee"][5] == "" and float(rows["lee"][6]) == ch04.results[1].points
    summary = (out / "summary.csv").read_text(encoding="utf-8-sig")
    assert "kim,ch03" in summary and "kim,ch04" in summary
    assert "ch03" in (out / "dashboard.html").read_text(encoding="utf-8")


def test_a_roster_with_a_student_twice_is_refused_before_grading(tmp_path, capsys):
    from autograder.cli import main
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\npark,A\nPark ,B\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["grade", str(PARK), "--out", str(out), "--roster", str(roster), "--lang", "en"]) == 2
    said = capsys.readouterr().err
    assert "line 3" in said and "line 2" in said and "'Park'" in said
    assert not (out / "gradebook.sqlite").exists()


def test_a_cp949_file_name_with_a_huge_literal_grades_and_regrades_into_one_folder(tmp_path, capsys):
    """What `unzip` leaves of a Korean Windows zip, and a legal int too long to print, in the
    code of a graded item (so the similarity pass meets it): exit 0 twice, every file
    written, the name kept readably."""
    import os
    import nbformat
    from autograder.cli import main
    nb = nbformat.read(PARK, as_version=4)
    cell = next(c for c in nb.cells if "def cross_entropy_error" in c.source)
    cell.source = cell.source.replace("def cross_entropy_error(y, t):\n",
                                      f"def cross_entropy_error(y, t):\n    if False:\n        y = 0x1{'0' * 5000}\n")
    assert "0x1" in cell.source
    folder = tmp_path / "class"
    folder.mkdir()
    odd = folder / os.fsdecode("박지우_ch04".encode("cp949") + b".ipynb")
    nbformat.write(nb, odd)
    nbformat.write(nbformat.read(EXAMPLES / "lee_younghee_ch04.ipynb", as_version=4), folder / "lee.ipynb")
    out = tmp_path / "out"
    for _ in range(2):
        assert main(["grade", str(folder), "--out", str(out), "--jobs", "1"]) == 0
        students = sorted(p.name for p in (out / "students").iterdir())
        assert len(students) == 2
        for student in students:
            document = json.loads((out / "students" / student / "results.json").read_text(encoding="utf-8"))
            assert document["dlfs"]["status"] == "graded"
        for name in ("summary.csv", "grades.csv", "canvas.csv", "moodle.csv", "dashboard.html"):
            assert (out / name).is_file()
    sources = [json.loads((out / "students" / s / "results.json").read_text(encoding="utf-8"))["dlfs"]["source"]
               for s in students]
    assert any("\\x" in s and s.endswith("/박지우_ch04.ipynb)") for s in sources), sources
    capsys.readouterr()
