"""Each check on a letter, failing and passing."""

from __future__ import annotations

from lgsco_analysis.read.checks import (
    CHECKS,
    check_authority_name,
    check_decisions_add_up,
    check_expected_tables,
    check_found,
    check_printed_figures,
    check_rates_in_range,
    check_received_adds_up,
    check_uphold_rate,
)
from lgsco_analysis.read.record import Letter
from lgsco_analysis.rules.vocabulary import RECEIVED_CATEGORIES

from .hand_built import kent_2025


def letter_a(**changes) -> Letter:
    letter = Letter(
        source="x.pdf",
        sha256="0",
        authority="Exampleshire County Council",
        year_ending=2018,
        format="A",
        received=dict.fromkeys(RECEIVED_CATEGORIES, 2),
        received_total=18,
        decisions={
            "incomplete_or_invalid": 1,
            "advice_given": 1,
            "referred_back_for_local_resolution": 2,
            "closed_after_initial_enquiries": 3,
            "not_upheld": 3,
            "upheld": 5,
        },
        decisions_total=15,
        remedies={"remedied_by_ombudsman": 4, "remedied_by_authority_before_ombudsman": 1},
        statistics={"uphold_rate": {"value": 63.0, "similar_average": None, "base": 8}},
    )
    for name, value in changes.items():
        setattr(letter, name, value)
    return letter


letter_d = kent_2025


def test_a_consistent_letter_passes_every_check():
    assert len(CHECKS) == 8  # a new check gets its own failing tests below
    for check in CHECKS:
        assert check(letter_a()) == [], check.__name__
        assert check(letter_d()) == [], check.__name__


def test_categories_must_add_up_to_the_received_total():
    assert "add up to 18, not the printed total 19" in check_received_adds_up(letter_a(received_total=19))[0]


def test_format_a_decisions_must_add_up():
    assert "add up to 15, not the printed total 16" in check_decisions_add_up(letter_a(decisions_total=16))[0]


def test_format_d_overview_must_add_up():
    problem = check_decisions_add_up(letter_d(decisions_total=290))[0]
    assert "not for us + assessed and closed + investigated add up to 291" in problem


def test_printed_uphold_rate_must_match_after_rounding():
    assert (
        check_uphold_rate(letter_a(statistics={"uphold_rate": {"value": 62.5, "similar_average": None, "base": 8}}))
        == []
    )
    problem = check_uphold_rate(
        letter_a(statistics={"uphold_rate": {"value": 70.0, "similar_average": None, "base": 8}})
    )
    assert "does not match 5 upheld of 8" in problem[0]


def test_upheld_cannot_exceed_investigated():
    letter = letter_d(decisions={"not_for_us": 87, "assessed_and_closed": 128, "investigated": 76, "upheld": 80})
    assert "80 upheld is more than the 76 investigated" in check_uphold_rate(letter)[0]


def test_rates_must_lie_between_0_and_100():
    letter = letter_d(statistics={"uphold_rate": {"value": 830.0, "similar_average": 89.0, "base": 76}})
    assert "outside 0 to 100" in check_rates_in_range(letter)[0]


def test_authority_and_year_must_be_found():
    problems = check_found(letter_a(authority=None, year_ending=None))
    assert problems == ["the authority's name was not found", "the year the letter covers was not found"]
    assert "unexpected" in check_found(letter_a(year_ending=2023))[0]


def test_missing_tables_are_reported():
    assert check_expected_tables(letter_a(decisions={}, remedies={})) == [
        "the decisions table is missing",
        "the complaints remedied table is missing",
    ]
    assert check_expected_tables(letter_a(year_ending=2015, remedies={})) == []  # printed from 2016 only
    partial = letter_a(received={"housing": 2, "other": 0}, received_total=None)
    assert check_expected_tables(partial) == [
        "the complaints received table is incomplete (no adult_care_services, benefits_and_tax, "
        "corporate_and_other_services, education_and_childrens_services, environment_services, "
        "highways_and_transport, planning_and_development, total)"
    ]
    assert check_expected_tables(letter_d(decisions={"upheld": 63}, decisions_total=None)) == [
        "the complaint overview table is incomplete (no not_for_us, assessed_and_closed, investigated, total)"
    ]


def test_a_table_whose_heading_is_printed_must_be_read():
    letter_c = letter_d(
        format="C", year_ending=2022, decisions={"upheld": 63, "investigated": 76}, decisions_total=None
    )
    assert check_expected_tables(letter_c) == []
    letter_c.printed_tables = ["received"]
    assert check_expected_tables(letter_c) == [
        "the complaints received table is missing (its heading is printed, but no values were read under it)"
    ]


def _printed(*rules: tuple[str, list[str]]) -> dict[str, list[str]]:
    """``Letter.printed_figures`` for the rules whose words are given (each as printed)."""
    from lgsco_analysis.rules.formats import PRINTED_FIGURES

    known = {rule.words for rule in PRINTED_FIGURES}
    assert {words for words, _ in rules} <= known
    return dict(rules)


def test_words_printed_without_their_figure_make_a_warning_naming_it():
    compliance = _printed(("Compliance with Ombudsman recommendations", ["Compliance with Ombudsman recommendations"]))
    problems = check_printed_figures(letter_d(printed_figures=compliance))
    assert problems == [
        "the letter prints 'Compliance with Ombudsman recommendations', but its compliance rate was not read"
    ]
    read = {"value": 100.0, "similar_average": None, "base": 4}
    statistics = {**letter_d().statistics, "compliance_rate": read}
    assert check_printed_figures(letter_d(printed_figures=compliance, statistics=statistics)) == []


def test_each_average_printed_must_be_read():
    printed = _printed(("compares to an average of", ["compares to an average of"] * 2))
    problems = check_printed_figures(letter_d(printed_figures=printed))  # one average read (the uphold rate's)
    assert len(problems) == 1
    assert problems[0].startswith("the letter prints 'compares to an average of' twice, but only 1 of the figures")
    assert "uphold rate average for similar authorities" in problems[0]
    once = _printed(("compares to an average of", ["compares to an average of"]))
    assert check_printed_figures(letter_d(printed_figures=once)) == []


def test_overview_labels_and_counts_printed_must_be_read():
    printed = _printed(
        ("Not for us", ["Not for us"]), ("we dealt with [\\d,]+ complaints", ["we dealt with 291 complaints"])
    )
    assert check_printed_figures(letter_d(printed_figures=printed)) == []
    decisions = {"assessed_and_closed": 128, "investigated": 76, "upheld": 63}
    problems = check_printed_figures(letter_d(printed_figures=printed, decisions=decisions, decisions_total=None))
    assert problems == [
        "the letter prints 'we dealt with 291 complaints', but its decisions total was not read",
        "the letter prints 'Not for us', but its not for us was not read",
    ]


def test_an_introduction_printed_three_times_says_so():
    printed = _printed(("compares to an average of", ["compares to an average of"] * 3))
    assert "' 3 times, but only 1 of the figures" in check_printed_figures(letter_d(printed_figures=printed))[0]


def test_a_name_in_two_scripts_is_a_look_alike_named_as_such():
    cyrillic_a = "\u0430"  # looks like the Latin "a"
    problems = check_authority_name(letter_a(authority=f"C{cyrillic_a}fe District Council"))
    assert len(problems) == 1 and "mixes letters of scripts Latin and Cyrillic" in problems[0]
    assert check_authority_name(letter_a(authority="Café District Council")) == []  # accents are Latin


def test_a_name_longer_than_any_council_s_is_a_problem():
    assert check_authority_name(letter_a(authority="A" * 82 + " Council")) == []
    problems = check_authority_name(letter_a(authority="A" * 91))
    assert len(problems) == 1 and "91 characters long" in problems[0]


def test_a_name_cut_short_from_a_wrapped_heading_is_a_problem():
    problems = check_authority_name(letter_a(authority="Long Long Long Long Long"))
    assert len(problems) == 1 and "does not end as a council's does" in problems[0]
    for name in ("London Borough of Camden", "City of London Corporation", "Greater London Authority"):
        assert check_authority_name(letter_a(authority=name)) == [], name
