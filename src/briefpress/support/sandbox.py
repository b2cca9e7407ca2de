"""Turn the URLs a render asks for into file contents, serving only the project's own folders.

A brief is untrusted input: a Markdown image may point at ``/etc/passwd``, at a
remote server or, through ``../`` or a symlink, out of the brief's folder. The
renderers load every resource through a :class:`Sandbox`, which serves files
under a few allowed folders (the brief's own, ``styles/``, ``templates/``) and
small ``data:`` URLs, and refuses everything else with a :class:`BriefError`
that names the reference as the author wrote it.
"""

from __future__ import annotations

import base64
import contextlib
import io
import mimetypes
import stat
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from msgspec import Struct

from briefpress.errors import BriefError, Problem, display_path
from briefpress.support import limits
from briefpress.support.files import kind_of, read_regular
from briefpress.support.pillow import quiet_pillow

MAX_DATA_URL_BYTES = 512 * 1024
"""A ``data:`` URL longer than this is refused: big assets belong in files beside the brief."""

MAX_FILE_BYTES = 32 * 1024 * 1024
"""A file larger than this is refused (the largest font is 60 kB, the fixture image 10 kB)."""


class Resource(Struct, frozen=True):
    """What a URL resolved to: the bytes, their media type and, for files, the path."""

    url: str
    data: bytes
    media_type: str
    path: Path | None = None


class Sandbox:
    """Serves files below ``roots`` and small data URLs; refuses everything else.

    ``source`` (the brief's Markdown file) and its text are used to point errors
    at the line where the offending reference is written.
    """

    def __init__(self, roots: Sequence[Path], source: Path, source_text: str = "") -> None:
        self.roots = [Path(root).resolve() for root in roots]
        self.source = source
        self.source_text = source_text

    def open(self, url: str) -> Resource:
        """The resource at ``url`` (absolute: ``file:`` or ``data:``), or a BriefError."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            path = self.allowed_path(url)
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            try:  # checked again as it is opened: a FIFO swapped in since cannot block
                data = read_regular(path, MAX_FILE_BYTES)
            except BriefError as exc:
                raise self.refuse(url, exc.problems[0].message, "refer to an image file"
                                  ) from None
            except OSError as exc:
                raise self.refuse(url, f"cannot be read ({exc.strerror})", "refer to a plain "
                                  "file in the brief's folder") from None
            self.check_pixels(url, media_type, io.BytesIO(data))
            return Resource(url, data, media_type, path)
        raise self.refuse(url, "is not a file of the brief: renders fetch nothing from the "
                                "network", "save the file in the brief's folder and refer to it "
                                "by a relative path")

    def allowed_path(self, url: str) -> Path:
        """The real path of a ``file:`` URL if it lies under an allowed folder."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self.refuse(url, "names another machine", "refer to a file in the brief's "
                                    "folder by a relative path")
        path = Path(unquote(parts.path))  # a file: URL's path on POSIX, %-decoded once
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as exc:  # a symlink loop, a permission
            raise self.refuse(url, f"cannot be read ({exc})", "refer to a plain file in the "
                                    "brief's folder") from None
        if not any(real.is_relative_to(root) for root in self.roots):
            raise self.refuse(url, "is outside the brief's folder", "copy the file into "
                                    f"{display_path(self.roots[0])}/ and refer to it by a "
                                    "relative path")
        if not real.exists():
            raise self.refuse(url, "does not exist", "check the file name; paths are "
                                    "relative to brief.md")
        found = real.stat()
        if not stat.S_ISREG(found.st_mode):
            raise self.refuse(url, f"is not a file: it is {kind_of(found.st_mode)}",
                              "refer to an image file")
        if found.st_size > MAX_FILE_BYTES:
            raise self.refuse(url, f"is larger than {MAX_FILE_BYTES // 2**20} MB",
                               "reduce the image before adding it to the brief")
        return real

    def _data(self, url: str) -> Resource:
        if len(url) > MAX_DATA_URL_BYTES:
            raise self.refuse(url, f"is a data: URL of {len(url) // 1024} kB, over the "
                                    f"{MAX_DATA_URL_BYTES // 1024} kB limit",
                               "save the image as a file beside brief.md and refer to it")
        header, comma, payload = url[len("data:"):].partition(",")
        if not comma:
            raise self.refuse(url, "is a malformed data: URL", "write it as "
                                    "`data:<type>;base64,<data>` or use a file")
        params = header.split(";")
        media_type = params[0] or "text/plain"
        try:
            data = (base64.b64decode(unquote(payload), validate=True) if "base64" in params[1:]
                    else unquote_to_bytes(payload))
        except ValueError:
            raise self.refuse(url, "is a data: URL whose base64 does not decode",
                               "re-encode it, or use a file") from None
        self.check_pixels(url, media_type, io.BytesIO(data))
        return Resource(url, data, media_type)

    def check_pixels(self, url: str, media_type: str, image: io.BytesIO | Path) -> None:
        """Refuse a raster image of more pixels than ``limits.IMAGE_MEGAPIXELS``.

        Pillow reads only the header here (its ``open`` is lazy): the size is known before
        anything is decoded. Pillow itself warns past 89 megapixels and refuses past 179
        (its decompression-bomb guard), in raw words on the terminal: its warning is silenced
        (support/pillow.py), as this limit speaks first at its default, and its refusal,
        which gives no size, becomes a located one. A file Pillow cannot identify as an
        image at all (empty, or another format's first bytes) is refused as the PDF edition
        refuses it; one whose header reads but whose pixels are broken is left to the
        renderer, which says so in the same words.
        """
        if not media_type.startswith("image/") or media_type == "image/svg+xml":
            return
        from PIL import Image, UnidentifiedImageError  # only a raster image needs Pillow

        quiet_pillow()

        limit = limits.IMAGE_MEGAPIXELS.value()
        fix = ("scale it down: print needs at most about 300 pixels an inch at the size shown "
               "(some 2,500 pixels across a full page)")
        try:
            with Image.open(image) as opened:
                width, height = opened.size
        except Image.DecompressionBombError:
            # Pillow's guard gives no size, and no limit of ours opens it: said as Pillow's
            most = 2 * (Image.MAX_IMAGE_PIXELS or 0) / 1e6
            raise self.refuse(url, f"is an image of more than {most:.0f} megapixels, more "
                                   "than the image library opens", fix) from None
        except UnidentifiedImageError:
            raise self.refuse(url, "cannot be read as an image",
                              "save it as PNG, JPEG, GIF, WebP or SVG") from None
        except (OSError, ValueError, SyntaxError):
            return
        if width * height <= limit * 1_000_000:
            return
        raise self.refuse(url, f"is an image of {width}\u00d7{height} px "
                               f"({width * height / 1e6:.1f} megapixels), over the limit of "
                               f"{limit} megapixels",
                          f"{fix}, or {limits.IMAGE_MEGAPIXELS.how()}")

    def refuse(self, url: str, why: str, fix: str) -> BriefError:
        shown = self.as_written(url)
        line = self.line_of(shown.removesuffix("…"))  # a data: URL is shown cut short
        return BriefError(Problem(self.source, line, f"reference {shown!r} {why}", fix))

    def as_written(self, url: str) -> str:
        """The reference as the author wrote it, when a resolved URL can be traced back."""
        if url.startswith("data:"):
            return url[:40] + ("…" if len(url) > 40 else "")
        parts = urlsplit(url)
        if parts.scheme != "file" or url in self.source_text:
            return url
        path = unquote(parts.path)
        base = self.source.parent.resolve()
        for candidate in _spellings(Path(path), base):
            if candidate and candidate in self.source_text:
                return candidate
        return path

    def line_of(self, text: str) -> int | None:
        for number, line in enumerate(self.source_text.splitlines(), start=1):
            if text in line:
                return number
        return None


def _spellings(path: Path, base: Path) -> list[str]:
    """Ways an author may have written ``path`` in brief.md: relative with ``../``, absolute."""
    spellings = []
    with contextlib.suppress(ValueError):
        spellings.append(str(path.relative_to(base)))
    common = Path(*[a for a, b in zip(path.parts, base.parts, strict=False) if a == b] or ["/"])
    ups = len(base.parts) - len(common.parts)
    with contextlib.suppress(ValueError):
        spellings.append("/".join([".."] * ups + [str(path.relative_to(common))]))
    spellings.append(str(path))
    return spellings
