"""Forked worker pools that cannot outlive the process that started them.

A run killed by a time limit or an operator's `kill -9` runs no `finally`: its forked workers would live on
(holding gigabytes and the output pipes). Each worker asks the kernel for SIGKILL when its parent dies
(Linux `prctl(PR_SET_PDEATHSIG)`), checks that the parent did not die before it asked, and the parent
terminates the pool on every way out of the block.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Pool initializer: SIGKILL this process when the parent goes (Linux); exit if it is gone already."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: the parent's teardown still applies
            pass
    if os.getppid() != parent_pid:
        os._exit(1)


# Allocations between a worker's young collections (Python's default: 700). A hotline worker allocates millions of
# short-lived objects a batch; at the default its young collections took about 7 % of its time, at this 3 %.
WORKER_GC_THRESHOLD = 20_000


def start_worker(parent_pid: int) -> None:
    """Pool initializer: die with the parent (`die_with_parent`) and collect young garbage less often."""
    die_with_parent(parent_pid)
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


# How long an interrupted run waits for the pool's own teardown before leaving it to the interpreter's exit.
TEARDOWN_SECONDS = 10.0


def stop_pool(pool, timeout: float = TEARDOWN_SECONDS) -> None:
    """Tear a pool down after an interruption without ever hanging on it: the workers are killed first (they
    hold nothing we keep), then the pool's own terminate runs in a helper thread that we wait for at most
    `timeout` seconds. Pool.terminate can block for good when Ctrl-C lands while a task is being handed
    over (a worker dies holding the task queue's lock), and a stopped run must still exit at once."""
    for child in multiprocessing.active_children():
        if child.daemon:  # pool workers are daemon processes; nothing else of ours is
            child.kill()
    closer = threading.Thread(target=lambda: (pool.terminate(), pool.join()), daemon=True)
    closer.start()
    closer.join(timeout)


@contextmanager
def forked_pool(workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """A fork-context Pool of `workers`; terminated and joined however the block ends (bounded in time when
    the block was interrupted)."""
    # What the workers inherit (the models, the corpus, the caches: hundreds of thousands of objects) is frozen
    # out of the cyclic collector first: their full collections would scan it again and again, a tenth of a hotline
    # worker's time, and touching it would copy its memory pages. Output does not depend on when garbage goes.
    gc.freeze()
    try:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=start_worker, initargs=(os.getpid(),))
        try:
            yield pool
        except BaseException:
            stop_pool(pool)
            raise
        pool.terminate()
        pool.join()
    finally:
        gc.unfreeze()
