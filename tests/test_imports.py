"""Import rules of the vnocr package (the source folder `pipeline/`).

- Run-time code never imports training code: the training-only modules are the
  `vnocr.data` package (corpora, noise, rendering) and `vnocr.restore.train` /
  `vnocr.restore.training_data`. Checked twice: by importing every run-time module in a
  fresh interpreter (what a user's process loads) and statically, so an import inside
  a function, which the first check never runs, is caught too.
- No import cycles among vnocr modules, on the static graph of module-level imports.
  Imports inside functions and under `if TYPE_CHECKING:` are left out of that rule:
  they run after every module is loaded (or never), so they cannot meet a
  half-initialised module. A second test adds the imports inside functions and allows
  only the CLI's registration cycle (`LAZY_CYCLES`): a deferred import still makes a
  dependency both ways. An import of a submodule is an edge to that submodule only,
  not to the packages above it: a package `__init__` that re-exports its submodules is
  not a cycle.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "pipeline"
PACKAGE = "vnocr"
TRAINING = ("vnocr.data", "vnocr.restore.train", "vnocr.restore.training_data")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


MODULES = {_module_name(p): p for p in sorted(SOURCE.rglob("*.py"))}


def _is_training(module: str) -> bool:
    return any(module == t or module.startswith(t + ".") for t in TRAINING)


RUNTIME = sorted(m for m in MODULES if not _is_training(m) and m != "vnocr.__main__")


def _imports(path: Path, *, functions: bool, type_checking: bool) -> set[str]:
    """The vnocr modules a file imports (`from a.b import c`: a.b.c where that is a
    module, else a.b); with imports inside functions and under `if TYPE_CHECKING:` or
    without."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8")), functions,
                              type_checking):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            base = f"{anchor}.{base}" if base else anchor
        for a in node.names:
            sub = f"{base}.{a.name}"
            found.add(sub if sub in MODULES else base)
    return {m for m in found if m == PACKAGE or m.startswith(PACKAGE + ".")}


def _import_nodes(
    node: ast.AST, functions: bool, type_checking: bool
) -> list[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [node]
    if not functions and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return []
    children: list[ast.AST] = list(ast.iter_child_nodes(node))
    if not type_checking and isinstance(node, ast.If) and _is_type_checking(node.test):
        children = list(node.orelse)
    return [n for c in children for n in _import_nodes(c, functions, type_checking)]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a path back to where it starts) per back edge of a depth-first search."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                cycles.append([*path[path.index(n):], n])
            elif n not in state:
                visit(n, [*path, n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    return cycles


def test_runtime_modules_load_no_training_code():
    code = (
        "import importlib, json, sys\n"
        f"for m in {RUNTIME!r}:\n"
        "    importlib.import_module(m)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=300)
    loaded = json.loads(done.stdout.splitlines()[-1])
    assert "vnocr.api" in loaded and "vnocr.lexicon.line_pass" in loaded
    assert [m for m in loaded if _is_training(m)] == []


def test_orthography_and_the_dictionary_pass_load_no_torch():
    """The restorer and the dictionary pass share `vnocr.text`; reading names must not
    cost a torch import."""
    code = ("import sys, vnocr.text, vnocr.lexicon\n"
            "print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=300)
    assert done.stdout.split() == ["False"]


def test_correcting_text_loads_no_image_libraries_nor_pydantic(tmp_path):
    """`vnocr correct` on a text file, registration of every subcommand included, never
    imports OpenCV or Pillow (some 34 MB resident): only an OCR'd page needs them. Nor
    pydantic, which typer 0.29 imports to check each option (0.09 s of every start:
    pyproject.toml keeps typer below it)."""
    src = tmp_path / "in.txt"
    src.write_text("UBND tinh Son La\n", encoding="utf-8")
    code = ("import sys\n"
            "from vnocr.cli import main\n"
            f"rc = main(['correct', {str(src)!r}, '-o', {str(tmp_path / 'out.txt')!r}])\n"
            "print(rc, sorted(m for m in ('cv2', 'PIL', 'pydantic') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=300)
    assert done.stdout.splitlines()[-1] == "0 []"


def test_no_runtime_module_imports_training_code_anywhere():
    offenders = {
        m: sorted(t for t in _imports(MODULES[m], functions=True, type_checking=True)
                  if _is_training(t))
        for m in RUNTIME
    }
    assert {m: t for m, t in offenders.items() if t} == {}


def test_module_level_imports_have_no_cycles():
    graph = {m: _imports(p, functions=False, type_checking=False) - {m}
             for m, p in MODULES.items()}
    assert _cycles(graph) == []


# `vnocr.cli.main` imports its subcommand modules when it runs (registration), and they
# import `app` from `vnocr.cli`: the one cycle through an import inside a function.
LAZY_CYCLES = {frozenset({"vnocr.cli", "vnocr.cli.batch", "vnocr.cli.correct",
                          "vnocr.cli.evaluate", "vnocr.cli.ocr"})}


def test_imports_inside_functions_add_no_other_cycle():
    """A cycle closed by an import inside a function (a class that hands its work to a
    module importing it) is a dependency both ways all the same."""
    graph = {m: _imports(p, functions=True, type_checking=False) - {m}
             for m, p in MODULES.items()}
    found = [c for c in _cycles(graph) if not any(set(c) <= lazy for lazy in LAZY_CYCLES)]
    assert found == []


def test_the_graph_sees_the_imports():
    """The static checks are not vacuous: known edges are found."""
    def imports(m: str, functions: bool) -> set[str]:
        return _imports(MODULES[m], functions=functions, type_checking=False)

    assert "vnocr.lexicon.gazetteer" in imports("vnocr.lexicon.line_pass", False)
    assert "vnocr.data.noise" in imports("vnocr.restore.training_data", False)
    assert "vnocr.evaluate" in imports("vnocr.data.noise_tables", True)
    assert "vnocr.evaluate" not in imports("vnocr.data.noise_tables", False)
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b", "a"]]


def test_the_batch_package_exports_what_it_loads_lazily():
    from vnocr import batch

    assert sorted(batch.__all__) == sorted(batch._EXPORTS)
    assert all(callable(getattr(batch, name)) for name in batch.__all__)
