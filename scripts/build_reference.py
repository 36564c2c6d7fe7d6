"""Build data/reference/english_councils.csv from mySociety's table of UK local authorities.

Usage: python scripts/build_reference.py ../shared/reference/uk_local_authorities.csv
The source table is MIT-licensed (mySociety); the result keeps English authorities only,
current and abolished since 2014, with their names, alternative names, ONS code and the
Ombudsman's comparison group (from the ONS code prefix).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from lgsco_analysis.dataset.groups import group_for_ons_code

OUT = Path(__file__).resolve().parents[1] / "data" / "reference" / "english_councils.csv"
COLUMNS = ("name", "nice_name", "alt_names", "ons_code", "authority_type", "group", "end_date")


def main(source: str) -> None:
    rows = []
    with open(source, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["nation"] != "England":
                continue
            if row["end-date"] and row["end-date"] < "2014-04-01":
                continue
            alt = sorted({name.strip() for name in row["alt-names"].split(",") if name.strip()}, key=str.casefold)
            rows.append(
                {
                    "name": row["official-name"],
                    "nice_name": row["nice-name"],
                    "alt_names": "|".join(alt),
                    "ons_code": row["gss-code"],
                    "authority_type": row["local-authority-type-name"],
                    "group": group_for_ons_code(row["gss-code"]),
                    "end_date": row["end-date"],
                }
            )
    rows.sort(key=lambda r: (r["group"], r["name"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1])
