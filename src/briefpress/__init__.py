"""briefpress: one Markdown source, three editions (print PDF, editors' DOCX, web page)."""

from __future__ import annotations

import sys
from typing import Any

__version__ = "0.1.0"


class _MsgspecFinder:
    """Loads msgspec, whenever something first imports it, without typing_extensions.

    msgspec imports typing_extensions only to prefer its ``get_type_hints``, which on
    Python 3.11 with ``include_extras=True`` (all msgspec asks) gives what ``typing``'s
    own does; but loading it costs inspect, ast, dis and tokenize too, some 10 ms of a
    command. Only msgspec is kept from it: later imports of typing_extensions work.
    """

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "msgspec":
            return None
        sys.meta_path.remove(self)  # once; and the search below must not find this finder
        from importlib.util import find_spec

        spec = find_spec(name)
        if spec is not None and spec.loader is not None \
                and "typing_extensions" not in sys.modules:
            spec.loader = _WithoutTypingExtensions(spec.loader)
        return spec


class _WithoutTypingExtensions:
    """A loader that runs another with typing_extensions out of reach ("not installed")."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        sys.modules["typing_extensions"] = None  # type: ignore[assignment]
        try:
            self.loader.exec_module(module)
        finally:
            del sys.modules["typing_extensions"]


if "msgspec" not in sys.modules:
    sys.meta_path.insert(0, _MsgspecFinder())
