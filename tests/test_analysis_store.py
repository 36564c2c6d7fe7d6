"""The analysis a report run shares: used only when made from the same tables by the same code."""

from __future__ import annotations

import pandas as pd

from lgsco_analysis.analysis import store as analysis_store
from lgsco_analysis.analysis import views
from lgsco_analysis.analysis.store import KEY_FILE, load_analysis, save_analysis
from lgsco_analysis.dataset.tables import data_sha256, write_dataset

from . import hand_built


def _written(tmp_path):
    processed = tmp_path / "processed"
    write_dataset(hand_built.dataset(), processed)
    return processed


def test_the_stored_analysis_is_the_computed_one(tmp_path):
    processed = _written(tmp_path)
    computed = load_analysis(processed)  # no folder: computed here
    save_analysis(computed, tmp_path / "analysis", data_sha256(processed))
    stored = load_analysis(processed, tmp_path / "analysis")
    for name in analysis_store.TABLES:
        pd.testing.assert_frame_equal(
            getattr(stored, name), getattr(computed, name), check_dtype=False, check_column_type=False
        )
    assert views.national_change(stored, 2019).equals(views.national_change(computed, 2019))


def test_a_stored_analysis_of_other_data_or_code_is_not_used(tmp_path, monkeypatch):
    processed = _written(tmp_path)
    analysis = load_analysis(processed)
    wrong = analysis.funnel.assign(funnel_class="above 99.8%")
    save_analysis(views.Analysis(analysis.data, analysis.measures, analysis.groups, wrong), tmp_path / "a", "other")
    assert set(load_analysis(processed, tmp_path / "a").funnel["funnel_class"]) == {"within"}
    save_analysis(
        views.Analysis(analysis.data, analysis.measures, analysis.groups, wrong), tmp_path / "a", data_sha256(processed)
    )
    assert set(load_analysis(processed, tmp_path / "a").funnel["funnel_class"]) == {"above 99.8%"}  # same data: used
    monkeypatch.setattr(analysis_store, "code_sha256", lambda parts=None: "another version of the code")
    assert set(load_analysis(processed, tmp_path / "a").funnel["funnel_class"]) == {"within"}
    (tmp_path / "a" / KEY_FILE).write_text("not json")
    assert set(load_analysis(processed, tmp_path / "a").funnel["funnel_class"]) == {"within"}
