"""Tables read from word positions alone: no rules, no cells, only where each word sits.

Each test lays out words the way a producer might print a table (labels wrapped and
centred over their values, group headings, a notes box beside a table, a table broken
over a page) and pins the values a reader of the letter would read off it.
"""

from __future__ import annotations

from lgsco_analysis.read.pdf_content import Word
from lgsco_analysis.read.readings import Target, read_rows
from lgsco_analysis.read.text_tables import read_text_tables

SIZE = 8.0
GLYPH = 4.0  # a glyph's width at SIZE: words are as wide as their letters
SPACE = 2.0  # a word space: less than half the font size


def phrase(text: str, centre: float, baseline: float) -> list[Word]:
    """The words of ``text`` set on one line, centred on ``centre``, one word space apart."""
    width = sum(len(w) * GLYPH for w in text.split()) + SPACE * (len(text.split()) - 1)
    x, words = centre - width / 2, []
    for word in text.split():
        words.append(Word(word, x, x + len(word) * GLYPH, baseline, SIZE))
        x += len(word) * GLYPH + SPACE
    return words


def cell(lines: list[str], centre: float, middle: float) -> list[Word]:
    """A header cell: its lines centred on ``centre`` and stacked about the height ``middle``."""
    top = middle + (len(lines) - 1) * SIZE * 1.1 / 2
    return [w for i, line in enumerate(lines) for w in phrase(line, centre, top - i * SIZE * 1.1)]


def table(columns: list[tuple[list[str], str]], header_middle: float = 700, values_at: float = 680, pitch=60):
    """Words of a one-row table: each column's header lines over its value, ``pitch`` apart."""
    words = []
    for index, (lines, value) in enumerate(columns):
        centre = 60 + index * pitch
        words += cell(lines, centre, header_middle)
        if value:
            words += phrase(value, centre, values_at)
    return words


def values(page_words: dict[int, list[Word]]):
    tables = read_text_tables(page_words)
    facts = read_rows(tables.rows, "table")
    return {target: value for target, value in facts.items()}, facts.problems + tables.problems


RECEIVED = [
    (["Adult Care", "Services"], "14"),
    (["Benefits", "and Tax"], "0"),
    (["Corporate and", "Other Services"], "1"),
    (["Education and", "Children's", "Services"], "1,013"),
    (["Environ-", "ment Services"], "1"),
    (["Highways and", "Transport"], "8"),
    (["Housing"], "0"),
    (["Planning and", "Development"], "2"),
    (["Other"], "0"),
    (["Total"], "1,039"),
]


def test_columns_are_read_by_label_whatever_their_order():
    shuffled = [RECEIVED[i] for i in (9, 3, 0, 8, 1, 7, 2, 6, 4, 5)]
    found, problems = values({2: table(shuffled)})
    assert problems == []
    assert found[Target("received", "adult_care_services")] == 14
    assert found[Target("received", "education_and_childrens_services")] == 1013
    assert found[Target("received", "environment_services")] == 1  # hyphen-split over two lines
    assert found[Target("received", "other")] == 0
    assert found[Target("received", "received_total")] == 1039
    assert len(found) == 10


def test_heading_and_body_text_above_a_table_are_not_labels():
    words = table(RECEIVED)
    words += phrase("Complaints and enquiries received", 200, 730)
    words += phrase("For further information on how to interpret our statistics, please visit our website.", 300, 750)
    found, problems = values({2: words})
    assert problems == []
    assert found[Target("received", "housing")] == 0 and len(found) == 10


DECISIONS = [
    (["Incomplete or", "Invalid"], "1,052"),
    (["Advice", "Given"], "3"),
    (["Referred back", "for Local", "Resolution"], "15"),
    (["Closed After", "Initial Enquiries"], "15"),
    (["Not", "Upheld"], "2"),
    (["Upheld"], "6"),
    (["Uphold", "Rate"], ""),  # no detailed investigations worth a rate: the cell is blank
    (["Total"], "1,093"),
]


def test_group_heading_is_set_aside_and_a_blank_rate_is_absent():
    words = table(DECISIONS) + phrase("Detailed Investigations", 60 + 5 * 60, 722)
    found, problems = values({2: words})
    assert problems == []
    assert found[Target("decisions", "incomplete_or_invalid")] == 1052
    assert found[Target("decisions", "not_upheld")] == 2
    assert found[Target("decisions", "upheld")] == 6
    assert found[Target("decisions", "decisions_total")] == 1093
    assert Target("statistics", "uphold_rate", "value") not in found  # blank is absent, never zero


def test_a_printed_rate_is_read_as_a_statistic():
    with_rate = [*DECISIONS[:6], (["Uphold", "Rate"], "75%"), DECISIONS[7]]
    found, _ = values({2: table(with_rate)})
    assert found[Target("statistics", "uphold_rate", "value")] == 75.0


def test_two_labels_printed_together_are_told_apart():
    # One phrase, "Not Upheld Upheld", over two values: no rule or gap says where one label ends.
    words = phrase("Not Upheld Upheld", 100, 700) + phrase("3", 80, 680) + phrase("5", 124, 680)
    found, problems = values({2: words})
    assert problems == []
    assert found == {Target("decisions", "not_upheld"): 3, Target("decisions", "upheld"): 5}


NOTES = [
    "Notes",
    "Our uphold rate is calculated in relation to the total",
    "number of detailed investigations. We may uphold a",
    "complaint because we find fault without finding that",
    "the fault caused an injustice that ought to be remedied.",
]
REMEDIES = {
    Target("remedies", "remedied_by_ombudsman"): 49,
    Target("remedies", "remedied_by_authority_before_ombudsman"): 14,
}


def remedies_table(left: float) -> list[Word]:
    words = phrase("Complaints Remedied", left + 50, 712)
    words += cell(["by LGO"], left, 698) + cell(
        ["Satisfactorily by Authority", "before LGO Involvement"], left + 100, 698
    )
    return words + phrase("49", left, 683) + phrase("14", left + 100, 683)


def test_remedies_beside_a_notes_box_whose_lines_reach_under_a_label():
    # The notes' lines run on under "by LGO" (at other heights): they are not its header.
    notes = [w for i, line in enumerate(NOTES) for w in phrase(line, 200, 730 - i * 9)]
    assert max(w.x1 for w in notes) > 300 - 11  # the notes do reach under the label
    found, problems = values({2: notes + remedies_table(left=300)})
    assert problems == []
    assert found == REMEDIES


def test_remedies_beside_a_notes_line_on_the_level_of_the_values():
    # The notes' last line shares the values' baseline and ends 1.5 font sizes short of the first.
    last = phrase(NOTES[-1], 0, 683)
    shift = 300 - 2 - 1.5 * SIZE - last[-1].x1  # "49" starts 2 points left of its centre at 300
    notes = [Word(w.text, w.x0 + shift, w.x1 + shift, w.baseline, w.size) for w in last]
    found, problems = values({2: notes + remedies_table(left=300)})
    assert problems == []
    assert found == REMEDIES


def test_values_stacked_under_one_label_must_agree():
    second_row = [w for c, (_, value) in enumerate(RECEIVED) for w in phrase(value, 60 + c * 60, 680 - SIZE * 1.2)]
    found, problems = values({2: table(RECEIVED) + second_row})
    assert problems == [] and len(found) == 10  # the same values printed twice agree
    changed = [Word("3" if w.text == "8" else w.text, w.x0, w.x1, w.baseline, w.size) for w in second_row]
    found, problems = values({2: table(RECEIVED) + changed})
    assert Target("received", "highways_and_transport") not in found and len(found) == 9
    assert problems == ["highways and transport is printed as 8 (table on page 2) and as 3 (table on page 2): left out"]


def test_a_table_broken_over_a_page_takes_its_labels_from_the_page_before():
    footer = "SAMPLE LETTER: made-up figures, page {}"
    page_2 = table(RECEIVED, header_middle=90, values_at=-1000)  # the labels end page 2
    page_2 = [w for w in page_2 if w.baseline > 0] + phrase(footer.format(2), 300, 20)
    page_3 = [w for c, (_, value) in enumerate(RECEIVED) for w in phrase(value, 60 + c * 60, 760)]
    page_3 += phrase("Decisions made", 100, 730) + phrase(footer.format(3), 300, 20)
    found, problems = values({2: page_2, 3: page_3})
    assert problems == []
    assert found[Target("received", "highways_and_transport")] == 8 and len(found) == 10


def test_numbers_in_sentences_are_no_table():
    words = phrase("between 1 April 2020 to 31 March 2021", 200, 700)
    words += phrase("Statistics are based on a total of 61 detailed investigations", 200, 680)
    words += phrase("21 July 2021", 60, 760)
    assert read_text_tables({1: words}).rows == []


def test_a_justified_line_with_wide_spaces_is_no_table():
    # Stretched word spaces leave every word alone, numbers among them: still a sentence.
    words = [
        Word(w, 40 + i * 50, 40 + i * 50 + len(w) * GLYPH, 700, SIZE)
        for i, w in enumerate("from 1 April 2020 to 31 March 2021".split())
    ]
    assert read_text_tables({1: words}).rows == []


def test_a_misprinted_cell_is_a_problem_and_no_value():
    misprinted = [*RECEIVED[:2], (RECEIVED[2][0], "l"), *RECEIVED[3:]]
    found, problems = values({2: table(misprinted)})
    assert Target("received", "corporate_and_other_services") not in found
    assert problems == ["corporate and other services on page 2: 'l' is not a number"]
    assert found[Target("received", "adult_care_services")] == 14


def test_a_value_under_an_unknown_label_is_a_problem():
    found, problems = values({2: table([*RECEIVED[:9], (["Enquiries"], "12"), RECEIVED[9]])})
    assert problems == ["'12' on page 2 sits under no known label (under 'Enquiries')"]
    assert len(found) == 10


def test_two_values_under_one_label_are_left_out():
    # "Adult" overlaps "Care", which sits over the second value too: one column holds two values.
    words = phrase("Adult", 70, 710) + phrase("Care Services", 100, 700)
    words += phrase("14", 60, 680) + phrase("9", 125, 680) + cell(["Housing"], 200, 700) + phrase("3", 200, 680)
    found, problems = values({2: words})
    assert found == {Target("received", "housing"): 3}
    assert problems == ["'14' and '9' on page 2 sit under one heading: left out"]
