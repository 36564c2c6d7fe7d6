"""Reading: one letter PDF to one :class:`Letter`.

``pdf_content`` (pages, words and where they sit) -> ``text_tables`` and ``ruled_tables``
(two readers of the tables) -> ``readings`` (labels, and the rule that a value read twice
must agree) -> ``letter`` (the whole letter) -> ``checks`` (what a well-read letter must
satisfy) -> ``record`` (the plain record). Imports only ``rules``.
"""

from .letter import parse_letter
from .record import Letter, unreadable

__all__ = ["Letter", "parse_letter", "unreadable"]
