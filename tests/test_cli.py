from __future__ import annotations

import re
import shutil

import pytest

from lgsco_analysis.cli import main


def raw_with_a_letter_and(broken_name: str, sample_corpus, tmp_path):
    """A folder of letters: one good sample letter and an empty file named ``broken_name``."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(sorted(sample_corpus.glob("*.pdf"))[0], raw)
    shutil.copy(sample_corpus / "authorities.csv", raw)  # the fictional councils' groups
    (raw / broken_name).write_bytes(b"")
    return raw


@pytest.mark.slow
def test_parse_exits_0_with_failed_letters_and_1_when_strict(sample_corpus, tmp_path, capsys):
    raw = raw_with_a_letter_and("broken.pdf", sample_corpus, tmp_path)
    assert main(["parse", str(raw), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    output = capsys.readouterr().out
    assert "parsed 2 letters" in output and "1 ok, 0 warning, 1 error" in output
    assert "broken.pdf: empty file" in output
    assert main(["parse", str(raw), "--out", str(tmp_path / "out"), "--strict"]) == 1


def test_an_error_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("lgsco parse: no folder of letters")


def test_sample_command_writes_letters_and_truth(tmp_path, capsys):
    assert main(["sample", "--out", str(tmp_path), "--councils", "2", "--years", "2019-2020"]) == 0
    assert len(list(tmp_path.glob("*.pdf"))) == 4
    assert (tmp_path / "truth.json").exists()


def test_report_without_parsed_tables_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["report", "--processed", str(tmp_path / "empty"), "--out", str(tmp_path / "reports")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "run `lgsco parse` first" in error
    assert not (tmp_path / "reports").exists()


@pytest.mark.slow
def test_report_for_an_unknown_year_is_one_line_and_exit_2(report_corpus, tmp_path, capsys):
    assert main(["parse", str(report_corpus), "--out", str(tmp_path / "processed")]) == 0
    capsys.readouterr()
    arguments = ["report", "--processed", str(tmp_path / "processed"), "--out", str(tmp_path / "reports")]
    assert main([*arguments, "--year", "1999"]) == 2
    error = capsys.readouterr().err
    assert error == "lgsco report: no readable letters for the year ending 1999 (the data has 2024 to 2025)\n"


def test_version_comes_from_the_installed_package(capsys):
    import pytest

    import lgsco_analysis

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"lgsco-analysis {lgsco_analysis.__version__}\n"


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ("2030", "can be written for the years 2014 to 2025, not 2030"),
        ("1990", "can be written for the years 2014 to 2025, not 1990"),
        ("2025-2014", "the first year comes after the last"),
        ("abc", "takes a year or a range such as 2014-2025, not 'abc'"),
    ],
)
def test_sample_years_out_of_reach_are_one_line_and_write_nothing(years, message, tmp_path, capsys):
    out = tmp_path / "sample"
    assert main(["sample", "--out", str(out), "--years", years]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and message in error
    assert not out.exists()


def test_a_folder_without_pdfs_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["parse", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"lgsco parse: no PDF files below {tmp_path}: nothing to parse\n"


@pytest.mark.slow
def test_control_characters_in_file_names_are_shown_not_obeyed(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "evil\x1b[2J\x07.pdf").write_bytes(b"")
    assert main(["parse", str(raw), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    output = capsys.readouterr().out
    assert "\x1b" not in output and "\x07" not in output
    assert "evil\\x1b[2J\\x07.pdf: empty file" in output


def test_tables_of_another_schema_are_one_line_and_exit_2(tmp_path, capsys):
    import pandas as pd

    from lgsco_analysis.dataset.tables import OUTPUT_FILES

    for name in OUTPUT_FILES:
        pd.DataFrame({"source": ["x.pdf"]}).to_parquet(tmp_path / f"{name}.parquet")
    assert main(["report", "--processed", str(tmp_path), "--out", str(tmp_path / "reports")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "was not written by this version of `lgsco parse`" in error


def test_every_option_says_its_default(capsys):
    import pytest

    for command in ("parse", "report", "run", "sample"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        shown = capsys.readouterr().out
        assert shown.count("(default:") >= 4, command
        assert "(default: False)" not in shown and "(default: None)" not in shown, command  # flags, and no default
        assert "the default) (default:" not in " ".join(shown.split()), command  # said once


def test_the_help_shows_examples_without_markup_and_run_names_its_three_steps(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert "``" not in shown and "examples:" in shown and "lgsco run " in shown
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    steps = [line.split()[1] for line in capsys.readouterr().out.splitlines() if re.match(r"\s+\d\. ", line)]
    assert steps == ["parse", "export", "report"]


@pytest.mark.slow
def test_data_with_no_readable_letter_still_gives_its_data_quality_report(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "minutes.pdf").write_bytes(b"%PDF-1.4 not really")
    assert main(["run", str(raw), "--processed", str(tmp_path / "p"), "--out", str(tmp_path / "r")]) == 0
    assert "reports: 1 rendered, 0 unchanged (skipped), 0 failed" in capsys.readouterr().out


@pytest.mark.slow
def test_a_run_is_quiet_unless_asked_and_keeps_a_timestamped_log_when_told(sample_corpus, tmp_path, capsys):
    raw = raw_with_a_letter_and("broken\x1b[2J.pdf", sample_corpus, tmp_path)
    assert main(["parse", str(raw), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    assert capsys.readouterr().err == ""  # no log on stderr by default
    log = tmp_path / "logs" / "lgsco.log"
    arguments = ["--verbose", "--log-file", str(log), "parse", str(raw), "--out", str(tmp_path / "out")]
    assert main([*arguments, "--no-cache", "--workers", "1"]) == 0
    stderr = capsys.readouterr().err
    assert "\x1b" not in stderr and "broken\\x1b[2J.pdf: empty file" in stderr
    lines = log.read_text().splitlines()
    assert all(
        re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} (INFO|WARNING) lgsco_analysis", line) for line in lines
    )
    text = "\n".join(lines)
    assert "lgsco parse (lgsco-analysis" in text
    assert "2 letters below" in text and "parsed: 1 ok, 0 warning, 1 error" in text
    assert "tables written to" in text


def test_a_foreseen_error_shows_its_traceback_only_with_verbose(tmp_path, capsys):
    assert main(["--verbose", "parse", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert "Traceback (most recent call last)" in error and "MissingInput: no folder of letters" in error
    assert error.rstrip().endswith(f"lgsco parse: no folder of letters at {tmp_path / 'nowhere'}")


def test_a_fault_in_lgsco_is_not_passed_off_as_a_foreseen_error(monkeypatch, tmp_path, capsys):
    from lgsco_analysis.dataset import tables

    def broken(*args, **kwargs):
        raise KeyError("investigated")  # a bug, not bad input

    monkeypatch.setattr(tables, "parse_folder", broken)
    log = tmp_path / "run.log"
    raw = tmp_path / "raw"
    raw.mkdir()
    assert main(["--log-file", str(log), "parse", str(raw), "--out", str(tmp_path / "out")]) == 3
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith("lgsco parse: internal error (KeyError: 'investigated'); the traceback is in ")
    assert str(log) in error and "raise KeyError" in log.read_text()


@pytest.mark.parametrize(
    ("arguments", "suggestion"),
    [
        (["parse", "--wokers", "2"], "; did you mean --workers?"),
        (["reprot"], "; did you mean report?"),
        (
            ["parse", "raw", "--processed", "p"],
            "--processed p; --processed is an option of lgsco report, run, export\n",
        ),
    ],
)
def test_a_mistyped_option_or_command_gets_a_suggestion(arguments, suggestion, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(arguments)
    error = capsys.readouterr().err
    assert stopped.value.code == 2 and suggestion in error
    assert error.count("did you mean") <= 1  # nothing for the value given with an option
