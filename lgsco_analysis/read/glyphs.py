"""A word's glyphs in a page image: the runs of inked columns, and what they say of the word OCR read there.

OCR's words are held against their ink: a word boxed over the next word's is ended at its own
(:func:`short_of`), a word of figures run together across a word space is cut there
(:func:`numbers_in`), and a word can be set out again with its glyphs apart (:func:`spread`).
"""

from __future__ import annotations

import re

import numpy as np

FIGURE_SPACE = 0.92
"""Two figures' centres this far apart (in figure heights) have a word space between them. Within a number
figures are set half an em apart (measured 0.57 to 0.86 figure heights in Times and Helvetica, the most
beside a ``1``), across a word space three quarters (0.95 and over); OCR runs "10 975" together as one word."""
FIGURE_WIDTH = 0.9
"""No figure is wider than this (in figure heights): ink wider is two figures touching."""
GLYPH_GAP = 0.5
"""A word read with more or fewer characters than it has glyphs is read again with them this far apart
(in heights of the word): a reader can run a doubled figure into one, or read a glyph that is not there."""


def spread(word: np.ndarray, glyphs: list[tuple[int, int]]) -> np.ndarray:
    """The word's glyphs side by side on white, each :data:`GLYPH_GAP` heights from the next."""
    gap = np.full((word.shape[0], max(1, int(GLYPH_GAP * word.shape[0]))), 255, np.uint8)
    pieces = [piece for start, end in glyphs for piece in (gap, word[:, start:end])]
    return np.hstack([*pieces[1:], gap]) if pieces else word


def ink_runs(image: np.ndarray) -> list[tuple[int, int]]:
    """The runs of inked columns in ``image``, each [start, end): its glyphs, where they do not touch."""
    inked = np.concatenate([[False], (image < 128).any(axis=0), [False]])
    edges = np.flatnonzero(inked[1:] != inked[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def short_of(
    box: tuple[int, int, int, int], following: tuple[int, int, int, int], image: np.ndarray
) -> tuple[int, int, int, int]:
    """A word's box ended at its last ink before the next word of its line: OCR can box a number with the
    figure after it ("60" over "60 3"), and its second look would read both."""
    x0, y0, x1, y1 = box
    if not x0 < following[0] < x1:
        return box
    runs = ink_runs(image[y0:y1, x0 : following[0]])
    return (x0, y0, x0 + runs[-1][1], y1) if runs else box


def numbers_in(
    text: str, box: tuple[int, int, int, int], image: np.ndarray
) -> list[tuple[str, tuple[int, int, int, int]]]:
    """A word cut where its figures are a word space apart (:data:`FIGURE_SPACE`), each part with its box.
    A word is cut only where each of its characters is a glyph of its own."""
    if not re.fullmatch(r"[0-9,.%]+", text) or sum(char.isdigit() for char in text) < 2:
        return [(text, box)]
    x0, y0, x1, y1 = box
    word = image[y0:y1, x0:x1]
    runs = ink_runs(word)
    if len(runs) != len(text):
        return [(text, box)]
    inked_rows = [np.flatnonzero((word[:, a:b] < 128).any(axis=1)) for a, b in runs]
    height = max(rows[-1] - rows[0] + 1 for rows, char in zip(inked_rows, text, strict=True) if char.isdigit())
    if any(b - a > FIGURE_WIDTH * height for (a, b), char in zip(runs, text, strict=True) if char.isdigit()):
        return [(text, box)]  # two figures touching: the glyphs are not the characters
    centres = [(a + b) / 2 for a, b in runs]
    cuts = [
        i
        for i in range(1, len(text))
        if text[i - 1].isdigit() and text[i].isdigit() and centres[i] - centres[i - 1] >= FIGURE_SPACE * height
    ]
    parts = []
    for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True):
        parts.append((text[start:end], (x0 + runs[start][0], y0, x0 + runs[end - 1][1], y1)))
    return parts
