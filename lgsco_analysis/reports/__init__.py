"""The report runner, one job per module: plan, execute (papermill), export (nbconvert), index and manifest."""

from ..dataset.tables import data_sha256
from .execute import render_report
from .export import export_html
from .index import INDEX_FILE, downloads, render_index, sort_name
from .manifest import MANIFEST_FILE, read_manifest
from .plan import REPORT_KINDS, Report, plan_reports, unique_slugs
from .run import ReportRun, run_reports

__all__ = [
    "INDEX_FILE",
    "MANIFEST_FILE",
    "REPORT_KINDS",
    "Report",
    "ReportRun",
    "data_sha256",
    "downloads",
    "export_html",
    "plan_reports",
    "read_manifest",
    "render_index",
    "render_report",
    "run_reports",
    "sort_name",
    "unique_slugs",
]
