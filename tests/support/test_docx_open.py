"""The safe opener of any .docx (support/docx_open.py): what it refuses before unpacking.

The limits, path tricks, DTDs and zip bombs are proved end to end by
tests/end_to_end/test_security.py; this file holds the opener's own unit tests.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from briefpress.errors import BriefError
from briefpress.support.docx_open import open_docx
from briefpress.support.ooxml import CT, W


def test_macros_are_found_in_content_types_in_any_encoding(tmp_path: Path) -> None:
    """The check reads the parsed content types, so UTF-16 hides nothing."""
    types = (f'<?xml version="1.0" encoding="UTF-16"?><Types xmlns="{CT}">'
             '<Override PartName="/word/document.xml" ContentType="application/'
             'vnd.ms-word.document.macroEnabled.main+xml"/></Types>').encode("utf-16")
    path = tmp_path / "macro.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{W}"/>')
    with pytest.raises(BriefError) as caught:
        open_docx(path)
    assert caught.value.problems[0].message.startswith("the document contains macros")
