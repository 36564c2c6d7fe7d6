"""Notebooks, `lgsco report` and `lgsco run`: rendering, skipping, failures, safe names and escaping."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import papermill
import pytest

import lgsco_analysis as lgsco
from lgsco_analysis import paths
from lgsco_analysis import reports as reports_module
from lgsco_analysis.dataset.store import FolderBusy, exclusive_run
from lgsco_analysis.dataset.tables import parse_folder, write_dataset
from lgsco_analysis.reports import INDEX_FILE, MANIFEST_FILE, plan_reports, run_reports, unique_slugs
from lgsco_analysis.rules.dictionary import caveats

pytestmark = pytest.mark.slow  # starts worker processes or renders reports: make test, not make check

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
NO_ALT = "No description has been provided for this image"


class _Page(HTMLParser):
    """The images (raster, or inline SVG announced as an image), links, code cells and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict] = []
        self.links: list[str] = []
        self.code_cells = 0
        self.text_parts: list[str] = []

    def handle_data(self, data):
        self.text_parts.append(data)

    @property
    def words(self) -> str:
        """The page's text as a reader sees it (entities decoded), its spaces collapsed."""
        return " ".join("".join(self.text_parts).split())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs)
        if tag == "svg" and attrs.get("role") == "img":
            self.images.append({**attrs, "alt": attrs.get("aria-label")})
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if {"jp-CodeMirrorEditor", "jp-InputPrompt"} & set((attrs.get("class") or "").split()):
            self.code_cells += 1


def read_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def processed(sample_processed) -> Path:
    return sample_processed


def test_the_notebooks_are_stored_without_outputs_and_with_literal_parameters():
    assert {path.name for path in NOTEBOOKS} == {
        "national_overview.ipynb",
        "authority_profile.ipynb",
        "data_quality.ipynb",
        "explore.ipynb",
    }
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        for line in tagged[0].source.splitlines():  # papermill's convention: name: type = literal  # what it means
            assert re.fullmatch(r'\w+: (str|int) = ("[^"]*"|\d+)  # \S.*', line), f"{path.name}: {line!r}"
        for name, parameter in papermill.inspect_notebook(str(path)).items():  # what `papermill --help-notebook` says
            assert parameter["inferred_type_name"] in {"str", "int"} and parameter["help"], (path.name, name)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name
                assert "def " not in cell.source, f"{path.name}: notebooks call the package, they define nothing"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_each_notebook_runs_with_its_defaults(notebook, processed, tmp_path):
    """Laid out as in the project (notebooks/ beside data/processed/), no parameter passed."""
    (tmp_path / "notebooks").mkdir()
    shutil.copytree(processed, tmp_path / "data" / "processed")
    executed = tmp_path / "notebooks" / notebook.name
    papermill.execute_notebook(
        str(notebook), str(executed), cwd=str(tmp_path / "notebooks"), kernel_name="python3", progress_bar=False
    )
    result = nbformat.read(executed, as_version=4)
    outputs = [output for cell in result.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    if notebook.stem != "data_quality":
        assert images, "a report with charts drew none"
    for image in images:
        alt = image.metadata["image/svg+xml"]["alt"]
        assert len(alt) > 40 and alt.endswith(".")
        assert f'aria-label="{html.escape(alt)}"' in image["data"]["image/svg+xml"]


def test_the_profile_fails_loudly_on_an_unknown_authority_and_reads_a_lower_case_one(processed, tmp_path):
    unknown = "no readable letters for the authority 'Nowhere Council'"
    with pytest.raises(papermill.PapermillExecutionError, match=unknown):
        papermill.execute_notebook(
            str(paths.NOTEBOOKS_DIR / "authority_profile.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"processed_dir": str(processed), "authority": "Nowhere Council"},
            kernel_name="python3",
            progress_bar=False,
        )
    papermill.execute_notebook(
        str(paths.NOTEBOOKS_DIR / "authority_profile.ipynb"),
        str(tmp_path / "lower.ipynb"),
        parameters={"processed_dir": str(processed), "authority": "sampleton district council", "year": 2025},
        kernel_name="python3",
        progress_bar=False,
    )
    assert "Sampleton District Council: complaints to the Ombudsman" in (tmp_path / "lower.ipynb").read_text()


def test_the_default_plan_is_an_overview_per_year_one_data_quality_and_a_profile_per_authority(processed):
    data = lgsco.load(processed)
    plan = plan_reports(data)
    kinds = [report.kind for report in plan]
    assert kinds.count("national_overview") == 12
    assert kinds.count("data_quality") == 1
    profiles = [report for report in plan if report.kind == "authority_profile"]
    assert sorted(report.authority for report in profiles) == sorted(data.letters["authority"].unique())
    assert {report.year for report in profiles} == {2025}
    assert len({report.html_path for report in plan}) == len(plan)


def test_a_plan_for_a_year_or_authority_and_the_errors_for_unknown_ones(processed):
    data = lgsco.load(processed)
    plan = plan_reports(data, years=[2019])
    assert [r.year for r in plan if r.kind == "national_overview"] == [2019]
    assert {r.year for r in plan if r.kind == "authority_profile"} == {2019}
    only = plan_reports(data, authorities=["Sampleton District Council"])
    assert [(r.kind, r.authority) for r in only] == [("authority_profile", "Sampleton District Council")]
    lower = plan_reports(data, authorities=["sampleton district council"])
    assert [r.parameters["authority"] for r in lower] == ["Sampleton District Council"]  # the name as printed
    with pytest.raises(ValueError, match="did you mean 'Sampleton District Council'"):
        plan_reports(data, authorities=["Sampletown District Council"])
    with pytest.raises(ValueError, match="year ending 2031"):
        plan_reports(data, years=[2031])
    with pytest.raises(ValueError, match="Nowhere"):
        plan_reports(data, authorities=["Nowhere"])


def test_slugs_cannot_escape_the_reports_folder_or_collide():
    names = [
        "St. Albans City and District Council",
        "St Albans City and District Council",
        "../../etc/passwd",
        "..",
        "/",
        "",
        "Ynys Môn / Anglesey",
        "Council" + "x" * 300,
        "CON",
    ]
    slugs = unique_slugs(names)
    assert len(set(slugs.values())) == len(names)
    for slug in slugs.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
        assert len(slug) <= 90
    assert slugs["Ynys Môn / Anglesey"] == "ynys-mon-anglesey"
    assert slugs["St. Albans City and District Council"] != slugs["St Albans City and District Council"]


def test_run_writes_an_index_a_manifest_and_accessible_reports_without_code(rendered_reports):
    assert rendered_reports["status"] == 0, rendered_reports["stdout"]
    reports = rendered_reports["reports"]
    assert "0 failed" in rendered_reports["stdout"] and (reports / INDEX_FILE).as_uri() in rendered_reports["stdout"]
    manifest = json.loads((reports / MANIFEST_FILE).read_text())
    entries = manifest["reports"]
    assert [e["kind"] for e in entries].count("authority_profile") == 3
    assert [e["kind"] for e in entries].count("national_overview") == 2
    assert manifest["sample_letters"] == manifest["letters"] == 6
    for entry in entries:
        assert entry["status"] == "ok", entry
        for key in ("parameters", "data_sha256", "package_version", "started", "duration_s"):
            assert entry[key] not in (None, ""), key
        assert entry["package_version"] == lgsco.__version__
        assert (reports / entry["notebook"]).exists()  # the executed notebook is the run's log
        page = read_page(reports / entry["path"])
        assert page.code_cells == 0
        text = (reports / entry["path"]).read_text()
        assert "from lgsco_analysis import" not in text and "processed_dir" not in text
        assert "Sample data." in text
        assert f"by lgsco-analysis {lgsco.__version__} from notebooks/" in text  # what produced it
        assert text.count("<script") == 1 and "<script>\n/* Each chart as a file" in text  # ours alone, nothing fetched
        for image in page.images:
            assert image.get("alt") and image["alt"] != NO_ALT
        executed = nbformat.read(reports / entry["notebook"], as_version=4)
        drawn = [
            o
            for c in executed.cells
            if c.cell_type == "code"
            for o in c.outputs
            if "image/svg+xml" in o.get("data", {})
        ]
        assert len(page.images) == len(drawn)  # every chart drawn reached the page, with its alt text
        if entry["kind"] == "authority_profile":
            assert len(page.images) >= 3
        if entry["kind"] in ("authority_profile", "national_overview"):  # the caveats, from the one table
            assert all(" ".join(caveat.text.split()) in page.words for caveat in caveats()), entry["path"]
    umask = os.umask(0o022)
    os.umask(umask)
    for written in [reports / INDEX_FILE, reports / MANIFEST_FILE, reports / entries[0]["path"]]:
        assert written.stat().st_mode & 0o777 == 0o666 & ~umask, f"{written} is not readable as a new file would be"
    index = read_page(reports / INDEX_FILE)
    linked = {link for link in index.links}
    assert {e["path"] for e in entries} <= linked
    anchors = set(re.findall(r'id="([^"]+)"', (reports / INDEX_FILE).read_text()))
    for link in linked:
        if link.startswith("#"):  # a jump within the index
            assert link[1:] in anchors, link
        else:
            assert (reports / link).exists(), link


def test_a_page_reads_the_same_as_by_nbconvert_s_own_html_exporter(rendered_reports, tmp_path):
    """The report's exporter leaves out nbconvert's last pass (a second parse of the page, for <img> alt text and
    tab stops): every report reads the same as when exported by nbconvert's HTMLExporter with the same template."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from lgsco_analysis.reports.export import NOTEBOOK_ONLY_TAG, TEMPLATE_NAME, TEMPLATES_DIR, _exporter, export_html
    from lgsco_analysis.reports.figures import report_figures

    theirs = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    theirs.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={NOTEBOOK_ONLY_TAG}, enabled=True), enabled=True
    )
    assert type(_exporter()) is not HTMLExporter
    entries = json.loads((rendered_reports["reports"] / MANIFEST_FILE).read_text())["reports"]
    for entry in entries:
        notebook = rendered_reports["reports"] / entry["notebook"]
        export_html(notebook, tmp_path / "ours.html", entry["title"], [("Index", "index.html")], "made by the test")
        ours = (tmp_path / "ours.html").read_text()
        resources = {"metadata": {"name": entry["title"]}, "lgsco_links": [("Index", "index.html")]}
        resources["lgsco_provenance"] = "made by the test"
        their_page, _ = theirs.from_notebook_node(nbformat.read(notebook, as_version=4), resources=resources)
        assert "<img" not in ours  # what the pass left out gave alt text to
        assert report_figures(ours) == report_figures(their_page), entry["path"]
        assert len(report_figures(ours)) > 5


def test_an_unchanged_rerun_skips_every_report_and_force_redoes_them(rendered_reports):
    processed, reports = rendered_reports["processed"], rendered_reports["reports"]
    before = json.loads((reports / MANIFEST_FILE).read_text())["reports"]
    again = run_reports(processed, reports, workers=2)
    assert again.rendered == [] and again.failed == []
    assert len(again.skipped) == len(before)
    after = json.loads((reports / MANIFEST_FILE).read_text())["reports"]
    assert [(e["path"], e["started"]) for e in after] == [(e["path"], e["started"]) for e in before]
    forced = run_reports(processed, reports, years=[2025], authorities=["Sampleton District Council"], force=True)
    assert forced.rendered == ["authorities/sampleton-district-council-2025.html"]
    listed = json.loads((reports / MANIFEST_FILE).read_text())["reports"]
    assert len(listed) == len(before)  # the reports not asked for stay listed


def _profiles_ending_with(cell: str, report_corpus, tmp_path, workers: int = 2):
    """Render the report corpus with a copy of the notebooks whose profile ends with ``cell``."""
    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, notebooks)
    profile = nbformat.read(notebooks / "authority_profile.ipynb", as_version=4)
    profile.cells.append(nbformat.v4.new_code_cell(cell))
    nbformat.write(profile, notebooks / "authority_profile.ipynb")
    parse_folder(report_corpus, tmp_path / "processed")
    return run_reports(tmp_path / "processed", tmp_path / "reports", workers=workers, notebooks_dir=notebooks)


FIRST_PROFILE = "Examplefordshire County Council"
"""The report corpus's first profile in the plan (A to Z): one worker renders it before the other two."""


def test_a_kernel_that_dies_fails_its_report_and_the_next_reports_see_nothing_of_the_one_before(
    report_corpus, tmp_path
):
    cell = (
        'assert "leftover" not in globals(), "a variable of the report before"\n'
        "leftover = authority\n"
        f"if authority == {FIRST_PROFILE!r}:\n"
        "    import os\n"
        "    os._exit(3)"
    )
    run = _profiles_ending_with(cell, report_corpus, tmp_path, workers=1)  # one worker; its kernel is replaced once
    assert run.failed == [f"authorities/{paths.slugify(FIRST_PROFILE)}-2025.html"]
    assert len(run.rendered) == 5  # the two profiles after it ran one after the other in the new kernel
    error = next(entry["error"] for entry in run.entries if entry["status"] == "failed")
    assert "DeadKernel" in error or "died" in error, error


def test_a_failing_notebook_is_reported_and_the_rest_are_rendered(report_corpus, tmp_path):
    run = _profiles_ending_with('raise RuntimeError("this profile cannot be drawn")', report_corpus, tmp_path)
    assert len(run.failed) == 3 and all(path.startswith("authorities/") for path in run.failed)
    assert len(run.rendered) == 3  # two overviews and the data-quality report
    index = (tmp_path / "reports" / INDEX_FILE).read_text()
    assert index.count("this profile cannot be drawn") == 3 and "3 failed" in index
    for path in run.failed:
        assert (tmp_path / "reports" / path.replace(".html", ".ipynb")).exists()  # the log of what went wrong


def test_the_cli_exits_1_when_a_report_fails(report_corpus, tmp_path, monkeypatch, capsys):
    from lgsco_analysis.cli import main

    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, notebooks)
    broken = nbformat.read(notebooks / "authority_profile.ipynb", as_version=4)
    broken.cells.insert(0, nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(broken, notebooks / "authority_profile.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", notebooks)
    parse_folder(report_corpus, tmp_path / "processed")
    arguments = ["report", "--processed", str(tmp_path / "processed"), "--out", str(tmp_path / "r")]
    status = main([*arguments, "--authority", "Sampleton District Council"])
    out = capsys.readouterr().out
    assert status == 1
    assert "failed  authorities/sampleton-district-council-2025.html: ZeroDivisionError: division by zero" in out


def test_names_and_problems_from_a_letter_are_escaped_everywhere(report_corpus, tmp_path):
    evil = '<script>alert("x")</script> & Co "Council"'
    data = parse_folder(report_corpus)
    original = "Sampleton District Council"
    for frame in (*data.frames().values(),):
        if "authority" in frame:
            frame["authority"] = frame["authority"].replace(original, evil)
    first = data.letters.index[0]
    data.letters.loc[first, "status"] = "warning"
    data.letters.loc[first, "problems"] = "<img src=x onerror=alert(1)> is printed twice"
    write_dataset(data, tmp_path / "processed")
    run = run_reports(tmp_path / "processed", tmp_path / "reports", years=[2025], workers=2)
    assert run.failed == []
    profile = next(e for e in run.entries if e.get("authority") == evil)
    assert re.fullmatch(r"authorities/[a-z0-9-]+-2025\.html", profile["path"])
    for path in [INDEX_FILE, profile["path"], "data-quality.html", "national/overview-2025.html"]:
        text = (tmp_path / "reports" / path).read_text()
        assert "<script>alert" not in text and "<img src=x" not in text, path
    assert "&lt;script&gt;alert" in (tmp_path / "reports" / profile["path"]).read_text()
    assert "&lt;img src=x onerror=alert(1)&gt;" in (tmp_path / "reports" / "data-quality.html").read_text()


def _copy_of_run(rendered_reports, tmp_path) -> tuple[Path, Path]:
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    shutil.copytree(rendered_reports["processed"], processed, symlinks=True)
    shutil.copytree(rendered_reports["reports"], reports)
    return processed, reports


def test_a_report_with_damaged_or_missing_files_is_rendered_again(rendered_reports, tmp_path):
    processed, reports = _copy_of_run(rendered_reports, tmp_path)
    entries = json.loads((reports / MANIFEST_FILE).read_text())["reports"]
    truncated, lost = entries[0], entries[1]
    html_file = reports / truncated["path"]
    html_file.write_text(html_file.read_text()[:100])  # a run killed while writing it, in an older version
    (reports / lost["notebook"]).unlink()
    leftover = reports / "authorities" / ".x-2025.0123456789ab.tmp.ipynb"
    leftover.write_text("{")  # what a killed run leaves behind
    run = run_reports(processed, reports, workers=2)
    assert sorted(run.rendered) == sorted([truncated["path"], lost["path"]])
    assert len(run.skipped) == len(entries) - 2
    assert not leftover.exists()


def test_a_change_to_the_package_code_renders_again(rendered_reports, tmp_path, monkeypatch):
    processed, reports = _copy_of_run(rendered_reports, tmp_path)
    assert run_reports(processed, reports).rendered == []
    monkeypatch.setattr(reports_module.run, "code_sha256", lambda parts=None: "another version of the code")
    run = run_reports(processed, reports, years=[2025], authorities=["Sampleton District Council"])
    assert run.rendered == ["authorities/sampleton-district-council-2025.html"]


def test_two_report_runs_into_one_folder_do_not_mix(rendered_reports, tmp_path):
    processed, reports = _copy_of_run(rendered_reports, tmp_path)
    with exclusive_run(reports / ".sets", "report"), pytest.raises(FolderBusy, match="in use by lgsco report"):
        run_reports(processed, reports)


def test_a_report_that_kills_its_worker_fails_alone(report_corpus, tmp_path):
    # The kernel's parent is the report's worker process: this cell kills it, as a crash would.
    cell = f"import os, signal\nif authority == {FIRST_PROFILE!r}:\n    os.kill(os.getppid(), signal.SIGKILL)"
    run = _profiles_ending_with(cell, report_corpus, tmp_path)
    assert len(run.failed) == 1 and len(run.rendered) == 5
    errors = {entry["error"] for entry in run.entries if entry["status"] == "failed"}
    assert errors == {"its process crashed (SIGKILL)"}
