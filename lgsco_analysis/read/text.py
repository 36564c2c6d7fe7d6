"""Text as read: normalised once, where it leaves the PDF, so that every pattern sees one spelling.

Unicode compatibility forms (ligatures, full-width digits) are folded (NFKC), except those
that would change a figure (superscripts, subscripts, fractions); then the typography of
:mod:`rules.typography` and the known broken character maps. Digits stay the digits printed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from ..rules.typography import COMMON_WORDS, FOLDED_CHARACTERS, KEPT_AS_PRINTED, text_artefacts

_FOLD = str.maketrans(FOLDED_CHARACTERS)
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


@cache
def _artefacts() -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One pattern for every known broken map, and what each stands for."""
    artefacts = text_artefacts()
    if not artefacts:
        return None
    pieces = [
        rf"(?<=[^\W\d_]){re.escape(a.printed)}(?=[^\W\d_])" if a.within_a_word else re.escape(a.printed)
        for a in artefacts
    ]
    return re.compile("|".join(pieces)), {a.printed: a.means for a in artefacts}


@cache
def _compatible(char: str) -> str:
    if unicodedata.decomposition(char).startswith(KEPT_AS_PRINTED):
        return char
    return unicodedata.normalize("NFKC", char)


def normalise(text: str) -> str:
    """``text`` with ligatures, full-width forms, dashes, quotes, spaces and broken maps folded."""
    artefacts = _artefacts()
    if artefacts is not None and not text.isascii():
        pattern, means = artefacts
        text = pattern.sub(lambda match: means[match.group()], text)
    if not text.isascii():
        text = _NOT_ASCII.sub(lambda match: _compatible(match.group()), text)
    return text.translate(_FOLD)


UNUSABLE_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})
"""Control, private-use, unassigned and surrogate code points: what a font without a usable map gives."""
MAX_UNUSABLE_SHARE = 0.25
MIN_COMMON_WORD_SHARE = 0.05
_WORD = re.compile(r"[A-Za-z]+")


def unreadable_text_layer(text: str) -> bool:
    """True when a text layer is there but cannot be read as English: mostly symbols, control or
    private-use characters, or letters that spell no common word (glyph numbers, not characters)."""
    glyphs = [char for char in text if not char.isspace()]
    if len(glyphs) < 50:
        return False
    unusable = sum(unicodedata.category(char) in UNUSABLE_CATEGORIES or char == "\ufffd" for char in glyphs)
    if unusable > MAX_UNUSABLE_SHARE * len(glyphs):
        return True
    words = [word.lower() for word in _WORD.findall(text)]
    return len(words) >= 30 and sum(word in COMMON_WORDS for word in words) < MIN_COMMON_WORD_SHARE * len(words)
