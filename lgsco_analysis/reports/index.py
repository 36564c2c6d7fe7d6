"""``index.html``: every report, found in seconds at the real size, rendered from a Jinja template.

Overviews and the data-quality report first; then the profiles grouped by comparison group,
each group A to Z with jump links, sorted by the distinctive part of a name ("Royal Borough
of Kensington" under K). Plain links and text, so that the browser's find works too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from .. import paths
from ..dataset.groups import OTHER_GROUP
from ..rules.vocabulary import UNMATCHED_GROUP
from .export import TEMPLATES_DIR
from .manifest import ReportStatus
from .plan import REPORT_KINDS

INDEX_FILE = "index.html"
INDEX_TEMPLATE = "index.html.j2"
_LEADING_WORDS = re.compile(r"^(?:the\s+)?(?:(?:london|royal)\s+borough\s+of|city\s+of|county\s+of)\s+", re.I)


def sort_name(name: str) -> str:
    """The part of a council's name it is looked up by: "Royal Borough of Greenwich" -> "greenwich"."""
    return _LEADING_WORDS.sub("", name).casefold()


def downloads(out_dir: Path) -> dict[str, list[str]]:
    """The exported files beside the reports (``lgsco export``), as links relative to the index."""
    from ..exports.tables import DATA_PACKAGE, EXPORT_TABLES, WORKBOOK

    folder = paths.EXPORT_DIR.name
    found = {
        "csv": [f"{folder}/{name}.csv" for name in EXPORT_TABLES if (out_dir / folder / f"{name}.csv").exists()],
        "xlsx": [f"{folder}/{WORKBOOK}"] if (out_dir / folder / WORKBOOK).exists() else [],
        "datapackage": [f"{folder}/{DATA_PACKAGE}"] if (out_dir / folder / DATA_PACKAGE).exists() else [],
    }
    return {kind: links for kind, links in found.items() if links}


def downloads_made_from(out_dir: Path) -> str:
    """The hash of the tables the exported files were made from (their data package says), or ''."""
    from ..exports.tables import DATA_PACKAGE

    try:
        package = json.loads((out_dir / paths.EXPORT_DIR.name / DATA_PACKAGE).read_text(encoding="utf-8"))
        return str(package.get("lgsco", {}).get("data_sha256") or "")
    except (OSError, ValueError, AttributeError):
        return ""


def _anchor(text: str) -> str:
    return paths.slugify(text) or "x"


def _profile_groups(profiles: Iterable[dict]) -> list[dict]:
    """Profiles by comparison group, each group's A to Z as (letter, councils) sections; a council is its
    name and every year a profile of it exists for, the latest first."""
    by_group: dict[str, dict[str, list[dict]]] = {}
    for entry in profiles:
        by_name = by_group.setdefault(entry.get("group") or UNMATCHED_GROUP, {})
        by_name.setdefault(entry.get("authority") or "?", []).append(entry)
    groups = []
    for group in sorted(by_group, key=lambda g: (g in (UNMATCHED_GROUP, OTHER_GROUP), g)):
        letters: dict[str, list[dict]] = {}
        for name in sorted(by_group[group], key=lambda n: (sort_name(n), n)):
            initial = (sort_name(name)[:1] or "?").upper()
            years = sorted(by_group[group][name], key=lambda e: (-(e.get("year") or 0), e["path"]))
            letters.setdefault(initial if initial.isalpha() else "#", []).append({"authority": name, "years": years})
        anchor = _anchor(group)
        groups.append(
            {
                "name": group,
                "anchor": anchor,
                "count": len(by_group[group]),
                "letters": [
                    {"letter": letter, "anchor": f"{anchor}-{letter.lower()}", "councils": councils}
                    for letter, councils in letters.items()
                ],
            }
        )
    return groups


def render_index(manifest: dict) -> str:
    """``index.html`` from the manifest: every report with its status; failures say why."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    entries = manifest["reports"]
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR / "index"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    kinds = {kind: [e for e in entries if e.get("kind") == kind] for kind in REPORT_KINDS}
    return environment.get_template(INDEX_TEMPLATE).render(
        manifest=manifest,
        failed=[e for e in entries if e.get("status") != ReportStatus.OK],
        overviews=sorted(kinds["national_overview"], key=lambda e: -(e.get("year") or 0)),
        data_quality=kinds["data_quality"],
        profile_groups=_profile_groups(kinds["authority_profile"]),
        profiles=len(kinds["authority_profile"]),
        downloads=manifest.get("downloads") or {},
        downloads_made_from=manifest.get("downloads_data_sha256") or "",
        current_data=manifest["data_sha256"],
    )
