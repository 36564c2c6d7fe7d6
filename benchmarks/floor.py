"""The benchmarks' floors: the report runner's notebooks, each replaced by one that does nothing, or by one that
draws only what matplotlib must for a profile's charts."""

from __future__ import annotations

from pathlib import Path

import nbformat

PARAMETERS = 'processed_dir = ""\nanalysis_dir = ""\nauthority = ""\nyear = 0'
PROFILE_CHARTS = 8
"""The charts a profile draws: received by category and over time, decisions, uphold trend, funnel, per 100,000,
remedies, compliance."""
BARE_CHARTS = f"""import io

from IPython.display import display
from matplotlib.figure import Figure

for number in range({PROFILE_CHARTS}):  # a profile's charts with nothing in them: one line, no layout, no title
    figure = Figure(figsize=(8, 4.5))
    figure.add_subplot().plot([2014, 2025], [0, number])
    svg = io.StringIO()
    figure.savefig(svg, format="svg")
    display({{"image/svg+xml": svg.getvalue()}}, raw=True)
"""


def _write_notebooks(folder: Path, *sources: str) -> Path:
    folder.mkdir()
    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell(PARAMETERS)
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, *(nbformat.v4.new_code_cell(source) for source in sources)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for name in ("authority_profile", "national_overview", "data_quality"):
        nbformat.write(notebook, folder / f"{name}.ipynb")
    return folder


def write_empty_notebooks(folder: Path) -> Path:
    """A notebooks folder whose three report notebooks hold only the parameters cell; returns it."""
    return _write_notebooks(folder)


def write_bare_chart_notebooks(folder: Path) -> Path:
    """A notebooks folder whose report notebooks draw a profile's number of matplotlib charts, each a figure with
    one line and nothing else, shown as SVG: a floor under any profile drawn with matplotlib; returns it."""
    return _write_notebooks(folder, BARE_CHARTS)
