"""Where things live, relative to the folder the commands run in (the project's root)."""

from __future__ import annotations

from pathlib import Path

RAW_DIR = Path("data/raw")
SAMPLE_DIR = RAW_DIR / "sample"
PROCESSED_DIR = Path("data/processed")
REPORTS_DIR = Path("reports")
NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
