"""briefpress: one Markdown source, three editions (print PDF, editors' DOCX, web page)."""

import sys

__version__ = "0.1.0"


def _import_msgspec() -> None:
    """Import msgspec without typing_extensions, unless something has loaded that already.

    msgspec imports typing_extensions only to prefer its ``get_type_hints``, which on
    Python 3.11 with ``include_extras=True`` (all msgspec asks) gives what ``typing``'s
    own does; but loading it costs inspect, ast, dis and tokenize too, some 10 ms of
    every command's start-up. Later imports of typing_extensions work as usual.
    """
    if "msgspec" in sys.modules or "typing_extensions" in sys.modules:
        return
    sys.modules["typing_extensions"] = None  # type: ignore[assignment]  # "not installed"
    try:
        import msgspec  # noqa: F401
    finally:
        del sys.modules["typing_extensions"]


_import_msgspec()
