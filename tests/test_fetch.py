"""`lgsco fetch` against a copy of the Ombudsman's site served on localhost (tests/site.py)."""

from __future__ import annotations

import csv
import itertools
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lgsco_analysis.fetch import FetchStopped, Limits, fetch_letters, read_address_list
from lgsco_analysis.fetch.client import user_agent
from lgsco_analysis.sample.corpus import write_sample_corpus

from .site import SLOW_SECONDS, Site, serve

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DELAY = 0.05
LIMITS = Limits(contact="tests@example.org", delay=DELAY, attempts=3, timeout=2, file_seconds=2)
SAVED = {
    "2023/alpha-council-2023.pdf",
    "2022/alpha-council-2022.pdf",
    "2021/alpha-council-2021.pdf",
    "2020/alpha-council-2020.pdf",
    "2015/alpha-council-2015.pdf",
    "2024/beta-council-2024.pdf",
    "statistics/alpha-council.html",
    "statistics/beta-council.html",
}


@pytest.fixture(scope="module")
def letter_bytes(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("fetch-letter")
    write_sample_corpus(folder, seed=3, councils=1, years=range(2023, 2024))
    return next(folder.glob("*.pdf")).read_bytes()


@pytest.fixture
def site(letter_bytes):
    served = Site(letter=letter_bytes, slow_letter=letter_bytes)
    server = serve(served)
    yield served
    server.shutdown()


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"fetched.csv", ".lgsco.lock"}


def _record(folder: Path) -> dict[str, dict]:
    with (folder / "fetched.csv").open(encoding="utf-8", newline="") as handle:
        return {row["url"]: row for row in csv.DictReader(handle)}


def test_the_crawl_collects_every_letter_and_statistics_page_and_nothing_else(site, tmp_path):
    out = tmp_path / "lgsco"
    run = fetch_letters(out, start=f"{site.root}/your-councils-performance", limits=LIMITS)
    assert _files(out) == SAVED
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [
        "2015",
        "2020",
        "2021",
        "2022",
        "2023",
        "2024",
        "statistics",
    ]
    for name in SAVED - {"statistics/alpha-council.html", "statistics/beta-council.html"}:
        assert (out / name).read_bytes() == site.letter, name
    refused = {row["url"].rsplit("/", 1)[-1]: row["why"] for row in _record(out).values() if row["kind"] == "refused"}
    assert refused["alpha-2019.pdf"] == "not a PDF: the file is an HTML page"
    assert "trailer) is missing" in refused["alpha-2018.pdf"]
    assert refused["alpha-2017.pdf"].startswith("too large")
    assert refused["alpha-2016.pdf"].startswith("too slow")
    assert refused["alpha-2014.pdf"].startswith("redirected out of the site")
    assert len(run.letters) == 6 and run.unchanged == 0
    paths = [seen.path for seen in site.requests]
    assert paths.count("/robots.txt") == 1 and not any(p.startswith("/private/") for p in paths)
    assert not any("minutes" in p for p in paths)  # a PDF that is not a letter
    assert all(seen.headers.get("Host", "").startswith("127.0.0.1") for seen in site.requests)  # never out of the site
    assert sum("beta-council/statistics" in p for p in paths) == 1  # one page, however it is addressed
    assert all(seen.headers["User-Agent"] == user_agent("tests@example.org") for seen in site.requests)
    assert user_agent("tests@example.org").startswith(
        "lgsco-analysis/0."
    ) and "contact tests@example.org" in user_agent("tests@example.org")


def test_one_request_at_a_time_with_the_delay_and_retry_after_honoured(site, tmp_path):
    delay = 0.25
    limits = Limits(delay=delay, attempts=3, timeout=2, file_seconds=2)
    fetch_letters(tmp_path / "lgsco", addresses=[f"{site.root}/alpha-letters"], limits=limits)
    starts = [seen.at for seen in site.requests]
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert len(gaps) >= 12 and min(gaps) >= delay * 0.6  # as the server saw them, with its threads' jitter
    tries = [seen.at for seen in site.requests if seen.path.startswith("/assets/attach/102/")]
    assert len(tries) == 2 and tries[1] - tries[0] >= 1.0  # the 429 said Retry-After: 1
    assert sum(seen.path.startswith("/assets/attach/103/") for seen in site.requests) == 2  # 503, then the letter


def test_a_second_run_asks_only_what_changed(site, tmp_path):
    out = tmp_path / "lgsco"
    fetch_letters(out, start=f"{site.root}/your-councils-performance", limits=LIMITS)
    before = {name: (out / name).stat().st_mtime_ns for name in SAVED}
    site.requests.clear()
    run = fetch_letters(out, start=f"{site.root}/your-councils-performance", limits=LIMITS)
    assert run.unchanged == 6 and len(run.letters) == 6
    good = [s for s in site.requests if s.path.startswith(("/assets/attach/101/", "/assets/attach/130/"))]
    assert good and all(seen.headers.get("If-None-Match", "").startswith('"letter-') for seen in good)
    assert {name: (out / name).stat().st_mtime_ns for name in SAVED if name.endswith(".pdf")} == {
        name: mtime for name, mtime in before.items() if name.endswith(".pdf")
    }
    assert {row["http_status"] for row in _record(out).values() if row["kind"] == "letter"} == {"304"}


def test_a_dry_run_lists_the_letters_and_writes_none(site, tmp_path):
    out = tmp_path / "lgsco"
    run = fetch_letters(out, start=f"{site.root}/your-councils-performance", limits=LIMITS, dry_run=True)
    assert {(w.council, w.year) for w in run.wanted} >= {("alpha-council", 2023), ("beta-council", 2024)}
    assert len(run.wanted) == 11  # every letter link within the site, good or bad
    assert _files(out) == set()
    assert not any(seen.path.startswith("/assets/") for seen in site.requests)


def test_only_the_years_asked_for(site, tmp_path):
    out = tmp_path / "lgsco"
    fetch_letters(out, start=f"{site.root}/your-councils-performance", limits=LIMITS, years=[2023, 2024])
    assert {name for name in _files(out) if name.endswith(".pdf")} == {
        "2023/alpha-council-2023.pdf",
        "2024/beta-council-2024.pdf",
    }


def test_a_list_of_addresses_letters_and_pages(site, tmp_path):
    listing = tmp_path / "letters.csv"
    listing.write_text(
        "council,url\nalpha,"
        f"{site.root}/assets/attach/101/Alpha-Council-annual-review-letter-2023.pdf\n"
        f"beta,{site.root}/your-councils-performance/beta-council/statistics\n"
    )
    addresses = read_address_list(listing)
    out = tmp_path / "lgsco"
    fetch_letters(out, addresses=addresses, limits=LIMITS)
    assert _files(out) == {
        "2023/alpha-council-annual-review-letter-2023.pdf",
        "2024/beta-council-2024.pdf",
        "statistics/beta-council.html",
    }


def test_a_site_that_keeps_failing_stops_the_fetch_clearly(site, tmp_path):
    limits = Limits(delay=0.01, attempts=2, give_up_after=2)
    failing = [f"{site.root}/failing/annual-letter-{year}.pdf" for year in (2021, 2022, 2023)]
    with pytest.raises(FetchStopped, match=r"failed 2 addresses in a row .*what was fetched is kept"):
        fetch_letters(tmp_path / "lgsco", addresses=failing, limits=limits)
    assert sum(seen.path.startswith("/failing/") for seen in site.requests) == 4  # two tries of two addresses


def test_a_site_that_cannot_be_reached_stops_at_its_robots_txt(tmp_path):
    limits = Limits(delay=0.01, attempts=2, timeout=0.5)
    unreachable = "http://127.0.0.1:9/your-councils-performance"  # the discard port: nothing listens
    with pytest.raises(FetchStopped, match=r"robots.txt could not be read \(no answer"):
        fetch_letters(tmp_path / "lgsco", addresses=[unreachable], limits=limits)


@pytest.mark.slow
def test_a_fetch_killed_mid_download_leaves_nothing_half_written_and_the_next_goes_on(site, tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text(f"{site.root}/slow/annual-letter-2023.pdf\n")
    out = tmp_path / "lgsco"
    command = [sys.executable, "-m", "lgsco_analysis.cli", "fetch", "--from", str(listing), "--out", str(out)]
    running = subprocess.Popen([*command, "--quiet"], cwd=PROJECT_ROOT)
    deadline = time.monotonic() + 60
    while not list(out.rglob(".*.tmp")) or not any(s.path.startswith("/slow/") for s in site.requests):
        assert running.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1)  # part of the letter has arrived
    running.kill()
    running.wait(10)
    assert not [p for p in out.rglob("*.pdf") if not p.name.startswith(".")]  # nothing half-written is a letter
    limits = Limits(delay=DELAY, file_seconds=SLOW_SECONDS * 2)
    run = fetch_letters(out, addresses=read_address_list(listing), limits=limits)
    assert [entry.file for entry in run.letters] == ["2023/annual-letter-2023.pdf"]
    assert (out / "2023" / "annual-letter-2023.pdf").read_bytes() == site.letter
    assert list(out.rglob(".*.tmp")) == []


def test_the_year_a_link_names():
    from lgsco_analysis.rules.fetching import year_ending

    assert year_ending("Annual review letter 2022-23") == 2023
    assert year_ending("annual-letter-2022/23.pdf") == 2023
    assert year_ending("Annual letter 2019") == 2019
    assert year_ending("Annual letter") is None
    assert year_ending("ref 120195") is None  # digits inside a longer number are not a year


def test_what_counts_as_a_letter_is_the_rules_table():
    from lgsco_analysis.fetch.pages import Link
    from lgsco_analysis.fetch.run import _is_letter
    from lgsco_analysis.rules.fetching import link_rules

    rules = link_rules()
    page = "https://www.lgo.org.uk/your-councils-performance/kent/statistics"

    def letter(url: str, text: str, section: str = "") -> bool:
        return _is_letter(Link(f"https://www.lgo.org.uk/assets/attach/1/{url}", text, section, page), rules)

    assert letter("x.pdf", "Annual review letter 2023")
    assert letter("Kent-annual-review-letter-2023.pdf", "Download")
    assert letter("x.pdf", "View", "Annual letters")
    assert not letter("minutes.pdf", "Committee minutes", "Other documents")
