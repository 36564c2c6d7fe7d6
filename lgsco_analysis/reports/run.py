"""A report run: plan, skip what is unchanged, precompute what every report shares, execute, index.

A report is skipped when its inputs are unchanged (the processed data, the notebook, its
parameters, and the package's code and templates) and its files are whole (their hashes
are those recorded when it was rendered). Each report runs in a worker process within a
time and memory budget, and the run within one of its own; one that fails, hangs or crashes
is recorded as failed in the manifest and the index, and the others go on.

The run reads one set of tables, pinned when it starts (a parse meanwhile changes nothing in
it), and writes the reports folder as a set (:mod:`lgsco_analysis.sets`): pages, manifest
and index are staged together, unchanged reports carried over by hard link, and switched in
at the end by one rename. Killed, or stopped by a full disk, at any moment, the folder stays
the previous run's, whole. One run at a time writes a folder.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

from .. import __version__, paths, sets
from ..analysis.store import ANALYSIS_DIR, save_analysis
from ..analysis.views import analyse, read_by_ocr, sample_letter_count
from ..dataset.store import LOCK_FILE, exclusive_run
from ..dataset.tables import Dataset, load
from ..provenance import REPORT_CODE, code_sha256
from ..read.record import file_sha256
from ..workers import REPORT_BUDGET, REPORT_RUN_MINUTES, Budget, run_isolated
from .execute import render_report
from .index import INDEX_FILE, downloads, downloads_made_from, render_index
from .manifest import (
    ManifestEntry,
    RenderJob,
    ReportInputs,
    ReportStatus,
    files_whole,
    fingerprint,
    read_manifest,
    write_manifest,
    write_text_atomic,
)
from .plan import REPORT_KINDS, Report, overview_path, plan_reports

log = logging.getLogger("lgsco_analysis.reports")
KERNELS_PREFIX = "lgsco-kernels-"


@dataclass
class ReportRun:
    """What a run did: every report's manifest entry, and which were rendered, skipped or failed."""

    entries: list[ManifestEntry]
    rendered: list[str]
    skipped: list[str]
    failed: list[str]
    index_path: Path


def run_reports(
    processed_dir: str | Path = paths.PROCESSED_DIR,
    out_dir: str | Path = paths.REPORTS_DIR,
    *,
    years: Iterable[int] | None = None,
    authorities: Iterable[str] | None = None,
    workers: int = 1,
    force: bool = False,
    progress: bool = False,
    notebooks_dir: str | Path | None = None,
    max_minutes: float = REPORT_RUN_MINUTES,
) -> ReportRun:
    """Render every planned report that is new or changed; write the manifest and the index; switch them in.

    Reports not rendered within ``max_minutes`` are recorded as failed. Raises
    FileNotFoundError when the processed tables are missing, ValueError for a year or an
    authority with no letters. A report that fails does not raise.
    """
    processed_dir, out_dir = Path(processed_dir).resolve(), Path(out_dir).resolve()
    data = load(processed_dir)  # before anything is written: a run that cannot start leaves nothing
    assert data.folder is not None
    deadline = time.monotonic() + max_minutes * 60
    out_dir.mkdir(parents=True, exist_ok=True)
    with exclusive_run(out_dir / sets.SETS_DIR, "report"), sets.reading(data.folder):
        sets.remove_stale(out_dir)  # what a killed run left
        _remove_kernel_folders_left()
        previous = sets.published(out_dir)
        notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS_DIR).resolve()
        with sets.building(out_dir) as staging:
            run = _run_reports(
                data,
                processed_dir,
                staging,
                previous,
                out_dir,
                years,
                authorities,
                workers,
                force,
                progress,
                notebooks_dir,
                deadline,
            )
        sets.switch_in(out_dir, staging)
        _remove_older_layout(out_dir)
    return run


def _remove_older_layout(out_dir: Path) -> None:
    """What reports folders of earlier versions kept at their top, now inside the set (or outside the folder)."""
    shutil.rmtree(out_dir / ANALYSIS_DIR, ignore_errors=True)
    (out_dir / LOCK_FILE).unlink(missing_ok=True)


def _remove_kernel_folders_left() -> None:
    """Kernel folders of report runs that were killed (their process is gone)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{KERNELS_PREFIX}*"):
        found = re.match(rf"{KERNELS_PREFIX}(\d+)-", folder.name)
        if found and not psutil.pid_exists(int(found[1])):
            shutil.rmtree(folder, ignore_errors=True)


def _links(report: Report, reports: dict[str, dict]) -> list[tuple[str, str]]:
    """The page's navigation: the index, the overview of its year, and the authority's other years, among
    ``reports`` (path -> kind, authority, year): this run's and those earlier runs left in place."""
    up = "../" * report.html_path.count("/")
    links = [("All reports", up + INDEX_FILE)]
    if report.kind != "authority_profile":
        return links
    if report.year is not None and overview_path(report.year) in reports:
        links.append((f"National overview {report.year}", up + overview_path(report.year)))
    others = sorted(
        (other["year"], path)
        for path, other in reports.items()
        if other.get("authority") == report.authority and path != report.html_path and other.get("year")
    )
    return links + [(f"{report.authority} {year}", up + path) for year, path in others]


def _run_reports(
    data: Dataset,
    processed_dir: Path,
    staging: Path,
    previous_dir: Path,
    out_dir: Path,
    years: Iterable[int] | None,
    authorities: Iterable[str] | None,
    workers: int,
    force: bool,
    progress: bool,
    notebooks_dir: Path,
    deadline: float,
) -> ReportRun:
    """Plan the reports, carry the unchanged ones over from ``previous_dir``, render the rest into ``staging``."""
    assert data.folder is not None
    planned = plan_reports(data, years, authorities)
    data_hash = data.tables_sha256
    package_code = code_sha256(REPORT_CODE)
    notebook_hashes = {kind: file_sha256(notebooks_dir / spec["notebook"]) for kind, spec in REPORT_KINDS.items()}
    previous = {entry["path"]: entry for entry in read_manifest(previous_dir).get("reports", [])}
    reachable = {path: entry for path, entry in previous.items() if (previous_dir / path).exists()}
    reachable |= {r.html_path: {"kind": r.kind, "authority": r.authority, "year": r.year} for r in planned}
    analysis_dir = staging / ANALYSIS_DIR

    entries: dict[str, ManifestEntry] = {}
    jobs: list[RenderJob] = []
    skipped: list[str] = []
    for report in planned:
        links = _links(report, reachable)
        inputs = ReportInputs(
            data_sha256=data_hash,
            notebook_sha256=notebook_hashes[report.kind],
            code_sha256=package_code,
            parameters=report.parameters,
            links=links,
            package_version=__version__,
        )
        entry = ManifestEntry(
            path=report.html_path,
            notebook=report.notebook_path,
            kind=report.kind,
            title=report.title,
            year=report.year,
            authority=report.authority,
            group=report.group,
            **inputs,
            fingerprint=fingerprint(inputs),
        )
        earlier = previous.get(report.html_path)
        if (
            not force
            and earlier is not None
            and earlier.get("fingerprint") == entry["fingerprint"]
            and earlier.get("status") == ReportStatus.OK
            and files_whole(previous_dir, earlier)
        ):
            _carry_over(previous_dir, staging, earlier)
            entries[report.html_path] = earlier
            skipped.append(report.html_path)
            continue
        entries[report.html_path] = entry
        jobs.append(
            RenderJob(
                entry=entry,
                out_dir=str(staging),
                notebook_in=str(notebooks_dir / REPORT_KINDS[report.kind]["notebook"]),
                parameters={
                    "processed_dir": str(data.folder),  # the pinned set, whatever a parse does meanwhile
                    "analysis_dir": str(analysis_dir),
                    **report.parameters,
                },
                links=links,
                cwd=str(notebooks_dir),
                kernels_dir="",  # set below, once the run's folder of kernels exists
            )
        )

    jobs.sort(key=lambda job: _expected_seconds(job, previous), reverse=True)
    log.info("%d reports planned: %d to render, %d unchanged", len(planned), len(jobs), len(skipped))
    if jobs:  # what every report needs from the whole dataset, computed once for the run
        save_analysis(analyse(data), analysis_dir, data_hash)
    with tempfile.TemporaryDirectory(prefix=f"{KERNELS_PREFIX}{os.getpid()}-") as kernels_dir:
        for job in jobs:
            job["kernels_dir"] = kernels_dir
        for entry in _execute(jobs, workers, progress, REPORT_BUDGET, deadline):
            entries[entry["path"]] = entry
            if entry["status"] == ReportStatus.OK:
                log.info("rendered %s in %s s", entry["path"], entry["duration_s"])
            else:
                log.warning("failed %s: %s", entry["path"], entry["error"])
    for path, earlier in previous.items():  # reports from earlier runs stay listed while their files exist
        if path not in entries and _carry_over(previous_dir, staging, earlier):
            entries[path] = earlier

    ordered = sorted(entries.values(), key=_index_order)
    manifest = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "package_version": __version__,
        "processed_dir": str(processed_dir),
        "data_set": data.folder.name,
        "data_sha256": data_hash,
        "letters": len(data.letters),
        "sample_letters": sample_letter_count(data.letters),
        "letters_read_by_ocr": len(read_by_ocr(data.letters)),
        "downloads": downloads(out_dir),
        "downloads_data_sha256": downloads_made_from(out_dir),
        "reports": ordered,
    }
    write_manifest(staging, manifest)
    write_text_atomic(staging / INDEX_FILE, render_index(manifest))
    this_run = [job["entry"]["path"] for job in jobs]
    failed = [path for path in this_run if entries[path]["status"] != ReportStatus.OK]
    rendered = [path for path in this_run if path not in failed]
    index_path = out_dir / INDEX_FILE
    return ReportRun(entries=ordered, rendered=rendered, skipped=skipped, failed=failed, index_path=index_path)


TYPICAL_SECONDS = {"national_overview": 3.3, "authority_profile": 2.5, "data_quality": 1.0}
"""A report's median time by kind at the real size on 2 cores (a cold run's manifest), for one never rendered."""


def _expected_seconds(job: RenderJob, previous: dict[str, ManifestEntry]) -> float:
    """How long the report should take: its last rendering's time, else its kind's typical time. The
    longest go first, so that no worker sits idle at the end while another finishes a long one."""
    earlier = previous.get(job["entry"]["path"])
    seconds = earlier.get("duration_s") if earlier is not None else None
    return seconds if seconds else TYPICAL_SECONDS.get(job["entry"]["kind"], 0.0)


def _carry_over(previous_dir: Path, staging: Path, entry: ManifestEntry) -> bool:
    """The report's files, as an earlier run left them, into this run's set; False when its notebook is gone."""
    kept = sets.carry_over(previous_dir, staging, entry.get("notebook", entry["path"]))
    with contextlib.suppress(OSError):
        sets.carry_over(previous_dir, staging, entry["path"])
    return kept


def _index_order(entry: ManifestEntry) -> tuple:
    kinds = list(REPORT_KINDS)
    kind = kinds.index(entry["kind"]) if entry.get("kind") in kinds else len(kinds)
    year = -(entry.get("year") or 0) if entry.get("kind") == "national_overview" else 0
    return (kind, year, (entry.get("authority") or "").casefold(), entry["path"])


def _execute(
    jobs: list[RenderJob], workers: int, progress: bool, budget: Budget, deadline: float
) -> Iterable[ManifestEntry]:
    """Render the reports, ``workers`` at a time, each in a worker process within the budget, all by the deadline."""
    from tqdm import tqdm

    outcomes = run_isolated(render_report, jobs, workers=workers, budget=budget, deadline=deadline)
    with tqdm(total=len(jobs), unit="report", disable=None if progress else True) as bar:
        for job, outcome in zip(jobs, outcomes, strict=False):
            if outcome.failure is None:
                yield outcome.value
            else:  # the worker crashed, hung or ran out of memory, or the run's time ran out: the others go on
                yield ManifestEntry(
                    **job["entry"], status=ReportStatus.FAILED, error=outcome.failure, duration_s=None, started=None
                )
            bar.update()
