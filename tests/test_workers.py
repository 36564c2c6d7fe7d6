"""The worker helper: every job's outcome in order, whatever a job does to its process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from lgsco_analysis.workers import Budget, Outcome, run_isolated

from . import worker_jobs

pytestmark = pytest.mark.slow  # starts worker processes or renders reports: make test, not make check

ROOMY = Budget(seconds=30, memory_mb=2048)


def outcomes(function, jobs, workers=2, budget=ROOMY) -> list[Outcome]:
    return list(run_isolated(function, jobs, workers=workers, budget=budget))


def test_results_come_back_in_the_jobs_order():
    assert [o.value for o in outcomes(worker_jobs.double, list(range(12)), workers=3)] == [2 * n for n in range(12)]


def test_a_crash_an_exit_and_an_exception_fail_their_jobs_only():
    jobs = [(worker_jobs.double, 1), (worker_jobs.crash, 0), (worker_jobs.leave, 0), (worker_jobs.fail, 0)]
    found = [outcomes(function, [job, job + 1 if isinstance(job, int) else job]) for function, job in jobs]
    assert found[0] == [Outcome(value=2), Outcome(value=4)]
    assert found[1][0].failure == "its process crashed (SIGSEGV)"
    assert found[2][0].failure == "its process stopped unexpectedly (exit status 3)"
    assert found[3][0].failure == "ValueError: this job is bad"


def test_a_dead_worker_is_replaced_and_the_rest_run():
    mixed = outcomes(worker_jobs.sleep, [0.0, 0.1, 0.0], workers=1)  # one worker, kept
    assert [o.value for o in mixed] == [0.0, 0.1, 0.0]
    crashed = outcomes(worker_jobs.crash, [0, 0, 0], workers=1)  # one worker, replaced twice
    assert [o.failure for o in crashed] == ["its process crashed (SIGSEGV)"] * 3


def test_a_job_past_its_time_is_stopped():
    started = time.monotonic()
    found = outcomes(worker_jobs.sleep, [30, 0.0], budget=Budget(seconds=2, memory_mb=2048))
    assert found == [Outcome(failure="gave up after 2 s"), Outcome(value=0.0)]
    assert time.monotonic() - started < 15


def test_a_job_past_its_memory_is_stopped():
    found = outcomes(worker_jobs.hog, [600], budget=Budget(seconds=30, memory_mb=300))
    assert found == [Outcome(failure="needed more than 300 MB")]


def test_workers_die_with_their_parent(tmp_path):
    note = tmp_path / "worker.pid"
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
                from lgsco_analysis.workers import Budget, run_isolated
                from tests import worker_jobs
                list(run_isolated(worker_jobs.note_pid_and_sleep, [{str(note)!r}], workers=1,
                                  budget=Budget(seconds=120, memory_mb=2048)))
            """),
        ],
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    deadline = time.monotonic() + 30
    while not note.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    worker = psutil.Process(int(note.read_text()))
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    gone, _ = psutil.wait_procs([worker], timeout=10)
    assert gone or worker.status() == psutil.STATUS_ZOMBIE


def test_a_script_without_a_main_guard_is_told_why_workers_cannot_start(tmp_path, sample_corpus):
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from lgsco_analysis.dataset.tables import parse_folder\n"
        f"parse_folder({str(sample_corpus)!r}, {str(tmp_path / 'out')!r}, workers=1)\n"
    )
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "WorkersCannotStart" in result.stderr and 'if __name__ == "__main__":' in result.stderr
    assert not (tmp_path / "out" / "letters.parquet").exists()  # no table of error rows was written
