"""Letters passed through the print paths people's PDFs go through: each writes the text layer again.

Every path takes a letter PDF and writes the re-printed copy; :func:`reprint` runs one and
says why not when its tool is absent. The tools are Debian's (``.ci/run`` installs them)
and pikepdf, a test dependency.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

GS = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite"]


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def ghostscript(source: Path, target: Path) -> None:
    """Ghostscript's pdfwrite, the engine behind CUPS-PDF and ps2pdf."""
    _run([*GS, f"-sOutputFile={target}", str(source)])


def ghostscript_web(source: Path, target: Path) -> None:
    """Ghostscript shrinking a PDF for the web (/screen: fonts subset again, images downsampled)."""
    _run([*GS, "-dPDFSETTINGS=/screen", "-dCompatibilityLevel=1.4", f"-sOutputFile={target}", str(source)])


def ghostscript_fit_to_letter(source: Path, target: Path) -> None:
    """Printed fit-to-page onto US Letter: every page scaled and moved by the page matrix."""
    _run([*GS, "-sPAPERSIZE=letter", "-dFIXEDMEDIA", "-dPDFFitPage", f"-sOutputFile={target}", str(source)])


def cairo(source: Path, target: Path) -> None:
    """poppler's cairo output (GTK print dialogs, Firefox's Save to PDF): text at size 1, scaled by its matrix."""
    _run(["pdftocairo", "-pdf", str(source), str(target)])


def _qpdf_rotate(degrees: int) -> Callable[[Path, Path], None]:
    def rotate(source: Path, target: Path) -> None:
        _run(["qpdf", f"--rotate=+{degrees}", str(source), str(target)])

    rotate.__doc__ = f"qpdf turning every page {degrees} degrees (/Rotate {degrees}), as scanners and page tools do."
    return rotate


def cairo_rotated(source: Path, target: Path) -> None:
    """A page turned by /Rotate 90, then printed by cairo: the turn is drawn into the text's matrix."""
    turned = target.with_suffix(".turned.pdf")
    _run(["qpdf", "--rotate=+90", str(source), str(turned)])
    try:
        _run(["pdftocairo", "-pdf", str(turned), str(target)])
    finally:
        turned.unlink(missing_ok=True)


def mutool_convert(source: Path, target: Path) -> None:
    """MuPDF's own PDF writer (``mutool convert``): every page drawn again, fonts written anew.

    reportlab's letters come through (with one broken map, ``rules/data/text_artefacts.csv``);
    LibreOffice's embedded TrueType subsets lose their character map altogether.
    """
    _run(["mutool", "convert", "-F", "pdf", "-o", str(target), str(source)])


def _transform(source: Path, target: Path, matrix: tuple[float, ...], size: Callable[[float, float], tuple]) -> None:
    import pikepdf

    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            width, height = x1 - x0, y1 - y0
            page.contents_coalesce()
            a, b, c, d = matrix
            prefix = f"q {a} {b} {c} {d} {_offset(matrix, width, height)} cm\n".encode()
            page.Contents.write(prefix + page.Contents.read_bytes() + b"\nQ\n")
            page.mediabox = [0, 0, *size(width, height)]
        pdf.save(target)


def _offset(matrix: tuple[float, ...], width: float, height: float) -> str:
    if matrix == (0, 1, -1, 0):  # a quarter turn anticlockwise: move the page back into view
        return f"{height} 0"
    return "0 0"


def drawn_turned(source: Path, target: Path) -> None:
    """The page's content drawn a quarter turn round (a rotated text matrix) on a landscape page."""
    _transform(source, target, (0, 1, -1, 0), lambda width, height: (height, width))


def drawn_smaller(source: Path, target: Path) -> None:
    """The page's content scaled to 71% (A4 onto A5), as a booklet or 2-up print does."""
    _transform(source, target, (0.7071, 0, 0, 0.7071), lambda width, height: (width * 0.7071, height * 0.7071))


def without_unicode_maps(source: Path, target: Path) -> None:
    """Every font's /ToUnicode map removed, as some PDF rewriters do."""
    import pikepdf

    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                for entry in (font, *font.get("/DescendantFonts", [])):
                    if "/ToUnicode" in entry:
                        del entry["/ToUnicode"]
        pdf.save(target)


PRINT_PATHS: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "ghostscript": (ghostscript, "gs"),
    "ghostscript-web": (ghostscript_web, "gs"),
    "ghostscript-fit-to-letter": (ghostscript_fit_to_letter, "gs"),
    "cairo": (cairo, "pdftocairo"),
    "qpdf-rotate-90": (_qpdf_rotate(90), "qpdf"),
    "qpdf-rotate-180": (_qpdf_rotate(180), "qpdf"),
    "qpdf-rotate-270": (_qpdf_rotate(270), "qpdf"),
    "cairo-rotated": (cairo_rotated, "pdftocairo"),
    "drawn-turned": (drawn_turned, "pikepdf"),
    "drawn-smaller": (drawn_smaller, "pikepdf"),
}
"""Each print path, and the tool it needs. All must read exactly as the original."""

DAMAGING_PATHS: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "no-unicode-maps": (without_unicode_maps, "pikepdf"),
    "mutool": (mutool_convert, "mutool"),
}
"""Paths that may leave nothing readable: each must read exactly or fail with its own reason, never ``ok`` with less."""


def missing_tool(tool: str) -> str | None:
    """Why a path cannot run here, or None."""
    if tool == "pikepdf":
        try:
            import pikepdf  # noqa: F401
        except ImportError:
            return "pikepdf is not installed (pip install -e '.[test]')"
        return None
    if shutil.which(tool) is None:
        return f"{tool} is not installed (.ci/run installs it from Debian's packages)"
    return None


def reprint(path_name: str, source: Path, out_dir: Path) -> Path:
    """``source`` through the named print path, written into ``out_dir``."""
    function, _ = {**PRINT_PATHS, **DAMAGING_PATHS}[path_name]
    target = out_dir / f"{source.parent.name}-{source.stem}.{path_name}.pdf"  # the same name in two folders
    function(source, target)
    return target
