"""How the fetcher knows the Ombudsman's pages and letters: the rules of ``data/fetch_links.csv``.

Each row is a pattern and what it recognises: a page to follow (by its address or its link's
text), a council's statistics page, where the site keeps its files, what makes a file an annual
letter (its link's text, its name, or the heading it sits under), the council's slug in an
address, and a year in a link. The site changes; the table is what to edit when it does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .files import rule_rows

LETTERS_ADDRESS = "https://www.lgo.org.uk/your-councils-performance"
"""The Ombudsman's "Your council's performance" pages, where each council's letters are published."""
RULES_FILE = "fetch_links.csv"
RULES = ("follow", "statistics", "file", "letter", "council", "year")
APPLIES_TO = ("path", "text", "file", "section", "any")


@dataclass(frozen=True)
class LinkRules:
    """The patterns of ``fetch_links.csv``, by rule and what they apply to."""

    patterns: dict[tuple[str, str], tuple[re.Pattern[str], ...]]

    def matches(self, rule: str, applies_to: str, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.patterns.get((rule, applies_to), ()))

    def first(self, rule: str, applies_to: str, text: str) -> re.Match[str] | None:
        return next((m for p in self.patterns.get((rule, applies_to), ()) if (m := p.search(text))), None)


@cache
def link_rules() -> LinkRules:
    """The rules, compiled once; raises ValueError naming a row the table should not hold."""
    patterns: dict[tuple[str, str], list[re.Pattern[str]]] = {}
    for row in rule_rows(RULES_FILE):
        if row["rule"] not in RULES or row["applies_to"] not in APPLIES_TO:
            raise ValueError(f"{RULES_FILE}: unknown rule {row['rule']!r} for {row['applies_to']!r}")
        patterns.setdefault((row["rule"], row["applies_to"]), []).append(re.compile(row["pattern"], re.I))
    return LinkRules({key: tuple(found) for key, found in patterns.items()})


def year_ending(text: str) -> int | None:
    """The year ending a link names ("2022-23" is 2023; "2023" is taken as 2023), or None."""
    for pattern in link_rules().patterns.get(("year", "any"), ()):
        found = pattern.search(text)
        if found and found.groupdict().get("end"):
            return 2000 + int(found["end"])
        if found and found.groupdict().get("year"):
            return int(found["year"])
    return None
