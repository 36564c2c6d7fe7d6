"""The tables for people who do not use Python: a CSV per table, one Excel workbook, a data package.

Every column's type, title and meaning come from ``data/fields.csv``, the source of the data
dictionary too. The files are written as one set, switched in together; ``datapackage.json``
records every CSV's SHA-256, so a folder whose files are not one export fails validation.
In the workbook, text from letters stays text: a name that begins with ``=``, ``+``, ``-`` or
``@`` is never a formula.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths, sets
from ..analysis.councils import council_years
from ..analysis.views import analyse, read_by_ocr
from ..dataset.store import LOCK_FILE, SET_MANIFEST, exclusive_run
from ..dataset.tables import OUTPUT_FILES, Dataset, load
from ..errors import InvalidInput
from ..provenance import package_version
from ..read.record import file_sha256
from ..rules.dictionary import caveats, table_fields

log = logging.getLogger(__name__)
EXPORT_TABLES = ("council_years", *OUTPUT_FILES, "authority_groups", "measures")
"""The tables exported, the one a person reads first (a row per council and year) first."""
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
    "council_years": ["source"],
}
TABLE_TITLES: dict[str, str] = {
    "letters": "Letters: one row per PDF, whatever became of it",
    "received": "Complaints and enquiries received, by category",
    "decisions": "Decisions made",
    "remedies": "Complaints remedied",
    "statistics": "Headline statistics",
    "authority_groups": "Comparison groups",
    "measures": "Measures harmonised across the letter formats (what the reports use)",
    "council_years": "Councils by year: a row per letter, its headline figures as columns, with what to read them with",
}


def export_tables(data: Dataset) -> dict[str, pd.DataFrame]:
    """Each table to export, its columns in the order ``fields.csv`` gives them."""
    analysis = analyse(data)
    frames = {name: getattr(data, name) for name in OUTPUT_FILES}
    frames["authority_groups"] = analysis.groups
    frames["measures"] = analysis.measures
    frames["council_years"] = council_years(analysis)
    return {name: frames[name][[field.column for field in table_fields(name)]] for name in EXPORT_TABLES}


def _about(data: Dataset) -> dict:
    """What produced the tables: their set's dataset.json, where there is one."""
    manifest = data.folder / SET_MANIFEST if data.folder else None
    return json.loads(manifest.read_text(encoding="utf-8")) if manifest and manifest.exists() else {}


def export_data(
    processed_dir: str | Path = paths.PROCESSED_DIR,
    out_dir: str | Path = paths.EXPORT_DIR,
    formats: Iterable[str] = FORMATS,
) -> list[Path]:
    """Write the tables as CSV files with ``datapackage.json`` and/or one workbook; return the files written.

    The files are written as one set and switched in together (:mod:`lgsco_analysis.sets`): killed
    or stopped by a full disk at any moment, the folder keeps the previous export, whole.
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
    written_by = _about(data)
    about = {
        "exported": datetime.now(UTC).isoformat(timespec="seconds"),
        "package_version": package_version(),
        "tables_written": written_by.get("written"),
        "reading_code_sha256": written_by.get("reading_code_sha256"),
        "data_sha256": data.tables_sha256,
        "letters": len(data.letters),
        "sample_letters": int(data.letters["sample"].fillna(False).sum()),
        "letters_read_by_ocr": len(read_by_ocr(data.letters)),
    }
    names = []
    out_dir.mkdir(parents=True, exist_ok=True)
    with exclusive_run(out_dir / sets.SETS_DIR, "export"):
        with sets.building(out_dir) as staging:
            if "xlsx" in formats:
                from .workbook import write_workbook  # openpyxl is imported only for a workbook

                write_workbook(tables, about, staging / WORKBOOK, TABLE_TITLES)
                names.append(WORKBOOK)
            if "csv" in formats:
                for name, frame in tables.items():
                    _whole_numbers_without_a_point(frame).to_csv(staging / f"{name}.csv", index=False)
                    names.append(f"{name}.csv")
                package = data_package(tables, staging, about)
                text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
                (staging / DATA_PACKAGE).write_text(text, encoding="utf-8")
                names.append(DATA_PACKAGE)
        sets.switch_in(out_dir, staging)
        (out_dir / LOCK_FILE).unlink(missing_ok=True)  # where earlier versions kept it
    log.info("exported %d files to %s", len(names), out_dir)
    return [out_dir / name for name in names]


def _whole_numbers_without_a_point(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each whole number in a column of decimals written as one: a count of 2 is "2", not
    "2.0" (measures holds counts and rates in one column); other numbers and blanks as they are."""
    written = frame.copy()
    for column in written.columns:
        if pd.api.types.is_float_dtype(written[column]):
            written[column] = [_number_text(value) for value in written[column]]
    return written


def _number_text(value: float) -> str | None:
    """A number as CSV writes it: 2 for 2.0, 1.4 as 1.4; None (blank) for a missing one."""
    if pd.isna(value):
        return None
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


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
