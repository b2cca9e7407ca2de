"""Keep on disk what every render would otherwise derive again from the same files.

- Fonts: WeasyPrint decompresses every WOFF2 face it is given, in pure Python, on
  every render: for the twenty bundled faces that was two thirds of the time of a PDF.
  The TrueType form of a face depends only on its WOFF2 bytes, so it is made once and
  kept under ``build/.cache/fonts/``, named by the hash of its source.
- Hyphenation patterns: pyphen parses a language's ``hyph_*.dic`` (11,000 patterns for
  US English) with regular expressions, 60-70 ms per render; the parsed patterns are
  kept as JSON under ``build/.cache/hyphenation/``, named by the hash of the dictionary
  and pyphen's version, and read back in about 17 ms.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path
from typing import Any

from briefpress.support import paths


def cache_dir(kind: str = "fonts") -> Path:
    """Where decompressed faces (or another ``kind``) are kept: under ``BRIEFPRESS_CACHE`` or
    ``build/.cache``."""
    root = os.environ.get("BRIEFPRESS_CACHE")
    return (Path(root) if root else paths.build_dir() / ".cache") / kind


def truetype(woff2_bytes: bytes, name: str) -> bytes:
    """The TrueType (sfnt) form of a WOFF2 font, from the cache when it is there."""
    digest = hashlib.sha256(woff2_bytes).hexdigest()[:24]
    cached = cache_dir() / f"{Path(name).stem}-{digest}.ttf"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    from fontTools.ttLib import woff2

    out = BytesIO()
    woff2.decompress(BytesIO(woff2_bytes), out)
    data = out.getvalue()
    _store(cached, data)
    return data


def preload_hyphenation(languages: Iterable[str]) -> None:
    """Give pyphen the parsed patterns of ``languages`` (BCP 47 tags) from the cache.

    pyphen keeps a parsed dictionary per file in ``pyphen.hdcache``, where WeasyPrint's
    hyphenation finds it; a language without a dictionary, or one already loaded, is
    left alone.
    """
    import pyphen

    for language in languages:
        name = pyphen.language_fallback(language)
        path = pyphen.LANGUAGES.get(name) if name else None
        if path is not None and path not in pyphen.hdcache:
            pyphen.hdcache[path] = _hyphenation_dictionary(pyphen, path)


_HYPH_DICT_ATTRIBUTES = {"patterns", "cache", "maxlen"}
"""What a parsed pyphen dictionary holds; one holding anything else is not cached."""


def _hyphenation_dictionary(pyphen: Any, path: Any) -> Any:
    """A ``pyphen.HyphDict`` of ``path``, from its JSON copy in the cache when it is there."""
    source = path.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:24]
    cached = cache_dir("hyphenation") / f"{Path(path.name).stem}-{pyphen.__version__}-{digest}.json"
    try:
        patterns = _patterns_from_json(cached.read_bytes())
    except (OSError, ValueError, TypeError):
        pass
    else:
        dictionary = pyphen.HyphDict.__new__(pyphen.HyphDict)
        dictionary.patterns, dictionary.cache = patterns, {}
        dictionary.maxlen = max(map(len, patterns))
        return dictionary
    dictionary = pyphen.HyphDict(path)
    # Only plain patterns are cached: ones with nonstandard hyphenation carry more than ints.
    if set(vars(dictionary)) == _HYPH_DICT_ATTRIBUTES and dictionary.patterns and all(
            type(value) is int for _, values in dictionary.patterns.values() for value in values):
        _store(cached, json.dumps({key: [start, list(values)] for key, (start, values)
                                   in dictionary.patterns.items()}).encode())
    return dictionary


def _patterns_from_json(data: bytes) -> dict[str, tuple[int, tuple[int, ...]]]:
    """The patterns of a cached dictionary; ValueError or TypeError if the file is not one."""
    patterns = {key: (start, tuple(values)) for key, (start, values) in json.loads(data).items()}
    if not patterns or not all(isinstance(key, str) and type(start) is int
                               and all(type(value) is int for value in values)
                               for key, (start, values) in patterns.items()):
        raise ValueError("not a cached hyphenation dictionary")
    return patterns


def _store(path: Path, data: bytes) -> None:
    """Write atomically, so a concurrent render never reads half a font; a read-only
    checkout only loses the cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", suffix=".tmp",
                                         delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except OSError:
        return
