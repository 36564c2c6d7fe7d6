"""``lgsco fetch``: the annual letters, and each council's statistics page, from the Ombudsman's site.

The crawl starts at the councils' performance index (or the pages and letters a list names),
follows links within the site that the rules (``rules/data/fetch_links.csv``) say lead to
councils' pages, their statistics and their letters, up to a depth and a page budget, and
collects links to PDFs that are annual letters. Each letter is saved as
``OUT/<year or unknown>/<council>-<year>.pdf``, each statistics page as
``OUT/statistics/<council>.html``, and ``OUT/fetched.csv`` records what every address gave.

Files are written beside and renamed in, and the record after each file: a fetch killed at
any moment leaves no half-written file, and the next one goes on where it stopped, asking
with ``If-None-Match``/``If-Modified-Since`` for what it already has.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from .. import paths, sets
from ..errors import InvalidInput, MissingInput
from ..rules.fetching import LETTERS_ADDRESS, link_rules, year_ending
from .client import Answer, Limits, PoliteClient, same_site
from .pages import Link, links_on
from .record import Fetched, read_record, write_record

log = logging.getLogger(__name__)
DEFAULT_START = LETTERS_ADDRESS
DEFAULT_OUT = paths.RAW_DIR / "lgsco"
MAX_DEPTH = 4
"""Links followed from the start: index, council, statistics page, letters page."""
MAX_PAGES = 2000
"""Pages read in one fetch (about 330 councils, a few pages each)."""
STATISTICS_DIR = "statistics"
UNKNOWN_YEAR = "unknown"


@dataclass
class Wanted:
    """A letter (or statistics page) the crawl found, and where it goes."""

    url: str
    council: str
    year: int | None
    found_as: str
    """The link's text, or "listed" for an address given in --from."""


@dataclass
class FetchRun:
    """What a fetch did."""

    letters: list[Fetched] = field(default_factory=list)
    """Letters saved or found unchanged in this run."""
    statistics_pages: list[Fetched] = field(default_factory=list)
    refused: list[Fetched] = field(default_factory=list)
    unchanged: int = 0
    """Files the site said were not modified (304)."""
    pages_read: int = 0
    wanted: list[Wanted] = field(default_factory=list)
    """Every letter the crawl found (what ``--dry-run`` lists)."""


def read_address_list(path: Path) -> list[str]:
    """Addresses from a file: one a line (``#`` starts a comment), or a CSV with a ``url`` column."""
    if not path.is_file():
        raise MissingInput(f"no list of addresses at {path}")
    text = path.read_text(encoding="utf-8-sig")
    first = text.splitlines()[0] if text.strip() else ""
    if "url" in [cell.strip().casefold() for cell in first.split(",")]:
        rows = csv.DictReader(io.StringIO(text, newline=""))
        column = next(name for name in rows.fieldnames or [] if name.strip().casefold() == "url")
        addresses = [row[column].strip() for row in rows if (row[column] or "").strip()]
    else:
        addresses = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    bad = [a for a in addresses if urlsplit(a).scheme not in ("http", "https") or not urlsplit(a).hostname]
    if bad:
        raise InvalidInput(f"{path}: not a web address: {bad[0]!r}")
    return addresses


def fetch_letters(
    out_dir: str | Path = DEFAULT_OUT,
    *,
    start: str | None = None,
    addresses: Iterable[str] = (),
    years: Iterable[int] = (),
    limits: Limits | None = None,
    dry_run: bool = False,
    progress: bool = False,
    max_depth: int = MAX_DEPTH,
    max_pages: int = MAX_PAGES,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchRun:
    """Crawl from ``start`` (the site's index unless ``addresses`` are given) and save what it finds.

    Raises FetchStopped when the site keeps failing (what was fetched is kept), FolderBusy
    when another fetch writes ``out_dir``.
    """
    out_dir = Path(out_dir)
    wanted_years = set(years)
    seeds = list(addresses) or [start or DEFAULT_START]
    if start and addresses:
        seeds = [start, *addresses]
    client = PoliteClient(limits or Limits(), transport, sleep)
    run = FetchRun()
    try:
        with sets.exclusive_run(out_dir, "fetch"):
            for leftover in out_dir.rglob(".*.tmp"):
                leftover.unlink(missing_ok=True)
            record = read_record(out_dir)
            crawl = _Crawl(client, out_dir, record, run, dry_run, max_depth, max_pages, progress)
            crawl.walk(seeds)
            if not dry_run:
                _download(client, out_dir, record, run, wanted_years, progress)
    finally:
        client.close()
    return run


class _Crawl:
    """Pages read in turn from the seeds, breadth first, within the site, depth and budget."""

    def __init__(self, client, out_dir, record, run, dry_run, max_depth, max_pages, progress) -> None:
        self.client: PoliteClient = client
        self.out_dir: Path = out_dir
        self.record: dict[str, Fetched] = record
        self.run: FetchRun = run
        self.dry_run, self.max_depth, self.max_pages, self.progress = dry_run, max_depth, max_pages, progress
        self.seen: set[str] = set()
        self.wanted_urls: set[str] = set()
        self.rules = link_rules()

    def walk(self, seeds: list[str]) -> None:
        from tqdm.auto import tqdm

        queue: deque[tuple[str, int, str, str]] = deque()  # address, depth, the seed's site, the council so far
        for seed in seeds:
            if _is_file(seed, self.rules):
                self._want(Link(seed, "listed", "", seed), "", listed=True)
            else:
                queue.append((seed, 0, seed, ""))
        with tqdm(unit="page", desc="pages read", disable=None if self.progress else True) as bar:
            while queue and self.run.pages_read < self.max_pages:
                url, depth, site, council = queue.popleft()
                key = _page_key(url)
                if key in self.seen:
                    continue
                self.seen.add(key)
                council = _council(url, self.rules) or council  # a letters page is the council's that led to it
                html = self._read_page(url, council)
                bar.update()
                if html is None:
                    continue
                for link in links_on(html, url):
                    if not same_site(site, link.url):
                        continue  # never a link out of the site
                    if _is_file(link.url, self.rules):
                        if _is_letter(link, self.rules):
                            self._want(link, council, listed=False)
                    elif depth < self.max_depth and _to_follow(link, self.rules):
                        queue.append((link.url, depth + 1, site, council))
        if queue:
            log.warning("the page budget (%d) ran out with %d pages unread", self.max_pages, len(queue))

    def _read_page(self, url: str, council: str) -> bytes | None:
        statistics = self.rules.matches("statistics", "path", urlsplit(url).path)
        earlier = self.record.get(url)
        saved = self.out_dir / earlier.file if earlier and earlier.file else None
        conditional = _conditional(earlier) if statistics and saved and saved.exists() else {}
        answer = self.client.get(url, conditional)
        self.run.pages_read += 1
        if answer.refused:
            self._refused(url, answer)
            return None
        if answer.status == 304 and saved is not None:
            return saved.read_bytes()
        if answer.status != 200 or "html" not in answer.content_type.lower():
            return None
        if statistics and not self.dry_run:
            council = council or paths.slugify(urlsplit(url).path)
            entry = _save(self.out_dir, Path(STATISTICS_DIR) / f"{paths.slugify(council)}.html", answer, url)
            entry.kind = "statistics_page"
            self.record[url] = entry
            self.run.statistics_pages.append(entry)
            write_record(self.out_dir, self.record)
        return answer.body

    def _want(self, link: Link, council: str, listed: bool) -> None:
        if link.url in self.wanted_urls:
            return
        self.wanted_urls.add(link.url)
        if not self.client.allowed(link.url):
            self._refused(link.url, Answer(link.url, 0, refused="robots.txt forbids it"))
            return
        name = unquote(Path(urlsplit(link.url).path).name)
        council = council or paths.slugify(Path(name).stem)
        year = year_ending(link.text) or year_ending(name)
        self.run.wanted.append(Wanted(link.url, paths.slugify(council), year, "listed" if listed else link.text))

    def _refused(self, url: str, answer: Answer) -> None:
        entry = Fetched(url=answer.url or url, http_status=answer.status, kind="refused", why=answer.refused)
        entry.fetched_at = _now()
        self.run.refused.append(entry)
        if not self.dry_run:
            self.record[url] = entry
            write_record(self.out_dir, self.record)


def _download(
    client: PoliteClient, out_dir: Path, record: dict[str, Fetched], run: FetchRun, years: set[int], progress: bool
) -> None:
    from tqdm.auto import tqdm

    chosen = [w for w in run.wanted if not years or w.year in years]
    received = 0
    with tqdm(total=len(chosen), unit="letter", desc="letters", disable=None if progress else True) as bar:
        for wanted in chosen:
            earlier = record.get(wanted.url)
            target = Path(earlier.file) if earlier and earlier.file else _letter_path(wanted, record)
            if not (out_dir / target).resolve().is_relative_to(out_dir.resolve()):  # an edited record
                target = _letter_path(wanted, record)
            final = out_dir / target
            temporary = paths.staging_file(final)
            try:
                answer = client.get(wanted.url, _conditional(earlier) if final.exists() else {}, temporary)
                if answer.status == 304 and earlier is not None and final.exists():
                    earlier.http_status, earlier.fetched_at = 304, _now()
                    run.unchanged += 1
                    run.letters.append(earlier)
                elif answer.refused or answer.status != 200:
                    why = answer.refused or f"the site answered {answer.status}"
                    entry = Fetched(url=wanted.url, http_status=answer.status, kind="refused", why=why)
                    entry.fetched_at = _now()
                    record[wanted.url] = entry
                    run.refused.append(entry)
                elif problem := not_a_pdf(temporary):
                    entry = Fetched(url=wanted.url, http_status=answer.status, kind="refused", why=problem)
                    entry.fetched_at = _now()
                    record[wanted.url] = entry
                    run.refused.append(entry)
                else:
                    os.replace(temporary, final)
                    entry = _entry(final.read_bytes(), target, answer, wanted.url)
                    entry.kind = "letter"
                    record[wanted.url] = entry
                    run.letters.append(entry)
                    received += entry.bytes
                    bar.set_postfix_str(f"{received / 2**20:.1f} MB")
            finally:
                temporary.unlink(missing_ok=True)
                if not final.exists():
                    with contextlib.suppress(OSError):
                        final.parent.rmdir()  # a year folder made for a letter that was refused: gone if empty
            write_record(out_dir, record)
            bar.update()


def _letter_path(wanted: Wanted, record: dict[str, Fetched]) -> Path:
    """``<year or unknown>/<council>-<year>.pdf``, numbered when another address already has that name."""
    year = str(wanted.year) if wanted.year else UNKNOWN_YEAR
    taken = {entry.file for entry in record.values() if entry.file}
    stem = f"{wanted.council}-{year}" if wanted.year and year not in wanted.council else wanted.council
    name, number = Path(year) / f"{stem}.pdf", 2
    while str(name) in taken:
        name, number = Path(year) / f"{stem}-{number}.pdf", number + 1
    return name


def not_a_pdf(path: Path) -> str:
    """Why the file is not a whole PDF (no ``%PDF-`` header, no trailer, or pdfium cannot open it); '' if it is."""
    import pypdfium2

    with path.open("rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, path.stat().st_size - 2048))
        tail = handle.read()
    if b"%PDF-" not in head:
        kind = "an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "not a PDF"
        return f"not a PDF: the file is {kind}"
    if b"%%EOF" not in tail or b"startxref" not in tail:
        return "not a whole PDF: its end (the trailer) is missing, as in a file cut short"
    try:
        document = pypdfium2.PdfDocument(str(path))
        pages = len(document)
        document.close()
    except pypdfium2.PdfiumError as error:
        return f"not a readable PDF ({error})"
    return "" if pages else "a PDF with no pages"


def _save(out_dir: Path, relative: Path, answer: Answer, url: str) -> Fetched:
    final = out_dir / relative
    paths.write_atomically(final, lambda path: path.write_bytes(answer.body))
    return _entry(answer.body, relative, answer, url)


def _entry(data: bytes, relative: Path, answer: Answer, url: str) -> Fetched:
    """The record of a file saved at ``relative`` with these bytes."""
    return Fetched(
        url=url,
        file=relative.as_posix(),
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=len(data),
        http_status=answer.status,
        etag=answer.etag,
        last_modified=answer.last_modified,
        fetched_at=_now(),
    )


def _conditional(earlier: Fetched | None) -> dict[str, str]:
    if earlier is None:
        return {}
    headers = {}
    if earlier.etag:
        headers["If-None-Match"] = earlier.etag
    if earlier.last_modified:
        headers["If-Modified-Since"] = earlier.last_modified
    return headers


def _is_file(url: str, rules) -> bool:
    path = urlsplit(url).path
    return rules.matches("file", "path", path)


def _is_letter(link: Link, rules) -> bool:
    name = unquote(Path(urlsplit(link.url).path).name)
    return (
        rules.matches("letter", "text", link.text)
        or rules.matches("letter", "file", name)
        or rules.matches("letter", "section", link.section)
    )


def _to_follow(link: Link, rules) -> bool:
    path = urlsplit(link.url).path
    return (
        rules.matches("follow", "path", path)
        or rules.matches("statistics", "path", path)
        or rules.matches("follow", "text", link.text)
    )


def _council(page_url: str, rules) -> str:
    found = rules.first("council", "path", urlsplit(page_url).path)
    return found["council"] if found else ""


def _page_key(url: str) -> str:
    """One key for one page: host without ``www.``, path without a trailing ``/``, no query on statistics pages."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    query = "" if link_rules().matches("statistics", "path", parts.path) else parts.query
    return f"{(parts.hostname or '').removeprefix('www.')}{path}?{query}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
