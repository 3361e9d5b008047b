"""Running build jobs: in this process (``--jobs 1``) or in a pool of worker processes.

Processes, not threads: WeasyPrint and python-docx are Python-heavy and hold
the GIL. Workers are forked (on Linux), so they start in milliseconds with
argbrief already imported; they ignore Ctrl-C, which the main process handles
by stopping them all. Jobs get and return plain picklable data, and each
job's result does not depend on where it ran, so ``--jobs 2`` gives the same
bytes as ``--jobs 1``.

Ending cleanly: the first job that fails stops the build (in this process it
raises at once; in the pool the others are cancelled and the workers
stopped). A worker that is told to stop (SIGTERM) kills the ``dot`` it is
running and exits; a worker whose parent dies is told to stop by the kernel
(Linux: ``PR_SET_PDEATHSIG``), so no worker outlives a killed build, blocked
and holding its output open.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from ..render.graphviz import stop_running_dot


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_jobs(configured: int = 0) -> int:
    """How many jobs to run at once when ``--jobs`` does not say: one per core.

    The project's ``jobs`` setting (``argbrief.toml``, which a pull request
    can change) may ask for fewer, never for more: ``jobs = 200`` on two cores
    gives two. ``--jobs N`` on the command line is taken as given (forced).
    """
    cores = cpu_count()
    return min(configured, cores) if configured > 0 else cores


class Runner:
    """Submits jobs and hands back their futures; a context manager that always cleans up.

    With ``jobs == 1`` a job runs at once in this process (its future is
    already done), which keeps tracebacks and monkeypatching simple in tests;
    a job that fails raises at once, so no later job starts (fail fast).
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
            future.set_result(fn(*args))  # a failure raises here: the build stops before the next job
            return future
        return self._executor().submit(fn, *args)

    def _executor(self) -> Executor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=_context(), initializer=_worker_init, initargs=(os.getpid(),)
            )
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
                    proc.terminate()  # SIGTERM: the worker kills its dot and exits (_stop)
            for proc in processes:
                proc.join(timeout=5)
                if proc.is_alive():
                    proc.kill()
                    proc.join(timeout=5)
        else:
            pool.shutdown(wait=True)


def _context():
    # fork: the workers inherit the loaded modules (fast start, and no re-import of __main__).
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _worker_init(parent: int) -> None:
    # The main process handles Ctrl-C (and stops the workers): no tracebacks from each worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    _die_with_parent(parent)


def _stop(signum: int, frame: object) -> None:
    """SIGTERM in a worker: kill the ``dot`` it runs, then exit at once (the pool's loop would wait for work)."""
    stop_running_dot()
    os._exit(128 + signum)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to send this worker SIGTERM when the build process dies (even by ``kill -9``)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        _stop(signal.SIGTERM, None)
