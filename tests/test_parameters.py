"""A notebook's parameters are checked before they are used: a mistyped name or a wrong type is one clear line."""

from __future__ import annotations

import papermill
import pytest

from lgsco_analysis import paths
from lgsco_analysis.errors import InvalidInput
from lgsco_analysis.reports.parameters import check_parameters

DECLARED = {"processed_dir": str, "authority": str, "year": int}


def _namespace(**given) -> dict:
    """A notebook's namespace after its parameters cell and papermill's cell: IPython's names, an import."""
    namespace = {"__annotations__": dict(DECLARED), "_i1": "", "In": [], "Out": {}, "get_ipython": print}
    namespace |= {"processed_dir": "../data/processed", "authority": "Kent County Council", "year": 2025}
    namespace |= {"check_parameters": check_parameters, "pytest": pytest}
    return namespace | given


def test_declared_parameters_of_their_types_pass():
    check_parameters(_namespace())
    check_parameters(_namespace(year=2019, authority="kent"))


def test_a_mistyped_name_is_refused_with_the_closest_parameter():
    with pytest.raises(InvalidInput) as raised:
        check_parameters(_namespace(authorty="Kent"))
    assert str(raised.value) == (
        "'authorty' is not a parameter of this notebook: did you mean 'authority'? "
        "its parameters are processed_dir, authority, year"
    )
    with pytest.raises(InvalidInput, match=r"^'colour' is not a parameter of this notebook: its parameters are"):
        check_parameters(_namespace(colour="blue"))


def test_a_value_of_the_wrong_type_is_refused_saying_how_to_pass_it():
    with pytest.raises(InvalidInput) as raised:
        check_parameters(_namespace(year="2025"))
    assert str(raised.value).startswith("parameter 'year' is '2025', not int: give it as papermill -p year VALUE")


@pytest.mark.slow
def test_papermill_given_a_mistyped_parameter_fails_the_notebook_before_it_renders(sample_processed, tmp_path):
    for given, said in (
        ({"authorty": "Sampleton District Council"}, "did you mean 'authority'?"),
        ({"year": "2025"}, "parameter 'year' is '2025', not int"),
    ):
        with pytest.raises(papermill.PapermillExecutionError, match=said):
            papermill.execute_notebook(
                str(paths.NOTEBOOKS_DIR / "authority_profile.ipynb"),
                str(tmp_path / "out.ipynb"),
                parameters={"processed_dir": str(sample_processed), **given},
                kernel_name="python3",
                progress_bar=False,
            )
