"""Turn a title into an id every edition carries, and say whether an id is one.

The Word edition carries each id as a bookmark name, which Word wants to start with a
letter and to have at most 40 characters. pandoc's Word writer keeps an id that does as it
is (hyphens included; a letter of any script, ``économie`` and ``北極の港`` alike, both of
which its reader and the outline read back) and replaces any other by a digest of it
(``X`` and 39 hexadecimal digits), which neither the outline read back, nor the import
(which ties each Word paragraph to its section by that bookmark), nor a link from elsewhere
can know: such an id is one the Word edition cannot carry.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

ID_MAX = 40
"""The longest bookmark name Word takes, and pandoc keeps as it is."""


def word_can_carry(ident: str) -> bool:
    """Whether the Word edition carries ``ident`` as it is: it starts with a letter (of any
    script, as pandoc's ``isLetter``) and has at most :data:`ID_MAX` characters (code
    points, as pandoc counts them)."""
    return bool(ident) and ident[0].isalpha() and len(ident) <= ID_MAX


_APOSTROPHES = dict.fromkeys(map(ord, "'\u2018\u2019"))
"""The apostrophe as typed and as Word curls it (or mis-curls it, ‘90s)."""


def words_of(text: str) -> list[str]:
    """The words of ``text`` as ids spell them: runs of lowercase ASCII letters and digits,
    accents dropped, an apostrophe left out where it stands ("ROK's" is one word, ``roks``,
    as pandoc's auto_identifiers drop it, not ``rok`` and ``s``) (:func:`make_id`; the
    importer's link labels, :func:`briefpress.importer.markdown._slug`, too)."""
    return re.findall(r"[a-z0-9]+", _ascii(text.casefold()).translate(_APOSTROPHES))


def make_id(text: str, taken: Collection[str], words: int = 6,
            fallback: str = "section") -> str:
    """A readable id for ``text`` that every edition carries and ``taken`` lacks: its first
    ``words`` words in lowercase ASCII letters and digits, joined by hyphens, from its first
    word that starts with a letter (as pandoc's auto_identifiers with ascii_identifiers:
    "2024 Outlook" gives ``outlook``, "4) Health Security" ``health-security``, "Über die
    Häfen" ``uber-die-hafen``), within :data:`ID_MAX` characters, with ``-2``, ``-3``… if
    taken; ``fallback`` if no word starts with a letter ("北極の港" has none in ASCII).

    Words are split at every character that is neither a letter nor a digit ("U.S.–ROK"
    gives ``u-s-rok``) but an apostrophe, which pandoc leaves out of its word ("the ROK's
    role" gives ``the-roks-role``, "l'Arctique" ``larctique``, as pandoc's ids of those
    headings). An accented letter loses its accents (NFKD, combining marks dropped); a
    letter or digit with no ASCII form is left out of its word, as pandoc's
    ascii_identifiers leave it out.
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


def _ascii(text: str) -> str:
    """``text`` with accents dropped and each other non-ASCII letter or digit left out; any
    other character stays, to part words. (The ids stay ASCII since recommendations.yaml
    takes only lowercase ASCII letters, digits and hyphens in an id.)"""
    kept = []
    for char in unicodedata.normalize("NFKD", text):
        if char.isascii() or not (char.isalnum() or unicodedata.category(char)[0] == "M"):
            kept.append(char)
    return "".join(kept)
