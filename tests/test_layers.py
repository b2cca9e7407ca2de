"""CI check: the package's folders import one way, each from those below it (docs/architecture.md).

Every module under ``src/briefpress`` is parsed with :mod:`ast`; each import of briefpress's
own is resolved to the module it names (``from briefpress.render import design`` is
``briefpress.render.design``; ``from briefpress.render import FORMATS`` is
``briefpress.render``), and so is a string constant that is exactly a briefpress module's
name (``importlib.import_module("briefpress.check.brief")``, the format registry's
``"briefpress.render.pdf"``). Every import counts wherever it stands: at the top, inside a
function (an import put off for the start's speed is still a dependency) or under
``TYPE_CHECKING``.

A module's layer is its folder (``briefpress.read.brief``: ``read``) or, at the top of the
package, its own name (``build``, ``cli``). A layer may import its own modules, those of a
lower rank and those of its own rank; never those above it. :data:`RANKS` is the table, from
the bottom:

====  ==========================  ========================================================
rank  layers                      what they are
====  ==========================  ========================================================
0     ``briefpress``, ``errors``  the package's version; problems a user can cause
1     ``model``                   the data model: records, no I/O
2     ``support``                 what every stage leans on (files, limits, locks, the
                                  sandbox, the safe .docx opener, OOXML names, the cache's
                                  keys); may use the model's records
3     ``pandoc``                  one pandoc process a call
4     ``read``                    a source folder into a ``Brief``
5     ``scaffold``                a new brief folder (its placeholders, which ``check``
                                  looks for)
6     ``render``                  a ``Brief`` into editions; the format registry
7     ``readback``                an edition into its outline, through the registry
8     ``check``                   a ``Brief`` into findings, asking ``render`` which
                                  editions exist and what the Word edition can draw
9     ``importer``                an edited .docx into new source text
10    ``build``, ``run``          slugs into editions; running the jobs (workers, a Dask
                                  cluster, progress) into results
11    ``serve``                   the live preview, rebuilding with ``build``
12    ``cli``                     command lines into all of the above
====  ==========================  ========================================================

``check`` sits above ``render``, not below it as a reading of the pipeline's picture would
put it: the checks ask the renderers (the format registry, ``NotImplementedFormat``, the
Word edition's SVG rasteriser) what a build would refuse, and no renderer imports a check.

:data:`EXCEPTIONS` lists each import that goes the wrong way today, by the importing and the
imported module, with the reason it stays; an exception no longer used fails too, so the
list only shrinks.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "briefpress"

RANKS: dict[str, int] = {
    "briefpress": 0, "errors": 0,
    "model": 1,
    "support": 2,
    "pandoc": 3,
    "read": 4,
    "scaffold": 5,
    "render": 6,
    "readback": 7,
    "check": 8,
    "importer": 9,
    "build": 10, "run": 10,
    "serve": 11,
    "cli": 12,
}

EXCEPTIONS: dict[tuple[str, str], str] = {
    ("briefpress.support.cache", "briefpress.read.brand"):
        "the cache's keys hash the project's files, and read/ owns where they are: the "
        "brands' folder (BRANDS, brand_folder), a name of paths, not a read",
    ("briefpress.support.cache", "briefpress.read.config"):
        "likewise the config file's path (config_path)",
    ("briefpress.support.cache", "briefpress.read.doctype"):
        "likewise a document type's path (doctype_path)",
    ("briefpress.support.cache", "briefpress.pandoc"):
        "the code's fingerprint hashes the pandoc binary (pandoc_path), imported in the "
        "function that hashes it",
    ("briefpress.support.cache", "briefpress.render"):
        "type only (TYPE_CHECKING): the keys are made for a render.Format the caller gives",
    ("briefpress.render.docx", "briefpress.readback.docx"):
        "each format module offers its read_outline (render/__init__.py's EditionModule); "
        "the Word edition's reads the body's blocks with readback/docx.py",
    ("briefpress.render.pdf", "briefpress.readback.pdf"):
        "likewise the PDF edition's read_outline, with readback/pdf.py",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    """``briefpress.read.brief``: ``read``; ``briefpress.build``: ``build``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _resolve(module: str, name: str | None = None) -> str:
    """The module ``from module import name`` names: the submodule if there is one."""
    if name is not None and f"{module}.{name}" in MODULES:
        return f"{module}.{name}"
    return module


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """Each line of ``path`` that imports a briefpress module, and the module."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "briefpress":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: a relative import; name the module"
            if node.module and node.module.split(".")[0] == "briefpress":
                for alias in node.names:
                    yield node.lineno, _resolve(node.module, alias.name)
        elif isinstance(node, ast.Constant) and node.value in MODULES:
            yield node.lineno, node.value  # a module named to be imported by name


def crossings(modules: dict[str, Path]) -> dict[tuple[str, str], list[str]]:
    """Every import of a higher layer than the importer's, by (importer, imported)."""
    found: dict[tuple[str, str], list[str]] = {}
    for name, path in modules.items():
        for line, imported in imports(path):
            if RANKS[layer(imported)] > RANKS[layer(name)]:
                found.setdefault((name, imported), []).append(f"{name}:{line}")
    return found


def test_every_layer_has_a_rank() -> None:
    unranked = sorted({layer(name) for name in MODULES} - set(RANKS))
    assert not unranked, f"add these folders or modules to RANKS: {unranked}"


def test_no_module_imports_a_layer_above_its_own() -> None:
    wrong = {pair: where for pair, where in crossings(MODULES).items() if pair not in EXCEPTIONS}
    assert not wrong, "imports against the layers (docs/architecture.md):\n" + "\n".join(
        f"  {', '.join(where)}: {importer} ({layer(importer)}) imports {imported} "
        f"({layer(imported)})" for (importer, imported), where in sorted(wrong.items()))


def test_every_exception_is_still_needed() -> None:
    stale = sorted(set(EXCEPTIONS) - set(crossings(MODULES)))
    assert not stale, f"no longer imported against the layers: remove from EXCEPTIONS: {stale}"


def test_support_imports_no_stage() -> None:
    """The brief of issue 13's audit (F6) in so many words: support/ below every stage,
    except the exceptions listed."""
    stages = {"read", "check", "render", "readback", "importer", "build", "run", "serve",
              "cli", "scaffold", "pandoc"}
    found = sorted((name, imported) for name, path in MODULES.items()
                   if layer(name) == "support"
                   for _, imported in imports(path)
                   if layer(imported) in stages and (name, imported) not in EXCEPTIONS)
    assert not found


def test_the_check_finds_an_import_against_the_layers(tmp_path: Path) -> None:
    """Control: the walk sees each form of import, and one against the layers fails."""
    module = tmp_path / "m.py"
    module.write_text("from typing import TYPE_CHECKING\n"
                      "import briefpress.build\n"
                      "from briefpress import run\n"
                      "from briefpress.render import FORMATS, design\n"
                      "if TYPE_CHECKING:\n    from briefpress.read.brief import Brief\n"
                      "def f():\n    import briefpress.cli\n"
                      "ENGINE = 'briefpress.check.brief'\n")
    assert sorted(imports(module)) == [
        (2, "briefpress.build"), (3, "briefpress.run"), (4, "briefpress.render"),
        (4, "briefpress.render.design"), (6, "briefpress.read.brief"), (8, "briefpress.cli"),
        (9, "briefpress.check.brief")]
    found = crossings({"briefpress.support.m": module})
    assert {imported for _, imported in found} == {name for _, name in imports(module)}
    assert not crossings({"briefpress.cli": module})  # the top may import any of them
