"""Where grading work runs: an executor takes units of work and gives back their results.

The batch only speaks this interface, so grading can move off the machine (a job queue,
a cluster) by adding an executor; the units (`pipeline.Prepared`) carry nothing that
only makes sense where they were prepared. A unit whose worker died comes back as
WorkerLost, never as an exception that would end the batch; an exception raised by the
work itself (a broken hidden suite) cancels what is still queued and propagates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

Unit = TypeVar("Unit")
Out = TypeVar("Out")


@dataclass(frozen=True)
class WorkerLost:
    """The process running a unit died (the OOM killer, or our own fault)."""
    detail: str


class Executor(Protocol, Generic[Unit, Out]):
    def run(self, work: Callable[[Unit], Out], units: Iterable[Unit]) -> Iterator[tuple[Unit, Out | WorkerLost]]:
        """Yield (unit, result) for every unit, in the order they finish."""


class SerialExecutor:
    """In this process, one unit after another: one job, or a single submission."""

    def run(self, work, units):
        for unit in units:
            yield unit, work(unit)


class LocalPoolExecutor:
    """A pool of worker processes on this machine."""

    def __init__(self, jobs: int):
        self.jobs = jobs

    def run(self, work, units):
        # No max_tasks_per_child: on Python 3.11 the pool stops replacing retired workers and
        # the batch hangs (seen at the 50th notebook). The runner unloads each suite's
        # modules after a run, so a long-lived worker does not accumulate them.
        pool = ProcessPoolExecutor(max_workers=self.jobs)
        try:
            futures = {pool.submit(work, unit): unit for unit in units}
            for future in as_completed(futures):
                try:
                    outcome = future.result()
                except BrokenProcessPool as exc:
                    outcome = WorkerLost(str(exc) or "worker process died")
                yield futures[future], outcome
        except BaseException:
            # A broken hidden suite or Ctrl-C: do not grade the rest of the class first.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


def local_executor(jobs: int, units: int) -> SerialExecutor | LocalPoolExecutor:
    """The pool only pays for itself with two jobs and two units to share out."""
    return SerialExecutor() if jobs <= 1 or units <= 1 else LocalPoolExecutor(jobs)
