"""The command line's render options (paper, PDF layout, …) into one record every format reads."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from msgspec import Struct, structs

from briefpress.errors import BriefError, Problem


class RenderOptions(Struct, frozen=True):
    """How to render: the same for every format of one build."""

    page_size: Literal["letter", "a4"] | None = None
    """Paper size of the PDF and Word editions as asked (``--page-size``); None: the project's
    (``briefpress.yaml``'s ``page_size``), else US Letter (the publisher is in Washington).
    ``build`` fills it in (:meth:`resolved`) and records it as asked, so that ``check`` takes
    a changed config for a changed paper size."""
    pdf_variant: Literal["ua", "a"] = "ua"
    """``ua``: tagged, accessible PDF/UA-1; ``a``: archival PDF/A (also tagged)."""
    pdf_layout: Literal["single", "facing"] | None = None
    """Pages of the PDF editions: ``single`` (all alike) or ``facing`` (mirrored margins,
    running heads and folios on the outer edge); None: facing in the print edition, single
    in the screen one."""
    base_url: str | None = None
    """Where the web edition will be published, for canonical and sharing URLs."""

    def __post_init__(self) -> None:
        # checked when the options are made, so that a bad --base-url stops a build before
        # any edition (the PDF, the Word file) is written, not when the web page is reached
        if self.base_url is not None:
            parts = urlsplit(self.base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise BriefError(Problem("--base-url", None,
                                         f"base URL {self.base_url!r} is not an absolute "
                                         "http(s) URL", "give the address build/ is published "
                                         "at, e.g. https://www.example.org/briefs/"))

    @property
    def paper(self) -> Literal["letter", "a4"]:
        """The paper size to lay out: the one asked or filled in, else US Letter."""
        return self.page_size or "letter"

    def resolved(self, project_page_size: Literal["letter", "a4"] | None) -> RenderOptions:
        """These options with the paper size the project's config gives when none was asked."""
        if self.page_size is not None:
            return self
        return structs.replace(self, page_size=project_page_size or "letter")
