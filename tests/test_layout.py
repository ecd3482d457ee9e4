"""The house rules of the core (README, Development): rooms along the pipeline, import arrows
that follow the data, no qgis, no cycles, modules a newcomer can read."""

import ast

import pytest
from conftest import REPO

CORE = REPO / "goci_resample_plugin" / "core"

ROOMS = {
    "base": 0,  # errors, control, bands, options, moments, system, provenance, dependencies
    "read": 1,
    "resample": 2,
    "write": 2,
    "pair": 3,
    "compare": 4,  # REGISTER resamples (pair) around a comparison
    "matchups": 5,  # the statistics and REGISTER of compare, at GOCI scale
    "batch": 6,
}
"""Each room may import rooms of a lower rank and itself; read → resample → write → pair,
then compare (which also resamples, for REGISTER), matchups and batch above. resample and
write never import each other."""

MAX_LINES = 400


def _room(module):
    """Room of a dotted module path relative to ``core`` (``write.names`` → ``write``)."""
    first = module.split(".")[0]
    return first if first in ROOMS else "base"


def _core_modules():
    return {
        ".".join(path.relative_to(CORE).with_suffix("").parts): path
        for path in sorted(CORE.rglob("*.py"))
    }


def _imports(module, path):
    """Dotted modules (relative to core) that ``module`` imports, and every absolute import."""
    package = module.split(".")[:-1]  # the package a relative import starts from
    inside, outside = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            inside.add(target if node.module else ".".join(base))
        elif isinstance(node, ast.ImportFrom):
            outside.add(node.module)
        elif isinstance(node, ast.Import):
            outside.update(alias.name for alias in node.names)
    return inside, outside


def test_core_never_imports_qgis_or_the_processing_layer():
    for module, path in _core_modules().items():
        _, outside = _imports(module, path)
        assert not any(name.split(".")[0] in ("qgis", "processing") for name in outside), module


def test_import_arrows_follow_the_data():
    for module, path in _core_modules().items():
        if module == "__init__":
            continue  # the public façade gathers every room
        inside, _ = _imports(module, path)
        for target in inside:
            here, there = _room(module), _room(target)
            assert there == here or ROOMS[there] < ROOMS[here], f"{module} imports {target}"


def test_no_import_cycle_between_core_modules():
    modules = _core_modules()
    graph = {}
    for module, path in modules.items():
        inside, _ = _imports(module, path)
        graph[module] = {t for t in inside if t in modules and t != module}
        graph[module] |= {f"{t}.__init__" for t in inside if f"{t}.__init__" in modules}
    state = {}

    def visit(node, trail):
        if state.get(node) == "done":
            return
        assert state.get(node) != "open", " → ".join([*trail, node])
        state[node] = "open"
        for target in graph.get(node, ()):
            if not target.endswith("__init__"):
                visit(target, [*trail, node])
        state[node] = "done"

    for module in graph:
        visit(module, [])


def test_rooms_are_small_enough_to_read():
    top = [p.name for p in CORE.glob("*.py")]
    assert len(top) <= 10, sorted(top)
    long = {
        str(p.relative_to(REPO)): n
        for p in (REPO / "goci_resample_plugin").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long


@pytest.mark.parametrize(
    ("concept", "text"),
    [
        ("the earth radius", "6370997"),
        ("the OLI band table", "(443, 482, 561, 655, 865"),
        ("the band-name pattern", '"L_TOA_'),
        ("the GeoTIFF profile", '"predictor": 3'),
    ],
)
def test_one_home_for_each_concept(concept, text):
    homes = [
        str(p.relative_to(REPO))
        for p in (REPO / "goci_resample_plugin").rglob("*.py")
        if text in p.read_text(encoding="utf-8")
    ]
    assert len(homes) == 1, f"{concept}: {homes}"
