"""Every output a consistent set, whatever runs beside it, fails under it or edits it (issue 23).

A letter changing while it is read; a parse between a report's steps; a kill at each rename of
export and report, and a full disk; tables edited, deleted or copied with their links followed;
``*.pdf`` names that are not files; look-alike names; the report run's time budget.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

import lgsco_analysis as lgsco
from lgsco_analysis import sets
from lgsco_analysis.dataset import cache
from lgsco_analysis.dataset.groups import match_authorities
from lgsco_analysis.dataset.tables import data_sha256, parse_folder, write_dataset
from lgsco_analysis.errors import DiskFull, MissingInput, MixedTables
from lgsco_analysis.exports.tables import export_data
from lgsco_analysis.read.checks import check_authority_name
from lgsco_analysis.read.letter import find_authority_and_year
from lgsco_analysis.read.record import Letter, file_sha256
from lgsco_analysis.reports import run_reports
from lgsco_analysis.sample.corpus import write_sample_corpus

from . import hand_built
from .hand_built import ASHBY

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def one_letter(tmp_path_factory) -> tuple[Path, dict]:
    """One fictional letter and its right answers."""
    folder = tmp_path_factory.mktemp("one-letter")
    write_sample_corpus(folder, seed=5, councils=1, years=range(2018, 2019))
    truth = json.loads((folder / "truth.json").read_text())[0]
    return next(folder.rglob("*.pdf")), truth


# 1. Read once, hash what was read


def test_a_letter_changed_after_it_was_listed_is_parsed_as_read_and_not_cached(one_letter, tmp_path):
    path, truth = one_letter
    entry = tmp_path / "entry.json"
    listed = "0" * 64  # what the run hashed when it listed the folder, before the file changed
    letter = cache.parse_job((str(path), "x.pdf", listed, str(entry), False))
    assert cache.CHANGED_WHILE_READ in letter.problems and letter.status == "warning"
    assert letter.sha256 == file_sha256(path)  # the hash of the bytes parsed, not the one listed
    assert letter.received_total == truth["received_total"]
    assert not entry.exists()


def test_a_letter_rewritten_while_it_is_parsed_is_parsed_from_the_bytes_hashed(one_letter, tmp_path, monkeypatch):
    original, truth = one_letter
    path = tmp_path / "letter.pdf"
    shutil.copy(original, path)
    listed = file_sha256(path)
    real_parse = cache.parse_letter

    def rewritten_meanwhile(*args, **kwargs):
        path.write_bytes(path.read_bytes()[:500])  # a download writing the file again, caught half-way
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(cache, "parse_letter", rewritten_meanwhile)
    entry = tmp_path / "entry.json"
    letter = cache.parse_job((str(path), "x.pdf", listed, str(entry), False))
    assert letter.status == "ok" and letter.received_total == truth["received_total"]
    assert letter.received == truth["received"]
    cached = cache.read_cache(entry, "x.pdf")
    assert cached is not None and cached.received == truth["received"]


@pytest.mark.slow
def test_cache_entries_are_checked_and_no_cache_rewrites_them(one_letter, tmp_path):
    original, truth = one_letter
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(original, raw / "letter.pdf")
    out = tmp_path / "processed"
    parse_folder(raw, out, ocr=False)
    (entry_file,) = (out / cache.CACHE_DIR_NAME).glob("*.json")
    entry = json.loads(entry_file.read_text())
    category = next(iter(truth["received"]))

    def edited(letter: dict) -> dict:  # consistently: the category and its total
        letter = json.loads(json.dumps(letter))
        letter["received"][category] += 10
        letter["received_total"] += 10
        return letter

    def received_total() -> int:
        return int(lgsco.load(out).letters["received_total"].iloc[0])

    entry_file.write_text(json.dumps({**entry, "letter": edited(entry["letter"])}))  # damaged: checksum stale
    parse_folder(raw, out, ocr=False)
    assert received_total() == truth["received_total"]  # parsed again
    assert json.loads(entry_file.read_text()) == entry  # and the entry replaced
    forged = edited(entry["letter"])
    entry_file.write_text(json.dumps({"checksum": cache._entry_checksum(forged), "letter": forged}))
    parse_folder(raw, out, ocr=False)
    assert received_total() == truth["received_total"] + 10  # a checksum is not a signature (README)
    parse_folder(raw, out, ocr=False, use_cache=False)
    assert received_total() == truth["received_total"]
    assert json.loads(entry_file.read_text()) == entry  # --no-cache rewrote the entry


# 4. load() trusts nothing it cannot check


def _tables(tmp_path: Path, data=None) -> Path:
    out = tmp_path / "processed"
    write_dataset(data or hand_built.dataset(), out)
    return out


def test_a_set_missing_a_file_it_lists_is_refused(tmp_path):
    out = _tables(tmp_path)
    (out / "current" / "authority_groups.parquet").unlink()
    with pytest.raises(MissingInput, match=r"authority_groups\.parquet is missing from its set"):
        lgsco.load(out)


def test_a_copy_that_followed_the_links_is_checked_like_the_set(tmp_path):
    out = _tables(tmp_path)
    copy = tmp_path / "backup"
    shutil.copytree(out, copy, symlinks=False)  # what `cp -rL` makes: `current` a real folder
    assert not (copy / "current").is_symlink()
    assert len(lgsco.load(copy).letters) == len(hand_built.dataset().letters)
    letters = pd.read_parquet(copy / "current" / "letters.parquet")
    letters.loc[0, "decisions_total"] = 999
    for place in (copy / "current" / "letters.parquet", copy / "letters.parquet"):
        letters.to_parquet(place, index=False)
    with pytest.raises(MixedTables, match="is not the file its set was written with"):
        lgsco.load(copy)
    with pytest.raises(MixedTables):
        export_data(copy, tmp_path / "export")


def test_a_parse_over_a_copied_set_replaces_the_real_folder_with_a_link(tmp_path):
    out = _tables(tmp_path)
    copy = tmp_path / "backup"
    shutil.copytree(out, copy, symlinks=False)
    write_dataset(hand_built.dataset(), copy)
    assert (copy / "current").is_symlink() and (copy / "letters.parquet").is_symlink()
    assert len(lgsco.load(copy).letters) == len(hand_built.dataset().letters)


# 5. Every *.pdf name gets a row


def test_every_pdf_name_gets_a_row_saying_what_it_is(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    os.mkfifo(raw / "a pipe.pdf")
    (raw / "a folder.pdf").mkdir()
    (raw / "unmounted.pdf").symlink_to("/nonexistent/share/letter.pdf")
    (raw / "loop.pdf").symlink_to(raw / "loop.pdf")
    rows = parse_folder(raw, ocr=False).letters.set_index("source")
    assert len(rows) == 4 and set(rows["status"]) == {"error"}
    assert "is a named pipe, not a PDF file" in rows.loc["a pipe.pdf", "problems"]
    assert "is a folder, not a PDF file" in rows.loc["a folder.pdf", "problems"]
    assert "/nonexistent/share/letter.pdf, which is not there" in rows.loc["unmounted.pdf", "problems"]
    assert "leads round in a loop" in rows.loc["loop.pdf", "problems"]


# 6. Names normalised and checked


def test_nfc_and_nfd_spellings_of_a_name_are_one_name():
    composed, decomposed = "Caf\u00e9 District Council", "Cafe\u0301 District Council"
    pages = [f"Local Authority Report: {name}\nFor the Period Ending: 31/03/2019\n" for name in (composed, decomposed)]
    assert find_authority_and_year(pages[:1])[0] == find_authority_and_year(pages[1:])[0] == composed


def test_a_look_alike_name_is_kept_apart_with_a_warning_naming_it():
    real, look_alike = "Kent County Council", "K\u0435nt County Council"  # a Cyrillic "е"
    letters = [Letter(source=f"{n}.pdf", sha256=str(n), authority=name) for n, name in enumerate((real, look_alike))]
    assert check_authority_name(letters[0]) == []
    assert "mixes letters of scripts Latin and Cyrillic" in check_authority_name(letters[1])[0]
    groups = match_authorities([real, look_alike]).set_index("authority")["group"]
    assert groups[real] == "County Councils" and groups[look_alike] == "Unmatched"  # never merged with Kent


# 7. A run-wide budget


@pytest.mark.slow
def test_past_the_deadline_no_job_starts_and_those_running_stop():
    from lgsco_analysis.workers import LETTER_BUDGET, OUT_OF_TIME, run_isolated

    from . import worker_jobs

    started = time.monotonic()
    outcomes = list(
        run_isolated(worker_jobs.sleep, [30, 30, 30], workers=1, budget=LETTER_BUDGET, deadline=started + 3)
    )
    assert [outcome.failure for outcome in outcomes] == [OUT_OF_TIME] * 3
    assert time.monotonic() - started < 15


# 2 and 3. Readers pin a set; published folders are sets


def _changed(data):
    """The hand-built tables with one figure changed: another set, whose reports differ."""
    data.letters.loc[data.letters["authority"] == ASHBY, "received_total"] += 1
    return data


def _reports_are_consistent(reports: Path) -> dict:
    """The index is the manifest's; each page it lists is the file rendered and names the data it was made from."""
    from lgsco_analysis.reports import render_index

    manifest = json.loads((reports / "manifest.json").read_text())
    assert (reports / "index.html").read_text(encoding="utf-8") == render_index(manifest)
    for entry in manifest["reports"]:
        if entry["status"] != "ok":
            continue
        page = reports / entry["path"]
        assert file_sha256(page) == entry["files_sha256"]["path"], entry["path"]
        assert file_sha256(reports / entry["notebook"]) == entry["files_sha256"]["notebook"], entry["notebook"]
        assert f"processed data {entry['data_sha256'][:12]}" in page.read_text(encoding="utf-8")
    return manifest


@pytest.mark.slow
def test_a_parse_during_a_report_run_changes_nothing_in_it(tmp_path, monkeypatch):
    from lgsco_analysis.reports import run as report_run

    processed = _tables(tmp_path)
    pinned_hash, pinned_set = data_sha256(processed), sets.in_force(processed)
    real_save = report_run.save_analysis

    def two_parses_meanwhile(*args, **kwargs):
        write_dataset(_changed(hand_built.dataset()), processed)
        write_dataset(_changed(_changed(hand_built.dataset())), processed)
        return real_save(*args, **kwargs)

    monkeypatch.setattr(report_run, "save_analysis", two_parses_meanwhile)
    run = report_run.run_reports(processed, tmp_path / "reports", years=[2019], authorities=[ASHBY])
    assert run.failed == [] and len(run.rendered) == 1
    manifest = _reports_are_consistent(tmp_path / "reports")
    assert manifest["data_sha256"] == pinned_hash != data_sha256(processed)
    assert manifest["data_set"] == pinned_set.name
    executed = json.loads((tmp_path / "reports" / manifest["reports"][0]["notebook"]).read_text())
    parameters = next(c for c in executed["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
    assert str(pinned_set) in "".join(parameters["source"])


KILLED_RUN = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path

    def run(what, processed, out, stop):
        calls = {"n": 0}
        for name in ("rename", "replace"):
            real = getattr(os, name)

            def call(*args, _real=real, **kwargs):
                calls["n"] += 1
                if calls["n"] == stop:
                    os._exit(9)  # killed: no clean-up of any kind
                return _real(*args, **kwargs)

            setattr(os, name, call)
        if what == "export":
            from lgsco_analysis.exports.tables import export_data
            export_data(processed, out)
        else:
            from lgsco_analysis.reports import run_reports
            run_reports(processed, out, years=[2019], authorities=[sys.argv[5]])
        print(json.dumps({"renames": calls["n"], "pid": os.getpid()}))

    if __name__ == "__main__":
        run(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
    """
)


def _killed_run(tmp_path: Path, what: str, processed: Path, out: Path, stop: int) -> dict | None:
    script = tmp_path / "killed_run.py"
    script.write_text(KILLED_RUN)
    done = subprocess.run(
        [sys.executable, str(script), what, str(processed), str(out), str(stop), ASHBY],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PROJECT_ROOT,
    )
    if done.returncode == 9:
        return None
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _export_is_consistent(out: Path) -> str:
    """Every file of the export is the one its data package records; returns the data hash they were made from."""
    package = json.loads((out / "datapackage.json").read_text())
    for resource in package["resources"]:
        assert f"sha256:{file_sha256(out / resource['path'])}" == resource["hash"], resource["path"]
    from openpyxl import load_workbook

    about = load_workbook(out / "lgsco-letters.xlsx", read_only=True)["About these data"]
    texts = [str(cell.value) for row in about.iter_rows() for cell in row if cell.value]
    assert any(package["lgsco"]["data_sha256"] in text for text in texts)
    return package["lgsco"]["data_sha256"]


@pytest.mark.slow
def test_an_export_killed_at_any_rename_leaves_the_previous_export_whole(tmp_path):
    processed, out = _tables(tmp_path), tmp_path / "reports" / "data"
    export_data(processed, out)
    old_hash = data_sha256(processed)
    write_dataset(_changed(hand_built.dataset()), processed)
    new_hash = data_sha256(processed)
    shutil.copytree(out, tmp_path / "count", symlinks=True)  # the same run on a copy, to count its renames
    counted = _killed_run(tmp_path, "export", processed, tmp_path / "count", 0)
    assert counted is not None and counted["renames"] >= 2
    for stop in range(1, counted["renames"] + 1):
        assert _killed_run(tmp_path, "export", processed, out, stop) is None
        assert _export_is_consistent(out) in (old_hash, new_hash), stop
    export_data(processed, out)
    assert _export_is_consistent(out) == new_hash
    assert [p.name for p in (out / ".sets").iterdir() if p.name.endswith(".partial")] == []


@pytest.mark.slow
def test_a_report_run_killed_at_any_rename_leaves_the_previous_folder_whole(tmp_path):
    processed, reports = _tables(tmp_path), tmp_path / "reports"
    run_reports(processed, reports, years=[2019], authorities=[ASHBY])
    old = _reports_are_consistent(reports)
    assert [entry["status"] for entry in old["reports"]] == ["ok"]
    write_dataset(_changed(hand_built.dataset()), processed)
    shutil.copytree(reports, tmp_path / "count", symlinks=True)  # the same run on a copy, to count its renames
    counted = _killed_run(tmp_path, "report", processed, tmp_path / "count", 0)
    assert counted is not None
    killed = []
    for stop in range(1, counted["renames"] + 1):
        assert _killed_run(tmp_path, "report", processed, reports, stop) is None
        manifest = _reports_are_consistent(reports)
        assert manifest["data_sha256"] in (old["data_sha256"], data_sha256(processed)), stop
        killed.append(stop)
    assert killed
    run = run_reports(processed, reports, years=[2019], authorities=[ASHBY])
    assert _reports_are_consistent(reports)["data_sha256"] == data_sha256(processed) and run.failed == []
    left = [p for p in Path(tempfile.gettempdir()).glob("lgsco-kernels-*") if not _alive_folder(p)]
    assert left == []  # the kernel folders the kills left are removed by the next run


def _alive_folder(folder: Path) -> bool:
    pid = folder.name.split("-")[2]
    return pid.isdigit() and psutil.pid_exists(int(pid))


def _no_space(path_of_call):
    def fail(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path_of_call(*args)))

    return fail


def test_an_export_on_a_full_disk_names_the_path_and_keeps_the_previous_export(tmp_path, monkeypatch, capsys):
    from lgsco_analysis.cli import main

    processed, out = _tables(tmp_path), tmp_path / "reports" / "data"
    export_data(processed, out)
    before = _export_is_consistent(out)
    write_dataset(_changed(hand_built.dataset()), processed)
    monkeypatch.setattr(pd.DataFrame, "to_csv", _no_space(lambda frame, path, **_: path))
    with pytest.raises(DiskFull, match=r"no space left to write .*\.csv: .* is unchanged"):
        export_data(processed, out)
    assert main(["export", "--processed", str(processed), "--out", str(out)]) == 2
    assert "no space left to write" in capsys.readouterr().err
    assert _export_is_consistent(out) == before
    assert [p.name for p in (out / ".sets").iterdir() if p.name.startswith(".2")] == []
    assert list(out.rglob("*.tmp")) == []


@pytest.mark.slow
def test_a_report_run_on_a_full_disk_keeps_the_previous_folder(tmp_path, monkeypatch):
    from lgsco_analysis.reports import run as report_run

    processed, reports = _tables(tmp_path), tmp_path / "reports"
    report_run.run_reports(processed, reports, years=[2019], authorities=[ASHBY])
    before = (reports / "manifest.json").read_bytes()
    write_dataset(_changed(hand_built.dataset()), processed)
    monkeypatch.setattr(report_run, "write_manifest", _no_space(lambda folder, manifest: folder / "manifest.json"))
    with pytest.raises(DiskFull, match=r"manifest\.json"):
        report_run.run_reports(processed, reports, years=[2019], authorities=[ASHBY])
    assert (reports / "manifest.json").read_bytes() == before
    _reports_are_consistent(reports)


@pytest.mark.slow
def test_reports_not_rendered_in_the_run_s_time_are_listed_as_such(tmp_path):
    from lgsco_analysis.workers import OUT_OF_TIME

    processed = _tables(tmp_path)
    run = run_reports(processed, tmp_path / "reports", years=[2025], max_minutes=0.0001)
    assert run.rendered == [] and len(run.failed) == len(run.entries) > 1
    assert {entry["error"] for entry in run.entries} == {OUT_OF_TIME}
    manifest = _reports_are_consistent(tmp_path / "reports")
    assert "not finished: the run" in (tmp_path / "reports" / "index.html").read_text()
    assert len(manifest["reports"]) == len(run.entries)


@pytest.mark.slow
def test_a_report_run_stopped_by_sigterm_cleans_up_and_leaves_the_previous_folder(tmp_path):
    import signal

    processed, reports = _tables(tmp_path), tmp_path / "reports"
    run_reports(processed, reports, years=[2019], authorities=[ASHBY])
    before = (reports / "manifest.json").read_bytes()
    write_dataset(_changed(hand_built.dataset()), processed)
    command = [sys.executable, "-m", "lgsco_analysis.cli", "report", "--processed", str(processed)]
    running = subprocess.Popen([*command, "--out", str(reports), "--workers", "1"], cwd=PROJECT_ROOT)
    deadline = time.monotonic() + 120
    while not list(Path(tempfile.gettempdir()).glob(f"lgsco-kernels-{running.pid}-*/kernel-*")):
        assert running.poll() is None and time.monotonic() < deadline, "the run ended before its kernel started"
        time.sleep(0.1)
    running.send_signal(signal.SIGTERM)  # as a scheduler stops a job: mid-render
    assert running.wait(60) == 130
    assert not list(Path(tempfile.gettempdir()).glob(f"lgsco-kernels-{running.pid}-*"))
    assert [p.name for p in (reports / ".sets").iterdir() if p.name.endswith(".partial")] == []
    assert (reports / "manifest.json").read_bytes() == before
    _reports_are_consistent(reports)


@pytest.mark.slow
def test_the_index_says_when_its_downloads_were_exported_from_other_tables(tmp_path):
    processed, reports = _tables(tmp_path), tmp_path / "reports"
    export_data(processed, reports / "data")
    write_dataset(_changed(hand_built.dataset()), processed)  # a parse after the export
    run_reports(processed, reports, years=[2019], authorities=[ASHBY])
    warning = "These files were exported from other tables"
    assert warning in (reports / "index.html").read_text(encoding="utf-8")
    export_data(processed, reports / "data")
    run_reports(processed, reports, years=[2019], authorities=[ASHBY])
    assert warning not in (reports / "index.html").read_text(encoding="utf-8")
    assert _reports_are_consistent(reports)["downloads_data_sha256"] == data_sha256(processed)
