"""The tidy dataset: parse a folder of letters (with a cache), write Parquet, load it back."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InvalidInput, MissingInput
from ..provenance import READING_CODE, code_sha256, package_version
from ..read.ocr import ocr_engine
from ..read.record import Letter, file_sha256, unreadable
from ..rules.vocabulary import STATUSES, UNMATCHED_GROUP, Status
from ..workers import LETTER_BUDGET, Budget, run_isolated
from .cache import CACHE_DIR_NAME, cache_path, parse_job, read_cache
from .groups import GROUP_TABLE_NAME, find_group_tables, match_authorities
from .pages import compare_with_pages, find_statistics_pages, read_pages
from .store import checked_files, exclusive_run, pin_set, read_frames, write_tables

log = logging.getLogger(__name__)
OUTPUT_FILES = ("letters", "received", "decisions", "remedies", "statistics")
GROUPS_FILE = "authority_groups"
"""Each authority's comparison group, matched when the letters are parsed (groups.py)."""
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
    "source_kind": "string",
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
    folder: Path | None = None
    """The set folder the tables were read from (``load``), which later readers of this run read too."""
    tables_sha256: str = ""
    """One hash over the files read (``data_sha256``): what the reports say they were made from."""

    def __repr__(self) -> str:
        """A line of what the dataset holds, not its six tables printed out."""
        letters = self.letters
        counts = letters["status"].value_counts()
        statuses = ", ".join(f"{int(counts[s]):,} {s}" for s in STATUSES if s in counts)
        years = letters["year_ending"].dropna()
        span = f", {int(years.min())} to {int(years.max())}" if len(years) else ""
        where = f" from {self.folder}" if self.folder else ""
        return (
            f"<Dataset: {len(letters):,} letters ({statuses or 'none'}) about "
            f"{letters['authority'].nunique():,} authorities{span}{where}; tables "
            f"{', '.join(self.frames())}>"
        )

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
    """Every name ending ``.pdf`` below raw_dir (any case), in a stable order, whatever it is: a file, a link,
    a folder, a pipe. :func:`not_a_file` says which of them cannot be read as a letter."""
    return sorted(p for p in raw_dir.rglob("*") if p.suffix.lower() == ".pdf")


def not_a_file(path: Path) -> str | None:
    """Why ``path`` is not a regular file (or a link to one) that can be read; None when it is."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if path.is_symlink():
            if error.errno == errno.ELOOP:
                return "is a symbolic link that leads round in a loop: not read"
            return f"is a symbolic link to {os.readlink(path)}, which is not there (an unmounted share?): not read"
        return f"could not be read: {error.strerror or error}"
    if stat.S_ISREG(mode):
        return None
    kind = "a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode) else "not a regular file"
    return f"is {kind}, not a PDF file: not read"


def _run_jobs(jobs: list, workers: int, progress: bool, budget: Budget) -> Iterator[Letter]:
    """Parse letters in order, each in a worker process within the budget: a letter that crashes
    the PDF library, hangs or runs out of memory is an error row, and the others parse."""
    from tqdm.auto import tqdm

    with tqdm(total=len(jobs), unit="letter", desc="parsing", disable=None if progress else True) as bar:
        for job, outcome in zip(jobs, run_isolated(parse_job, jobs, workers=workers, budget=budget), strict=False):
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


UNMATCHED_REASON = (
    f"matches no council in the reference table or an {GROUP_TABLE_NAME} below the letters: "
    f"its comparison group is {UNMATCHED_GROUP}"
)
"""Said of an authority with no comparison group: a fact about the groups, not about reading its letters."""


def table_schemas() -> dict[str, dict[str, str]]:
    """Each table's columns and their pandas types, as ``lgsco parse`` writes them."""
    key_types = {"source": "string", "authority": "string", "year_ending": "Int64"}
    return {
        "letters": LETTER_COLUMNS,
        **{table: {**key_types, column: "string", "count": "Int64"} for table, column in COUNT_COLUMNS.items()},
        "statistics": {**key_types, **STATISTIC_COLUMNS},
    }


def data_sha256(processed_dir: str | Path) -> str:
    """One hash over the processed tables of the set in force (what the reports and the analysis are made from)."""
    folder = pin_set(Path(processed_dir))
    return _tables_sha256(folder, checked_files(folder))


def _tables_sha256(folder: Path, files: dict[str, str] | None) -> str:
    digest = hashlib.sha256()
    for name in (*OUTPUT_FILES, GROUPS_FILE):
        file_name = f"{name}.parquet"
        sha256 = files.get(file_name) if files is not None else None
        if sha256 is None and files is None and (folder / file_name).exists():
            sha256 = file_sha256(folder / file_name)
        if sha256 is not None:
            digest.update(name.encode() + b"\0" + sha256.encode())
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
                "source_kind": letter.source_kind,
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
    return Dataset(frames["letters"], frames["received"], frames["decisions"], frames["remedies"], frames["statistics"])


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

    With ``ocr``, pages with no usable text layer are read by OCR (:mod:`read.ocr`). Without
    ``use_cache`` every letter is parsed again and its cache entry rewritten.
    Raises MissingInput when raw_dir is not a folder or holds no PDF, FolderBusy when
    another run is writing to out_dir. Letters that cannot be read are rows with status
    ``error``; they never stop the run.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise MissingInput(f"no folder of letters at {raw_dir}")
    pdfs = find_pdfs(raw_dir)
    if not pdfs and not find_statistics_pages(raw_dir):
        raise MissingInput(f"no PDF files below {raw_dir}: nothing to parse")
    if out_dir is None:
        return _parse(raw_dir, pdfs, None, False, workers, progress, budget, ocr)
    with exclusive_run(Path(out_dir), "parse"):
        cache_dir = Path(out_dir) / CACHE_DIR_NAME
        dataset = _parse(raw_dir, pdfs, cache_dir, use_cache, workers, progress, budget, ocr)
        write_dataset(dataset, Path(out_dir), ocr)
    return dataset


def _parse(
    raw_dir: Path,
    pdfs: list[Path],
    cache_dir: Path | None,
    use_cache: bool,
    workers: int,
    progress: bool,
    budget: Budget,
    ocr: bool,
) -> Dataset:
    by_source: dict[str, Letter] = {}
    jobs = []
    for path in pdfs:
        source = path.relative_to(raw_dir).as_posix()
        reason = not_a_file(path)
        if reason is None:
            try:
                sha256 = file_sha256(path)
            except OSError as error:
                reason = f"could not be read: {error.strerror or error}"
        if reason is not None:
            by_source[source] = unreadable(source, "", reason)
            continue
        cache_file = cache_path(cache_dir, sha256, ocr) if cache_dir else None
        cached = read_cache(cache_file, source) if use_cache else None
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
    letters = list(by_source.values())
    letters += compare_with_pages(letters, read_pages(raw_dir, find_statistics_pages(raw_dir)))
    letters.sort(key=lambda letter: letter.source)
    mark_duplicates(letters)
    groups = match_authorities(
        [letter.authority for letter in letters if letter.authority], extra=find_group_tables(raw_dir)
    )
    for name in groups.loc[groups["group"] == UNMATCHED_GROUP, "authority"]:  # the data-quality report lists them
        log.warning("%s: %s", name, UNMATCHED_REASON)
    statuses = [letter.status for letter in letters]
    log.info("parsed: %s", ", ".join(f"{statuses.count(s)} {s}" for s in STATUSES))
    dataset = letters_to_dataset(letters)
    dataset.groups = groups
    return dataset


def load(processed_dir: str | Path = "data/processed") -> Dataset:
    """Read the tidy tables that ``lgsco parse`` wrote, all from the one set in force when called.

    Every file the set lists must be there and be the file written. Raises MissingInput
    (a FileNotFoundError) if any is absent, MixedTables (a ValueError) if they were not
    written together.
    """
    processed_dir = Path(processed_dir)
    folder = pin_set(processed_dir)
    files = checked_files(folder)
    with_groups = (
        f"{GROUPS_FILE}.parquet" in files if files is not None else (folder / f"{GROUPS_FILE}.parquet").exists()
    )
    frames = read_frames(folder, OUTPUT_FILES + ((GROUPS_FILE,) if with_groups else ()), processed_dir)
    for name, columns in table_schemas().items():
        missing = [column for column in columns if column not in frames[name].columns]
        if missing:
            raise InvalidInput(
                f"{folder / name}.parquet has no {', '.join(missing)} column: it was not written by this "
                "version of `lgsco parse`; run it again"
            )
    groups = frames.pop(GROUPS_FILE) if with_groups else match_authorities(frames["letters"]["authority"])
    return Dataset(**frames, groups=groups, folder=folder, tables_sha256=_tables_sha256(folder, files))
