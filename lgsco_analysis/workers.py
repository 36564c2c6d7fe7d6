"""Jobs run in worker processes, each with a time and a memory budget; results in input order.

A job that crashes its worker (a segfault in a PDF library), runs past its time, or grows
past its memory becomes that job's failure, with a one-line reason; the worker is replaced
and every other job runs. Workers are spawned (no forked copies of the parent's threads or
sockets), die with the parent, and are killed with every process they started (such as a
notebook's kernel). Parsing and the report runner both use :func:`run_isolated`.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

import psutil

from .errors import WorkersCannotStart

POLL_SECONDS = 0.05
"""How often the parent looks at its workers' clocks and memory."""


@dataclass(frozen=True)
class Budget:
    """What one job may use: wall-clock seconds, and memory (resident, with its child processes)."""

    seconds: float
    memory_mb: int


LETTER_BUDGET = Budget(seconds=60, memory_mb=1024)
"""What parsing one letter may take: a letter with a text layer needs well under a second and 400 MB;
one read by OCR about 3 s a page (``lgsco parse --help``) and 600 MB."""
REPORT_BUDGET = Budget(seconds=900, memory_mb=3072)
"""What one report may take, its notebook's kernel included: a profile needs seconds and 500 MB."""
REPORT_RUN_MINUTES = 240
"""How long a report run may take, all its reports together (the real size took 575 s on 2 cores),
before those not yet rendered are given up."""


OUT_OF_TIME = "not finished: the run's time ran out (its --max-minutes)"


@dataclass(frozen=True)
class Outcome:
    """What became of one job: its function's return value, or why there is none."""

    value: Any = None
    failure: str | None = None


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (elsewhere the pipe's end does it)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent died before we asked
        os._exit(1)


def _worker(connection: Connection, function: Callable[[Any], Any]) -> None:
    os.setpgrp()  # a group of its own: what the job starts is killed with it
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    connection.send(("ready", None))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return  # the parent is gone or done
        try:
            reply = ("value", function(job))
        except MemoryError:
            reply = ("memory", None)
        except Exception as error:  # the job's own failure, reported as its outcome
            reply = ("raised", " ".join(f"{type(error).__name__}: {error}".split())[:500])
        connection.send(reply)


class _Slot:
    """One worker process and the job it is running."""

    def __init__(self, context: Any, function: Callable[[Any], Any]) -> None:
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_worker, args=(child_end, function), daemon=True)
        self.process.start()
        child_end.close()
        self.index: int | None = None
        self.started = 0.0
        self.ready = False

    def give(self, index: int, job: Any) -> None:
        self.index, self.started = index, time.monotonic()
        self.connection.send(job)

    def memory_mb(self) -> float:
        try:
            process = psutil.Process(self.process.pid)
            family = [process, *process.children(recursive=True)]
            return sum(member.memory_info().rss for member in family) / 2**20
        except psutil.Error:
            return 0.0

    def kill(self) -> None:
        """Kill the worker, its process group and every process it started (a kernel leads a session of its own)."""
        with contextlib.suppress(psutil.Error):
            for descendant in psutil.Process(self.process.pid).children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    descendant.kill()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        self.process.join(5)
        self.connection.close()


def _crash_reason(process: multiprocessing.Process) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        return f"its process crashed ({signal.Signals(-code).name})"
    return f"its process stopped unexpectedly (exit status {code})"


def run_isolated(
    function: Callable[[Any], Any],
    jobs: Sequence[Any],
    *,
    workers: int,
    budget: Budget,
    deadline: float | None = None,
) -> Iterator[Outcome]:
    """Run ``function(job)`` for every job in worker processes; yield outcomes in the jobs' order.

    ``function`` must be importable by name (workers are spawned). It never raises for a
    job: an exception, a crash, a hang past ``budget.seconds`` or memory past
    ``budget.memory_mb`` is that job's :class:`Outcome` failure. Past ``deadline`` (a
    ``time.monotonic()`` value) the jobs still running are stopped and none is started: each
    of them fails as not finished in the run's time.
    """
    if not jobs:
        return
    context = multiprocessing.get_context("spawn")
    slots = [_Slot(context, function) for _ in range(max(1, min(workers, len(jobs))))]
    done: dict[int, Outcome] = {}
    next_job, next_out = 0, 0
    try:
        while next_out < len(jobs):
            if deadline is not None and time.monotonic() > deadline:
                for slot in slots:
                    if slot.index is not None:
                        done[slot.index] = Outcome(failure=OUT_OF_TIME)
                        slot.kill()
                        slot.index = None
                for index in range(next_job, len(jobs)):
                    done[index] = Outcome(failure=OUT_OF_TIME)
                next_job = len(jobs)
            for slot in slots:
                if slot.index is None and next_job < len(jobs):
                    slot.give(next_job, jobs[next_job])
                    next_job += 1
            busy = [slot for slot in slots if slot.index is not None]
            ready = wait([s.connection for s in busy] + [s.process.sentinel for s in busy], timeout=POLL_SECONDS)
            for position, slot in enumerate(slots):
                if slot.index is None:
                    continue
                ended = _check(slot, ready, budget)
                if ended is None:
                    continue
                done[slot.index], replace = ended
                slot.index = None
                if replace:  # crashed, killed or out of memory: a fresh worker takes its place
                    slot.kill()
                    if next_job < len(jobs):
                        slots[position] = _Slot(context, function)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for slot in slots:
            slot.kill()


def _check(slot: _Slot, ready: list, budget: Budget) -> tuple[Outcome, bool] | None:
    """The slot's outcome once its job has ended, and whether its worker must be replaced; None while it runs."""
    if slot.connection in ready:
        try:
            kind, value = slot.connection.recv()
        except (EOFError, OSError):
            return _died(slot)
        if kind == "ready":
            slot.ready = True
            return None
        if kind == "value":
            return Outcome(value=value), False
        if kind == "memory":
            return Outcome(failure=f"needed more than {budget.memory_mb} MB"), True
        return Outcome(failure=value), False
    if slot.process.sentinel in ready or not slot.process.is_alive():
        return _died(slot)
    if time.monotonic() - slot.started > budget.seconds:
        return Outcome(failure=f"gave up after {budget.seconds:g} s"), True
    if slot.memory_mb() > budget.memory_mb:
        return Outcome(failure=f"needed more than {budget.memory_mb} MB"), True
    return None


def _died(slot: _Slot) -> tuple[Outcome, bool]:
    """A worker that died: its job's failure; or, before it was ready for any job, the run's."""
    reason = _crash_reason(_joined(slot.process))
    if not slot.ready:
        raise WorkersCannotStart(
            f"a worker process could not start ({reason.removeprefix('its process ')}); a script that calls "
            'lgsco_analysis must run its work under `if __name__ == "__main__":`, as workers are spawned'
        )
    return Outcome(failure=reason), True


def _joined(process: multiprocessing.Process) -> multiprocessing.Process:
    process.join(5)
    return process
