"""The schemas of the YAML a brief is written in: its front matter and recommendations file.

Validated with pydantic; imported only when a brief is validated, since importing
pydantic is a large share of briefpress's start-up (see reader.start_reading).
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _web_address(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value, re.IGNORECASE):
        raise PydanticCustomError("web_url", "not an absolute http(s) address")
    return value


WebUrl = Annotated[Text, AfterValidator(_web_address)]
"""An absolute http(s) address. The editions make it a live link: a ``javascript:`` or
``file:`` address there would run code or point into the reader's own disk."""


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Author(_Schema):
    """A person who wrote the brief."""

    name: Text
    """Full name as printed on the cover."""
    affiliation: Text | None = None
    """Program or institution, one line."""
    bio: Text | None = None
    """One-paragraph biography, rendered in "About the Author"."""


class Social(_Schema):
    """A social-media account of the publisher, printed on the back cover."""

    network: Literal["facebook", "x", "linkedin", "instagram", "youtube", "bluesky", "threads"]
    handle: Text


class Publisher(_Schema):
    """Who publishes the brief: the colophon on the back cover and in the web footer."""

    name: Text
    """Legal name, e.g. "Woodrow Wilson International Center for Scholars"."""
    short_name: Text | None = None
    """The name used as the wordmark, e.g. "The Wilson Center"."""
    address: list[Text] = Field(default_factory=list)
    """Postal address, one line per entry."""
    url: WebUrl | None = None
    """Web address of the publisher."""
    social: list[Social] = Field(default_factory=list)


class Metadata(_Schema):
    """The YAML front matter of ``brief.md``."""

    title: Text
    subtitle: Text | None = None
    type: Slug = "policy-brief"
    """Document type: names the rules file ``templates/doctypes/<type>.yaml``."""
    lang: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en-US"
    """BCP 47 language tag of the text."""
    program: Text | None = None
    """The program or center that issues the brief, shown in the cover band."""
    authors: list[Author] = Field(min_length=1)
    publisher: Publisher
    date: datetime.date | None = None
    """Publication date, only if known."""
    keywords: list[Text] = Field(default_factory=list)
    summary: Text | None = None
    """One-sentence description for indexes and sharing; defaults to the summary's opening."""
    canonical_url: Text | None = None
    """Where the web edition will live; overrides the site-wide base URL."""


class Recommendation(_Schema):
    """One policy recommendation, with a stable id and the section that argues it."""

    id: Slug
    text: Text
    """Markdown inline text of the recommendation."""
    section: Slug
    """Id of the body section that argues it."""


class RecommendationArea(_Schema):
    """A group of recommendations under one heading."""

    id: Slug
    title: Text
    recommendations: list[Recommendation] = Field(default_factory=list)


class Recommendations(_Schema):
    """The contents of ``recommendations.yaml``."""

    intro: Text | None = None
    """Paragraph that opens the "Policy Recommendations" section."""
    areas: list[RecommendationArea] = Field(default_factory=list)
