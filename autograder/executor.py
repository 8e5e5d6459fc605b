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

    shares_files = True     # a unit may name a file of this machine's

    def run(self, work, units):
        for unit in units:
            yield unit, work(unit)

    def close(self) -> None:
        pass


class LocalPoolExecutor:
    """A pool of worker processes on this machine, kept from one run to the next (a batch
    runs two: preparing, then grading) until close()."""

    shares_files = True

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    def run(self, work, units):
        # No max_tasks_per_child: on Python 3.11 the pool stops replacing retired workers and
        # the batch hangs (seen at the 50th notebook). The runner unloads each suite's
        # modules after a run, so a long-lived worker does not accumulate them.
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs)
        pool = self._pool
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
            self._pool = None
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        if any(isinstance(f.exception(), BrokenProcessPool) for f in futures):
            # A dead worker breaks the whole pool: the next run gets a new one.
            self._pool = None
            pool.shutdown(wait=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def __enter__(self) -> LocalPoolExecutor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def local_executor(jobs: int, units: int) -> SerialExecutor | LocalPoolExecutor:
    """The pool only pays for itself with two jobs and two units to share out."""
    return SerialExecutor() if jobs <= 1 or units <= 1 else LocalPoolExecutor(jobs)
