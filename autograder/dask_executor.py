"""Grading on a Dask distributed cluster: `--scheduler tcp://host:8786`.

Each unit (units.py: an Intake to read, a Job to grade and render) goes to the scheduler
as one task; whichever worker takes it reads the notebook, or starts its own sandbox and
runs the hidden suite, and what it made comes back to this process, which alone writes
the gradebook and OUT. A unit holds the notebook's bytes or its ingested blocks, the
assignment by id and version, and no path on this machine's disk (this executor does
not say it `shares_files`), so a worker on another machine grades it from its own
checkout (and refuses it with an error result if that checkout's assignment is another
version).

A worker that dies mid-unit is Dask's to handle: its scheduler runs the unit again on
another worker, up to `distributed.scheduler.allowed-failures` deaths (3 by default),
then fails it with KilledWorker, which comes back here as WorkerLost. (`retries=` on a
task is for exceptions the task raises; `grade` raises only for a broken hidden suite,
which must stop the batch, not run again.) The scheduler going away cancels what is
left; each of those units comes back as WorkerLost too, so the batch still ends with a
result for every submission.

dask is optional: imported only when a scheduler is named, with a clear message when it
is not installed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .executor import WorkerLost
from .feedback import msg
from .messages import SaidError

# How long to wait for the scheduler to answer before telling the instructor it does not.
CONNECT_TIMEOUT = "20s"


class SchedulerUnavailable(SaidError):
    """dask is not installed, or the scheduler cannot be reached: nothing was graded."""

    def __init__(self, key: str, **fields):
        super().__init__(msg(key, **fields))


def _distributed():
    try:
        import distributed
    except ImportError:
        raise SchedulerUnavailable("executor.dask_missing") from None
    return distributed


class DaskExecutor:
    """Units as tasks on a Dask cluster, yielded in the order they finish.

    Given an address, it connects now (so a wrong address fails before anything is
    prepared) and closes that connection in `close()`; given a `distributed.Client`
    (tests, a LocalCluster), it uses it and leaves it open."""

    def __init__(self, scheduler: str | Any):
        distributed = _distributed()
        self._owned = isinstance(scheduler, str)
        if self._owned:
            try:
                self.client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise SchedulerUnavailable("executor.scheduler_unreachable", address=scheduler,
                                           reason=str(exc) or type(exc).__name__) from None
        else:
            self.client = scheduler

    def close(self) -> None:
        if self._owned:
            self.client.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, work: Callable, units: Iterable) -> Iterator[tuple[Any, Any]]:
        distributed = _distributed()
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        futures = {}
        try:
            for unit in units:
                # pure=False: two students' identical notebooks are still two gradings,
                # each with its own result (the batch, not Dask, decides what is reused).
                futures[self.client.submit(work, unit, pure=False, retries=0)] = unit
            for future in distributed.as_completed(list(futures), loop=self.client.loop):
                try:
                    outcome = future.result()
                except KilledWorker as exc:
                    outcome = WorkerLost(str(exc))
                except FutureCancelledError as exc:
                    outcome = WorkerLost(str(exc))
                yield futures.pop(future), outcome
        except BaseException:
            # A broken hidden suite or Ctrl-C: do not grade the rest of the class first.
            if futures:
                self.client.cancel(list(futures), force=True)
            raise
