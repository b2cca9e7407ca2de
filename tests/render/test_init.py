"""The registry of the editions: each registered format's module is an EditionModule, with
the signatures ``build`` calls (the Protocol's, parameter by parameter, type by type), and
each optional hook it defines has the signature ``build`` and the cache call it with."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from pathlib import Path
from types import NoneType

import pytest

import briefpress.render
from briefpress.errors import NotImplementedFormat
from briefpress.model.brief import Brief, Listing, OutlineEntry
from briefpress.model.options import RenderOptions
from briefpress.render import FORMATS, EditionHooks, EditionModule, Format

HOOKS = ("render_collection", "cache_extra", "shows", "outdated_links")
"""The optional functions of :class:`EditionHooks`."""

MODEL = {"Brief": Brief, "Listing": Listing, "OutlineEntry": OutlineEntry,
         "RenderOptions": RenderOptions}
"""The names the Protocols' annotations use that render/__init__.py imports only for a
type checker."""


def _shape(function: Callable[..., object], namespace: dict[str, object] | None = None
           ) -> tuple[list[tuple[str, object, object, bool]], object]:
    """Each parameter's name, kind, type and whether it has a default (``self`` left out),
    and the return type, the annotations resolved."""
    hints = typing.get_type_hints(function, globalns=namespace)
    parameters = [(p.name, p.kind, hints[p.name], p.default is not p.empty)
                  for p in inspect.signature(function).parameters.values() if p.name != "self"]
    return parameters, hints["return"]


def _protocol_shape(member: Callable[..., object]
                    ) -> tuple[list[tuple[str, object, object, bool]], object]:
    return _shape(member, {**vars(briefpress.render), **MODEL})


def _returns_within(returned: object, declared: object) -> bool:
    """Whether a function returning ``returned`` can stand where ``declared`` is returned:
    the same type, or one member of the declared union (``None`` of ``list[Path] | None``)."""
    returned = NoneType if returned is None else returned
    return returned == declared or returned in typing.get_args(declared)


@pytest.mark.parametrize("name", FORMATS)
def test_each_format_module_is_an_edition_module(name: str) -> None:
    module = FORMATS[name].load()
    assert isinstance(module, EditionModule)
    for member in ("render", "read_outline"):
        parameters, returned = _shape(getattr(module, member))
        wanted, declared = _protocol_shape(getattr(EditionModule, member))
        assert parameters == wanted, (name, member)
        assert _returns_within(returned, declared), (name, member, returned, declared)


@pytest.mark.parametrize("name", FORMATS)
def test_each_hook_a_format_module_defines_has_the_hooks_signature(name: str) -> None:
    module = FORMATS[name].load()
    for member in HOOKS:
        function = getattr(module, member, None)
        if function is None:
            continue
        parameters, returned = _shape(function)
        wanted, declared = _protocol_shape(getattr(EditionHooks, member))
        assert parameters == wanted, (name, member)
        assert _returns_within(returned, declared), (name, member, returned, declared)


def test_every_hook_is_defined_by_some_format() -> None:
    """A hook no format defines any more (renamed in its module, say) would be looked for
    by its old name and silently never called: each is some registered format's."""
    defined = {member for fmt in FORMATS.values() for member in HOOKS
               if hasattr(fmt.load(), member)}
    assert defined == set(HOOKS)
    assert {name for name, value in vars(EditionHooks).items()
            if inspect.isfunction(value) and not name.startswith("_")} == set(HOOKS)


def test_a_registered_module_without_the_functions_is_refused_as_it_loads() -> None:
    """A registry line naming a module that is no edition fails as it loads, naming the
    module, not later as a missing attribute in the middle of a build."""
    with pytest.raises(TypeError, match=r"briefpress\.render\.design lacks render"):
        Format("design", "briefpress.render.design", "{slug}.css").load()


def test_a_registered_module_that_does_not_exist_is_a_format_not_implemented() -> None:
    with pytest.raises(NotImplementedFormat, match="the txt format is not implemented yet"):
        Format("txt", "briefpress.render.txt", "{slug}.txt").load()


def test_the_edition_module_protocol_takes_a_path_and_the_model() -> None:
    """What ``render`` and ``read_outline`` are given, as build gives it."""
    parameters, declared = _protocol_shape(EditionModule.render)
    assert [(name, annotation) for name, _, annotation, _ in parameters] == [
        ("brief", Brief), ("out", Path), ("options", RenderOptions)]
    assert declared == list[Path] | None
