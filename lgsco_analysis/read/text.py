"""Text as read: is a text layer there to be read at all? Its normalisation, done once where
the text leaves the PDF, is :func:`rules.typography.normalise`.
"""

from __future__ import annotations

import re
import unicodedata

from ..rules.typography import COMMON_WORDS, normalise

__all__ = ["normalise", "unreadable_text_layer"]

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
