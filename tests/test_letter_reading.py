"""How tables and sentences become values: label-led, order-free, never guessed."""

from __future__ import annotations

from lgsco_analysis.read.letter import parse_content, read_text
from lgsco_analysis.read.pdf_content import PdfContent
from lgsco_analysis.read.readings import Facts, Target, confirm_with, read_rows
from lgsco_analysis.read.ruled_tables import Table, grid_rows, join_broken_tables
from lgsco_analysis.rules.formats import flatten_text

RECEIVED_HEADER = [
    "Adult Care\nServices",
    "Benefits\nand Tax",
    "Corporate and\nOther Services",
    "Education and\nChildren's Services",
    "Environment\nServices",
    "Highways and\nTransport",
    "Housing",
    "Planning and\nDevelopment",
    "Other",
    "Total",
]


def grid_values(cells, page=2):
    return read_rows(grid_rows(Table(page=page, cells=cells)), "ruled")


def test_columns_are_read_by_label_not_position():
    order = [9, 3, 0, 8, 1, 7, 2, 6, 4, 5]
    values = ["14", "0", "1", "13", "1", "8", "0", "2", "0", "39"]
    facts = grid_values([[RECEIVED_HEADER[i] for i in order], [values[i] for i in order]])
    assert facts.get(Target("received", "adult_care_services")) == 14
    assert facts.get(Target("received", "education_and_childrens_services")) == 13
    assert facts.get(Target("received", "received_total")) == 39


def test_header_split_over_rows_and_group_headings():
    cells = [
        ["", "", "Detailed Investigations", "", "", ""],
        ["Incomplete or", "Advice", "Not", "", "Uphold", ""],
        ["Invalid", "Given", "Upheld", "Upheld", "Rate", "Total"],
        ["1,052", "3", "2", "6", "75%", "1,063"],
    ]
    facts = grid_values(cells)
    assert facts.get(Target("decisions", "incomplete_or_invalid")) == 1052
    assert facts.get(Target("decisions", "not_upheld")) == 2
    assert facts.get(Target("decisions", "upheld")) == 6
    assert facts.get(Target("statistics", "uphold_rate", "value")) == 75
    assert facts.get(Target("decisions", "decisions_total")) == 1063


def test_blank_rate_is_absent_not_zero():
    for mark in ("", "-", "N/A"):
        facts = grid_values([["Not Upheld", "Upheld", "Uphold Rate"], ["0", "0", mark]])
        assert facts.get(Target("statistics", "uphold_rate", "value")) is None
        assert facts.get(Target("decisions", "upheld")) == 0


def test_unreadable_cell_is_a_problem_and_no_value():
    facts = grid_values([RECEIVED_HEADER, ["14", "0", "l", "13", "1", "8", "0", "2", "0", "39"]])
    assert not facts.has(Target("received", "corporate_and_other_services"))
    assert any("corporate and other services" in problem for problem in facts.problems)


def test_table_broken_over_a_page_is_joined():
    tables = [Table(page=2, cells=[RECEIVED_HEADER]), Table(page=3, cells=[[str(i) for i in range(10)]])]
    joined = join_broken_tables(tables)
    assert len(joined) == 1
    facts = grid_values(joined[0].cells)
    assert facts.get(Target("received", "other")) == 8


def test_same_value_printed_twice_differently_is_dropped():
    facts = Facts()
    facts.add(Target("decisions", "upheld"), 5, "table")
    facts.add(Target("decisions", "upheld"), 6, "text")
    assert not facts.has(Target("decisions", "upheld"))
    assert "upheld" in facts.problems[0]


FORMAT_C = (
    "Complaints upheld Compliance with Ombudsman recommendations Satisfactory remedy provided by the Council "
    "87% of complaints we investigated were upheld. This compares to an average of 80% in similar "
    "authorities. 53 upheld decisions Adjusted for Kent County Council's population, this is 3.4 upheld "
    "decisions per 100,000 residents. The average for authorities of this type is 3.4 upheld decisions per "
    "100,000 residents. Statistics are based on a total of 61 detailed investigations for the period "
    "between 1 April 2022 to 31 March 2023 "
    "100% of cases we were satisfied the authority had successfully implemented our recommendations. This "
    "compares to an average of 100% in similar authorities. Statistics are based on a total of 51 "
    "compliance outcomes for the period between 1 April 2022 to 31 March 2023 "
    "In 8% of upheld cases we found the Council had provided a satisfactory remedy before the complaint "
    "reached the Ombudsman. This compares to an average of 6% in similar authorities. 4 satisfactory "
    "remedy decisions Statistics are based on a total of 53 detailed investigations for the period"
)


def test_format_c_sentences_give_each_statistic_its_own_base():
    facts = Facts()
    read_text(flatten_text(FORMAT_C), facts)
    assert facts.get(Target("statistics", "uphold_rate", "value")) == 87
    assert facts.get(Target("statistics", "uphold_rate", "similar_average")) == 80
    assert facts.get(Target("statistics", "uphold_rate", "base")) == 61
    assert facts.get(Target("decisions", "upheld")) == 53
    assert facts.get(Target("decisions", "investigated")) == 61
    assert facts.get(Target("statistics", "upheld_per_100k", "value")) == 3.4
    assert facts.get(Target("statistics", "upheld_per_100k", "similar_average")) == 3.4
    assert facts.get(Target("statistics", "compliance_rate", "base")) == 51
    assert facts.get(Target("statistics", "satisfactory_remedy_rate", "base")) == 53  # mislabelled in 2023
    assert facts.get(Target("remedies", "remedied_by_authority_before_ombudsman")) == 4
    assert facts.problems == []


def test_format_d_stray_percent_after_per_100k_is_ignored():
    text = (
        "Between 1 April 2024 to 31 March 2025, we dealt with 1,291 complaints. We investigated 76 "
        "complaints and upheld 63. 83% of complaints we investigated were upheld. This compares to an "
        "average of 89% in similar organisations. 5.8% upheld decisions per 100,000 residents. The "
        "average for authorities of this type is 3.9 upheld decisions per 100,000 residents."
    )
    facts = Facts()
    read_text(text, facts)
    assert facts.get(Target("decisions", "decisions_total")) == 1291
    assert facts.get(Target("decisions", "investigated")) == 76
    assert facts.get(Target("decisions", "upheld")) == 63
    assert facts.get(Target("statistics", "upheld_per_100k", "value")) == 5.8
    assert facts.get(Target("statistics", "upheld_per_100k", "similar_average")) == 3.9
    assert facts.get(Target("statistics", "uphold_rate", "base")) == 76


def test_words_hyphen_split_across_lines_are_rejoined():
    assert flatten_text("we investi-\r\ngated were\nupheld") == "we investigated were upheld"


def test_letter_naming_with_a_wrapped_heading():
    page = (
        "Chief Executive\r\nLondon Borough of Sampleton\r\n\r\nDear Chief Executive,\r\n"
        "Your council's performance: London Borough of\r\nSampleton\r\n"
        "Statistics for the year ending 31 March 2022.\r\n"
        "The Ombudsman. 50% of complaints we investigated were upheld."
    )
    letter = parse_content(PdfContent(page_texts=[page]), "x.pdf", "0")
    assert letter.authority == "London Borough of Sampleton"
    assert letter.year_ending == 2022
    assert letter.format == "C"


def test_a_text_that_is_no_letter_is_an_error():
    letter = parse_content(PdfContent(page_texts=["Minutes of the parish council, 3 May."]), "x.pdf", "0")
    assert letter.status == "error"
    assert "not an LGSCO annual review letter" in letter.problems[0]
    assert letter.received == {} and letter.statistics == {}


RULED = Table(page=2, cells=[["Not Upheld", "Upheld", "Uphold Rate"], ["3", "5", "63%"]])


def text_facts(**values):
    facts = Facts()
    for name, value in values.items():
        target = Target("statistics", "uphold_rate", "value") if name == "uphold_rate" else Target("decisions", name)
        facts.add(target, value, "table on page 2")
    return facts


def test_readers_that_agree_confirm_every_value():
    facts = text_facts(not_upheld=3, upheld=5, uphold_rate=63.0)
    assert confirm_with(facts, read_rows(grid_rows(RULED), "ruled")) == 3
    assert facts.problems == [] and len(facts) == 3


def test_readers_that_disagree_leave_the_value_out_naming_both_readings():
    facts = text_facts(not_upheld=3, upheld=6, uphold_rate=63.0)
    assert confirm_with(facts, read_rows(grid_rows(RULED), "ruled")) == 2
    assert not facts.has(Target("decisions", "upheld"))
    assert facts.problems == [
        "upheld is read as 6 from the text layer (table on page 2) and as 5 from the ruling lines "
        "(ruled on page 2): left out"
    ]


def test_a_value_only_the_ruling_lines_give_is_left_out():
    facts = text_facts(not_upheld=3, uphold_rate=63.0)
    confirm_with(facts, read_rows(grid_rows(RULED), "ruled"))
    assert not facts.has(Target("decisions", "upheld"))
    assert facts.problems == [
        "upheld is read as 5 from the ruling lines (ruled on page 2) but not from the text layer: left out"
    ]


def test_a_blank_cell_is_no_disagreement():
    blank = Table(page=2, cells=[["Not Upheld", "Upheld", "Uphold Rate"], ["0", "0", ""]])
    facts = text_facts(not_upheld=0, upheld=0)
    assert confirm_with(facts, read_rows(grid_rows(blank), "ruled")) == 2
    assert facts.problems == []


FORMAT_C_PAGE = (
    "Your council's performance: Exampleshire County Council\r\n"
    "Statistics for the year ending 31 March 2022.\r\n"
    "Complaints upheld\r\n"
    "50% of complaints we investigated were upheld. This compares to an average of 71% in similar "
    "authorities. 2 upheld decisions Statistics are based on a total of 4 detailed investigations\r\n"
)


def test_a_table_whose_heading_is_printed_but_not_read_is_a_warning():
    page = FORMAT_C_PAGE + "Complaints and enquiries received\r\nAdult Care Services Housing\r\n"
    letter = parse_content(PdfContent(page_texts=[page]), "x.pdf", "0")
    assert letter.format == "C" and letter.printed_tables == ["received"]
    assert letter.status == "warning"
    assert letter.problems == [
        "the complaints received table is missing (its heading is printed, but no values were read under it)"
    ]


def test_a_heading_inside_a_sentence_expects_no_table():
    body = "The enclosed tables present the number of\r\ncomplaints and enquiries received about your authority.\r\n"
    letter = parse_content(PdfContent(page_texts=[body + FORMAT_C_PAGE]), "x.pdf", "0")
    assert letter.printed_tables == [] and letter.status == "ok", letter.problems


COMPLIANCE = (
    "Compliance with Ombudsman recommendations\r\n"
    "In 100% of cases we were satisfied the Council had successfully implemented our recommendations. "
    "This compares to an average of 99% in similar authorities. Statistics are based on a total of 3 "
    "compliance outcomes for the period between 1 April 2021 to 31 March 2022\r\n"
)


def test_a_statistic_whose_words_are_printed_but_whose_figure_was_not_read_is_a_warning():
    letter = parse_content(PdfContent(page_texts=[FORMAT_C_PAGE + COMPLIANCE]), "x.pdf", "0")
    assert letter.status == "ok", letter.problems
    assert letter.statistics["compliance_rate"] == {"value": 100.0, "similar_average": 99.0, "base": 3}
    # The sentence broken as a damaged text layer breaks it (here a ligature left as two strange characters):
    damaged = COMPLIANCE.replace("satisfied", "satis\u6600\u6900ed-")
    letter = parse_content(PdfContent(page_texts=[FORMAT_C_PAGE + damaged]), "x.pdf", "0")
    assert "compliance_rate" not in letter.statistics
    assert letter.status == "warning"
    assert letter.problems == [
        "the letter prints 'Compliance with Ombudsman recommendations', but its compliance rate was not read",
        "the letter prints 'compares to an average of' twice, but only 1 of the figures it introduces "
        "(uphold rate average for similar authorities, compliance rate average for similar authorities, "
        "satisfactory remedy rate average for similar authorities) were read",
        "the letter prints 'Statistics are based on a total of' twice, but only 1 of the figures it introduces "
        "(uphold rate base, compliance rate base, satisfactory remedy rate base) were read",
    ]


def test_an_average_sentence_with_its_figure_unread_is_a_warning_in_format_c_too():
    page = FORMAT_C_PAGE.replace("average of 71%", "average of seventy-one per cent")
    letter = parse_content(PdfContent(page_texts=[page]), "x.pdf", "0")
    assert letter.statistics["uphold_rate"]["similar_average"] is None
    assert letter.status == "warning" and "'compares to an average of' once, but only 0" in letter.problems[0]


def test_the_second_reader_reads_a_ruled_letter(tmp_path):
    """camelot (>= 2, for engine="vector") confirms every table of a ruled letter: a camelot that
    cannot read fails here, rather than leaving every letter read by the text layer alone."""
    from lgsco_analysis import parse_letter
    from lgsco_analysis.sample.corpus import write_sample_corpus

    (path,) = write_sample_corpus(tmp_path, seed=3, councils=1, years=range(2018, 2019), tables="ruled")
    letter = parse_letter(path)
    assert (letter.status, letter.tables_read_by) == ("ok", "text+camelot"), letter.problems
