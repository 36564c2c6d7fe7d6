"""The tidy dataset: parse a folder of letters (with a cache), write Parquet, load it back."""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InvalidInput, MissingInput
from ..paths import write_atomically
from ..provenance import READING_CODE, code_sha256, package_version
from ..read.letter import checked_record, parse_letter
from ..read.ocr import ocr_engine
from ..read.record import Letter, file_sha256, unreadable
from ..rules.vocabulary import STATUSES, Status
from ..workers import LETTER_BUDGET, Budget, run_isolated
from .groups import find_group_tables, match_authorities
from .store import exclusive_run, read_tables, write_tables

log = logging.getLogger(__name__)
OUTPUT_FILES = ("letters", "received", "decisions", "remedies", "statistics")
GROUPS_FILE = "authority_groups"
"""Each authority's comparison group, matched when the letters are parsed (groups.py)."""
CACHE_DIR_NAME = ".cache"
_KEY = ["source", "authority", "year_ending"]
LETTER_COLUMNS = {
    "source": "string",
    "sha256": "string",
    "authority": "string",
    "year_ending": "Int64",
    "format": "string",
    "status": "string",
    "problems": "string",
    "received_total": "Int64",
    "decisions_total": "Int64",
    "tables_read_by": "string",
    "sample": "boolean",
}
COUNT_COLUMNS = {
    "received": "category",
    "decisions": "decision",
    "remedies": "remedy",
}
STATISTIC_COLUMNS = {
    "measure": "string",
    "value": "Float64",
    "similar_average": "Float64",
    "base": "Int64",
}


@dataclass
class Dataset:
    """The five tidy tables (``docs/data_dictionary.md`` describes each column), and each authority's group."""

    letters: pd.DataFrame
    received: pd.DataFrame
    decisions: pd.DataFrame
    remedies: pd.DataFrame
    statistics: pd.DataFrame
    groups: pd.DataFrame | None = None

    def comparison_groups(self) -> pd.DataFrame:
        """Each authority's comparison group; raises InvalidInput when the dataset was made without them."""
        if self.groups is None:
            raise InvalidInput("the dataset has no comparison groups: load it with lgsco_analysis.load")
        return self.groups

    def frames(self) -> dict[str, pd.DataFrame]:
        frames = {name: getattr(self, name) for name in OUTPUT_FILES}
        if self.groups is not None:
            frames[GROUPS_FILE] = self.groups
        return frames


def find_pdfs(raw_dir: Path) -> list[Path]:
    """Every ``*.pdf`` below raw_dir (any case), in a stable order."""
    return sorted(p for p in raw_dir.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())


def reading_key(ocr: bool) -> str:
    """What a parse depends on besides the letter: the reading code and rules, and the OCR engine (or none)."""
    engine = ocr_engine() if ocr else "off"
    return hashlib.sha256(f"{code_sha256(READING_CODE)}\0ocr {engine}".encode()).hexdigest()


def _cache_path(cache_dir: Path, sha256: str, ocr: bool) -> Path:
    return cache_dir / f"{sha256}-{reading_key(ocr)[:16]}.json"


def _read_cache(cache_file: Path | None, source: str) -> Letter | None:
    """A cached letter, checked as a fresh one is; None (parse it again) for an entry that does not hold up."""
    if cache_file is None or not cache_file.exists():
        return None
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
        data["source"] = source
        return checked_record(data)
    except (ValueError, TypeError, KeyError):
        return None  # damaged or edited: parsed again, and the entry replaced


def _parse_job(job: tuple[str, str, str, str | None, bool]) -> Letter:
    """Worker: parse one letter and store it in the cache."""
    path, source, sha256, cache_file, ocr = job
    try:
        letter = parse_letter(path, source=source, sha256=sha256, ocr=ocr)
    except OSError as error:
        return unreadable(source, sha256, f"could not be read: {error}")
    if cache_file:
        text = json.dumps(letter.to_dict())
        write_atomically(Path(cache_file), lambda p: p.write_text(text, encoding="utf-8"))
    return letter


def _run_jobs(jobs: list, workers: int, progress: bool, budget: Budget) -> Iterator[Letter]:
    """Parse letters in order, each in a worker process within the budget: a letter that crashes
    the PDF library, hangs or runs out of memory is an error row, and the others parse."""
    from tqdm.auto import tqdm

    with tqdm(total=len(jobs), unit="letter", desc="parsing", disable=None if progress else True) as bar:
        for job, outcome in zip(jobs, run_isolated(_parse_job, jobs, workers=workers, budget=budget), strict=False):
            _, source, sha256, _, _ = job
            if outcome.failure is None:
                yield outcome.value
            else:
                yield unreadable(source, sha256, f"could not be parsed: {outcome.failure}")
            bar.update()


def mark_duplicates(letters: list[Letter]) -> None:
    """Flag every letter that shares its authority and year with another; drop none."""
    groups: dict[tuple[str, int], list[Letter]] = defaultdict(list)
    for letter in letters:
        if letter.authority and letter.year_ending is not None and letter.status != Status.ERROR:
            groups[(letter.authority.casefold(), letter.year_ending)].append(letter)
    for group in groups.values():
        if len(group) < 2:
            continue
        for letter in group:
            others = [other.source for other in group if other is not letter]
            same = sum(other.sha256 == letter.sha256 for other in group if other is not letter)
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            kind = (
                "identical copies"
                if same == len(others)
                else "different files"
                if not same
                else "copies and different files"
            )
            letter.problems.append(
                f"duplicate: {len(group)} letters for {letter.authority} {letter.year_ending} ({kind}; also {shown})"
            )
            letter.status = Status.WARNING


def table_schemas() -> dict[str, dict[str, str]]:
    """Each table's columns and their pandas types, as ``lgsco parse`` writes them."""
    key_types = {"source": "string", "authority": "string", "year_ending": "Int64"}
    return {
        "letters": LETTER_COLUMNS,
        **{table: {**key_types, column: "string", "count": "Int64"} for table, column in COUNT_COLUMNS.items()},
        "statistics": {**key_types, **STATISTIC_COLUMNS},
    }


def data_sha256(processed_dir: str | Path) -> str:
    """One hash over the processed tables (what the reports and the precomputed analysis are made from)."""
    digest = hashlib.sha256()
    for name in (*OUTPUT_FILES, GROUPS_FILE):
        path = Path(processed_dir) / f"{name}.parquet"
        if path.exists():
            digest.update(name.encode() + b"\0" + file_sha256(path).encode())
    return digest.hexdigest()


def letters_to_dataset(letters: list[Letter]) -> Dataset:
    """Tidy tables from parsed letters; a count row only where the letter prints one."""
    rows: dict[str, list[dict]] = {name: [] for name in OUTPUT_FILES}
    for letter in letters:
        key = {"source": letter.source, "authority": letter.authority, "year_ending": letter.year_ending}
        rows["letters"].append(
            {
                "source": letter.source,
                "sha256": letter.sha256,
                "authority": letter.authority,
                "year_ending": letter.year_ending,
                "format": letter.format,
                "status": letter.status,
                "problems": "\n".join(letter.problems),
                "received_total": letter.received_total,
                "decisions_total": letter.decisions_total,
                "tables_read_by": letter.tables_read_by,
                "sample": letter.sample,
            }
        )
        for table, column in COUNT_COLUMNS.items():
            for name, count in getattr(letter, table).items():
                rows[table].append({**key, column: name, "count": count})
        for measure, statistic in letter.statistics.items():
            rows["statistics"].append({**key, "measure": measure, **statistic})
    frames = {}
    for name, schema in table_schemas().items():
        frame = pd.DataFrame(rows[name], columns=list(schema))
        frames[name] = frame.astype(schema).reset_index(drop=True)
    return Dataset(**frames)


def write_dataset(dataset: Dataset, out_dir: Path, ocr: bool = True) -> None:
    """Write every table as one set and switch it in: readers see the old set or the new, never a mix."""
    about = {
        "package_version": package_version(),
        "reading_code_sha256": code_sha256(READING_CODE),
        "ocr": ocr_engine() if ocr else "off",
    }
    write_tables(dataset.frames(), out_dir, about)


def parse_folder(
    raw_dir: str | Path,
    out_dir: str | Path | None = None,
    *,
    workers: int = 1,
    use_cache: bool = True,
    ocr: bool = True,
    progress: bool = False,
    budget: Budget = LETTER_BUDGET,
) -> Dataset:
    """Parse every PDF below raw_dir, each letter in a worker process within ``budget``;
    write the tables to out_dir when given, as one set, while no other run writes there.

    With ``ocr``, pages with no usable text layer are read by OCR (:mod:`read.ocr`).
    Raises MissingInput when raw_dir is not a folder or holds no PDF, FolderBusy when
    another run is writing to out_dir. Letters that cannot be read are rows with status
    ``error``; they never stop the run.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise MissingInput(f"no folder of letters at {raw_dir}")
    pdfs = find_pdfs(raw_dir)
    if not pdfs:
        raise MissingInput(f"no PDF files below {raw_dir}: nothing to parse")
    if out_dir is None:
        return _parse(raw_dir, pdfs, None, workers, progress, budget, ocr)
    with exclusive_run(Path(out_dir), "parse"):
        cache_dir = Path(out_dir) / CACHE_DIR_NAME if use_cache else None
        dataset = _parse(raw_dir, pdfs, cache_dir, workers, progress, budget, ocr)
        write_dataset(dataset, Path(out_dir), ocr)
    return dataset


def _parse(
    raw_dir: Path, pdfs: list[Path], cache_dir: Path | None, workers: int, progress: bool, budget: Budget, ocr: bool
) -> Dataset:
    by_source: dict[str, Letter] = {}
    jobs = []
    for path in pdfs:
        source = path.relative_to(raw_dir).as_posix()
        try:
            sha256 = file_sha256(path)
        except OSError as error:
            by_source[source] = unreadable(source, "", f"could not be read: {error}")
            continue
        cache_file = _cache_path(cache_dir, sha256, ocr) if cache_dir else None
        cached = _read_cache(cache_file, source)
        if cached is not None:
            by_source[source] = cached
        else:
            jobs.append((str(path), source, sha256, str(cache_file) if cache_file else None, ocr))
    log.info(
        "%d letters below %s: %d from the cache, %d to parse", len(pdfs), raw_dir, len(pdfs) - len(jobs), len(jobs)
    )
    for letter in _run_jobs(jobs, workers, progress, budget):
        by_source[letter.source] = letter
        if letter.status == Status.ERROR:
            log.warning("%s: %s", letter.source, letter.problems[0])
    letters = [by_source[source] for source in sorted(by_source)]
    mark_duplicates(letters)
    statuses = [letter.status for letter in letters]
    log.info("parsed: %s", ", ".join(f"{statuses.count(s)} {s}" for s in STATUSES))
    dataset = letters_to_dataset(letters)
    dataset.groups = match_authorities(dataset.letters["authority"], extra=find_group_tables(raw_dir))
    return dataset


def load(processed_dir: str | Path = "data/processed") -> Dataset:
    """Read the tidy tables that ``lgsco parse`` wrote.

    Raises FileNotFoundError if they are absent, MixedTables (a ValueError) if they were not
    written together.
    """
    processed_dir = Path(processed_dir)
    frames = read_tables(processed_dir, OUTPUT_FILES)
    for name, columns in table_schemas().items():
        missing = [column for column in columns if column not in frames[name].columns]
        if missing:
            raise InvalidInput(
                f"{processed_dir / name}.parquet has no {', '.join(missing)} column: it was not written by this "
                "version of `lgsco parse`; run it again"
            )
    if (processed_dir / f"{GROUPS_FILE}.parquet").exists():
        groups = read_tables(processed_dir, (GROUPS_FILE,))[GROUPS_FILE]
    else:
        groups = match_authorities(frames["letters"]["authority"])
    return Dataset(**frames, groups=groups)
