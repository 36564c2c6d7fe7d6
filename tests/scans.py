"""Letters as people's scanners and PDF tools leave them: page images with no text, or a wrong one.

Each maker takes a letter PDF and writes the damaged copy. :data:`SCANS` are what OCR must
read: a scan (the pages rendered to grey images at 200 dpi, turned a little, speckled and
blurred, wrapped as an image-only PDF), the same scan under an invisible text layer that
misreads its numbers (as a scanner's own OCR leaves it), and the letter with its text drawn
as outlines (Ghostscript). The scan is deterministic: the same letter gives the same bytes.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

SCAN_DPI = 200
SCAN_NOISE = float(os.environ.get("LGSCO_SCAN_NOISE", 10))
"""The grain of the scanner's sensor: grey levels of noise (standard deviation) on every pixel."""
SCAN_TURN = 0.6
"""Degrees anticlockwise: a sheet laid on the glass a little askew."""


def _scanned_images(source: Path, seed: int) -> list:
    from PIL import Image, ImageFilter

    generator = np.random.default_rng(seed)
    images = []
    document = pdfium.PdfDocument(source)
    try:
        for page in document:
            image = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
            image = image.rotate(SCAN_TURN, resample=Image.Resampling.BICUBIC, fillcolor=255)
            pixels = np.asarray(image).astype(np.float32) + generator.normal(0, SCAN_NOISE, (image.height, image.width))
            pixels[generator.random(pixels.shape) < 0.001] = 0  # specks of dust
            grey = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
            images.append(grey.filter(ImageFilter.GaussianBlur(0.4)))
    finally:
        document.close()
    return images


def scanned(source: Path, target: Path) -> None:
    """The letter printed and scanned: grey page images at 200 dpi, no text layer."""
    images = _scanned_images(source, seed=len(source.name))
    images[0].save(target, save_all=True, append_images=images[1:], resolution=SCAN_DPI)


_WRONG_DIGITS = str.maketrans("0123456789", "8723456189")


def _misread(word: str) -> str:
    """How a poor OCR engine reads a printed word: its zeros as ``0)``, some digits as others."""
    if re.fullmatch(r"0%?", word):
        return "10)"
    return word.translate(_WRONG_DIGITS) if any(char.isdigit() for char in word) else word


def scanned_with_wrong_ocr_layer(source: Path, target: Path) -> None:
    """The scan under an invisible text layer, word for word where the letter prints them, that misreads
    the numbers: what a scanner's own OCR gives a poor page. It must not be believed."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from lgsco_analysis.read.pdf_content import _page_words

    images = _scanned_images(source, seed=len(source.name))
    document = pdfium.PdfDocument(source)
    canvas = Canvas(str(target))
    try:
        for page, image in zip(document, images, strict=True):
            width, height = page.get_size()
            canvas.setPageSize((width, height))
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            canvas.drawImage(ImageReader(buffer), 0, 0, width, height)
            textpage = page.get_textpage()
            for word in _page_words(textpage):
                text = canvas.beginText(word.x0, word.baseline)
                text.setTextRenderMode(3)  # invisible
                text.setFont("Helvetica", word.size)
                text.textOut(_misread(word.text))
                canvas.drawText(text)
            textpage.close()
            canvas.showPage()
        canvas.save()
    finally:
        document.close()


def outlined(source: Path, target: Path) -> None:
    """The letter with every glyph drawn as an outline (Ghostscript's NoOutputFonts): no text layer."""
    command = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dNoOutputFonts"]
    subprocess.run([*command, f"-sOutputFile={target}", str(source)], check=True, capture_output=True, timeout=120)


SCANS: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "scanned": (scanned, "pillow"),
    "scanned-wrong-ocr-layer": (scanned_with_wrong_ocr_layer, "pillow"),
    "outlined": (outlined, "gs"),
}
"""Each way a letter loses its text layer, and the tool it needs. OCR must read each exactly, or say
which figures it could not corroborate: never ``ok`` with a figure missing or wrong."""


def scan(kind: str, source: Path, out_dir: Path) -> Path:
    """``source`` made into the named kind of scan, written into ``out_dir``."""
    function, _ = SCANS[kind]
    target = out_dir / f"{source.parent.name}-{source.stem}.{kind}.pdf"
    function(source, target)
    return target
