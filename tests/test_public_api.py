"""CI check: src/ uses its dependencies and the interpreter only through their public API.

Every module under ``src/`` is parsed with :mod:`ast`, and every name is resolved to what it
is bound to where it is used (Python's scopes: module, function, lambda; a class body does
not enclose its methods; ``global`` honoured), not matched by its spelling:

- an import, by its full dotted name: ``import sys as s`` binds ``s`` to ``sys``,
  ``from ctypes import util as u`` binds ``u`` to ``ctypes.util``, and so do
  ``importlib.import_module("x")`` and ``__import__("x")``; a plain alias of one
  (``u = ctypes.util``) is the same import, and an attribute chain on one extends its name
  (``s.meta_path`` is ``sys.meta_path``). An import is briefpress's own when it is
  relative or of ``briefpress``; any other (the standard library's too) is another's;
- a class defined in briefpress, or the instance or class its method receives first
  (``self``, ``cls``, whatever its spelling);
- anything else: a value whose type the check cannot know.

``getattr``/``hasattr`` (read), ``setattr`` (write) and ``delattr`` (delete) with a constant
name, ``vars(x)["name"]`` and ``x.__dict__["name"]`` count as the attribute they name. The
test fails on any of:

- import hooks and stand-in modules: ``sys.meta_path``, ``sys.path_hooks``,
  ``sys.path_importer_cache``, any write to ``sys.modules``;
- steering the interpreter by hand: ``os._exit``, ``gc.disable``, ``gc.freeze``;
- a swapped function or value: assigning or deleting any attribute of something imported
  from another library, or writing its namespace through ``vars()``/``__dict__``
  (``ctypes.util.find_library = f``, ``pyphen.language_fallback = f``,
  ``weasyprint.text.fonts.FontConfiguration.__init__ = f``, and also a module-level object
  of another library: ``from weasyprint.logger import LOGGER; LOGGER.propagate = False``;
  the standard streams, ``sys.stdin`` and the others, which Python's docs let a program
  replace, excepted: ``REPLACEABLE``);
- ``__del__`` named anywhere (called, or taken to call later), and ``X.__new__(...)`` for
  an ``X`` that is not briefpress's (an object made without its ``__init__``);
- a private name (one leading underscore, not a dunder) of another library: imported
  (``from cffi import _parser``, ``import weasyprint._private``), or an attribute of
  anything that is not briefpress's own. Own are: briefpress's imports; its classes and
  the instances their methods receive, except that in a class with a base that is not
  briefpress's (another library's class, or a builtin other than ``object``) ``self._x`` is
  own only when the class itself (or one of its own bases) assigns ``_x``: in its body or as
  ``self._x = ...`` in a method. A value of unknown type is not own: ``ffi._parser`` fails.

Passes: setting an attribute of an object a call made (``logging.getLogger("weasyprint")
.propagate = False``, ``element.text = "x"``): documented instance attributes are how
logging, lxml and python-docx are used; a private name read dynamically
(``getattr(node, f"_{name}")``), which no static check can resolve. Not seen: a subclass
that assigns a private name its third-party base also uses (that needs the base's source).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

REPLACEABLE = {"sys.stdin", "sys.stdout", "sys.stderr"}
"""Attributes of another library its documentation says a program may set: the standard
streams ("sys.__stdin__ ... in case they have been overwritten", the sys module's docs),
which a pool worker sets to None once it has closed the one it was given."""

ALLOWED: set[tuple[str, str]] = set()
"""(path relative to src/, offending source text) pairs accepted on purpose: none."""

FORBIDDEN = {"sys.meta_path", "sys.path_hooks", "sys.path_importer_cache", "os._exit",
             "gc.disable", "gc.freeze"}
_MAPPING_WRITES = {"update", "setdefault", "pop", "popitem", "clear", "__setitem__",
                   "__delitem__"}
_BY_NAME = {"getattr": ast.Load, "hasattr": ast.Load, "setattr": ast.Store, "delattr": ast.Del}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _own(qualname: str) -> bool:
    return qualname == "briefpress" or qualname.startswith("briefpress.")


# What a name is bound to: ("import", dotted name) | ("class", ClassDef) |
# ("instance", ClassDef) | ("alias", expression, scope) | ("builtin", name) | ("other",)
Meaning = tuple


class _Scope:
    """One scope's names, each with what it may be bound to (every binding in the scope)."""

    def __init__(self, node: ast.AST, parent: _Scope | None) -> None:
        self.node, self.parent = node, parent
        self.names: dict[str, list[Meaning]] = {}
        self.globals: set[str] = set()

    def bind(self, name: str, meaning: Meaning) -> None:
        scope = self
        if name in self.globals:
            while scope.parent is not None:
                scope = scope.parent
        scope.names.setdefault(name, []).append(meaning)

    def lookup(self, name: str) -> list[Meaning]:
        scope: _Scope | None = self
        if name in self.globals:
            while scope.parent is not None:
                scope = scope.parent
        first = True
        while scope is not None:
            # a class body's names are not visible from the functions defined in it
            if (first or not isinstance(scope.node, ast.ClassDef)) and name in scope.names:
                return scope.names[name]
            scope, first = scope.parent, False
        return [("builtin", name)]


def _module_name(path: Path) -> str:
    if not path.is_relative_to(SRC):
        return path.stem
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _constant(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) \
        else None


class _Module:
    """One module's scopes, bindings and classes, and what its expressions resolve to."""

    def __init__(self, path: Path, source: str) -> None:
        self.path, self.source = path, source
        self.tree = ast.parse(source, filename=str(path))
        self.name = _module_name(path)
        self.package = self.name if path.name == "__init__.py" else self.name.rpartition(".")[0]
        self.scopes: dict[ast.AST, _Scope] = {}
        self.classes: dict[str, ast.ClassDef] = {}
        self.assigned: dict[ast.ClassDef, set[str]] = {}
        self._aliased: set[ast.AST] = set()
        module = _Scope(self.tree, None)
        self.scopes[self.tree] = module
        self._bind_all(self.tree, module)
        for node, scope in self.walk():
            self._note_assigned(node, scope)

    # -- bindings ------------------------------------------------------------------------

    def walk(self) -> Iterator[tuple[ast.AST, _Scope]]:
        """Every node with the scope its names are looked up in."""
        stack = [(self.tree, self.scopes[self.tree])]
        while stack:
            node, scope = stack.pop()
            for child in ast.iter_child_nodes(node):
                yield child, scope
                stack.append((child, self.scopes.get(child, scope)))

    def _absolute(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = self.package.split(".") if self.package else []
        base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
        # a relative import is briefpress's own, even in a snippet outside the package
        prefix = ".".join(base) if base and base[0] == "briefpress" else "briefpress"
        return ".".join(filter(None, [prefix, node.module]))

    def _bind_all(self, root: ast.AST, scope: _Scope) -> None:
        for node in ast.iter_child_nodes(root):
            inner = scope
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                scope.globals.update(node.names if isinstance(node, ast.Global) else [])
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        scope.bind(alias.asname, ("import", alias.name))
                    else:
                        root_name = alias.name.split(".")[0]
                        scope.bind(root_name, ("import", root_name))
            elif isinstance(node, ast.ImportFrom):
                module = self._absolute(node)
                for alias in node.names:
                    if alias.name != "*":
                        scope.bind(alias.asname or alias.name, ("import", f"{module}.{alias.name}"))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                if not isinstance(node, ast.Lambda):
                    scope.bind(node.name, ("other",))
                inner = self.scopes[node] = _Scope(node, scope)
                arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs,
                             *filter(None, [node.args.vararg, node.args.kwarg])]
                for number, argument in enumerate(arguments):
                    receives = isinstance(scope.node, ast.ClassDef) and number == 0 \
                        and node in scope.node.body and not any(
                            isinstance(d, ast.Name) and d.id == "staticmethod"
                            for d in node.decorator_list)
                    inner.bind(argument.arg, ("instance", scope.node) if receives else ("other",))
            elif isinstance(node, ast.ClassDef):
                scope.bind(node.name, ("class", node))
                self.classes.setdefault(node.name, node)
                inner = self.scopes[node] = _Scope(node, scope)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name) \
                    and isinstance(node.value, (ast.Name, ast.Attribute, ast.Call)):
                scope.bind(node.targets[0].id, ("alias", node.value, scope))
                self._aliased.add(node.targets[0])
            elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) \
                    and node not in self._aliased:
                scope.bind(node.id, ("other",))
            elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
                scope.bind(node.name, ("other",))
            self._bind_all(node, inner)

    # -- resolution ----------------------------------------------------------------------

    def resolve(self, node: ast.AST, scope: _Scope, depth: int = 0) -> list[Meaning]:
        """What ``node`` may be: aliases followed, imports extended by their attributes."""
        if depth > 20:
            return [("other",)]
        if isinstance(node, ast.Name):
            found = []
            for meaning in scope.lookup(node.id):
                if meaning[0] == "alias":
                    found += self.resolve(meaning[1], meaning[2], depth + 1)
                else:
                    found.append(meaning)
            return found
        access = self.access(node, scope)
        if access is not None:
            base, attribute, _ = access
            return [("import", f"{m[1]}.{attribute}") if m[0] == "import" else ("other",)
                    for m in self.resolve(base, scope, depth + 1)]
        if isinstance(node, ast.Call) and node.args and _constant(node.args[0]) is not None:
            called = {m[1] for m in self.resolve(node.func, scope, depth + 1)
                      if m[0] in ("import", "builtin")}
            if called & {"importlib.import_module", "__import__"}:
                return [("import", _constant(node.args[0]))]
        return [("other",)]

    def access(self, node: ast.AST, scope: _Scope) -> tuple[ast.AST, str, type] | None:
        """(object, attribute name, Load/Store/Del) for an attribute ``node`` reads or
        writes, in any of its spellings; else None."""
        if isinstance(node, ast.Attribute):
            return node.value, node.attr, type(node.ctx)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in _BY_NAME and len(node.args) >= 2 \
                and _constant(node.args[1]) is not None \
                and ("builtin", node.func.id) in scope.lookup(node.func.id):
            return node.args[0], _constant(node.args[1]), _BY_NAME[node.func.id]
        if isinstance(node, ast.Subscript) and _constant(node.slice) is not None:
            namespace = self.namespace_of(node.value, scope)
            if namespace is not None:
                return namespace, _constant(node.slice), type(node.ctx)
        return None

    def namespace_of(self, node: ast.AST, scope: _Scope) -> ast.AST | None:
        """``x`` for ``vars(x)`` or ``x.__dict__``, else None."""
        if isinstance(node, ast.Attribute) and node.attr == "__dict__":
            return node.value
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "vars" and len(node.args) == 1 \
                and ("builtin", "vars") in scope.lookup("vars"):
            return node.args[0]
        return None

    # -- classes -------------------------------------------------------------------------

    def _note_assigned(self, node: ast.AST, scope: _Scope) -> None:
        """Record the attributes each class gives itself (body names, ``self._x = ...``)."""
        if isinstance(node, ast.ClassDef):
            names = self.assigned.setdefault(node, set())
            for statement in node.body:
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(statement.name)
                    continue
                stored = [n.id for n in ast.walk(statement)
                          if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
                names.update(stored)
                if "__slots__" in stored:
                    names.update(filter(None, map(_constant, ast.walk(statement))))
            return
        access = self.access(node, scope)
        if access is not None and access[2] is not ast.Load:
            for meaning in self.resolve(access[0], scope):
                if meaning[0] in ("instance", "class"):
                    self.assigned.setdefault(meaning[1], set()).add(access[1])

    def class_facts(self, node: ast.ClassDef, seen: frozenset = frozenset()
                    ) -> tuple[bool, set[str]]:
        """Whether the class has a base that is not briefpress's, and the attributes it and
        its own bases assign."""
        foreign, names = False, set(self.assigned.get(node, set()))
        if node in seen:
            return foreign, names
        scope = self.scopes[node].parent
        for base in node.bases:
            target = base.value if isinstance(base, ast.Subscript) else base  # Generic[T]
            for meaning in self.resolve(target, scope):
                if meaning == ("builtin", "object"):
                    continue
                if meaning[0] == "class":
                    facts = self.class_facts(meaning[1], seen | {node})
                elif meaning[0] == "import" and _own(meaning[1]):
                    facts = _own_class_facts(meaning[1])
                else:
                    facts = (True, set())
                foreign, names = foreign or facts[0], names | facts[1]
        return foreign, names

    def owns(self, meanings: list[Meaning], attribute: str) -> bool:
        """Whether ``attribute`` of what ``meanings`` may be is briefpress's own."""
        def own(meaning: Meaning) -> bool:
            if meaning[0] == "import":
                return _own(meaning[1])
            if meaning[0] in ("class", "instance"):
                foreign, names = self.class_facts(meaning[1])
                return not foreign or attribute in names
            return False
        return bool(meanings) and all(own(m) for m in meanings)


@cache
def _parsed(path: Path) -> _Module:
    return _Module(path, path.read_text(encoding="utf-8"))


@cache
def _own_class_facts(qualname: str) -> tuple[bool, set[str]]:
    """The facts of briefpress's class ``qualname`` (following re-exports); a class not
    found counts as having a foreign base and no attributes of its own."""
    module_name, _, name = qualname.rpartition(".")
    folder = SRC.joinpath(*module_name.split("."))
    for path in (folder.with_suffix(".py"), folder / "__init__.py"):
        if path.is_file():
            module = _parsed(path)
            if name in module.classes:
                return module.class_facts(module.classes[name])
            for meaning in module.scopes[module.tree].names.get(name, []):
                if meaning[0] == "import" and _own(meaning[1]) and meaning[1] != qualname:
                    return _own_class_facts(meaning[1])
    return True, set()


def violations(path: Path, source: str) -> list[str]:
    """What in ``source`` (the text of ``path``) reaches past a public API."""
    module = _Module(path, source)
    found: list[tuple[int, str]] = []

    def flag(node: ast.AST, why: str) -> None:
        found.append((node.lineno, f"{why}: {ast.get_source_segment(source, node)}"))

    def imported(node: ast.AST, scope: _Scope) -> set[str]:
        return {m[1] for m in module.resolve(node, scope) if m[0] == "import"}

    for node, scope in module.walk():
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            base = module._absolute(node) if isinstance(node, ast.ImportFrom) else ""
            for alias in node.names:
                name = ".".join(filter(None, [base, alias.name]))
                if name in FORBIDDEN:
                    flag(node, name)
                elif not _own(name) and any(_private(part) for part in name.split(".")):
                    flag(node, "private name of another library imported")
        access = module.access(node, scope)
        if access is not None:
            target, attribute, context = access
            meanings = module.resolve(target, scope)
            others = {m[1] for m in meanings if m[0] == "import" and not _own(m[1])}
            if attribute == "__del__":
                flag(node, "__del__")
            for name in sorted(others):
                if f"{name}.{attribute}" in FORBIDDEN:
                    flag(node, f"{name}.{attribute}")
                if context is not ast.Load and f"{name}.{attribute}" not in REPLACEABLE:
                    flag(node, f"attribute of {name} assigned (a swapped function or value)")
            if _private(attribute) and not module.owns(meanings, attribute):
                flag(node, "private attribute")
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "__new__" \
                    and not isinstance(func.value, ast.Call) \
                    and not module.owns(module.resolve(func.value, scope), "__new__"):
                flag(node, "object made without its __init__")
            if isinstance(func, ast.Attribute) and func.attr in _MAPPING_WRITES:
                if "sys.modules" in imported(func.value, scope):
                    flag(node, "sys.modules written")
                namespace = module.namespace_of(func.value, scope)
                if namespace is not None and any(
                        not _own(name) for name in imported(namespace, scope)):
                    flag(node, "namespace of another library written")
        elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load) \
                and "sys.modules" in imported(node.value, scope):
            flag(node, "sys.modules written")
    relative = path.relative_to(SRC).as_posix() if path.is_relative_to(SRC) else str(path)
    return [f"{relative}:{line}: {what}" for line, what in sorted(set(found))
            if (relative, what.split(": ", 1)[1]) not in ALLOWED]


def _sources(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


def test_src_uses_only_public_apis() -> None:
    problems = [problem for path in _sources(SRC)
                for problem in violations(path, path.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("code", "reason"), [
    # import hooks, stand-in modules, the interpreter steered by hand
    ("import sys\nsys.meta_path.insert(0, object())", "sys.meta_path"),
    ("import sys as s\ns.meta_path.insert(0, object())", "sys.meta_path"),
    ("from sys import meta_path\nmeta_path.append(finder)", "sys.meta_path"),
    ("import sys\nhooks = getattr(sys, 'meta_path')", "sys.meta_path"),
    ("import sys\nsystem = sys\nsystem.meta_path.append(finder)", "sys.meta_path"),
    ("import importlib\nsystem = importlib.import_module('sys')\nsystem.meta_path.clear()",
     "sys.meta_path"),
    ("import sys\nsys.path_hooks.append(hook)", "sys.path_hooks"),
    ("import os\nos._exit(0)", "os._exit"),
    ("from os import _exit", "os._exit"),
    ("import gc\ngc.disable()", "gc.disable"),
    ("import gc as g\ng.freeze()", "gc.freeze"),
    ("import gc as g\ng.disable()", "gc.disable"),
    ("from gc import freeze as keep\nkeep()", "gc.freeze"),
    ("def f():\n    import gc as collector\n    collector.freeze()", "gc.freeze"),
    ("import sys\nsys.modules['fontTools.subset'] = None", "sys.modules written"),
    ("import sys\nsys.modules.update(stand_ins)", "sys.modules written"),
    ("import sys as s\ndel s.modules['msgspec']", "sys.modules written"),
    # swapped functions and values
    ("import ctypes.util\nctypes.util.find_library = len", "attribute of ctypes.util assigned"),
    ("import ctypes.util\nsetattr(ctypes.util, 'find_library', len)",
     "attribute of ctypes.util assigned"),
    ("from ctypes import util\nutil.find_library = len", "attribute of ctypes.util assigned"),
    ("import ctypes.util as u\ndel u.find_library", "attribute of ctypes.util assigned"),
    ("import weasyprint\nweasyprint.text.fonts.FontConfiguration.__init__ = init",
     "attribute of weasyprint.text.fonts.FontConfiguration assigned"),
    ("from weasyprint.text.fonts import FontConfiguration\nFontConfiguration.__init__ = init",
     "attribute of weasyprint.text.fonts.FontConfiguration assigned"),
    ("import pyphen\npyphen.language_fallback = fallback", "attribute of pyphen assigned"),
    ("import pyphen\nvars(pyphen)['language_fallback'] = fallback", "attribute of pyphen assigned"),
    ("import pyphen\npyphen.__dict__.update(language_fallback=fallback)",
     "namespace of another library written"),
    ("from weasyprint.logger import LOGGER\nLOGGER.propagate = False",
     "attribute of weasyprint.logger.LOGGER assigned"),
    ("import builtins\nbuiltins.open = opener", "attribute of builtins assigned"),
    # __del__ and objects made without __init__
    ("config.__del__()", "__del__"),
    ("f = config.__del__\nf()", "__del__"),
    ("getattr(config, '__del__')()", "__del__"),
    ("import pyphen\nd = pyphen.HyphDict.__new__(pyphen.HyphDict)",
     "object made without its __init__"),
    ("from pyphen import HyphDict as H\nd = H.__new__(H)", "object made without its __init__"),
    # private names of other libraries
    ("import cffi\nffi = cffi.FFI()\nffi._parser._declarations = {}", "private attribute"),
    ("value = getattr(ffi, '_parser', None)", "private attribute"),
    ("value = vars(ffi)['_parser']", "private attribute"),
    ("value = ffi.__dict__['_parser']", "private attribute"),
    ("ffi.__dict__['_parser'] = None", "private attribute"),
    ("from cffi import _parser", "private name of another library imported"),
    ("import weasyprint._private", "private name of another library imported"),
    ("from weasyprint._private import thing", "private name of another library imported"),
    ("run._r.append(element)", "private attribute"),
    ("part._blob = b''", "private attribute"),
    ("self._cache = {}", 'private attribute'),  # not in a method: self is any value
    ("from weasyprint.urls import URLFetcher\n"
    "class F(URLFetcher):\n    def f(self):\n        return self._cache",
     "private attribute"),
    ("import weasyprint.text.fonts as fonts\n"
    "class F(fonts.FontConfiguration):\n    def f(self):\n        return self._folder",
     "private attribute"),
    ("from html.parser import HTMLParser\n"
    "class P(HTMLParser):\n    def f(this):\n        return this.rawdata, this._x",
     "private attribute"),
    ("class E(Exception):\n    def f(self):\n        return self._hidden", "private attribute"),
    ("from weasyprint.urls import URLFetcher\n"
    "class F(URLFetcher):\n    pass\nclass G(F):\n    def f(self):\n        return self._cache",
     "private attribute"),
    ("from weasyprint.urls import URLFetcher\n"
    "class F(URLFetcher):\n    def f(self):\n        return super()._cache",
     "private attribute"),
])
def test_each_forbidden_pattern_is_caught(code: str, reason: str) -> None:
    found = violations(SRC / "example.py", code)
    assert found and found[0].split(": ")[1].startswith(reason), found


@pytest.mark.parametrize("code", [
    "class A:\n    def f(self):\n        return self._cache",
    "class A:\n    _cache = {}\n    @classmethod\n    def f(cls):\n        return cls._cache",
    "from weasyprint.urls import URLFetcher\n"
    "class F(URLFetcher):\n    def __init__(self):\n        self._cache = {}\n"
    "    def f(self):\n        return [lambda: self._cache]",
    "from html.parser import HTMLParser\n"
    "class P(HTMLParser):\n    def reset(self):\n        super().reset()\n"
    "        self._depth = 0\n    def handle_starttag(self, tag, attrs):\n"
    "        self._depth += 1",
    "from msgspec import Struct\nclass S(Struct):\n    _kept: int = 0\n"
    "    def f(self):\n        return self._kept",
    "from briefpress.render import pdf\npdf._weasyprint()",
    "import briefpress.render.pdf as pdf\npdf._environment()",
    "from briefpress.render.pdf import _Records as R\nR._x",
    "from .pdf import _weasyprint\n_weasyprint()",
    "import sys\nif 'msgspec' in sys.modules: pass",
    "import sys\nsys.exit(0)",
    "import gc\ngc.collect()",
    "import os\nos.environ['TZ'] = 'UTC'",
    "import sys\nsys.stdin = None",
    "import ctypes.util\npath = ctypes.util.find_library('c')",
    "class A:\n    def __new__(cls):\n        return super().__new__(cls)",
    "value = getattr(node, f'_{name}')",
    "import logging\nLOGGER = logging.getLogger('weasyprint')\nLOGGER.propagate = False",
    "import logging\nlogging.getLogger('briefpress').propagate = False",
    "from lxml import etree\nelement = etree.Element('a')\nelement.text = 'x'",
    "import xml.etree.ElementTree as ET\nroot = ET.fromstring('<a/>')\nroot.tag",
    "from __future__ import annotations",
    "import pyphen\nsys = pyphen\ndef f():\n    sys = object()\n    sys.meta_path = 1",
    "def getattr(x, name):\n    return name\ngetattr(ffi, '_parser')",
])
def test_public_uses_pass(code: str) -> None:
    assert violations(SRC / "example.py", code) == []
