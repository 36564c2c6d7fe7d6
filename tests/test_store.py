"""Tables on disk: one set at a time, whatever moment a run is stopped at; one run per folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest

import lgsco_analysis as lgsco
from lgsco_analysis import sets
from lgsco_analysis.dataset.store import FolderBusy, MixedTables, exclusive_run
from lgsco_analysis.dataset.tables import letters_to_dataset, parse_folder, write_dataset
from lgsco_analysis.read.record import Letter


class Stopped(BaseException):
    """Stands for a kill: nothing after it runs, not even ``except Exception``."""


def a_dataset(count: int):
    return letters_to_dataset(
        [Letter(source=f"{n}.pdf", sha256=str(n), status="error", problems=["x"]) for n in range(count)]
    )


def test_a_run_stopped_at_any_step_leaves_one_whole_set(tmp_path, monkeypatch):
    old, new = a_dataset(2), a_dataset(3)
    steps = {"n": 0}
    real = {name: getattr(os, name) for name in ("rename", "replace", "symlink")}

    def counting(name):
        def call(*args, **kwargs):
            steps["n"] += 1
            if steps["n"] == steps.get("stop"):
                raise Stopped
            return real[name](*args, **kwargs)

        return call

    for name in real:
        monkeypatch.setattr(os, name, counting(name))
    write_dataset(old, tmp_path / "first")  # count the steps of a write over an existing set
    steps["n"] = 0
    write_dataset(new, tmp_path / "first")
    total = steps["n"]
    assert total == 3  # the set renamed in, its link made, the link renamed over current
    for stop in range(1, total + 1):
        out = tmp_path / f"stopped-at-{stop}"
        steps.update(n=0, stop=None)
        write_dataset(old, out)
        steps.update(n=0, stop=stop)
        with pytest.raises(Stopped):
            write_dataset(new, out)
        letters = lgsco.load(out).letters
        assert len(letters) in (2, 3), stop
        by_link = pd.read_parquet(out / "letters.parquet")  # what other programs see agrees
        assert len(by_link) == len(letters), stop
        steps["stop"] = None
        write_dataset(new, out)  # the next run mends everything
        assert len(lgsco.load(out).letters) == 3
        assert [p.name for p in out.glob(".*.tmp")] == []
        assert len([p for p in (out / ".sets").iterdir()]) <= 2  # the set in force and the one before


def test_tables_that_do_not_belong_together_are_refused(tmp_path):
    write_dataset(a_dataset(2), tmp_path / "a")
    write_dataset(a_dataset(3), tmp_path / "b")
    in_force = (tmp_path / "a" / "current").resolve()
    shutil.copy((tmp_path / "b" / "current" / "received.parquet").resolve(), in_force / "received.parquet")
    shutil.copy((tmp_path / "b" / "current" / "letters.parquet").resolve(), in_force / "letters.parquet")
    with pytest.raises(MixedTables, match="do not belong together"):
        lgsco.load(tmp_path / "a")


def test_plain_parquet_files_still_load(tmp_path):
    write_dataset(a_dataset(2), tmp_path / "set")
    plain = tmp_path / "plain"
    plain.mkdir()
    for path in (tmp_path / "set").glob("*.parquet"):
        shutil.copy(path.resolve(), plain / path.name)  # a copy made by hand, or an older layout
    assert len(lgsco.load(plain).letters) == 2


def test_the_set_records_what_wrote_it(tmp_path):
    write_dataset(a_dataset(1), tmp_path)
    about = json.loads((tmp_path / "current" / "dataset.json").read_text())
    assert about["package_version"] == lgsco.__version__
    assert set(about["files"]) == {f"{name}.parquet" for name in store_names()}


def store_names() -> tuple[str, ...]:
    return ("letters", "received", "decisions", "remedies", "statistics")


def test_a_second_run_on_the_same_folder_is_refused_naming_the_first(tmp_path, sample_corpus):
    with exclusive_run(tmp_path, "parse"), pytest.raises(FolderBusy, match=r"in use by lgsco parse \(process \d+"):
        parse_folder(sample_corpus, tmp_path)


def test_a_lock_dies_with_its_holder(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import time
            from pathlib import Path
            from lgsco_analysis.dataset.store import exclusive_run
            with exclusive_run(Path({str(tmp_path)!r}), "parse"):
                print("holding", flush=True)
                time.sleep(60)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "holding"
    with pytest.raises(FolderBusy):
        with exclusive_run(tmp_path, "report"):
            pass
    holder.kill()
    holder.wait()
    deadline = time.monotonic() + 5
    while True:
        try:
            with exclusive_run(tmp_path, "report"):
                break
        except FolderBusy:
            assert time.monotonic() < deadline
            time.sleep(0.1)


def test_stale_sets_and_staging_files_are_removed(tmp_path):
    write_dataset(a_dataset(1), tmp_path)
    (tmp_path / ".sets" / ".20200101T000000-abc.partial").mkdir()
    (tmp_path / ".letters.parquet.0123.tmp").write_text("x")
    for count in (2, 3, 4):
        write_dataset(a_dataset(count), tmp_path)
    names = sorted(p.name for p in (tmp_path / ".sets").iterdir())
    assert len(names) == 2 and not list(tmp_path.glob(".*.tmp"))
    assert os.readlink(tmp_path / "current") == f".sets/{names[-1]}"
    sets.remove_stale(tmp_path)
    assert len(lgsco.load(tmp_path).letters) == 4
