"""CI check: src/ uses its dependencies and the interpreter only through their public API.

Every module under ``src/`` is parsed with :mod:`ast` and walked; the test fails on any of:

- ``sys.meta_path`` (import hooks) or a write to ``sys.modules`` (stand-in modules);
- ``os._exit``, ``gc.disable``, ``gc.freeze`` (ending or steering the interpreter by hand);
- an assignment to a ``find_library`` attribute (swapping ``ctypes.util.find_library``);
- a call of ``__del__()``, or of another library's ``Class.__new__`` (an object made
  without its ``__init__``);
- a private attribute (one leading underscore, not a dunder) read, written or named to
  ``getattr``/``setattr``/``hasattr``/``delattr`` on anything but ``self``, ``cls`` or a
  name bound to briefpress itself (``from briefpress.x import y``, ``import briefpress``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

ALLOWED: set[tuple[str, str]] = set()
"""(path relative to src/, offending source text) pairs accepted on purpose: none."""

_ATTRIBUTE_FUNCTIONS = {"getattr", "setattr", "hasattr", "delattr"}
_SYS_MODULES_WRITES = {"update", "setdefault", "pop", "popitem", "clear", "__setitem__",
                       "__delitem__"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _own_names(tree: ast.Module) -> set[str]:
    """Names a module binds to briefpress's own modules and objects, and to itself."""
    names = {"self", "cls", "briefpress"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
                node.level > 0  # a relative import is of briefpress itself
                or (node.module or "").split(".")[0] == "briefpress"):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.asname for alias in node.names
                         if alias.asname and alias.name.split(".")[0] == "briefpress")
    return names


def violations(path: Path, source: str) -> list[str]:
    """What in ``source`` (the text of ``path``) reaches past a public API."""
    tree = ast.parse(source, filename=str(path))
    own = _own_names(tree)
    found: list[tuple[int, str]] = []

    def flag(node: ast.AST, why: str) -> None:
        found.append((node.lineno, f"{why}: {ast.get_source_segment(source, node)}"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            dotted = _dotted(node)
            if dotted in {"sys.meta_path", "os._exit", "gc.disable", "gc.freeze"}:
                flag(node, dotted)
            elif node.attr == "find_library" and isinstance(node.ctx, (ast.Store, ast.Del)):
                flag(node, "find_library swapped")
            elif _private(node.attr) and not (
                    isinstance(node.value, ast.Name) and node.value.id in own):
                flag(node, "private attribute")
        elif isinstance(node, ast.ImportFrom) and node.module in {"gc", "os", "sys"}:
            for alias in node.names:
                if alias.name in {"disable", "freeze", "_exit", "meta_path"}:
                    flag(node, f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "__del__":
                flag(node, "__del__() call")
            elif isinstance(func, ast.Attribute) and func.attr == "__new__" \
                    and _dotted(func.value) is not None \
                    and _dotted(func.value).split(".")[0] not in own:
                flag(node, "object made without its __init__")
            elif isinstance(func, ast.Name) and func.id in _ATTRIBUTE_FUNCTIONS and node.args:
                target = node.args[0]
                name = node.args[1] if len(node.args) > 1 else None
                names_private = isinstance(name, ast.Constant) and isinstance(name.value, str) \
                    and _private(name.value)
                if names_private and not (isinstance(target, ast.Name) and target.id in own):
                    flag(node, "private attribute by name")
                if func.id in {"setattr", "delattr"} and _dotted(target) == "sys.modules":
                    flag(node, "sys.modules written")
            elif isinstance(func, ast.Attribute) and func.attr in _SYS_MODULES_WRITES \
                    and _dotted(func.value) == "sys.modules":
                flag(node, "sys.modules written")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) \
                else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and _dotted(target.value) == "sys.modules":
                    flag(target, "sys.modules written")
    relative = path.relative_to(SRC).as_posix() if path.is_relative_to(SRC) else str(path)
    return [f"{relative}:{line}: {what}" for line, what in sorted(found)
            if (relative, what.split(": ", 1)[1]) not in ALLOWED]


def _sources(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


def test_src_uses_only_public_apis() -> None:
    problems = [problem for path in _sources(SRC)
                for problem in violations(path, path.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", [
    "import sys\nsys.meta_path.insert(0, object())",
    "import os\nos._exit(0)",
    "from os import _exit",
    "import gc\ngc.disable()",
    "import ctypes.util\nctypes.util.find_library = len",
    "config.__del__()",
    "import pyphen\nd = pyphen.HyphDict.__new__(pyphen.HyphDict)",
    "import cffi\nffi = cffi.FFI()\nffi._parser._declarations = {}",
    "value = getattr(ffi, '_parser', None)",
    "run._r.append(element)",
    "part._blob = b''",
    "import sys\nsys.modules['fontTools.subset'] = None",
    "import sys\nsys.modules.update(stand_ins)",
])
def test_each_forbidden_pattern_is_caught(code: str) -> None:
    assert violations(SRC / "example.py", code)


@pytest.mark.parametrize("code", [
    "class A:\n    def f(self):\n        return self._cache",
    "from briefpress.render import pdf\npdf._weasyprint()",
    "import briefpress.render.pdf as pdf\npdf._environment()",
    "import sys\nif 'msgspec' in sys.modules: pass",
    "import gc\ngc.collect()",
    "import sys\nsys.exit(0)",
    "class A:\n    def __new__(cls):\n        return super().__new__(cls)",
    "value = getattr(node, f'_{name}')",
])
def test_public_uses_pass(code: str) -> None:
    assert violations(SRC / "example.py", code) == []
