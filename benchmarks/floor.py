"""The benchmarks' floor: the report runner's notebooks, each replaced by one that does nothing."""

from __future__ import annotations

from pathlib import Path

import nbformat


def write_empty_notebooks(folder: Path) -> Path:
    """A notebooks folder whose three report notebooks hold only the parameters cell; returns it."""
    folder.mkdir()
    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('processed_dir = ""\nanalysis_dir = ""\nauthority = ""\nyear = 0')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for name in ("authority_profile", "national_overview", "data_quality"):
        nbformat.write(notebook, folder / f"{name}.ipynb")
    return folder
