from __future__ import annotations

import shutil

from lgsco_analysis.cli import main


def test_parse_exits_0_with_failed_letters_and_1_when_strict(sample_corpus, tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(sorted(sample_corpus.glob("*.pdf"))[0], raw)
    (raw / "broken.pdf").write_bytes(b"")
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


def test_report_for_an_unknown_year_is_one_line_and_exit_2(report_corpus, tmp_path, capsys):
    assert main(["parse", str(report_corpus), "--out", str(tmp_path / "processed")]) == 0
    capsys.readouterr()
    arguments = ["report", "--processed", str(tmp_path / "processed"), "--out", str(tmp_path / "reports")]
    assert main([*arguments, "--year", "1999"]) == 2
    error = capsys.readouterr().err
    assert error == "lgsco report: no readable letters for the year ending 1999 (the data has 2024 to 2025)\n"
