"""Turn a title into an id every edition carries, and say whether an id is one.

The Word edition carries each id as a bookmark name, which Word wants to start with a
letter and to have at most 40 characters. pandoc's Word writer keeps an id that does as it
is (hyphens included) and replaces any other by a digest of it (``X`` and 39 hexadecimal
digits), which neither the outline read back, nor the import (which ties each Word paragraph
to its section by that bookmark), nor a link from elsewhere can know: such an id is one the
Word edition cannot carry.
"""

from __future__ import annotations

import re
from collections.abc import Collection

ID_MAX = 40
"""The longest bookmark name Word takes, and pandoc keeps as it is."""


def word_can_carry(ident: str) -> bool:
    """Whether the Word edition carries ``ident`` as it is: it starts with a letter and has
    at most :data:`ID_MAX` characters."""
    return bool(ident) and ident[0].isalpha() and len(ident) <= ID_MAX


def words_of(text: str) -> list[str]:
    """The words of ``text`` as ids spell them: runs of lowercase ASCII letters and digits
    (so the importer's link labels, :func:`briefpress.importer.markdown._slug`, too)."""
    return re.findall(r"[a-z0-9]+", text.casefold())


def make_id(text: str, taken: Collection[str], words: int = 6,
            fallback: str = "section") -> str:
    """A readable id for ``text`` that every edition carries and ``taken`` lacks: its first
    ``words`` words in lowercase ASCII letters and digits, joined by hyphens, from its first
    word that starts with a letter (as pandoc's auto_identifiers: "2024 Outlook" gives
    ``outlook``, "4) Health Security" ``health-security``), within :data:`ID_MAX`
    characters, with ``-2``, ``-3``… if taken; ``fallback`` if no word starts with a letter.
    """
    found = words_of(text)
    while found and not found[0][0].isalpha():
        found.pop(0)
    base = found[0][:ID_MAX] if found else fallback
    for word in found[1:words]:
        if len(base) + 1 + len(word) > ID_MAX:
            break
        base = f"{base}-{word}"
    ident, number = base, 2
    while ident in taken:
        suffix = f"-{number}"
        ident = base[:ID_MAX - len(suffix)].rstrip("-") + suffix
        number += 1
    return ident
