"""How printed text varies without changing what it says: the typography the reader folds.

Characters that look the same to a reader (dashes, curly quotes, spaces of every width) and the
known broken character maps of some PDF writers (``data/text_artefacts.csv``, each with where
it was seen) are folded here, once, by :func:`normalise`: the reader applies it where text leaves
the PDF, and the label and sentence rules apply it to what they are given. Unicode compatibility
forms (ligatures, full-width digits) are folded too (NFKC), except those that would change a
figure (superscripts, subscripts, fractions). Digits stay the digits printed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import NamedTuple

from .files import rule_rows

FOLDED_CHARACTERS: dict[str, str] = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\uff07", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\uff02", '"'),
    **dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", ""),
}
"""Dashes and minus signs, curly quotes, spaces of every width, and invisible joiners."""

KEPT_AS_PRINTED = ("<super>", "<sub>", "<fraction>")
"""Compatibility forms Unicode would fold that change a figure (a footnote mark ¹ is not a 1)."""


COMMON_WORDS = frozenset(
    "the of and to a in is that for we you your our this with on are be by it as at have from or not "
    "which was were has an their they can all if will been council complaints complaint ombudsman".split()
)
"""Words any page of English prose is full of: a text layer with almost none is not English as read."""


class TextArtefact(NamedTuple):
    """A broken character map: what the text layer gives, what was printed, and where it was seen."""

    printed: str
    means: str
    within_a_word: bool
    """Only between two letters (a real copyright sign stands alone)."""
    seen_in: str


@cache
def text_artefacts() -> tuple[TextArtefact, ...]:
    """Each known broken character map (``data/text_artefacts.csv``), longest first."""
    rows = [
        TextArtefact(row["printed"], row["means"], row["within_a_word"] == "yes", row["seen_in"])
        for row in rule_rows("text_artefacts.csv")
    ]
    return tuple(sorted(rows, key=lambda row: -len(row.printed)))


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
