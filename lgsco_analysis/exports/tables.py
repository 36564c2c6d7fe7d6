"""The tables for people who do not use Python: a CSV per table, one Excel workbook, a data package.

Every column's type, title and meaning come from ``data/fields.csv``, the source of the data
dictionary too. Each file is written whole or not at all; ``datapackage.json`` is written last
and records every CSV's SHA-256, so a folder whose files are not one export fails validation.
In the workbook, text from letters stays text: a name that begins with ``=``, ``+``, ``-`` or
``@`` is never a formula.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from ..analysis.measures import harmonise, with_groups
from ..analysis.views import read_by_ocr
from ..dataset.store import CURRENT, SET_MANIFEST, exclusive_run
from ..dataset.tables import OUTPUT_FILES, Dataset, load
from ..errors import InvalidInput
from ..provenance import package_version
from ..read.record import file_sha256
from ..rules.dictionary import caveats, table_fields

log = logging.getLogger(__name__)
EXPORT_TABLES = (*OUTPUT_FILES, "authority_groups", "measures")
WORKBOOK = "lgsco-letters.xlsx"
DATA_PACKAGE = "datapackage.json"
FORMATS = ("csv", "xlsx")
PRIMARY_KEYS: dict[str, list[str]] = {
    "letters": ["source"],
    "received": ["source", "category"],
    "decisions": ["source", "decision"],
    "remedies": ["source", "remedy"],
    "statistics": ["source", "measure"],
    "authority_groups": ["authority"],
    "measures": ["source", "measure"],
}
TABLE_TITLES: dict[str, str] = {
    "letters": "Letters: one row per PDF, whatever became of it",
    "received": "Complaints and enquiries received, by category",
    "decisions": "Decisions made",
    "remedies": "Complaints remedied",
    "statistics": "Headline statistics",
    "authority_groups": "Comparison groups",
    "measures": "Measures harmonised across the letter formats (what the reports use)",
}


def export_tables(data: Dataset) -> dict[str, pd.DataFrame]:
    """Each table to export, its columns in the order ``fields.csv`` gives them."""
    groups = data.comparison_groups()
    frames = {name: getattr(data, name) for name in OUTPUT_FILES}
    frames["authority_groups"] = groups
    frames["measures"] = with_groups(harmonise(data), groups)
    return {name: frames[name][[field.column for field in table_fields(name)]] for name in EXPORT_TABLES}


def _about(processed_dir: Path) -> dict:
    """What produced the tables: their set's dataset.json, where there is one."""
    manifest = processed_dir / CURRENT / SET_MANIFEST
    return json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}


def export_data(
    processed_dir: str | Path = paths.PROCESSED_DIR,
    out_dir: str | Path = paths.EXPORT_DIR,
    formats: Iterable[str] = FORMATS,
) -> list[Path]:
    """Write the tables as CSV files with ``datapackage.json`` and/or one workbook; return the files written.

    Raises FileNotFoundError or ValueError (from ``load``) when the tables are missing or do not
    belong together, ValueError for an unknown format, FolderBusy when another export runs.
    """
    formats = tuple(dict.fromkeys(formats))
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise InvalidInput(f"export formats are {', '.join(FORMATS)}, not {', '.join(sorted(unknown)) or 'none'}")
    processed_dir, out_dir = Path(processed_dir), Path(out_dir)
    data = load(processed_dir)
    tables = export_tables(data)
    about = {
        "exported": datetime.now(UTC).isoformat(timespec="seconds"),
        "package_version": package_version(),
        "tables_written": _about(processed_dir).get("written"),
        "reading_code_sha256": _about(processed_dir).get("reading_code_sha256"),
        "letters": len(data.letters),
        "sample_letters": int(data.letters["sample"].fillna(False).sum()),
        "letters_read_by_ocr": len(read_by_ocr(data.letters)),
    }
    written = []
    with exclusive_run(out_dir, "export"):
        if "xlsx" in formats:
            from .workbook import write_workbook  # openpyxl is imported only for a workbook

            paths.write_atomically(out_dir / WORKBOOK, lambda path: write_workbook(tables, about, path, TABLE_TITLES))
            written.append(out_dir / WORKBOOK)
        if "csv" in formats:
            for name, frame in tables.items():
                target = out_dir / f"{name}.csv"
                paths.write_atomically(target, partial(frame.to_csv, index=False))
                written.append(target)
            package = data_package(tables, out_dir, about)
            paths.write_atomically(
                out_dir / DATA_PACKAGE,
                lambda path: path.write_text(
                    json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
                ),
            )
            written.append(out_dir / DATA_PACKAGE)
    log.info("exported %d files to %s", len(written), out_dir)
    return written


def _schema(name: str) -> dict:
    schema: dict = {"fields": [], "primaryKey": PRIMARY_KEYS[name], "missingValues": [""]}
    for field in table_fields(name):
        described: dict[str, Any] = {"name": field.column, "type": field.type, "title": field.title}
        if field.description:
            described["description"] = field.description
        codes = [value for value in field.values if value]
        if codes:
            described["constraints"] = {"enum": codes}
        if field.column in PRIMARY_KEYS[name]:
            described.setdefault("constraints", {})["required"] = True
        schema["fields"].append(described)
    if name not in ("letters", "authority_groups"):
        schema["foreignKeys"] = [{"fields": ["source"], "reference": {"resource": "letters", "fields": ["source"]}}]
    return schema


def data_package(tables: dict[str, pd.DataFrame], out_dir: Path, about: dict) -> dict:
    """A Frictionless Data Package describing the CSV files already written in out_dir."""
    return {
        "name": "lgsco-annual-review-letters",
        "title": "LGSCO annual review letters, as tidy tables",
        "description": (
            "What the Local Government and Social Care Ombudsman's annual review letters to English councils "
            "print, read by lgsco-analysis: complaints received, decisions, remedies and headline statistics. "
            "Every count is as printed; see the caveats before comparing years."
        ),
        "version": about["package_version"],
        "created": about["exported"],
        "sources": [{"title": "Local Government and Social Care Ombudsman: annual review letters to councils"}],
        "lgsco": {"caveats": [f"{caveat.name}: {caveat.text}" for caveat in caveats()], **about},
        "resources": [
            {
                "name": name,
                "title": TABLE_TITLES[name],
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": (out_dir / f"{name}.csv").stat().st_size,
                "hash": f"sha256:{file_sha256(out_dir / f'{name}.csv')}",
                "schema": _schema(name),
            }
            for name in tables
        ],
    }
