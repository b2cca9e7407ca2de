"""Turn an author's SVG image (a figure, a brand's logo) into one that runs and links to nothing.

Word, LibreOffice and whatever else opens the Word file render an embedded SVG with their
own engines, outside the sandbox: a script, an event handler, a ``foreignObject`` or an
``href`` to ``http:`` or ``file:`` in it would act on the editor's machine. What is left
draws the same picture: fragments (``#gradient``) and embedded raster images are kept.
"""

from __future__ import annotations

import math
from typing import Any

from lxml import etree

DROPPED = frozenset({"script", "foreignObject", "iframe", "object", "embed", "handler",
                     "listener"})
"""Elements removed with their content: code, or a door to HTML that loads what it likes."""
REFERENCES = frozenset({"image", "use", "feImage"})
"""Elements that only show what their ``href`` points at: removed when it is removed."""
EMBEDDED_IMAGES = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
"""The ``data:`` references an SVG may keep: raster images carried inside it."""


class UnsafeSvg(ValueError):
    """The file is not an SVG that can be read as XML."""


def read_svg(data: bytes) -> Any:
    """The root element of ``data``, an SVG document (no entity, DTD or network is read,
    comments and processing instructions are left out), or :class:`UnsafeSvg`."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UnsafeSvg(f"not well-formed XML ({exc.msg})") from None
    if root is None or etree.QName(root).localname != "svg":
        raise UnsafeSvg("its root element is not <svg>")
    return root


def clean_svg(data: bytes) -> bytes:
    """``data`` (an SVG document) without scripts, handlers or external references."""
    root = read_svg(data)
    for node in list(root.iter()):
        # an entity left unexpanded (its text is not ours to use), or code, or a door out
        if node.tag is etree.Entity or (isinstance(node.tag, str) and _drop_element(node)):
            _remove(node)
    for element in list(root.iter(tag=etree.Element)):
        for name in list(element.attrib):
            if _drop_attribute(etree.QName(name).localname, element.attrib[name]):
                del element.attrib[name]
        if etree.QName(element).localname == "style" and element.text and \
                _external_css(element.text):
            element.text = ""
        if etree.QName(element).localname in REFERENCES and not _has_href(element):
            # it showed what it pointed at, and that is gone: left, it draws nothing here,
            # but a renderer may take the document's own address for the missing one
            # (WeasyPrint drew the page itself inside the logo, and what followed it on the
            # cover went astray: docs/upstream.md)
            _remove(element)
    # the root alone: no DOCTYPE (its internal subset could declare entities) and no PIs
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
         "in": 96.0, "em": 16.0, "ex": 8.0}
"""SVG's absolute length units in user units (CSS pixels), as renderers take them (an em as
the default 16 px font size)."""


class UnsizedSvg(ValueError):
    """An SVG without a size every renderer takes alike: ``attribute`` (``viewBox``,
    ``width``, ``height``) is not a positive one, or, None, there is no size at all."""

    def __init__(self, attribute: str | None = None, value: str | None = None,
                 why: str = "") -> None:
        self.attribute, self.value = attribute, value
        super().__init__(f"{attribute} {value!r} {why}" if attribute else
                         "no size (neither a viewBox nor a width and a height)")


def svg_size(root: Any) -> tuple[float, float]:
    """The width and height of the SVG whose root element is ``root``, in CSS pixels (a
    width or height in percent: of the viewBox; one side alone: the other from the viewBox's
    shape), or :class:`UnsizedSvg`.

    An SVG has a size when it has a viewBox with a positive width and height, or a width
    and a height of positive length in absolute units. Without one, each renderer gives it
    its own: a browser and WeasyPrint 300 by 150 pixels (cropping the drawing), typst 100
    by 100; a size of 0 or below, typst refuses."""
    box: tuple[float, float] | None = None
    if root.get("viewBox") is not None:
        try:
            parts = [float(n) for n in root.get("viewBox", "").replace(",", " ").split()]
        except ValueError:
            parts = []
        if len(parts) != 4 or not all(math.isfinite(n) for n in parts) or \
                parts[2] <= 0 or parts[3] <= 0:
            raise UnsizedSvg("viewBox", root.get("viewBox"),
                             "is not four numbers with a positive width and height")
        box = (parts[2], parts[3])
    lengths = []
    for name in ("width", "height"):
        given = root.get(name)
        length = _length(given) if given is not None else (100.0, "%")
        if length is None or length[0] <= 0:
            raise UnsizedSvg(name, given, "is not a positive length")
        lengths.append(length)
    (width, width_unit), (height, height_unit) = lengths
    if box is None:
        if "%" in (width_unit, height_unit):
            raise UnsizedSvg()  # a percentage of nothing: each renderer takes its own
        return width * UNITS[width_unit], height * UNITS[height_unit]
    # a percentage as of the viewBox; one side alone, the other of the viewBox's shape
    if width_unit == "%" and height_unit == "%":
        return box[0] * width / 100, box[1] * height / 100
    if width_unit == "%":
        return height * UNITS[height_unit] * box[0] / box[1], height * UNITS[height_unit]
    if height_unit == "%":
        return width * UNITS[width_unit], width * UNITS[width_unit] * box[1] / box[0]
    return width * UNITS[width_unit], height * UNITS[height_unit]


def _length(value: str) -> tuple[float, str] | None:
    """An SVG length attribute (``40``, ``2.5cm``, ``100%``) as its number and unit; None
    when it is not one."""
    value = value.strip()
    unit = next((u for u in (*UNITS, "%") if u and value.endswith(u)), "")
    try:
        number = float(value[:len(value) - len(unit)])
    except ValueError:
        return None
    return (number, unit) if math.isfinite(number) else None


def _has_href(element: Any) -> bool:
    """Whether ``element`` (a ``use``, ``image`` or other reference) still names what it
    shows: an ``href``, plain or ``xlink:``, left after the unsafe ones were removed."""
    return any(etree.QName(name).localname == "href" for name in element.attrib)


def _drop_element(element: Any) -> bool:
    name = etree.QName(element).localname
    if name in DROPPED:
        return True
    # SMIL that would set or animate a reference: <set attributeName="href" to="javascript:…">
    return name in ("set", "animate") and \
        (element.get("attributeName") or "").lower().endswith("href")


def _drop_attribute(name: str, value: str) -> bool:
    if name.lower().startswith("on"):
        return True
    if name.lower() in ("href", "src"):
        reference = "".join(value.split())
        return not (reference.startswith("#") or reference.lower().startswith(EMBEDDED_IMAGES))
    return _external_css(value)


def _external_css(text: str) -> bool:
    """Whether CSS text (a ``style`` attribute or element, a presentation attribute such as
    ``fill``) imports or points at anything but a fragment of the same SVG."""
    lowered = "".join(text.split()).lower()
    if "@import" in lowered:
        return True
    return any(not piece.lstrip("'\"").startswith("#") for piece in lowered.split("url(")[1:])


def _remove(node: Any) -> None:
    """Remove ``node`` and its content, keeping the text that follows it."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


SERIF_GENERICS = frozenset({"serif", "ui-serif"})
"""The generic families of a serif face (each other generic is set in the sans)."""
GENERIC_FAMILIES = SERIF_GENERICS | {"sans-serif", "monospace", "cursive", "fantasy",
                                     "system-ui", "ui-sans-serif", "ui-monospace",
                                     "ui-rounded", "math", "emoji", "fangsong"}
"""CSS's generic family names, which each renderer maps to a font of its machine."""

_FONT_SIZES = frozenset({"xx-small", "x-small", "small", "medium", "large", "x-large",
                         "xx-large", "xxx-large", "smaller", "larger"})
"""The keywords a ``font`` shorthand may give its size by; the families follow the size."""


def with_families(data: bytes, sans: str, serif: str) -> bytes:
    """``data`` (an SVG document) with the text of every family set in ``sans`` or
    ``serif``, the edition's own faces, so that no renderer takes a font from its machine:
    a family list keeps those two where it names them, takes ``serif`` for a serif generic
    (``serif``), ``sans`` for every other family, and ends with both (for a character the
    first lacks); text of no family is set in ``sans`` (WeasyPrint's default, a chart's
    usual face). The ``font-family`` attribute, the ``style`` attribute and ``<style>``
    rules (``font-family`` and the ``font`` shorthand) are rewritten, with tinycss2."""
    import tinycss2  # only an SVG with text needs it

    root = read_svg(data)
    families = _Families(sans, serif)
    if root.get("font-family") is None:
        root.set("font-family", families.rewrite(tinycss2.parse_component_value_list("")))
    for element in root.iter(tag=etree.Element):
        if element.get("font-family") is not None:
            element.set("font-family", families.rewrite(
                tinycss2.parse_component_value_list(element.get("font-family"))))
        if element.get("style"):
            element.set("style", families.declarations(element.get("style")))
        if etree.QName(element).localname == "style" and element.text:
            element.text = families.stylesheet(element.text)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


class _Families:
    """Rewrites CSS family lists to the edition's two faces (:func:`with_families`)."""

    def __init__(self, sans: str, serif: str) -> None:
        self.sans, self.serif = sans, serif

    def rewrite(self, tokens: list[Any]) -> str:
        """The family list ``tokens`` (tinycss2's) as the edition's faces, quoted."""
        import tinycss2

        chosen = []
        names: list[list[Any]] = [[]]
        for token in tokens:
            if token.type == "literal" and token.value == ",":
                names.append([])
            elif token.type not in ("whitespace", "comment"):
                names[-1].append(token)
        for name in names:
            if len(name) == 1 and name[0].type == "string":
                family = name[0].value
            else:  # unquoted: its words, as CSS joins them
                family = " ".join(tinycss2.serialize([t]).strip() for t in name)
            if family.casefold() in (self.sans.casefold(), self.serif.casefold()):
                chosen.append(self.sans if family.casefold() == self.sans.casefold()
                              else self.serif)
            elif family:
                generic = len(name) == 1 and name[0].type == "ident" and \
                    name[0].lower_value in GENERIC_FAMILIES
                serif = generic and name[0].lower_value in SERIF_GENERICS
                chosen.append(self.serif if serif else self.sans)
        chosen += [self.sans, self.serif]
        return ", ".join(f'"{family}"' for family in dict.fromkeys(chosen))

    def declarations(self, text: str) -> str:
        """The declarations ``text`` (a ``style`` attribute, a rule's block) rewritten."""
        import tinycss2

        kept = []
        for declaration in tinycss2.parse_blocks_contents(text):
            if declaration.type != "declaration":
                continue  # whitespace, or what no renderer reads either
            value = self._value(declaration.lower_name, declaration.value) \
                if declaration.lower_name in ("font-family", "font") else \
                tinycss2.serialize(declaration.value).strip()
            important = " !important" if declaration.important else ""
            kept.append(f"{declaration.name}: {value}{important}")
        return "; ".join(kept)

    def stylesheet(self, text: str) -> str:
        """A ``<style>`` element's CSS with each rule's declarations rewritten."""
        import tinycss2

        rules = []
        for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
            if rule.type == "qualified-rule":
                rules.append(f"{tinycss2.serialize(rule.prelude).strip()} "
                             f"{{ {self.declarations(tinycss2.serialize(rule.content))} }}")
            elif rule.type == "at-rule":
                rules.append(rule.serialize())
        return "\n".join(rules)

    def _value(self, name: str, tokens: list[Any]) -> str:
        """A ``font-family`` value, or a ``font`` shorthand's, with its families rewritten."""
        import tinycss2

        if name == "font-family":
            return self.rewrite(tokens)
        # the shorthand: [style weight …] size[/line-height] families
        significant = [(i, t) for i, t in enumerate(tokens)
                       if t.type not in ("whitespace", "comment")]
        for position, (_, token) in enumerate(significant):
            if token.type in ("dimension", "percentage") or \
                    (token.type == "ident" and token.lower_value in _FONT_SIZES):
                after = significant[position + 1:]
                if len(after) >= 2 and after[0][1].type == "literal" and \
                        after[0][1].value == "/":
                    after = after[2:]
                start = after[0][0] if after else len(tokens)
                return (f"{tinycss2.serialize(tokens[:start]).strip()} "
                        f"{self.rewrite(tokens[start:])}")
        return tinycss2.serialize(tokens).strip()  # no size: not a shorthand renderers read
