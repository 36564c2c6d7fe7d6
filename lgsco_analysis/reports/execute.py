"""Execute one report's notebook with papermill, in a kernel its worker keeps from one report to the next.

Starting a kernel and importing pandas and matplotlib into it costs more than most reports'
own work, so each worker process starts one kernel and clears its namespace between reports
(``reset``: no variable of one report is seen by the next). Its client is kept too: a new
client waits 0.2 s for the kernel's first message, more than an empty report's own work. A
kernel that died is started afresh, and a report that failed leaves no client behind. The
kernel talks over Unix sockets in a folder of the run's (no TCP port, no clash between
workers), which the run removes at its end.
"""

from __future__ import annotations

import os
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

from ..read.record import file_sha256
from .export import export_html
from .manifest import ManifestEntry, RenderJob, ReportStatus

CELL_TIMEOUT_SECONDS = 600
"""A cell running longer than this fails its report rather than hanging the batch."""
STAGING_SUFFIX = ".tmp.ipynb"
"""An executing notebook's file until it is renamed in (papermill wants the .ipynb ending)."""
ENGINE_NAME = "lgsco-kept-kernel"
RESET = "get_ipython().reset(new_session=True, aggressive=False)"

_kept: dict = {}
"""This worker process's kernel manager and kernel client, kept between its reports."""


def _kernel_manager(kernels_dir: str, cwd: str):
    """The worker's kernel, started in ``cwd`` when there is none or the last one died."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.util import run_sync

    manager = _kept.get("manager")
    if manager is not None and run_sync(manager.is_alive)():
        return manager
    _drop_client()  # a client of a kernel that died
    folder = Path(kernels_dir) / f"kernel-{os.getpid()}-{secrets.token_hex(3)}"
    folder.mkdir(parents=True, exist_ok=True)
    manager = AsyncKernelManager(
        kernel_name="python3",
        transport="ipc",
        ip=str(folder / "socket"),
        connection_file=str(folder / "connection.json"),
    )
    run_sync(manager.start_kernel)(cwd=cwd, extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    _kept["manager"] = manager
    return manager


def _drop_client() -> None:
    client = _kept.pop("client", None)
    if client is not None:
        client.stop_channels()


def _register_engine() -> None:
    """A papermill engine that clears the kept kernel's namespace first and runs the notebook in it,
    through the worker's kept client (made by nbclient for the first report)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class KeptKernelClient(PapermillNotebookClient):
        def papermill_execute_cells(self):
            self.wait_for_reply(self.kc.execute(RESET, silent=True, store_history=False))
            super().papermill_execute_cells()

    class KeptKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            client = KeptKernelClient(
                nb_man,
                km=kwargs["km"],
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
            )
            client.kc = _kept.get("client")  # None: nbclient starts one, kept below
            try:
                return client.execute()
            finally:
                _kept["client"] = client.kc

    papermill_engines.register(ENGINE_NAME, KeptKernelEngine)


def render_report(job: RenderJob) -> ManifestEntry:
    """Execute one report's notebook and export its HTML; never raises: failures are in the entry."""
    import papermill

    entry = ManifestEntry(**job["entry"])
    out_dir = Path(job["out_dir"])
    notebook_out = out_dir / entry["notebook"]
    notebook_out.parent.mkdir(parents=True, exist_ok=True)
    staging = notebook_out.parent / f".{notebook_out.stem}.{secrets.token_hex(6)}{STAGING_SUFFIX}"
    started = time.perf_counter()
    entry["started"] = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        manager = _kernel_manager(job["kernels_dir"], job["cwd"])
        if not _kept.get("engine"):
            _register_engine()
            _kept["engine"] = True
        papermill.execute_notebook(
            job["notebook_in"],
            str(staging),  # papermill writes as it goes: the notebook is renamed in once it ends
            parameters=job["parameters"],
            engine_name=ENGINE_NAME,
            km=manager,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,  # written once at the end, not after every cell
            cwd=job["cwd"],
            execution_timeout=CELL_TIMEOUT_SECONDS,
        )
        os.replace(staging, notebook_out)
        provenance = (
            f"Rendered {str(entry['started']).replace('T', ' ')} by lgsco-analysis {entry['package_version']} "
            f"from notebooks/{Path(job['notebook_in']).name} and processed data {entry['data_sha256'][:12]}; "
            f"the executed notebook, {Path(entry['notebook']).name}, is the log of this run."
        )
        export_html(notebook_out, out_dir / entry["path"], entry["title"], job["links"], provenance)
        entry["status"], entry["error"] = ReportStatus.OK, ""
        entry["files_sha256"] = {"path": file_sha256(out_dir / entry["path"])}
        entry["files_sha256"]["notebook"] = file_sha256(out_dir / entry["notebook"])
    except Exception as error:  # any failure belongs to this report only
        _drop_client()  # its channels may hold the failed run's messages
        entry["status"], entry["error"] = ReportStatus.FAILED, one_line(error)
        if staging.exists():  # the failed run's notebook is its log
            os.replace(staging, notebook_out)
    entry["duration_s"] = round(time.perf_counter() - started, 2)
    return entry


def one_line(error: BaseException) -> str:
    ename, evalue = getattr(error, "ename", None), getattr(error, "evalue", None)
    text = f"{ename}: {evalue}" if ename else f"{type(error).__name__}: {error}"
    return " ".join(text.split())[:500]
