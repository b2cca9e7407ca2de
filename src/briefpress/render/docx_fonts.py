"""Turn the bundled house fonts into font parts embedded in the Word file.

Without them Word and LibreOffice fall back to whatever the machine has (on a
bare Linux box, DejaVu Sans for everything). The OFL allows embedding; the
faces' fsType is 0 (installable). Each face joins its latin and latin-ext
subsets into one TrueType font (made once, cached under ``build/.cache/``) and is
stored obfuscated with its key, as ECMA-376 prescribes for embedded fonts.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from pathlib import Path

from msgspec import Struct

from briefpress.render import design, fontcache
from briefpress.support.fsutil import atomic_write_bytes
from briefpress.support.paths import FONTS
from briefpress.support.xmlescape import xml_attr

FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
FONT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"

# Word's four slots per family, and the face (weight, style) that fills each
_SLOTS = {"embedRegular": (400, "normal"), "embedBold": (700, "normal"),
          "embedItalic": (400, "italic"), "embedBoldItalic": (700, "italic")}


class EmbeddedFace(Struct, frozen=True):
    family: str
    slot: str
    part: str
    """Part name, e.g. ``word/fonts/font1.odttf``."""
    key: str
    """The GUID the part is obfuscated with, braces included."""
    data: bytes
    """The obfuscated bytes."""


def embedded_faces(cache_dir: Path) -> list[EmbeddedFace]:
    """Every face to embed, obfuscated, in a fixed order."""
    faces = []
    for role in ("serif", "sans"):
        font = design.tokens()["fonts"][role]
        available = {(f["weight"], f["style"]): f["stem"] for f in font["faces"]}
        for slot, wanted in _SLOTS.items():
            stem = available.get(wanted)
            if stem is None:
                continue
            data = _merged(stem, cache_dir)
            key = "{" + str(uuid.UUID(hashlib.sha256(data).hexdigest()[:32])).upper() + "}"
            part = f"word/fonts/font{len(faces) + 1}.odttf"
            faces.append(EmbeddedFace(font["family"], slot, part, key, obfuscate(data, key)))
    return faces


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the key's 16 bytes, taken from its last hex pair back."""
    digits = key.strip("{}").replace("-", "")
    key_bytes = bytes(int(digits[i:i + 2], 16) for i in range(30, -2, -2))
    head = bytes(b ^ key_bytes[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def _merged(stem: str, cache_dir: Path) -> bytes:
    """The face's latin and latin-ext subsets as one TrueType font, cached."""
    sources = [FONTS / f"{stem.format(subset=s)}.woff2" for s in design.tokens()["font_subsets"]]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]
    cached = cache_dir / "docx" / f"{stem.format(subset='all')}-{digest}.ttf"
    if cached.is_file():
        return cached.read_bytes()
    from fontTools.merge import Merger  # slow to import; only when the cache is cold

    files = []
    for source in sources:
        ttf = cached.with_name(f".{source.stem}.{digest}.ttf")
        ttf.parent.mkdir(parents=True, exist_ok=True)
        ttf.write_bytes(fontcache.truetype(source.read_bytes(), source.name))
        files.append(str(ttf))
    try:
        merged = Merger().merge(files)
        # fontTools stamps the merge with the clock; the source's own date keeps it reproducible
        from fontTools.ttLib import TTFont

        merged["head"].created = merged["head"].modified = TTFont(files[0])["head"].created
        merged.recalcTimestamp = False
        out = io.BytesIO()
        merged.save(out)
    finally:
        for name in files:
            Path(name).unlink(missing_ok=True)
    atomic_write_bytes(cached, out.getvalue())
    return out.getvalue()


def embed(parts: dict[str, bytes], faces: list[EmbeddedFace]) -> None:
    """Add the faces to a package: font parts, font table entries, relationships, settings."""
    if not faces:
        return
    rels = []
    table = parts["word/fontTable.xml"].decode("utf-8")
    for family in dict.fromkeys(face.family for face in faces):
        mine = [f for f in faces if f.family == family]
        pattern = "<w:font w:name=" + re.escape(xml_attr(family)) + r">(.*?)</w:font>"
        existing = re.search(pattern, table, re.DOTALL)
        inner = existing.group(1) if existing else ""
        inner = re.sub(r"<w:embed\w+ [^>]*/>", "", inner)
        for face in mine:
            rel_id = f"rIdFont{faces.index(face) + 1}"
            rels.append(f'<Relationship Id="{rel_id}" Type="{FONT_REL}" '
                        f'Target="fonts/{face.part.rsplit("/", 1)[1]}"/>')
            inner += f'<w:{face.slot} r:id="{rel_id}" w:fontKey="{face.key}"/>'
            parts[face.part] = face.data
        entry = f"<w:font w:name={xml_attr(family)}>{inner}</w:font>"
        if existing:
            table = table[:existing.start()] + entry + table[existing.end():]
        else:
            table = table.replace("</w:fonts>", entry + "</w:fonts>")
    if 'xmlns:r="' not in table.split(">", 2)[1]:
        table = re.sub(r"<w:fonts ", '<w:fonts xmlns:r="http://schemas.openxmlformats.org/'
                       'officeDocument/2006/relationships" ', table, count=1)
    parts["word/fontTable.xml"] = table.encode("utf-8")
    parts["word/_rels/fontTable.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels) + "</Relationships>").encode()
    types = parts["[Content_Types].xml"]
    if b'Extension="odttf"' not in types:
        parts["[Content_Types].xml"] = types.replace(
            b"<Default ", f'<Default Extension="odttf" ContentType="{FONT_TYPE}" /><Default '
            .encode(), 1)
    settings = parts["word/settings.xml"]
    if b"<w:embedTrueTypeFonts" not in settings:
        # schema order: after w:zoom, before w:embedSystemFonts (Word rejects other orders)
        zoom = re.search(rb"<w:zoom[^>]*/>", settings)
        at = zoom.end() if zoom else re.search(rb"<w:settings[^>]*>", settings).end()  # type: ignore[union-attr]
        parts["word/settings.xml"] = settings[:at] + b"<w:embedTrueTypeFonts />" + settings[at:]
