"""The report runner: plan the reports, execute each notebook with papermill, export HTML, index them.

A report is skipped when its inputs are unchanged (the processed data, the notebook, its
parameters, and the package's code and templates) and its files are whole (their hashes
are those recorded when it was rendered). Each report runs in a worker process within a
time and memory budget; one that fails, hangs or crashes is recorded as failed in the
manifest and the index, and the others go on. Files are written whole or not at all, and
one run at a time writes a folder.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import secrets
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import __version__, paths
from .dataset import GROUPS_FILE, OUTPUT_FILES, Dataset, load
from .provenance import code_sha256
from .record import file_sha256
from .store import exclusive_run
from .views import readable_letters, sample_letter_count
from .workers import REPORT_BUDGET, Budget, run_isolated

log = logging.getLogger(__name__)
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "lgsco_report"
MANIFEST_FILE = "manifest.json"
INDEX_FILE = "index.html"
NOTEBOOK_ONLY_TAG = "notebook-only"
"""Cells with this tag (an analyst's introduction) are left out of the HTML report."""
CELL_TIMEOUT_SECONDS = 600
"""A cell running longer than this fails its report rather than hanging the batch."""
STAGING_SUFFIX = ".tmp.ipynb"
"""An executing notebook's file until it is renamed in (papermill wants the .ipynb ending)."""


REPORT_KINDS: dict[str, dict[str, str]] = {
    "national_overview": {"notebook": "national_overview.ipynb", "heading": "National overviews"},
    "authority_profile": {"notebook": "authority_profile.ipynb", "heading": "Authority profiles"},
    "data_quality": {"notebook": "data_quality.ipynb", "heading": "Data quality"},
}
"""Each kind of report: its notebook and its heading in the index."""


@dataclass(frozen=True)
class Report:
    """One report to render: which notebook, with which parameters, to which file."""

    kind: str
    title: str
    html_path: str  # relative to the output folder, ``/``-separated
    parameters: dict = field(hash=False)
    year: int | None = None
    authority: str | None = None

    @property
    def notebook_path(self) -> str:
        return self.html_path.removesuffix(".html") + ".ipynb"


@dataclass
class ReportRun:
    """What a run did: every report's manifest entry, and which were rendered, skipped or failed."""

    entries: list[dict]
    rendered: list[str]
    skipped: list[str]
    failed: list[str]
    index_path: Path


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A slug per distinct name; names whose slugs would collide each get a short hash of the name."""
    names = sorted(set(names))
    slugs = {name: paths.slugify(name) for name in names}
    counts: dict[str, int] = {}
    for slug in slugs.values():
        counts[slug] = counts.get(slug, 0) + 1
    return {
        name: slug if counts[slug] == 1 else f"{slug}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        for name, slug in slugs.items()
    }


def plan_reports(
    data: Dataset, years: Iterable[int] | None = None, authorities: Iterable[str] | None = None
) -> list[Report]:
    """The reports to render: an overview per year, a data-quality report, a profile per authority.

    ``years`` limits the overviews to those years and the profiles to authorities with a
    letter for them; ``authorities`` asks for those profiles only. Raises ValueError for a
    year or an authority with no readable letter.
    """
    usable = readable_letters(data.letters)
    present_years = sorted(int(y) for y in usable["year_ending"].unique())
    years = sorted(set(int(y) for y in years)) if years else None
    for year in years or []:
        if year not in present_years:
            raise ValueError(f"no readable letters for the year ending {year} (the data has {_span(present_years)})")
    known = set(usable["authority"])
    wanted = list(dict.fromkeys(authorities)) if authorities else None
    for name in wanted or []:
        if name not in known:
            raise ValueError(f"no readable letters for the authority {name!r}: use the name as the letters print it")
    reports: list[Report] = []
    if wanted is None:
        for year in years or present_years:
            reports.append(
                Report(
                    kind="national_overview",
                    title=f"National overview, year ending March {year}",
                    html_path=f"national/overview-{year}.html",
                    parameters={"year": year},
                    year=year,
                )
            )
        reports.append(Report(kind="data_quality", title="Data quality", html_path="data-quality.html", parameters={}))
    slugs = unique_slugs(known)
    letter_years = usable.groupby("authority")["year_ending"].apply(lambda y: sorted(int(v) for v in y))
    for name in wanted or sorted(known):
        for year in years or [letter_years[name][-1]]:
            if year not in letter_years[name]:
                continue
            reports.append(
                Report(
                    kind="authority_profile",
                    title=f"{name}: profile, year ending March {year}",
                    html_path=f"authorities/{slugs[name]}-{year}.html",
                    parameters={"authority": name, "year": year},
                    year=year,
                    authority=name,
                )
            )
    return reports


def _span(years: list[int]) -> str:
    return f"{years[0]} to {years[-1]}" if years else "no readable letters"


def data_sha256(processed_dir: Path) -> str:
    """One hash over the processed tables the reports read."""
    digest = hashlib.sha256()
    for name in (*OUTPUT_FILES, GROUPS_FILE):
        path = processed_dir / f"{name}.parquet"
        if path.exists():
            digest.update(name.encode() + b"\0" + file_sha256(path).encode())
    return digest.hexdigest()


def _fingerprint(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _write_text_atomic(path: Path, text: str) -> None:
    paths.write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def _index_href(html_path: str) -> str:
    depth = html_path.count("/")
    return "../" * depth + INDEX_FILE


def export_html(
    notebook_path: Path, html_path: Path, title: str, index_href: str | None = None, provenance: str = ""
) -> None:
    """An executed notebook -> HTML without code or prompts, charts with their alt text, no scripts.

    ``provenance`` (what produced the report) is printed at its foot.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:  # warnings are for the run's log (the .ipynb), not for readers
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.get("name") == "stderr")]
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={NOTEBOOK_ONLY_TAG}, enabled=True), enabled=True
    )
    body, _ = exporter.from_notebook_node(
        notebook,
        resources={"metadata": {"name": title}, "lgsco_index_href": index_href, "lgsco_provenance": provenance},
    )
    _write_text_atomic(html_path, body)


def _ipc_kernel_manager(socket_dir: str) -> type:
    """A kernel manager talking over Unix sockets in socket_dir: no TCP ports open, no clash between workers."""
    from jupyter_client.manager import AsyncKernelManager

    class IpcKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs) -> None:
            super().__init__(transport="ipc", ip=os.path.join(socket_dir, "kernel"), **kwargs)

    return IpcKernelManager


def render_report(job: dict) -> dict:
    """Execute one report's notebook and export its HTML; never raises: failures are in the entry."""
    import papermill

    entry = dict(job["entry"])
    out_dir = Path(job["out_dir"])
    notebook_out = out_dir / entry["notebook"]
    notebook_out.parent.mkdir(parents=True, exist_ok=True)
    staging = notebook_out.parent / f".{notebook_out.stem}.{secrets.token_hex(6)}{STAGING_SUFFIX}"
    started = time.perf_counter()
    entry["started"] = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        with tempfile.TemporaryDirectory(prefix="lgsco-kernel-") as socket_dir:
            papermill.execute_notebook(
                job["notebook_in"],
                str(staging),  # papermill writes as it goes: the notebook is renamed in once it ends
                parameters={"processed_dir": job["processed_dir"], **entry["parameters"]},
                kernel_name="python3",
                kernel_manager_class=_ipc_kernel_manager(socket_dir),
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],  # its shutdown chatter is no report's
                progress_bar=False,
                log_output=False,
                cwd=job["cwd"],
                execution_timeout=CELL_TIMEOUT_SECONDS,
            )
        os.replace(staging, notebook_out)
        provenance = (
            f"Rendered {entry['started'].replace('T', ' ')} by lgsco-analysis {entry['package_version']} "
            f"from notebooks/{Path(job['notebook_in']).name} and processed data {entry['data_sha256'][:12]}; "
            f"the executed notebook, {Path(entry['notebook']).name}, is the log of this run."
        )
        export_html(notebook_out, out_dir / entry["path"], entry["title"], _index_href(entry["path"]), provenance)
        entry["status"], entry["error"] = "ok", ""
        entry["files_sha256"] = {name: file_sha256(out_dir / entry[name]) for name in ("path", "notebook")}
    except Exception as error:  # any failure belongs to this report only
        entry["status"], entry["error"] = "failed", _one_line(error)
        if staging.exists():  # the failed run's notebook is its log
            os.replace(staging, notebook_out)
    entry["duration_s"] = round(time.perf_counter() - started, 2)
    return entry


def _one_line(error: BaseException) -> str:
    ename, evalue = getattr(error, "ename", None), getattr(error, "evalue", None)
    text = f"{ename}: {evalue}" if ename else f"{type(error).__name__}: {error}"
    return " ".join(text.split())[:500]


def read_manifest(out_dir: Path) -> dict:
    """The manifest an earlier run wrote, or an empty one."""
    path = out_dir / MANIFEST_FILE
    if not path.exists():
        return {"reports": []}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"reports": []}


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
) -> ReportRun:
    """Render every planned report that is new or changed; write the manifest and the index.

    Raises FileNotFoundError when the processed tables are missing, ValueError for a
    year or an authority with no letters. A report that fails does not raise.
    """
    processed_dir, out_dir = Path(processed_dir).resolve(), Path(out_dir)
    data = load(processed_dir)  # before anything is written: a run that cannot start leaves nothing
    with exclusive_run(out_dir, "report"):
        _remove_staging_files(out_dir)
        return _run_reports(data, processed_dir, out_dir, years, authorities, workers, force, progress, notebooks_dir)


def _remove_staging_files(out_dir: Path) -> None:
    """Half-written files a killed run left behind."""
    for pattern in (".*.tmp", f".*{STAGING_SUFFIX}"):
        for leftover in out_dir.rglob(pattern):
            leftover.unlink(missing_ok=True)


def _files_whole(out_dir: Path, entry: dict) -> bool:
    """The report's HTML and notebook are there, byte for byte as its render wrote them."""
    recorded = entry.get("files_sha256") or {}
    try:
        return all(file_sha256(out_dir / entry[name]) == recorded.get(name) for name in ("path", "notebook"))
    except (OSError, KeyError):
        return False


def _run_reports(
    data: Dataset,
    processed_dir: Path,
    out_dir: Path,
    years: Iterable[int] | None,
    authorities: Iterable[str] | None,
    workers: int,
    force: bool,
    progress: bool,
    notebooks_dir: str | Path | None,
) -> ReportRun:
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS_DIR)
    planned = plan_reports(data, years, authorities)
    data_hash = data_sha256(processed_dir)
    package_code = code_sha256()
    notebook_hashes = {kind: file_sha256(notebooks_dir / spec["notebook"]) for kind, spec in REPORT_KINDS.items()}
    previous = {entry["path"]: entry for entry in read_manifest(out_dir).get("reports", [])}

    entries: dict[str, dict] = {}
    jobs: list[dict] = []
    skipped: list[str] = []
    for report in planned:
        inputs = {
            "data_sha256": data_hash,
            "notebook_sha256": notebook_hashes[report.kind],
            "code_sha256": package_code,
            "parameters": report.parameters,
            "package_version": __version__,
        }
        entry = {
            "path": report.html_path,
            "notebook": report.notebook_path,
            "kind": report.kind,
            "title": report.title,
            "year": report.year,
            "authority": report.authority,
            **inputs,
            "fingerprint": _fingerprint(inputs),
        }
        earlier = previous.get(report.html_path)
        if (
            not force
            and earlier is not None
            and earlier.get("fingerprint") == entry["fingerprint"]
            and earlier.get("status") == "ok"
            and _files_whole(out_dir, earlier)
        ):
            entries[report.html_path] = earlier
            skipped.append(report.html_path)
            continue
        entries[report.html_path] = entry
        jobs.append(
            {
                "entry": entry,
                "out_dir": str(out_dir),
                "notebook_in": str(notebooks_dir / REPORT_KINDS[report.kind]["notebook"]),
                "processed_dir": str(processed_dir),
                "cwd": str(notebooks_dir),
            }
        )

    log.info("%d reports planned: %d to render, %d unchanged", len(planned), len(jobs), len(skipped))
    for entry in _execute(jobs, workers, progress, REPORT_BUDGET):
        entries[entry["path"]] = entry
        if entry["status"] == "ok":
            log.info("rendered %s in %s s", entry["path"], entry["duration_s"])
        else:
            log.warning("failed %s: %s", entry["path"], entry["error"])
    for path, earlier in previous.items():  # reports from earlier runs stay listed while their files exist
        if path not in entries and (out_dir / earlier.get("notebook", path)).exists():
            entries[path] = earlier

    ordered = sorted(entries.values(), key=_index_order)
    manifest = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "package_version": __version__,
        "processed_dir": str(processed_dir),
        "data_sha256": data_hash,
        "letters": len(data.letters),
        "sample_letters": sample_letter_count(data.letters),
        "downloads": downloads(out_dir),
        "reports": ordered,
    }
    _write_text_atomic(out_dir / MANIFEST_FILE, json.dumps(manifest, indent=2, default=str) + "\n")
    index_path = out_dir / INDEX_FILE
    _write_text_atomic(index_path, render_index(manifest))
    this_run = [job["entry"]["path"] for job in jobs]
    failed = [path for path in this_run if entries[path]["status"] != "ok"]
    rendered = [path for path in this_run if path not in failed]
    return ReportRun(entries=ordered, rendered=rendered, skipped=skipped, failed=failed, index_path=index_path)


def _index_order(entry: dict) -> tuple:
    kinds = list(REPORT_KINDS)
    kind = kinds.index(entry["kind"]) if entry.get("kind") in kinds else len(kinds)
    year = -(entry.get("year") or 0) if entry.get("kind") == "national_overview" else 0
    return (kind, year, (entry.get("authority") or "").casefold(), entry["path"])


def _execute(jobs: list[dict], workers: int, progress: bool, budget: Budget) -> Iterable[dict]:
    """Render the reports, ``workers`` at a time, each in a worker process within the budget."""
    from tqdm import tqdm

    with tqdm(total=len(jobs), unit="report", disable=None if progress else True) as bar:
        for job, outcome in zip(jobs, run_isolated(render_report, jobs, workers=workers, budget=budget), strict=False):
            if outcome.failure is None:
                yield outcome.value
            else:  # the worker crashed, hung or ran out of memory: this report failed, the others go on
                yield {
                    **job["entry"],
                    "status": "failed",
                    "error": outcome.failure,
                    "duration_s": None,
                    "started": None,
                }
            bar.update()


STATUS_TEXT: dict[str, str] = {"ok": "rendered", "failed": "failed"}


def downloads(out_dir: Path) -> dict[str, list[str]]:
    """The exported files beside the reports (``lgsco export``), as links relative to the index."""
    from .exports import DATA_PACKAGE, EXPORT_TABLES, WORKBOOK

    folder = paths.EXPORT_DIR.name
    found = {
        "csv": [f"{folder}/{name}.csv" for name in EXPORT_TABLES if (out_dir / folder / f"{name}.csv").exists()],
        "xlsx": [f"{folder}/{WORKBOOK}"] if (out_dir / folder / WORKBOOK).exists() else [],
        "datapackage": [f"{folder}/{DATA_PACKAGE}"] if (out_dir / folder / DATA_PACKAGE).exists() else [],
    }
    return {kind: links for kind, links in found.items() if links}


def _downloads_html(found: dict[str, list[str]]) -> str:
    if not found:
        return ""
    parts = []
    if "csv" in found:
        files = ", ".join(f'<a href="{html.escape(link)}">{html.escape(Path(link).stem)}</a>' for link in found["csv"])
        described = (
            f' (described in <a href="{html.escape(found["datapackage"][0])}">datapackage.json</a>)'
            if "datapackage" in found
            else ""
        )
        parts.append(f"CSV, one file per table: {files}{described}")
    if "xlsx" in found:
        parts.append(f'<a href="{html.escape(found["xlsx"][0])}">Excel workbook</a> (every table, and what they mean)')
    return '<p class="downloads"><strong>Download the data:</strong> ' + "; ".join(parts) + ".</p>"


def render_index(manifest: dict) -> str:
    """``index.html``: every report with its status, year and date; failures say why."""
    entries = manifest["reports"]
    current = manifest["data_sha256"]
    failed = sum(entry.get("status") != "ok" for entry in entries)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>LGSCO annual review letters: reports</title>",
        f"<style>{_INDEX_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<h1>LGSCO annual review letters: reports</h1>",
    ]
    if manifest.get("sample_letters"):
        parts.append(
            '<div class="banner" role="note"><strong>Sample data.</strong> '
            f"{manifest['sample_letters']:,} of the {manifest['letters']:,} letters behind these reports are "
            "fictional samples written by <code>lgsco sample</code>: made-up councils and figures.</div>"
        )
    parts.append(
        f"<p>{len(entries):,} reports from {manifest['letters']:,} letters; "
        + (f'<strong class="failed">{failed} failed</strong>' if failed else "none failed")
        + f". Index written {html.escape(manifest['generated'])} by lgsco-analysis "
        f"{html.escape(manifest['package_version'])}; details in "
        f'<a href="{MANIFEST_FILE}">{MANIFEST_FILE}</a>.</p>'
    )
    parts.append(_downloads_html(manifest.get("downloads") or {}))
    for kind, spec in REPORT_KINDS.items():
        rows = [entry for entry in entries if entry.get("kind") == kind]
        if not rows:
            continue
        parts += [
            f"<h2>{html.escape(spec['heading'])}</h2>",
            "<table>",
            f"<caption>{html.escape(spec['heading'])}: {len(rows):,}</caption>",
            '<thead><tr><th scope="col">Report</th><th scope="col">Year ending March</th>'
            '<th scope="col">Status</th><th scope="col">Rendered (UTC)</th><th scope="col">Run log</th></tr></thead>',
            "<tbody>",
        ]
        parts += [_index_row(entry, current) for entry in rows]
        parts += ["</tbody>", "</table>"]
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _index_row(entry: dict, current_data: str) -> str:
    title = html.escape(entry["title"])
    ok = entry.get("status") == "ok"
    link = f'<a href="{html.escape(entry["path"])}">{title}</a>' if ok else title
    status = STATUS_TEXT.get(entry.get("status"), html.escape(str(entry.get("status"))))
    if not ok:
        status = f'<span class="failed">{status}</span>: {html.escape(entry.get("error") or "")}'
    elif entry.get("data_sha256") != current_data:
        status += " (from earlier data)"
    started = html.escape((entry.get("started") or "")[:16].replace("T", " "))
    log = f'<a href="{html.escape(entry["notebook"])}">notebook</a>'
    year = entry.get("year") or ""
    return f"<tr><td>{link}</td><td>{year}</td><td>{status}</td><td>{started}</td><td>{log}</td></tr>"


_INDEX_CSS = """
body { font-family: system-ui, sans-serif; color: #1a1a1a; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; font-size: 0.95rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #d9d9d9; vertical-align: top; }
a { color: #12436d; }
.failed { color: #a50f15; font-weight: bold; }
.banner { border: 3px solid #b35806; background: #fff4e5; padding: 0.75rem 1rem; margin: 0.5rem 0 1rem; }
"""
