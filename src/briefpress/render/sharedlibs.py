"""Load WeasyPrint's C libraries and their cffi bindings without the avoidable costs.

- WeasyPrint loads Pango, HarfBuzz and fontconfig through cffi, trying several spellings
  of each name; for every miss cffi asks ``ctypes.util.find_library``, which on Linux runs
  ``ldconfig``, then ``gcc``, then ``ld``: some fifty processes and about a third of a
  second before the first page is laid out. One ``ldconfig -p`` answers all of them
  (:func:`fast_find_library`).
"""

from __future__ import annotations

import ctypes.util
import platform
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

_ENTRY = re.compile(r"^\s*(\S+) \(([^)]*)\) => (\S+)$")
_ABI = {"x86_64": "x86-64", "aarch64": "AArch64"}


@cache
def linker_cache() -> dict[str, str]:
    """Soname -> path of every library in ``ldconfig -p`` for this machine's ABI."""
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    try:
        listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True,
                                 check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    abi = _ABI.get(platform.machine(), "")
    table: dict[str, str] = {}
    for line in listing.splitlines():
        match = _ENTRY.match(line)
        if match and abi in match.group(2):
            table.setdefault(match.group(1), match.group(3))
    return table


def find_library(name: str) -> str | None:
    """What ``ctypes.util.find_library`` answers on Linux (a soname), from the cache alone."""
    prefix = f"lib{name}.so"
    matches = sorted(s for s in linker_cache() if s == prefix or s.startswith(prefix + "."))
    return matches[0] if matches else None


@contextmanager
def fast_find_library() -> Iterator[None]:
    """Answer ``ctypes.util.find_library`` from :func:`linker_cache` for the duration."""
    if not linker_cache():  # no ldconfig here: leave ctypes to its own ways
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original
