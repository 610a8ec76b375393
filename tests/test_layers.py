"""The code keeps its layers (config/layers.py): every import, at the top of a module or inside a
function, goes to the importing app itself or to a lower layer; no two modules import each other,
even through others; every top-level package is placed in a layer; and the README shows the same
table. Imports are read from the source (ast), so an import inside a function counts as much as
one at the top, and an import dodged through `apps.get_model`, `import_module` or
`import_string` with a literal name counts as an import."""

import ast
from pathlib import Path

from config.layers import LAYERS, OUTSIDE, layer_of, readme_lines

ROOT = Path(__file__).resolve().parents[1]
# Folders that hold no code of ours (third-party Python may sit in node_modules).
NOT_CODE = {"node_modules", "staticfiles"}
DODGES = {"get_model", "import_module", "import_string"}


def code_files(root: Path = ROOT) -> dict[str, str]:
    """{path relative to the root: source} of every .py file of the project but its tests."""
    files = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if any(p.startswith(".") or p in NOT_CODE for p in parts) or parts[0] == "tests":
            continue
        files["/".join(parts)] = path.read_text(encoding="utf-8")
    return files


def module_name(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _dodged(node: ast.Call) -> str | None:
    """The module or app an `apps.get_model("app", …)`, `import_module("x")` or
    `import_string("x.y")` with a literal first argument reaches."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in DODGES or not node.args:
        return None
    first = node.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def imports(path: str, source: str) -> list[tuple[int, str]]:
    """(line, dotted name) of everything the file imports, wherever the import stands."""
    module, is_package = module_name(path), path.endswith("__init__.py")
    found = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node)
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and (target := _dodged(node)):
            found.append((node.lineno, target.replace("/", ".")))
    return found


def _top(name: str) -> str:
    return name.split(".")[0]


def layer_breaks(files: dict[str, str]) -> list[str]:
    """Every import that goes up a layer, sideways within one, or into a tool."""
    breaks = []
    for path, source in files.items():
        own = _top(module_name(path))
        own_layer = layer_of(own)
        for line, target in imports(path, source):
            other = _top(target)
            if other == own:
                continue
            where = f"{path}:{line} imports {target}"
            if other in OUTSIDE:
                breaks.append(f"{where}: {other} is outside the layers; nothing imports it")
            elif own_layer is None or (other_layer := layer_of(other)) is None:
                continue  # a tool importing the app, or a library
            elif other_layer > own_layer:
                layers = f"{own} is layer {own_layer}, {other} {other_layer}"
                breaks.append(f"{where}: upward ({layers})")
            elif other_layer == own_layer:
                breaks.append(f"{where}: sideways (both in layer {own_layer})")
    return breaks


def import_graph(files: dict[str, str]) -> dict[str, set[str]]:
    """{module: the project's modules it imports}."""
    modules = {module_name(path): path for path in files}
    graph = {}
    for module, path in modules.items():
        edges = set()
        for _line, target in imports(path, files[path]):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != module:
                edges.add(target)
        graph[module] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def top_level_packages(root: Path = ROOT) -> set[str]:
    return {_top(module_name(path)) for path in code_files(root)} | {"tests"}


# --- the code ---------------------------------------------------------------------------------


def test_every_top_level_package_is_placed_in_a_layer():
    placed = {p for _name, packages in LAYERS for p in packages} | set(OUTSIDE)
    unplaced = sorted(top_level_packages() - placed)
    assert not unplaced, f"Place these in config/layers.py (LAYERS or OUTSIDE): {unplaced}"


def test_no_import_goes_up_a_layer_or_sideways():
    assert layer_breaks(code_files()) == []


def test_no_modules_import_each_other_even_through_others():
    assert cycles(import_graph(code_files())) == []


def test_the_readme_shows_the_layers_one_line_each_in_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    positions = [readme.find(f"\n{line}\n") for line in readme_lines()]
    assert -1 not in positions, readme_lines()
    assert positions == sorted(positions)


# --- the check itself catches what it is for ------------------------------------------------


def test_it_catches_an_upward_import_even_inside_a_function():
    files = {"wards/models.py": "def f():\n    from teams.models import Posting\n"}
    assert layer_breaks(files) == [
        "wards/models.py:2 imports teams.models.Posting: upward (wards is layer 1, teams 2)"
    ]


def test_it_catches_a_sideways_import_and_config_naming_an_app():
    files = {
        "victims/api.py": "from deployment.api import CSVTextParser\n",
        "config/views.py": "import wards.views\n",
    }
    breaks = layer_breaks(files)
    assert any("victims/api.py:1" in b and "sideways" in b for b in breaks)
    assert any("config/views.py:1" in b and "upward" in b for b in breaks)


def test_it_catches_an_import_dodged_through_get_model_or_import_module():
    files = {
        "teams/services.py": "from django.apps import apps\napps.get_model('deployment', 'Duty')\n",
        "wards/views.py": "from importlib import import_module\nimport_module('teams.models')\n",
    }
    assert len(layer_breaks(files)) == 2


def test_it_catches_a_cycle_inside_an_app_and_an_import_of_a_tool():
    files = {
        "reports/services.py": "def q():\n    from reports import tasks\n",
        "reports/tasks.py": "from reports.services import report_produce\n",
        "reports/views.py": "import bench.run\n",
    }
    assert cycles(import_graph(files)) == [["reports.services", "reports.tasks"]]
    assert "outside the layers" in layer_breaks(files)[0]


def test_a_package_not_in_the_table_is_reported(tmp_path):
    (tmp_path / "wards").mkdir()
    (tmp_path / "wards" / "models.py").write_text("")
    (tmp_path / "fleet").mkdir()
    (tmp_path / "fleet" / "models.py").write_text("")
    assert top_level_packages(tmp_path) - {"wards", "tests"} == {"fleet"}
