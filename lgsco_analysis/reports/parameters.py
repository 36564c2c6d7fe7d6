"""A report notebook's parameters, checked before it uses them: a mistyped name or a value of the wrong
type fails the notebook with one line naming the fix, rather than rendering the default council.

The parameters cell declares each one as ``name: type = value  # what it means`` (papermill's
convention); those annotations are the list of what may be passed. papermill writes what it is
given as plain assignments in the cell after it, so a name there without an annotation was
mistyped, or is not a parameter of this notebook.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Mapping
from typing import Any

from ..errors import InvalidInput

INTERACTIVE_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "open"})
"""What IPython puts in a notebook's namespace besides names starting with "_"."""


def check_parameters(namespace: Mapping[str, Any]) -> None:
    """Raise InvalidInput for a name given to the notebook that its parameters cell does not declare,
    or a parameter whose value is not of its declared type. Call it first thing after the parameters."""
    declared: dict[str, Any] = dict(namespace.get("__annotations__", {}))
    for name, value in namespace.items():
        if name.startswith("_") or name in INTERACTIVE_NAMES or name in declared:
            continue
        if inspect.ismodule(value) or inspect.isroutine(value) or inspect.isclass(value):
            continue
        close = difflib.get_close_matches(name, declared, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise InvalidInput(
            f"{name!r} is not a parameter of this notebook: {hint}its parameters are {', '.join(declared)}"
        )
    for name, kind in declared.items():
        value = namespace.get(name)
        if isinstance(kind, type) and not isinstance(value, kind):
            raise InvalidInput(
                f"parameter {name!r} is {value!r}, not {kind.__name__}: give it as papermill -p {name} VALUE "
                f"(-p reads numbers as numbers; -r passes text)"
            )
