"""An executed notebook as a lean, self-contained HTML page: no code, charts inline as SVG, one script (a chart saved
as an SVG file)."""

from __future__ import annotations

from pathlib import Path

from .manifest import write_text_atomic

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "lgsco_report"
NOTEBOOK_ONLY_TAG = "notebook-only"
"""Cells with this tag (an analyst's introduction) are left out of the HTML report."""


def export_html(
    notebook_path: Path, html_path: Path, title: str, links: list[tuple[str, str]] | None = None, provenance: str = ""
) -> None:
    """An executed notebook -> HTML without code, prompts or warnings, charts with their alt text.

    What a cell wrote to stderr (warnings) is for the run's log, the notebook: the template leaves it out.

    ``links`` (text, href) are the page's navigation: the index, and the reports beside this
    one; ``provenance`` (what produced the report) is printed at its foot.
    """
    import nbformat

    notebook = nbformat.read(notebook_path, as_version=4)
    exporter = _exporter()
    body, _ = exporter.from_notebook_node(
        notebook,
        resources={"metadata": {"name": title}, "lgsco_links": links or [], "lgsco_provenance": provenance},
    )
    write_text_atomic(html_path, body)


_made: dict = {}


def _exporter():
    """The HTML exporter with the report template, made once per process (loading templates takes a while).

    It is nbconvert's HTML exporter without the pass it ends with (nbconvert 7), which parses the page it wrote
    again (BeautifulSoup) to give each ``<img>`` without alt text a placeholder and to make every output a tab
    stop. A report has no ``<img>``: its charts are inline SVG, each with its own alt text. Its outputs are not
    controls; a table wider than the page is a tab stop of its own (``display.table_html``). That pass took three
    quarters of an export's time. ``tests/test_reports.py`` checks that a page reads the same either way.
    """
    if "exporter" not in _made:
        from nbconvert import HTMLExporter
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
        from nbconvert.preprocessors import TagRemovePreprocessor

        class ReportExporter(HTMLExporter):
            def from_notebook_node(self, nb, resources=None, **kw):  # HTMLExporter's, to the template and no further
                resources = self._init_resources(resources)
                self.register_filter("highlight_code", Highlight2HTML(parent=self))  # named by the template
                self.register_filter(
                    "filter_data_type",
                    WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
                )
                return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

        exporter = ReportExporter(
            template_name=TEMPLATE_NAME,
            extra_template_basedirs=[str(TEMPLATES_DIR)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            optimistic_validation=True,  # the notebook validated once, after every preprocessor, not after each
        )
        exporter.register_preprocessor(
            TagRemovePreprocessor(remove_cell_tags={NOTEBOOK_ONLY_TAG}, enabled=True), enabled=True
        )
        _made["exporter"] = exporter
    return _made["exporter"]
