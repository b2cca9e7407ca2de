"""Turn the bundled house fonts (and a brand's) into font parts embedded in the Word file.

Without them Word and LibreOffice fall back to whatever the machine has (on a
bare Linux box, DejaVu Sans for everything). The OFL allows embedding; the
faces' fsType is 0 (installable). Each bundled face joins its latin and latin-ext
subsets into one TrueType font (made once, cached under ``build/.cache/``); a brand's
face is its file (a WOFF2 one decompressed, cached as the PDF's are). Each is stored
obfuscated with its key, as ECMA-376 prescribes for embedded fonts, under the family
name its own name table gives (Word finds an embedded font by that name).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree
from msgspec import Struct

from briefpress.read.brand import FONT_BYTES
from briefpress.render import design, fontcache
from briefpress.support.files import (
    CACHE_FIX,
    clear_dead_temporaries,
    read_regular,
    temporary_file,
    writing,
)
from briefpress.support.fsutil import atomic_write_bytes
from briefpress.support.ooxml import (
    CT,
    REL,
    R,
    W,
    part_bytes,
    qname,
    switch_on,
    trusted_xml,
)
from briefpress.support.paths import FONTS

if TYPE_CHECKING:
    from briefpress.model.brief import Brand

FONT_REL = f"{R}/font"
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

    def truetype(self) -> bytes:
        """The face's font file (obfuscating twice with one key gives it back)."""
        return obfuscate(self.data, self.key)


def embedded_faces(cache_dir: Path, brand: Brand | None = None) -> list[EmbeddedFace]:
    """Every face to embed, obfuscated, in a fixed order: ``brand``'s for the roles it sets
    (each face in the slot its subfamily names), the bundled ones for the others."""
    own = {font.role: font for font in brand.fonts} if brand is not None else {}
    found: list[tuple[str, str, bytes]] = []
    for role in ("serif", "sans"):
        if role in own and any(family == own[role].family for family, _, _ in found):
            continue  # one family for both roles: its faces once
        if role in own:
            slots = {face.word_slot: face.path for face in own[role].faces if face.word_slot}
            found.extend((own[role].family, slot, _brand_face(slots[slot]))
                         for slot in _SLOTS if slot in slots)
            continue
        font = design.house_tokens().fonts.roles()[role]
        available = {(f.weight, f.style): f.stem for f in font.faces}
        found.extend((font.family, slot, _merged(available[wanted], cache_dir))
                     for slot, wanted in _SLOTS.items() if wanted in available)
    faces = []
    for family, slot, data in found:
        key = "{" + str(uuid.UUID(hashlib.sha256(data).hexdigest()[:32])).upper() + "}"
        part = f"word/fonts/font{len(faces) + 1}.odttf"
        faces.append(EmbeddedFace(family, slot, part, key, obfuscate(data, key)))
    return faces


def _brand_face(path: Path) -> bytes:
    """A brand's font file as the font part holds it: TrueType or OpenType as it is, WOFF2
    decompressed (cached)."""
    data = read_regular(path, FONT_BYTES, "give a smaller font file")
    return fontcache.truetype(data, path.name) if path.suffix.lower() == ".woff2" else data


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the key's 16 bytes, taken from its last hex pair back."""
    digits = key.strip("{}").replace("-", "")
    key_bytes = bytes(int(digits[i:i + 2], 16) for i in range(30, -2, -2))
    head = bytes(b ^ key_bytes[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def _merged(stem: str, cache_dir: Path) -> bytes:
    """The face's latin and latin-ext subsets as one TrueType font, cached."""
    sources = [FONTS / f"{stem.format(subset=s)}.woff2" for s in design.tokens().font_subsets]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]
    cached = cache_dir / "docx" / f"{stem.format(subset='all')}-{digest}.ttf"
    if cached.is_file():
        return cached.read_bytes()
    # a design boundary: only a cold cache needs fontTools' merger
    from briefpress.render.fontconvert import merge

    files: list[str] = []
    with writing(cached.parent, CACHE_FIX, CACHE_FIX):
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            clear_dead_temporaries(cached.parent)
            for source in sources:
                fd, ttf = temporary_file(cached.with_name(f"{source.stem}.ttf"))
                files.append(str(ttf))
                with os.fdopen(fd, "wb") as out:
                    out.write(fontcache.truetype(source.read_bytes(), source.name))
            merged = merge(files)
        finally:
            for name in files:
                Path(name).unlink(missing_ok=True)
        atomic_write_bytes(cached, merged)
    return merged


def embed(parts: dict[str, bytes], faces: list[EmbeddedFace]) -> None:
    """Add the faces to a package: font parts, font table entries, relationships, settings."""
    if not faces:
        return
    table = trusted_xml(parts["word/fontTable.xml"])
    declared = [prefix for prefix in table.nsmap if prefix]
    rels = etree.Element(qname(REL, "Relationships"), nsmap={None: REL})
    slots = {qname(W, slot) for slot in _SLOTS}
    for family in dict.fromkeys(face.family for face in faces):
        entry = next((font for font in table.iterchildren(qname(W, "font"))
                      if font.get(qname(W, "name")) == family), None)
        if entry is None:
            entry = etree.SubElement(table, qname(W, "font"), {qname(W, "name"): family})
        for stale in [child for child in entry if child.tag in slots]:
            entry.remove(stale)
        for face in (f for f in faces if f.family == family):
            rel_id = f"rIdFont{faces.index(face) + 1}"
            etree.SubElement(rels, qname(REL, "Relationship"), {
                "Id": rel_id, "Type": FONT_REL, "Target": f"fonts/{face.part.rsplit('/', 1)[1]}"})
            etree.SubElement(entry, qname(W, face.slot), {qname(R, "id"): rel_id,
                                                          qname(W, "fontKey"): face.key})
            parts[face.part] = face.data
    # r: declared once on the root (as Word does), not on each entry; keep every other prefix
    etree.cleanup_namespaces(table, top_nsmap={"r": R}, keep_ns_prefixes=declared)
    parts["word/fontTable.xml"] = part_bytes(table)
    parts["word/_rels/fontTable.xml.rels"] = part_bytes(rels)
    types = trusted_xml(parts["[Content_Types].xml"])
    if not any(d.get("Extension", "").lower() == "odttf"
               for d in types.iterchildren(qname(CT, "Default"))):
        types.insert(0, types.makeelement(qname(CT, "Default"), {"Extension": "odttf",
                                                                 "ContentType": FONT_TYPE}))
        parts["[Content_Types].xml"] = part_bytes(types)
    parts["word/settings.xml"] = switch_on(parts["word/settings.xml"], "embedTrueTypeFonts")
