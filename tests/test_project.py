"""The project's own files: dependencies in step, README's two commands, clean notebooks."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
import yaml

from .conftest import PROJECT_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_lists_the_runtime_dependencies_of_pyproject():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    environment = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    listed = {_name(line) for line in pip_section if not line.startswith("-e ")}
    assert listed == runtime


def test_readme_gives_the_two_commands_and_ci_calls_the_test_one():
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text()


def test_notebooks_are_stored_without_outputs():
    for path in (PROJECT_ROOT / "notebooks").glob("*.ipynb"):
        notebook = json.loads(path.read_text())
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, path.name


def _package_imports(top_level_only: bool = True) -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports: at its top level, or anywhere."""
    import ast

    package = PROJECT_ROOT / "lgsco_analysis"
    graph: dict[str, set[str]] = {}
    files = sorted(package.rglob("*.py"))
    modules = {".".join(f.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__") for f in files}
    for path in files:
        module = ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = set()
        for node in tree.body if top_level_only else ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.level):
                continue
            parts = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
            base = ".".join(parts[: len(parts) - node.level + 1])
            target = f"{base}.{node.module}" if node.module else base
            candidates = [f"{target}.{alias.name}" for alias in node.names] + ([target] if node.module else [])
            found.update(name for name in candidates if name in modules)
        graph[module] = found - {module}
    return graph


def test_no_module_is_long_and_no_import_goes_round_in_a_cycle():
    if PROJECT_ROOT.name == "mutants":
        pytest.skip("under mutation testing (make mutation) the modules are rewritten, many times longer")
    longest = max((len(p.read_text().splitlines()), p.name) for p in (PROJECT_ROOT / "lgsco_analysis").rglob("*.py"))
    assert longest[0] <= 400, longest
    graph = _package_imports()
    assert graph["lgsco_analysis.reports.run"] >= {"lgsco_analysis.reports.plan", "lgsco_analysis.analysis.views"}
    visiting, done = set(), set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in visiting, " -> ".join([*path, module])
        if module in done:
            return
        visiting.add(module)
        for imported in graph.get(module, ()):
            visit(imported, (*path, module))
        visiting.discard(module)
        done.add(module)

    for module in graph:
        visit(module, ())


STAGES = ("rules", "fetch", "read", "dataset", "analysis", "charts", "exports", "reports", "sample")
"""The pipeline's stages, lowest first: a stage imports only the stages before it."""
BELOW_EVERY_STAGE = {"paths", "sets", "workers", "provenance", "errors", "logs"}
"""Modules at the top of the package that every stage may use, and that import no stage."""


def _stage(module: str) -> int:
    part = module.split(".")[1] if "." in module else ""
    if part in STAGES:
        return STAGES.index(part)
    return -1 if part in BELOW_EVERY_STAGE else len(STAGES)  # cli and the package's __init__ sit on top


def test_the_tree_is_the_pipeline_and_no_stage_imports_a_higher_one():
    package = PROJECT_ROOT / "lgsco_analysis"
    top = {p.stem for p in package.glob("*.py")} - {"__init__"}
    assert top == {"cli", *BELOW_EVERY_STAGE}, f"modules outside a stage: {sorted(top - {'cli', *BELOW_EVERY_STAGE})}"
    assert {p.name for p in package.iterdir() if (p / "__init__.py").exists()} == set(STAGES)
    upward = [
        f"{module} imports {imported}"
        for module, imports in _package_imports(top_level_only=False).items()
        for imported in imports
        if _stage(imported) > _stage(module)
    ]
    assert upward == []


def test_every_subpackage_is_packaged():
    listed = set(tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(PROJECT_ROOT).parts)
        for init in (PROJECT_ROOT / "lgsco_analysis").rglob("__init__.py")
    }
    assert found <= listed, f"not in pyproject's packages: {sorted(found - listed)}"


def test_no_file_of_the_package_or_its_tests_is_ignored_by_git():
    import shutil
    import subprocess

    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing is ignored or committed here")
    files = [
        str(path.relative_to(PROJECT_ROOT))
        for folder in ("lgsco_analysis", "notebooks", "tests", "scripts")
        for path in (PROJECT_ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and "output" not in path.parts
    ]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        input="\n".join(files),
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    ).stdout.split()
    assert ignored == [], f".gitignore hides files the project needs: {ignored}"


def test_every_exception_the_package_defines_is_in_errors_under_one_root():
    import ast

    from lgsco_analysis import errors

    defined_elsewhere = [
        f"{path.relative_to(PROJECT_ROOT)}: {node.name}"
        for path in (PROJECT_ROOT / "lgsco_analysis").rglob("*.py")
        if path.name != "errors.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any(getattr(base, "id", "").endswith(("Error", "Exception")) for base in node.bases)
    ]
    assert defined_elsewhere == []
    kinds = [value for value in vars(errors).values() if isinstance(value, type) and issubclass(value, Exception)]
    assert len(kinds) >= 8 and all(issubclass(kind, errors.LgscoError) for kind in kinds)


def _mentions(node, word: str) -> bool:
    import ast

    return any(
        (isinstance(part, ast.Name) and word in part.id)
        or (isinstance(part, ast.Attribute) and word in part.attr)
        or (isinstance(part, ast.Constant) and isinstance(part.value, str) and word in part.value)
        for part in ast.walk(node)
    )


def _uphold_rate(node) -> bool:
    import ast

    return (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Div)
        and _mentions(node.left, "upheld")
        and _mentions(node.right, "investigated")
    )


def _constant(*values):
    import ast

    return lambda node: isinstance(node, ast.Constant) and type(node.value) in (str, int) and node.value in values


def _compared_with_2016(node) -> bool:
    import ast

    return isinstance(node, ast.Compare) and any(_constant(2016)(part) for part in ast.walk(node))


def _format_d_parts(node) -> bool:
    import ast

    words = ("not_for_us", "assessed_and_closed", "investigated")
    return isinstance(node, ast.Tuple) and [getattr(e, "value", None) for e in node.elts] == list(words)


SECOND_COPIES = {
    "the uphold rate": (_uphold_rate, {"rules/rates.py"}),
    "format A's remedies years": (_compared_with_2016, {"rules/formats.py"}),
    "format D's parts": (_format_d_parts, {"rules/vocabulary.py"}),
    "the unmatched group": (_constant("Unmatched"), {"rules/vocabulary.py"}),
    "a letter's status word": (_constant("ok", "warning", "error"), {"rules/vocabulary.py", "reports/manifest.py"}),
}
"""Each rule, a test that finds a written-out copy of it in the code, and the modules that may hold it."""


@pytest.mark.parametrize("rule", sorted(SECOND_COPIES))
def test_each_rule_is_defined_once(rule):
    import ast

    found, homes = SECOND_COPIES[rule]
    package = PROJECT_ROOT / "lgsco_analysis"
    copies = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).as_posix() in homes:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        keys = {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}  # entry["error"] names a field
        keys |= {id(key) for n in ast.walk(tree) if isinstance(n, ast.Dict) for key in n.keys}
        copies += [f"{path.relative_to(package)}:{n.lineno}" for n in ast.walk(tree) if found(n) and id(n) not in keys]
    assert copies == [], f"{rule} written out again outside {sorted(homes)}"


def test_each_output_is_keyed_by_the_code_it_depends_on(tmp_path):
    import shutil

    from lgsco_analysis import provenance

    copy = tmp_path / "lgsco_analysis"
    shutil.copytree(provenance.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))

    def keys() -> dict[str, str]:
        kinds = {"reading": provenance.READING_CODE, "analysis": provenance.ANALYSIS_CODE}
        return {
            name: provenance.code_digest(copy, parts)
            for name, parts in {**kinds, "report": provenance.REPORT_CODE}.items()
        }

    first = keys()
    assert first["reading"] == provenance.code_sha256(provenance.READING_CODE)
    with (copy / "charts" / "style.py").open("a") as module:
        module.write("\n# a chart's colour changed\n")
    after_chart = keys()
    assert after_chart["reading"] == first["reading"] and after_chart["analysis"] == first["analysis"]
    assert after_chart["report"] != first["report"]
    with (copy / "rules" / "data" / "label_aliases.csv").open("a") as table:
        table.write("received,housing,Homes\n")
    after_rules = keys()
    assert all(after_rules[name] != after_chart[name] for name in after_rules)  # the rules key everything
    with (copy / "cli.py").open("a") as module:
        module.write("\n# the command line changed\n")
    assert keys() == after_rules


def test_the_names_notebooks_imported_before_the_stages_still_import():
    import lgsco_analysis
    from lgsco_analysis import display, load, load_analysis, parse_letter, plots, views  # noqa: F401

    assert (display.__name__, plots.__name__, views.__name__) == (
        "lgsco_analysis.charts.display",
        "lgsco_analysis.charts.plots",
        "lgsco_analysis.analysis.views",
    )
    assert plots.uphold_funnel.__module__ == "lgsco_analysis.charts.funnel"
    with pytest.raises(AttributeError, match="no attribute 'chart_text'"):
        lgsco_analysis.chart_text  # noqa: B018  (moved to charts.words: said in the note, not kept)
