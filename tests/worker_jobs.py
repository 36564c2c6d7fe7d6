"""Jobs for tests/test_workers.py: importable by name, as spawned workers need them."""

from __future__ import annotations

import ctypes
import os
import time
from pathlib import Path


def double(number: int) -> int:
    return 2 * number


def crash(_: object) -> None:
    ctypes.string_at(0)  # reads address 0: SIGSEGV, as a PDF library's bug would


def leave(_: object) -> None:
    os._exit(3)


def sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def hog(megabytes: int) -> int:
    block = bytearray(megabytes * 2**20)  # zero-filled: every page touched
    time.sleep(10)
    return len(block)


def fail(_: object) -> None:
    raise ValueError("this job is bad")


def note_pid_and_sleep(path: str) -> None:
    Path(path).write_text(str(os.getpid()))
    time.sleep(60)
