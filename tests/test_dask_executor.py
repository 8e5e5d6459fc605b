"""Does a class graded on a Dask cluster come back as it does graded here, one by one, with
every submission accounted for when a worker dies under it?

A LocalCluster of two worker processes on loopback stands in for a department's machines:
the units travel to the workers pickled, as they would over the network.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
from pathlib import Path

import pytest

# dask[distributed] is in requirements-dev.txt: a missing one fails here, it is not skipped.
import dask
import distributed

from autograder.batch import run_batch
from autograder.cli import main
from autograder.dask_executor import DaskExecutor
from autograder.executor import SerialExecutor
from autograder.grading.runner import HiddenSuiteError
from autograder.result import Timings
from autograder.submissions import Submission

pytestmark = pytest.mark.sandbox

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CLASS = ["park_jiwoo_ch04.ipynb", "lee_younghee_ch04.ipynb", "choi_broken_upload.ipynb"]


@pytest.fixture(scope="module")
def client():
    # One death per unit is retried; a second fails it (KilledWorker): the tests below see both.
    # One unit per worker at a time, so a death only ever counts against the unit it killed.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1,
                          "distributed.scheduler.worker-saturation": 1.0}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=":0") as cluster:
            with distributed.Client(cluster, set_as_default=False) as client:
                yield client


def _class(folder: Path) -> list[Submission]:
    folder.mkdir()
    for name in CLASS:
        shutil.copy(EXAMPLES / name, folder / name)
    return [Submission(Path(name).stem, folder / name) for name in CLASS]


def _comparable(result):
    """A result as a student or instructor reads it: every field but the timings."""
    untimed = dataclasses.replace(result, timings=Timings(),
                                  outcomes=[dataclasses.replace(o, duration=0.0) for o in result.outcomes])
    if result.load is not None:
        untimed.load = dataclasses.replace(result.load, duration=0.0)
    return untimed


class DeletingFirst(DaskExecutor):
    """Removes the class's files before any unit reaches a worker (the batch's first run,
    which reads them): a worker on another machine has none of this machine's paths, so a
    unit must carry what it grades."""

    def __init__(self, client, folder: Path):
        super().__init__(client)
        self.folder = folder

    def run(self, work, units):
        units = list(units)
        if self.folder.exists():
            shutil.rmtree(self.folder)
        return super().run(work, units)


def test_the_cluster_grades_a_class_as_the_serial_executor_does(client, tmp_path):
    subs = _class(tmp_path / "class")
    # One output folder for both: its gradebook's secret salts the test inputs.
    serial = run_batch(subs, tmp_path / "out", executor=SerialExecutor(), force=True)
    clustered = run_batch(subs, tmp_path / "out", force=True,
                          executor=DeletingFirst(client, tmp_path / "class"))
    assert not (tmp_path / "class").exists()
    assert [r.student_id for r in clustered.results] == [s.student_id for s in subs]
    assert [r.status.value for r in serial.results] == ["graded", "graded", "error"]
    assert [_comparable(r) for r in clustered.results] == [_comparable(r) for r in serial.results]
    assert all(r.reused_run is None for r in clustered.results)     # graded again, not reused


def die_on_first_attempt(folder: Path, work, unit):
    """The work, except that the first attempt at it kills its worker process."""
    died = folder / "died"
    if not died.exists():
        died.write_text(str(os.getpid()))
        os._exit(1)
    (folder / "graded").write_text(str(os.getpid()))
    return work(unit)


def always_die(doomed: str, work, unit):
    if unit.submission.student_id == doomed:
        os._exit(1)
    return work(unit)


class Wrapping(DaskExecutor):
    def __init__(self, client, wrap):
        super().__init__(client)
        self.wrap = wrap

    def run(self, work, units):
        return super().run(functools.partial(self.wrap, work), units)


def test_a_unit_whose_worker_dies_is_graded_again_on_another(client, tmp_path):
    subs = _class(tmp_path / "class")[:1]
    executor = Wrapping(client, functools.partial(die_on_first_attempt, tmp_path))
    batch = run_batch(subs, tmp_path / "out", force=True, executor=executor)
    assert batch.results[0].graded and batch.results[0].points == batch.results[0].max_points
    # The first worker died under it; another process graded it.
    assert (tmp_path / "died").read_text() != (tmp_path / "graded").read_text()


def test_a_unit_that_kills_every_worker_gets_an_error_result_and_the_batch_goes_on(client, tmp_path):
    subs = _class(tmp_path / "class")[:2]
    executor = Wrapping(client, functools.partial(always_die, "lee_younghee_ch04"))
    batch = run_batch(subs, tmp_path / "out", force=True, executor=executor)
    by_id = {r.student_id: r for r in batch.results}
    assert by_id["park_jiwoo_ch04"].graded
    assert by_id["lee_younghee_ch04"].error.code.value == "worker_crashed"
    assert (tmp_path / "out" / "students" / "lee_younghee_ch04" / "results.json").is_file()


def broken_suite(unit):
    if unit == 0:
        raise HiddenSuiteError("the suite does not import")
    return unit


def test_a_broken_hidden_suite_stops_the_batch_and_cancels_the_rest(client, monkeypatch):
    cancelled = []
    real_cancel = client.cancel
    monkeypatch.setattr(client, "cancel", lambda futures, **kw: (cancelled.extend(futures),
                                                                 real_cancel(futures, **kw)))
    with pytest.raises(HiddenSuiteError, match="does not import"):
        for _ in DaskExecutor(client).run(broken_suite, [0] + [1] * 50):
            pass
    assert cancelled      # what was still queued was cancelled, not graded


def test_the_command_line_grades_on_a_scheduler(client, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["grade", str(EXAMPLES / CLASS[0]), str(EXAMPLES / CLASS[1]), "--out", str(out),
                 "--scheduler", client.cluster.scheduler_address])
    assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in (out / "students").iterdir()) == ["lee_younghee_ch04", "park_jiwoo_ch04"]


def test_an_unreachable_scheduler_is_misuse_and_grades_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("autograder.dask_executor.CONNECT_TIMEOUT", "1s")
    out = tmp_path / "out"
    code = main(["grade", str(EXAMPLES / CLASS[0]), "--out", str(out), "--lang", "en",
                 "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2
    err = capsys.readouterr().err
    assert "Cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert not out.exists()


def test_without_dask_the_grader_says_what_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)   # import fails
    monkeypatch.setenv("AUTOGRADER_SCHEDULER", "tcp://127.0.0.1:8786")    # no --scheduler: this
    code = main(["grade", str(EXAMPLES / CLASS[0]), "--out", str(tmp_path / "out"), "--lang", "en"])
    assert code == 2
    assert 'Install dask[distributed] to use --scheduler' in capsys.readouterr().err
