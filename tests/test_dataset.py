"""The Parquet contract of design.md, the cache, atomic replacement, and load()."""

from __future__ import annotations

import json
import os
import shutil

import pandas as pd
import pytest

import lgsco_analysis as lgsco
from lgsco_analysis.dataset import cache
from lgsco_analysis.dataset import tables as dataset_module
from lgsco_analysis.dataset.tables import parse_folder
from lgsco_analysis.rules.vocabulary import DECISIONS, MEASURES, RECEIVED_CATEGORIES, REMEDIES

from .conftest import fail_on_call

CONTRACT_COLUMNS = {
    "letters": [
        "source",
        "sha256",
        "authority",
        "year_ending",
        "format",
        "status",
        "problems",
        "received_total",
        "decisions_total",
        "tables_read_by",
        "sample",  # an addition to design.md: the letter carries the sample footer
        "source_kind",  # an addition to design.md: a letter PDF, or a council's statistics page (lgsco fetch)
    ],
    "received": ["source", "authority", "year_ending", "category", "count"],
    "decisions": ["source", "authority", "year_ending", "decision", "count"],
    "remedies": ["source", "authority", "year_ending", "remedy", "count"],
    "statistics": ["source", "authority", "year_ending", "measure", "value", "similar_average", "base"],
}


@pytest.fixture(scope="module")
def parsed(sample_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    parse_folder(sample_corpus, out, workers=2)
    return out


@pytest.mark.slow
def test_outputs_follow_the_contract(parsed, sample_corpus):
    data = lgsco.load(parsed)
    for name, columns in CONTRACT_COLUMNS.items():
        assert list(getattr(data, name).columns) == columns, name
    assert len(data.letters) == len(list(sample_corpus.glob("*.pdf")))
    assert set(data.received["category"]) <= set(RECEIVED_CATEGORIES)
    assert set(data.decisions["decision"]) <= set(DECISIONS)
    assert set(data.remedies["remedy"]) <= set(REMEDIES)
    assert set(data.statistics["measure"]) <= set(MEASURES)
    assert set(data.letters["status"]) <= {"ok", "warning", "error"}
    assert set(data.letters["tables_read_by"]) == {"", "text", "text+camelot"}  # the sample's drawings vary
    assert str(data.letters["year_ending"].dtype) == "Int64"
    assert str(data.received["count"].dtype) == "Int64"
    assert data.letters["source"].str.contains("\\\\").sum() == 0
    a_rates = data.statistics.merge(data.letters[["source", "format"]], on="source")
    a_rates = a_rates[(a_rates["format"] == "A") & (a_rates["measure"] == "uphold_rate")]
    assert a_rates["similar_average"].isna().all()
    umask = os.umask(0o022)
    os.umask(umask)
    assert (parsed / "letters.parquet").stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600
    assert data.letters["sample"].all()  # every sample page says so, and the parser notices
    assert set(data.letters["source_kind"]) == {"letter"}
    assert list(data.groups.columns) == ["authority", "ons_code", "group"]
    assert set(data.groups["authority"]) == set(data.letters["authority"].dropna())
    assert "Unmatched" not in set(data.groups["group"])  # the sample's authorities.csv is found below raw_dir


def _jobs_given(monkeypatch) -> list[int]:
    """Record how many letters each parse hands to the worker processes."""
    counts, original = [], dataset_module.run_isolated

    def counting(function, jobs, **options):
        counts.append(len(jobs))
        return original(function, jobs, **options)

    monkeypatch.setattr(dataset_module, "run_isolated", counting)
    return counts


@pytest.mark.slow
def test_warm_run_reads_the_cache_and_parses_nothing(parsed, sample_corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(parsed, out, symlinks=True)
    counts = _jobs_given(monkeypatch)
    before = lgsco.load(out).letters
    again = parse_folder(sample_corpus, out, workers=1).letters
    pd.testing.assert_frame_equal(before, again)
    assert counts == [0]


@pytest.mark.slow
def test_no_cache_parses_again(sample_corpus, tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(sorted(sample_corpus.glob("*.pdf"))[0], raw)
    parse_folder(raw, tmp_path / "out", workers=1)
    counts = _jobs_given(monkeypatch)
    parse_folder(raw, tmp_path / "out", workers=1)
    parse_folder(raw, tmp_path / "out", workers=1, use_cache=False)
    assert counts == [0, 1]


@pytest.mark.slow
def test_a_failed_write_leaves_the_previous_outputs_whole(parsed, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(parsed, out, symlinks=True)
    before = {p.name: p.read_bytes() for p in out.glob("*.parquet")}
    fail_on_call(monkeypatch, pd.DataFrame, "to_parquet", 3, OSError("disk full"))
    empty = dataset_module.letters_to_dataset([])
    with pytest.raises(OSError, match="disk full"):
        dataset_module.write_dataset(empty, out)
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == before
    assert [p.name for p in (out / ".sets").iterdir()] == [os.readlink(out / "current").split("/")[-1]]


def test_load_says_what_is_missing(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="run `lgsco parse` first"):
        lgsco.load(tmp_path)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")  # as a notebook run from elsewhere than its folder sees it
    with pytest.raises(FileNotFoundError) as raised:
        lgsco.load("../data/processed")
    said = str(raised.value)
    assert said.startswith(
        f"{tmp_path / 'data' / 'processed'} (../data/processed from {tmp_path / 'notebooks'}) has no "
    )


def test_parse_folder_needs_a_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="no folder of letters"):
        parse_folder(tmp_path / "absent")


def _one_letter_parsed(sample_corpus, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    letter = next(p for p in sorted(sample_corpus.glob("*-2018.pdf")))
    shutil.copy(letter, raw)
    shutil.copy(sample_corpus / "authorities.csv", raw)  # the fictional council's group
    parse_folder(raw, tmp_path / "out", workers=1)
    (entry,) = (tmp_path / "out" / ".cache").glob("*.json")
    return raw, entry, json.loads(entry.read_text())["letter"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "poison",
    [
        {"decisions": "upheld=9999"},  # a count edited: the checks no longer hold
        {"received_total": "lots"},  # a count of the wrong type
        {"status": "fine"},  # a status that is not one
        {"statistics": {"uphold_rate": {"value": "high"}}},  # a statistic of the wrong shape
        {"unknown_field": 1},  # a field no letter has
    ],
    ids=["edited-count", "wrong-type", "bad-status", "bad-statistic", "unknown-field"],
)
@pytest.mark.slow
def test_a_poisoned_cache_entry_is_parsed_again(sample_corpus, tmp_path, poison):
    raw, entry, good = _one_letter_parsed(sample_corpus, tmp_path)
    bad = dict(good)
    if poison.get("decisions") == "upheld=9999":
        bad["decisions"] = {**good["decisions"], "upheld": 9999}
    else:
        bad.update(poison)
    # with its checksum made again: the entry's own checks catch what the checksum does not
    entry.write_text(json.dumps({"checksum": cache._entry_checksum(bad), "letter": bad}))
    data = parse_folder(raw, tmp_path / "out", workers=1)
    assert data.letters["status"].tolist() == ["ok"]
    assert dict(zip(data.decisions["decision"], data.decisions["count"], strict=True)) == good["decisions"]
    assert json.loads(entry.read_text())["letter"] == good  # the entry replaced by a fresh parse


def test_a_folder_without_pdfs_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("no letters here")
    with pytest.raises(FileNotFoundError, match="no PDF files below"):
        parse_folder(tmp_path, tmp_path / "out")


@pytest.mark.slow
def test_a_chart_edit_reparses_nothing_and_a_reader_edit_reparses_everything(sample_corpus, tmp_path):
    """In a copy of the package: the parse cache follows the reading code and rules, not the charts."""
    import os
    import subprocess
    import sys

    from lgsco_analysis import paths, provenance

    copy = tmp_path / "copy"
    shutil.copytree(provenance.PACKAGE_DIR, copy / "lgsco_analysis", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(paths.REFERENCE_DIR, copy / "lgsco_analysis" / "reference")  # as an installed copy carries it
    raw = tmp_path / "raw"
    raw.mkdir()
    for letter in sorted(sample_corpus.glob("*.pdf"))[:2]:
        shutil.copy(letter, raw)
    out = tmp_path / "out"
    script = (
        "import sys, lgsco_analysis; from lgsco_analysis.dataset import parse_folder; "
        "assert lgsco_analysis.__file__.startswith(sys.argv[3]), lgsco_analysis.__file__; "
        "parse_folder(sys.argv[1], sys.argv[2], workers=1)"
    )
    environment = {**os.environ, "PYTHONPATH": str(copy)}

    def parse_and_list_the_cache() -> set[str]:
        command = [sys.executable, "-c", script, str(raw), str(out), str(copy)]
        subprocess.run(command, check=True, env=environment, cwd=tmp_path)  # not the checkout: its package would win
        return {path.name for path in (out / ".cache").rglob("*.json")}

    first = parse_and_list_the_cache()
    assert len(first) == 2
    with (copy / "lgsco_analysis" / "charts" / "style.py").open("a") as module:
        module.write("\nDARK_BLUE_AGAIN = 'a chart edit'\n")
    assert parse_and_list_the_cache() == first  # nothing parsed again
    with (copy / "lgsco_analysis" / "read" / "text_tables.py").open("a") as module:
        module.write("\nREADER_EDIT = 'a reader edit'\n")
    after_reader_edit = parse_and_list_the_cache()
    assert len(after_reader_edit - first) == 2  # every letter parsed again, under the new reading code's key
