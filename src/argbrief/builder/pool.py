"""Running build jobs: in this process (``--jobs 1``) or in a pool of worker processes.

Processes, not threads: WeasyPrint and python-docx are Python-heavy and hold
the GIL. Workers are forked (on Linux), so they start in milliseconds with
argbrief already imported; they ignore Ctrl-C, which the main process handles
by stopping them all. Jobs get and return plain picklable data, and each
job's result does not depend on where it ran, so ``--jobs 2`` gives the same
bytes as ``--jobs 1``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any


def default_jobs(configured: int = 0) -> int:
    """How many jobs to run at once: the project's ``jobs`` setting, else one per core."""
    if configured > 0:
        return configured
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class Runner:
    """Submits jobs and hands back their futures; a context manager that always cleans up.

    With ``jobs == 1`` a job runs at once in this process (its future is
    already done), which keeps tracebacks and monkeypatching simple in tests.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(abort=exc_type is not None)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        if self.jobs == 1:
            future: Future = Future()
            try:
                future.set_result(fn(*args))
            except Exception as exc:  # noqa: BLE001 - handed to whoever reads the result
                future.set_exception(exc)
            return future
        return self._executor().submit(fn, *args)

    def _executor(self) -> Executor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=_context(), initializer=_worker_init)
        return self._pool

    def close(self, *, abort: bool = False) -> None:
        """Stop the workers; with ``abort`` (an error or Ctrl-C) without waiting for running jobs."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if abort:
            # Running jobs cannot be cancelled; their processes are stopped instead.
            processes = list(getattr(pool, "_processes", {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for proc in processes:
                if proc.is_alive():
                    proc.terminate()
            for proc in processes:
                proc.join(timeout=5)
        else:
            pool.shutdown(wait=True)


def _context():
    # fork: the workers inherit the loaded modules (fast start, and no re-import of __main__).
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _worker_init() -> None:
    # The main process handles Ctrl-C (and stops the workers): no tracebacks from each worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
