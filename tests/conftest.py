from __future__ import annotations

import json
from pathlib import Path

import pytest

from lgsco_analysis.sample.corpus import write_sample_corpus

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"


SLOW_FIXTURES = {"rendered_reports", "sample_processed", "report_corpus", "parsed"}
"""Fixtures that parse or render in worker processes: a test that uses one must be marked slow."""


def pytest_collection_modifyitems(config, items) -> None:
    """A test marked ``slow`` is left out of ``make check``; one that needs a slow fixture unmarked fails here."""
    unmarked = [
        item.nodeid
        for item in items
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError(f"tests that parse or render in workers but are not marked slow: {unmarked}")


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or a clean skip saying why it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared is only beside a developer's or CI's checkout")
    return path


def load_truth(folder: Path) -> list[dict]:
    return json.loads((folder / "truth.json").read_text(encoding="utf-8"))


def as_truth(letter) -> dict:
    """A parsed Letter in the vocabulary of truth.json."""
    return {
        "authority": letter.authority,
        "year_ending": letter.year_ending,
        "layout": letter.format,
        "received": letter.received or None,
        "received_total": letter.received_total,
        "decisions": letter.decisions,
        "decisions_total": letter.decisions_total,
        "remedies": letter.remedies or None,
        "statistics": letter.statistics,
    }


def truth_differences(letter, expected: dict) -> list[str]:
    got = as_truth(letter)
    return [
        f"{field}: parsed {got[field]!r}, truth {expected[field]!r}" for field in got if got[field] != expected[field]
    ]


def fields(record: dict) -> dict[str, object]:
    """Every scalar of a truth record, by its path ("received.housing", "statistics.uphold_rate.base")."""
    flat: dict[str, object] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{inner}": v for inner, v in fields(value).items()})
        else:
            flat[key] = value
    return flat


def wrong_and_missing(letter, expected: dict) -> tuple[list[str], list[str]]:
    """The fields of a parsed letter read as another value, and those left out, against the truth."""
    got = fields(as_truth(letter))
    want = fields({key: expected[key] for key in as_truth(letter)})
    wrong = [key for key in sorted(set(got) | set(want)) if got.get(key) is not None and got.get(key) != want.get(key)]
    missing = [key for key in sorted(want) if want[key] is not None and got.get(key) is None]
    return wrong, missing


def sample_letters(root: Path, drawings, years) -> list[tuple[Path, dict]]:
    """One council's sample letters (seed 11) of the given years, drawn each given way, with their truth."""
    letters = []
    for drawing in drawings:
        folder = root / drawing
        write_sample_corpus(folder, seed=11, councils=1, years=range(2014, 2026), tables=drawing)
        letters += [(folder / entry["file"], entry) for entry in load_truth(folder) if entry["year_ending"] in years]
    return letters


def fail_on_call(monkeypatch, owner: object, name: str, call: int, error: Exception) -> None:
    """Make ``owner.name`` raise ``error`` on its ``call``-th call (a disk filling up part way, say)."""
    calls, original = {"n": 0}, getattr(owner, name)

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == call:
            raise error
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing)


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory) -> Path:
    """Five fictional councils (one per group) over 2014 to 2025: sixty letters."""
    folder = tmp_path_factory.mktemp("sample")
    write_sample_corpus(folder, seed=7, councils=5, years=range(2014, 2026))
    return folder


@pytest.fixture(scope="session")
def sample_processed(sample_corpus, tmp_path_factory) -> Path:
    """The sample corpus parsed once into a folder of Parquet tables (do not write to it)."""
    from lgsco_analysis.dataset.tables import parse_folder

    out = tmp_path_factory.mktemp("sample-processed")
    parse_folder(sample_corpus, out)
    return out


@pytest.fixture(scope="session")
def report_corpus(tmp_path_factory) -> Path:
    """Three fictional councils over 2024 and 2025: six letters, enough for every kind of report."""
    folder = tmp_path_factory.mktemp("report-letters")
    write_sample_corpus(folder, seed=7, councils=3, years=range(2024, 2026))
    return folder


@pytest.fixture(scope="session")
def rendered_reports(report_corpus, tmp_path_factory) -> dict:
    """``lgsco run`` end to end on the report corpus, as a user would type it."""
    import contextlib
    import io

    from lgsco_analysis.cli import main

    root = tmp_path_factory.mktemp("run")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        arguments = ["run", str(report_corpus), "--processed", str(root / "processed"), "--out", str(root / "reports")]
        status = main([*arguments, "--workers", "2"])
    return {"status": status, "stdout": out.getvalue(), "processed": root / "processed", "reports": root / "reports"}
