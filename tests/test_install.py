"""An installed copy works anywhere: the wheel carries the notebooks, templates and reference data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # starts worker processes or renders reports: make test, not make check

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_works_outside_the_repository(tmp_path):
    dist, site, elsewhere = tmp_path / "dist", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(dist), str(PROJECT_ROOT)], check=True, cwd=tmp_path)
    (wheel,) = dist.glob("lgsco_analysis-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "lgsco_analysis/notebooks/authority_profile.ipynb",
        "lgsco_analysis/reference/english_councils.csv",
        "lgsco_analysis/reference/LICENSE-mysociety",
        "lgsco_analysis/rules/data/label_aliases.csv",
        "lgsco_analysis/rules/data/table_headings.csv",
        "lgsco_analysis/reports/templates/lgsco_report/index.html.j2",
    ):
        assert shipped in names
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)

    # The installed copy comes first on the path, ahead of this checkout's editable install.
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import lgsco_analysis; print(lgsco_analysis.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    ).stdout
    assert where.startswith(str(site))

    def lgsco(*arguments: str) -> str:
        result = subprocess.run(
            [str(site / "bin" / "lgsco"), *arguments], capture_output=True, text=True, cwd=elsewhere, env=env
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    lgsco("sample", "--out", "letters", "--councils", "2", "--years", "2024-2025")
    (elsewhere / "letters" / "authorities.csv").unlink()  # groups must come from the shipped reference table,
    parsed = lgsco("parse", "letters", "--out", "processed", "--workers", "2")
    assert "4 ok" in parsed
    assert parsed.count("matches no council in the reference table") == 2  # which has no fictional ones
    assert "0 failed" in lgsco("report", "--processed", "processed", "--out", "reports", "--workers", "2")
    manifest = json.loads((elsewhere / "reports" / "manifest.json").read_text())
    assert {entry["status"] for entry in manifest["reports"]} == {"ok"}
