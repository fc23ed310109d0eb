"""The shape of the package: every module imports on its own, imports form no circle, rooms depend one way only,
and the README's exit-code table is the ExitCode enum."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from seospam.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "seospam"

#: Which rooms each room may import from (besides itself). Base modules (errors, strings, atomic, schema,
#: progress) sit under everything; the arrows run cli → apps → engines → outputs/model → readers/features → inputs.
ALLOWED = {
    "base": set(),
    "inputs": {"base"},
    "readers": {"base", "inputs"},
    "features": {"base", "inputs"},
    "outputs": {"base"},
    "model": {"base", "inputs", "features", "readers"},
    "render": {"base", "inputs", "features", "model"},
    "engines": {"base", "inputs", "features", "readers", "model", "outputs"},
    "integrations": {"base", "inputs", "features", "model"},
    "apps": {"base", "inputs", "features", "readers", "model", "render"},
    "cli": {"base", "inputs", "features", "readers", "model", "render", "outputs", "engines", "apps"},
}
#: Top-level modules that are not base: the package's lazy public API and the ``python -m seospam`` entry.
TOP = {"seospam": "base", "seospam.__main__": "cli", "seospam.scoring": "api"}


def module_names() -> list[str]:
    """Every module of the package, dotted."""
    out = []
    for p in sorted(SRC.rglob("*.py")):
        parts = list(p.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append(".".join(parts))
    return out


def room(module: str) -> str:
    """The room a module lives in: its first sub-package, or base for a plain top-level module."""
    if module in TOP:
        return TOP[module]
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (SRC / parts[1]).is_dir() else "base"


def imports_of(module: str) -> set[str]:
    """The seospam modules ``module`` imports anywhere in its body (relative imports resolved)."""
    path = SRC.parent.joinpath(*module.split("."))
    is_pkg = path.is_dir()
    path = path / "__init__.py" if is_pkg else path.with_suffix(".py")
    package = module if is_pkg else module.rsplit(".", 1)[0]
    known = set(module_names())
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "seospam")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "seospam":
                continue
            for a in node.names:  # `from . import x` imports the module x when there is one
                sub = f"{target}.{a.name}"
                out.add(sub if sub in known else target)
    return {m for m in out if m in known and m != module}


def test_every_module_imports_on_its_own():
    optional = {"seospam.integrations.nemo", "seospam.integrations.datatrove", "seospam.integrations.hf",
                "seospam.apps.serve", "seospam.engines.dask"}  # extras that may be missing
    mods = [m for m in module_names() if not m.endswith("__main__")]
    code = ("import importlib, sys\nbad = []\nfor name in sys.argv[1:]:\n"
            "    for m in [k for k in sys.modules if k == 'seospam' or k.startswith('seospam.')]:\n"
            "        del sys.modules[m]\n"
            "    try:\n        importlib.import_module(name)\n"
            "    except ImportError as e:\n        bad.append((name, repr(e)))\n"
            "print(repr(bad))\n")
    proc = subprocess.run([sys.executable, "-c", code, *mods], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    failed = [(m, e) for m, e in ast.literal_eval(proc.stdout.strip().splitlines()[-1])
              if not (m in optional and "seospam" not in e)]
    assert failed == []


def test_no_import_circle():
    graph = {m: imports_of(m) for m in module_names()}
    # A package's __init__ importing its own modules is how a package presents them, not a circle.
    for m, deps in graph.items():
        graph[m] = {d for d in deps if not m.startswith(d + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                pytest.fail("import circle: " + " -> ".join(stack[stack.index(d):] + [d]))
            if d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_rooms_depend_one_way():
    wrong = []
    for m in module_names():
        r = room(m)
        if r in ("api", "cli") and m in TOP:
            continue
        for d in imports_of(m):
            rd = room(d)
            if rd != r and rd not in ALLOWED[r]:
                wrong.append(f"{m} ({r}) imports {d} ({rd})")
    assert wrong == []


def test_command_modules_import_only_the_common_module():
    wrong = []
    for m in module_names():
        if m.startswith("seospam.cli.") and m not in ("seospam.cli._common", "seospam.cli.__main__"):
            wrong += [f"{m} imports {d}" for d in imports_of(m) if d.startswith("seospam.cli") and
                      d != "seospam.cli._common"]
    assert wrong == []


def test_every_public_function_has_a_docstring():
    missing = []
    # Feature functions are described where they are registered (@feature(..., description=...)).
    for p in sorted(q for q in SRC.rglob("*.py") if "features" not in q.parts):
        for node in ast.parse(p.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_") \
                    and ast.get_docstring(node) is None:
                missing.append(f"{p.relative_to(SRC)}:{node.lineno} {node.name}")
    assert missing == []


def test_readme_exit_code_table_is_the_enum():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    codes = {int(m) for m in re.findall(r"^\| (\d+) \|", section, re.MULTILINE)}
    assert codes == {int(c) for c in ExitCode}


def test_help_lists_every_exit_code_but_interrupted():
    from seospam.cli._common import EXIT_CODES_HELP

    listed = {int(m) for m in re.findall(r"(\d+) [a-z]", EXIT_CODES_HELP.split(":", 1)[1])}
    assert listed == {int(c) for c in ExitCode} - {ExitCode.INTERRUPTED}


def test_every_feature_has_its_own_test_file():
    """Issue 10: a feature's cases live in tests/features/test_<name>.py, one file per declared feature."""
    from seospam.features import feature_names

    missing = [n for n in feature_names() if not (ROOT / "tests" / "features" / f"test_{n}.py").is_file()]
    assert not missing, missing
