from __future__ import annotations

import csv

import pytest

from lgsco_analysis.analysis import measures
from lgsco_analysis.analysis.measures import caveats_between, harmonise, series_breaks
from lgsco_analysis.dataset.groups import REFERENCE_TABLE, match_authorities, name_key
from lgsco_analysis.dataset.tables import parse_folder
from lgsco_analysis.rules.dictionary import caveats

from .conftest import shared_path


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("London Borough of Camden", "E09000007"),
        ("Camden", "E09000007"),
        ("Camden Council", "E09000007"),
        ("Brighton & Hove City Council", "E06000043"),
        ("Brighton and Hove", "E06000043"),
        ("St Helens Council", "E08000013"),
        ("St. Helens Metropolitan Borough Council", "E08000013"),
        ("Kent County Council", "E10000016"),
        ("Cambridgeshire County Council", "E10000003"),
        ("Buckinghamshire County Council", "E10000002"),
        ("City of London Corporation", "E09000001"),
        ("Newcastle upon Tyne City Council", "E08000021"),  # not the combined authority of the same alt name
        ("Newcastle-under-Lyme Borough Council", "E07000195"),
    ],
)
def test_real_council_names_match_whatever_the_spelling(spelling, code):
    assert match_authorities([spelling])["ons_code"].iloc[0] == code


def test_every_name_in_the_reference_table_matches_itself():
    with REFERENCE_TABLE.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if not row["end_date"]]
    matched = match_authorities([row["name"] for row in rows])
    assert (matched["group"] != "Unmatched").mean() > 0.97
    groups = dict(zip(matched["authority"], matched["group"], strict=True))
    assert groups["Birmingham City Council"] == "Metropolitan Boroughs"
    assert groups["Cornwall Council"] == "Unitary Councils"


def test_unknown_authorities_are_listed_not_dropped():
    matched = match_authorities(["Exampleshire County Council", "Kent County Council"])
    assert list(matched["group"]) == ["Unmatched", "County Councils"]


def test_a_user_table_is_consulted_first(tmp_path):
    table = tmp_path / "mine.csv"
    table.write_text("name,ons_code,group\nExampleshire County Council,,County Councils\n")
    assert match_authorities(["Exampleshire County Council"], extra=[table])["group"].iloc[0] == "County Councils"


def test_name_key_folds_spelling():
    assert name_key("St. Albans City & District Council") == name_key("St Albans City and District")


@pytest.mark.slow
def test_harmonised_measures_on_the_shared_letters():
    data = parse_folder(shared_path("letters"))
    h = harmonise(data).set_index(["source", "measure"])
    cambs = "cambridgeshire-county-council-2018.pdf"
    assert h.loc[(cambs, "investigated"), "value"] == 8 and h.loc[(cambs, "investigated"), "derived"]
    assert h.loc[(cambs, "not_for_us"), "value"] == 0 + 1 + 15
    assert h.loc[(cambs, "assessed_and_closed"), "value"] == 15
    assert not h.loc[(cambs, "uphold_rate"), "derived"]
    kent_like = "exampleshire-county-council-2025.pdf"
    assert h.loc[(kent_like, "not_for_us"), "value"] == 42 and not h.loc[(kent_like, "not_for_us"), "derived"]
    assert h.loc[(kent_like, "decided_total"), "value"] == 95
    assert ("exampleshire-county-council-2021.pdf", "received_total") not in h.index


def test_series_breaks_come_from_the_caveats_table(monkeypatch):
    assert [(c.year_ending, c.chart_label) for c in series_breaks()] == [
        (2021, "Covid pause"),
        (2023, "Fewer borderline cases investigated"),
    ]
    moved = tuple(c._replace(year_ending=2018) if c.year_ending == 2021 else c for c in caveats())
    monkeypatch.setattr(measures, "caveats", lambda: moved)
    assert [c.year_ending for c in series_breaks()] == [2018, 2023]
    assert "Covid" in caveats_between(2017, 2018) and caveats_between(2020, 2021) == ""


def test_an_authority_is_found_whatever_its_case_or_short_form_and_a_miss_names_the_closest():
    from lgsco_analysis.dataset.groups import find_authority
    from lgsco_analysis.errors import InvalidInput

    known = ["Kent County Council", "Whimsymere Borough Council", "Wimbledon District Council"]
    assert find_authority("Kent County Council", known) == "Kent County Council"
    assert find_authority("whimsymere borough council", known) == "Whimsymere Borough Council"
    assert find_authority("Kent", known) == "Kent County Council"
    with pytest.raises(InvalidInput, match=r"'Whimsymer Borough Council'; did you mean 'Whimsymere Borough Council'\?"):
        find_authority("Whimsymer Borough Council", known)
    with pytest.raises(InvalidInput, match=r"could be any of 'Kent County Council', 'Kent District Council'"):
        find_authority("kent", [*known, "Kent District Council"])
    with pytest.raises(InvalidInput, match=r"the data has 3 authorities"):
        find_authority("Atlantis", known)
