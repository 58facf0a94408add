"""The house is one-way: register -> spider -> records -> store -> resolution -> pages.

Between the top-level packages: scrapers/ imports no marketplace; matching/ imports neither Flask,
SQLAlchemy, marketplace nor scrapers. Inside marketplace/: a small core that imports no feature,
and feature packages (one per thing people do) that import the core and each other's declared
public modules only (each feature's `PUBLIC`), in one direction (no cycle between features), with
the organisation read model below everything that reads it. Views and commands are wired by
marketplace.composition alone, and no import hides inside a function to get around a layer.
Checked on the source (every import statement), not on what happens to be loaded; a failure names
the file, the line and the import.
"""

from __future__ import annotations

import ast
import graphlib
import itertools
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "marketplace"
# The app layer: the factory, the console script and the composition root know every feature.
APP_MODULES = {"marketplace", "marketplace.cli", "marketplace.composition"}
# Packages with sub-features of their own (marketplace.sroi.review is a feature, marketplace.sroi
# keeps what its parts share).
FAMILIES = {"sroi"}
READ_MODEL = "organisations"
READ_MODEL_MAY_IMPORT = {"core", "accounts", READ_MODEL}


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    path: str  # its file, relative to the repository
    line: int
    target: str  # imported module, dotted (a name imported from a module counts as that module)
    in_function: bool

    def __str__(self) -> str:
        where = " (inside a function)" if self.in_function else ""
        return f"{self.path}:{self.line} imports {self.target}{where}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def marketplace_modules() -> dict[str, Path]:
    return {module_name(path): path for path in APP.rglob("*.py")}


def imports_of(path: Path, modules: dict[str, Path]) -> list[Import]:
    """Every marketplace import in one file, resolved to the module it names."""
    source = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside_functions = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
    }
    found: list[Import] = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                package = source.split(".") if path.name == "__init__.py" else source.split(".")[:-1]
                base = ".".join([*package[:len(package) - node.level + 1], node.module])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        for target in targets:
            if target == "marketplace" or target.startswith("marketplace."):
                rel = str(path.relative_to(ROOT))
                found.append(Import(source, rel, node.lineno, target, id(node) in inside_functions))
    return found


def all_imports() -> list[Import]:
    modules = marketplace_modules()
    return [found for path in modules.values() for found in imports_of(path, modules)]


def feature_of(module: str) -> str | None:
    """'core', a feature name ('directory', 'sroi.review'), or None for the app layer."""
    if module in APP_MODULES:
        return None
    parts = module.split(".")
    if parts[1] in FAMILIES and len(parts) > 2 and (APP / parts[1] / parts[2]).is_dir():
        return f"{parts[1]}.{parts[2]}"
    return parts[1]


def is_wiring(module: str) -> bool:
    """Views and commands: pages and command lines that compose features, wired by the app layer."""
    last = module.rsplit(".", 1)[-1]
    return last.endswith("views") or last == "commands"


def public_modules(feature: str) -> set[str]:
    """The modules a feature declares public (`PUBLIC` in its __init__.py), dotted; the package itself
    (its __init__) is always public."""
    package = APP.joinpath(*feature.split("."))
    tree = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PUBLIC" for t in node.targets):
            names = ast.literal_eval(node.value)
            return {f"marketplace.{feature}.{name}" for name in names}
    return set()


def features() -> set[str]:
    return {feature for module in marketplace_modules() if (feature := feature_of(module)) not in (None, "core")}


def test_scrapers_import_no_marketplace() -> None:
    assert offenders("scrapers", {"marketplace"}) == {}


def test_matching_imports_no_app_no_database_no_scrapers() -> None:
    assert offenders("matching", {"flask", "flask_babel", "sqlalchemy", "marketplace", "scrapers"}) == {}


def test_matching_has_one_sub_package_per_concern_each_saying_what_goes_in_and_out() -> None:
    for concern in ("resolution", "sroi", "ranking"):
        module = ROOT / "matching" / concern / "__init__.py"
        docstring = ast.get_docstring(ast.parse(module.read_text(encoding="utf-8"))) or ""
        assert "In:" in docstring and "Out:" in docstring, concern


def test_the_core_imports_no_feature() -> None:
    wrong = [str(i) for i in all_imports() if feature_of(i.source) == "core" and feature_of(i.target) != "core"]
    assert wrong == []


def test_no_import_hides_inside_a_function() -> None:
    assert [str(i) for i in all_imports() if i.in_function] == []


def test_features_import_only_the_core_and_each_others_public_modules() -> None:
    public = {feature: public_modules(feature) for feature in features()}
    wrong = []
    for found in all_imports():
        source, target = feature_of(found.source), feature_of(found.target)
        if source is None or target in (None, "core", source):
            continue
        if found.target not in public[target] and found.target != f"marketplace.{target}":
            wrong.append(f"{found}: not among {target}'s public modules {sorted(public[target])}")
    assert wrong == []


def test_views_and_commands_are_wired_by_the_app_layer_only() -> None:
    wrong = [
        str(i)
        for i in all_imports()
        if is_wiring(i.target) and feature_of(i.source) is not None and feature_of(i.source) != feature_of(i.target)
    ]
    assert wrong == []


def test_features_depend_on_each_other_in_one_direction() -> None:
    graph: dict[str, set[str]] = {feature: set() for feature in features()}
    evidence: dict[tuple[str, str], Import] = {}
    for found in all_imports():
        source, target = feature_of(found.source), feature_of(found.target)
        if source in (None, "core") or target in (None, "core", source) or is_wiring(found.source):
            continue
        graph[source].add(target)
        evidence.setdefault((source, target), found)
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        cycle = error.args[1]
        steps = [str(evidence[(a, b)]) for a, b in itertools.pairwise(cycle)]
        raise AssertionError("features import each other in a circle:\n" + "\n".join(steps)) from None


def test_the_organisation_read_model_sits_below_its_readers() -> None:
    wrong = [
        str(i)
        for i in all_imports()
        if feature_of(i.source) == READ_MODEL and feature_of(i.target) not in READ_MODEL_MAY_IMPORT
    ]
    assert wrong == []


def test_every_feature_says_what_it_owns_and_no_folder_is_crowded() -> None:
    for feature in features():
        package = APP.joinpath(*feature.split("."))
        docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
        assert docstring, f"{package}/__init__.py says nothing about what the feature owns"
    for folder in [APP, *[p for p in APP.rglob("*") if p.is_dir() and p.name != "__pycache__"]]:
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        assert len(modules) <= 15, f"{folder} holds {len(modules)} modules: group them by what people do"


def imported_top_levels(package: str) -> dict[str, set[str]]:
    """Top-level modules each file of a package imports."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def offenders(package: str, forbidden: set[str]) -> dict[str, set[str]]:
    return {path: names & forbidden for path, names in imported_top_levels(package).items() if names & forbidden}
