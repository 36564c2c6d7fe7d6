"""Comparison groups: each authority mapped to the Ombudsman's group through a reference table.

The table (``data/reference/english_councils.csv``) holds names, alternative names, ONS code
and group; a user may pass their own table with the same columns. Names match whatever
the spelling: "London Borough of Camden", "Camden", "Camden Council"; "&" and "and";
"St" and "St.". Authorities that match nothing are kept, in the group "Unmatched".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import InvalidInput
from ..rules.typography import normalise
from ..rules.vocabulary import UNMATCHED_GROUP

REFERENCE_TABLE = paths.REFERENCE_DIR / "english_councils.csv"

GROUP_BY_ONS_PREFIX: dict[str, str] = {
    "E10": "County Councils",
    "E07": "District Councils",
    "E08": "Metropolitan Boroughs",
    "E06": "Unitary Councils",
    "E09": "London Boroughs",
}
OTHER_GROUP = "Other"
GROUPS: tuple[str, ...] = (*GROUP_BY_ONS_PREFIX.values(), OTHER_GROUP)

GENERIC_WORDS = frozenset(
    "the council of city county district borough metropolitan london royal corporation ua".split()
)
"""Words that say what kind of authority, not which: dropped to make a name's key."""


def group_for_ons_code(code: str) -> str:
    return GROUP_BY_ONS_PREFIX.get(code[:3], OTHER_GROUP)


def name_key(name: str) -> str:
    """A spelling-proof key: case, punctuation, '&', 'St.' and words like 'Council' folded away."""
    text = normalise(name).casefold().replace("&", " and ")
    text = re.sub(r"\bst\.?(?=\s)", "saint", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    words = [w for w in text.split() if w not in GENERIC_WORDS]
    return " ".join(words)


def find_authority(name: str, known: Iterable[str]) -> str:
    """The authority among ``known`` that ``name`` means: the name itself, else the one name with its
    key (case, spacing, punctuation and words like "Council" folded away: "kent" is Kent County Council).

    Raises InvalidInput for no such authority, suggesting the closest names, or for a name that could
    be more than one.
    """
    names = sorted(set(known))
    if name in names:
        return name
    key = name_key(name) or name.casefold()
    same = [known_name for known_name in names if (name_key(known_name) or known_name.casefold()) == key]
    if len(same) == 1:
        return same[0]
    if same:
        raise InvalidInput(f"{name!r} could be any of {', '.join(map(repr, same))}: give the whole name")
    by_folded = {known_name.casefold(): known_name for known_name in names}
    close = [by_folded[f] for f in difflib.get_close_matches(name.casefold(), list(by_folded), n=3, cutoff=0.6)]
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else f" (the data has {len(names)} authorities)"
    raise InvalidInput(f"no readable letters for the authority {name!r}{hint}")


def _exact(name: str) -> str:
    return " ".join(name.casefold().replace("&", "and").split())


@cache
def _read_reference(path: str) -> tuple[pd.DataFrame, dict[str, set[int]], dict[str, set[int]]]:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"name", "ons_code", "group"} - set(table.columns)
    if missing:
        raise InvalidInput(f"{path} lacks the column(s) {', '.join(sorted(missing))}")
    for column in ("alt_names", "nice_name", "end_date"):
        if column not in table.columns:
            table[column] = ""
    exact: dict[str, set[int]] = {}
    keys: dict[str, set[int]] = {}
    for index, row in enumerate(table.to_dict("records")):  # the table has a fresh RangeIndex
        for name in [row["name"], row["nice_name"], *row["alt_names"].split("|")]:
            if name.strip():
                exact.setdefault(_exact(name), set()).add(index)
                keys.setdefault(name_key(name), set()).add(index)
    return table, exact, keys


def _match_one(name: str, path: str) -> dict | None:
    table, exact, keys = _read_reference(path)
    for candidates in (exact.get(_exact(name), set()), keys.get(name_key(name), set()) if name_key(name) else set()):
        current = [i for i in candidates if not table.loc[i, "end_date"]] or list(candidates)
        if len(current) > 1:  # a council's name shared with a combined authority: councils get letters
            current = [i for i in current if table.loc[i, "group"] != OTHER_GROUP] or current
        if len(current) == 1:
            row = table.loc[current[0]]
            return {"authority": name, "ons_code": row["ons_code"] or None, "group": row["group"]}
    return None


GROUP_TABLE_NAME = "authorities.csv"
"""A table of this name anywhere below the letters folder adds comparison groups."""


def find_group_tables(raw_dir: str | Path) -> list[Path]:
    """Every ``authorities.csv`` below raw_dir, in a stable order (the sample corpus writes one)."""
    return sorted(Path(raw_dir).rglob(GROUP_TABLE_NAME))


def match_authorities(
    names: Iterable[str], reference: str | Path | None = None, extra: Sequence[str | Path] = ()
) -> pd.DataFrame:
    """Each distinct name with its ``ons_code`` and ``group``; ``Unmatched`` (null code) when none.

    ``extra`` tables (same columns) are consulted before ``reference``, the shipped table
    unless another is given.
    """
    tables = [str(path) for path in extra] + [str(reference or REFERENCE_TABLE)]
    rows = []
    for name in pd.unique(pd.Series(list(names), dtype="string").dropna()):
        match = next((m for path in tables if (m := _match_one(name, path))), None)
        rows.append(match or {"authority": name, "ons_code": None, "group": UNMATCHED_GROUP})
    return pd.DataFrame(rows, columns=["authority", "ons_code", "group"]).astype("string")
