"""The tidy dataset: parse a folder of letters (with a cache), write Parquet, load it back."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .groups import find_group_tables, match_authorities
from .letter import PARSER_VERSION, parse_letter
from .paths import staging_file, write_atomically
from .record import Letter, file_sha256

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
    """The five tidy tables of design.md, and each authority's comparison group."""

    letters: pd.DataFrame
    received: pd.DataFrame
    decisions: pd.DataFrame
    remedies: pd.DataFrame
    statistics: pd.DataFrame
    groups: pd.DataFrame | None = None

    def frames(self) -> dict[str, pd.DataFrame]:
        frames = {name: getattr(self, name) for name in OUTPUT_FILES}
        if self.groups is not None:
            frames[GROUPS_FILE] = self.groups
        return frames


def find_pdfs(raw_dir: Path) -> list[Path]:
    """Every ``*.pdf`` below raw_dir (any case), in a stable order."""
    return sorted(p for p in raw_dir.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())


def _cache_path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256}-v{PARSER_VERSION}.json"


def _read_cache(cache_file: Path | None, source: str) -> Letter | None:
    if cache_file is None or not cache_file.exists():
        return None
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
        data["source"] = source
        return Letter.from_dict(data)
    except (ValueError, TypeError):
        return None  # a damaged cache entry is parsed again and rewritten


def _parse_job(job: tuple[str, str, str, str | None]) -> Letter:
    """Worker: parse one letter and store it in the cache."""
    path, source, sha256, cache_file = job
    try:
        letter = parse_letter(path, source=source, sha256=sha256)
    except OSError as error:
        return Letter(source=source, sha256=sha256, status="error", problems=[f"could not be read: {error}"])
    if cache_file:
        text = json.dumps(letter.to_dict())
        write_atomically(Path(cache_file), lambda p: p.write_text(text, encoding="utf-8"))
    return letter


def _run_jobs(jobs: list, workers: int, progress: bool) -> Iterator[Letter]:
    """Parse letters in order, in worker processes when there are several to do."""
    from tqdm.auto import tqdm

    bar = tqdm(total=len(jobs), unit="letter", desc="parsing", disable=None if progress else True)
    try:
        if workers <= 1 or len(jobs) <= 1:
            for job in jobs:
                yield _parse_job(job)
                bar.update()
            return
        with multiprocessing.get_context().Pool(workers, maxtasksperchild=500) as pool:
            for letter in pool.imap(_parse_job, jobs, chunksize=4):
                yield letter
                bar.update()
    finally:
        bar.close()


def mark_duplicates(letters: list[Letter]) -> None:
    """Flag every letter that shares its authority and year with another; drop none."""
    groups: dict[tuple[str, int], list[Letter]] = defaultdict(list)
    for letter in letters:
        if letter.authority and letter.year_ending is not None and letter.status != "error":
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
            letter.status = "warning"


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
    key_types = {"source": "string", "authority": "string", "year_ending": "Int64"}
    schemas = {
        "letters": LETTER_COLUMNS,
        **{table: {**key_types, column: "string", "count": "Int64"} for table, column in COUNT_COLUMNS.items()},
        "statistics": {**key_types, **STATISTIC_COLUMNS},
    }
    frames = {}
    for name, schema in schemas.items():
        frame = pd.DataFrame(rows[name], columns=list(schema))
        frames[name] = frame.astype(schema).reset_index(drop=True)
    return Dataset(**frames)


def write_dataset(dataset: Dataset, out_dir: Path) -> None:
    """Write every table to a temporary file first, then replace all of them."""
    staged: list[tuple[Path, Path]] = []
    try:
        for name, frame in dataset.frames().items():
            final = out_dir / f"{name}.parquet"
            staged.append((staging_file(final), final))
            frame.to_parquet(staged[-1][0], index=False)
        for temporary, final in staged:
            os.replace(temporary, final)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def parse_folder(
    raw_dir: str | Path,
    out_dir: str | Path | None = None,
    *,
    workers: int = 1,
    use_cache: bool = True,
    progress: bool = False,
) -> Dataset:
    """Parse every PDF below raw_dir; write the Parquet files to out_dir when given.

    Raises FileNotFoundError when raw_dir is not a folder. Letters that cannot be read
    are rows with status ``error``; they never stop the run.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"no folder of letters at {raw_dir}")
    cache_dir = Path(out_dir) / CACHE_DIR_NAME if (out_dir is not None and use_cache) else None
    by_source: dict[str, Letter] = {}
    jobs = []
    for path in find_pdfs(raw_dir):
        source = path.relative_to(raw_dir).as_posix()
        try:
            sha256 = file_sha256(path)
        except OSError as error:
            by_source[source] = Letter(
                source=source, sha256="", status="error", problems=[f"could not be read: {error}"]
            )
            continue
        cache_file = _cache_path(cache_dir, sha256) if cache_dir else None
        cached = _read_cache(cache_file, source)
        if cached is not None:
            by_source[source] = cached
        else:
            jobs.append((str(path), source, sha256, str(cache_file) if cache_file else None))
    for letter in _run_jobs(jobs, workers, progress):
        by_source[letter.source] = letter
    letters = [by_source[source] for source in sorted(by_source)]
    mark_duplicates(letters)
    dataset = letters_to_dataset(letters)
    dataset.groups = match_authorities(dataset.letters["authority"], extra=find_group_tables(raw_dir))
    if out_dir is not None:
        write_dataset(dataset, Path(out_dir))
    return dataset


def load(processed_dir: str | Path = "data/processed") -> Dataset:
    """Read the tidy tables that ``lgsco parse`` wrote. Raises FileNotFoundError if absent."""
    processed_dir = Path(processed_dir)
    missing = [name for name in OUTPUT_FILES if not (processed_dir / f"{name}.parquet").exists()]
    if missing:
        raise FileNotFoundError(
            f"{processed_dir} has no {', '.join(m + '.parquet' for m in missing)}: run `lgsco parse` first"
        )
    frames = {
        name: pd.read_parquet(processed_dir / f"{name}.parquet", dtype_backend="numpy_nullable")
        for name in OUTPUT_FILES
    }
    groups_path = processed_dir / f"{GROUPS_FILE}.parquet"
    if groups_path.exists():
        groups = pd.read_parquet(groups_path, dtype_backend="numpy_nullable")
    else:
        groups = match_authorities(frames["letters"]["authority"])
    return Dataset(**frames, groups=groups)
