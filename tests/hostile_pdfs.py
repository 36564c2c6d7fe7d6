"""Hostile PDFs, written byte by byte: each is tiny on disk and costly for a naive reader.

Every one carries a text layer that looks like a letter's table, so that a parser gets as
far as its expensive readers.
"""

from __future__ import annotations

import zlib
from pathlib import Path

TABLE_TEXT = b"""BT /F1 9 Tf 50 760 Td (Complaints and enquiries received) Tj ET
BT /F1 7 Tf 40 740 Td (Housing) Tj ET BT /F1 7 Tf 120 740 Td (Other) Tj ET BT /F1 7 Tf 200 740 Td (Total) Tj ET
BT /F1 7 Tf 48 725 Td (3) Tj ET BT /F1 7 Tf 126 725 Td (4) Tj ET BT /F1 7 Tf 205 725 Td (7) Tj ET
"""
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data, extra = zlib.compress(data, 9), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def write_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF of the given objects (object 1 the catalog); offsets and xref worked out here."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _page(path: Path, content: bytes, media_box: bytes = b"[0 0 595 842]", extra_objects=(), xobjects=b"") -> Path:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R /Resources << /Font << /F1 5 0 R >>%s >> >>"
        % (media_box, xobjects),
        content,
        FONT,
        *extra_objects,
    ]
    return write_pdf(path, objects)


def self_drawing_form(path: Path) -> Path:
    """A page whose form XObject draws itself, for ever."""
    form = _stream(
        b"0 0 m 100 100 l S /Fm1 Do",
        b" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /Fm1 6 0 R >> >>",
    )
    return _page(path, _stream(TABLE_TEXT + b"/Fm1 Do"), extra_objects=[form], xobjects=b" /XObject << /Fm1 6 0 R >>")


def huge_grid(path: Path, lines: int = 3000) -> Path:
    """A page ruled with ``lines`` x ``lines`` lines: millions of crossings to find."""
    step = 500 / lines
    rules = b"".join(b"50 %.3f m 550 %.3f l S\n" % (100 + i * step, 100 + i * step) for i in range(lines))
    rules += b"".join(b"%.3f 100 m %.3f 600 l S\n" % (50 + i * step, 50 + i * step) for i in range(lines))
    return _page(path, _stream(TABLE_TEXT + b"0.1 w\n" + rules, compress=True))


def flate_bomb(path: Path, megabytes: int = 2048) -> Path:
    """A content stream of a few MB on disk that inflates to ``megabytes`` of nothing."""
    compressor, chunk = zlib.compressobj(9), b" " * 2**20
    data = compressor.compress(TABLE_TEXT) + b"".join(compressor.compress(chunk) for _ in range(megabytes))
    data += compressor.flush()
    return _page(path, b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")


def enormous_page(path: Path) -> Path:
    """A page 14,400 points square (5 metres): the largest PDF allows."""
    return _page(path, _stream(TABLE_TEXT), media_box=b"[0 0 14400 14400]")


HOSTILE = {
    "self-drawing-form.pdf": self_drawing_form,
    "huge-grid.pdf": huge_grid,
    "flate-bomb.pdf": flate_bomb,
    "enormous-page.pdf": enormous_page,
}
