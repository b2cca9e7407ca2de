"""A brief of another shape than the first (an issue brief by two organisations and a person,
dated to the month, with a table, a figure, notes and another publisher) passes check and
builds all three editions, which show its authors and date as a reader sees them; a project's
briefpress.yaml gives a brief its publisher, and editing it rebuilds the brief."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import lxml.html
import pypdf
import pytest
from tests.conftest import WATER, edit

from briefpress.check.brief import check_brief
from briefpress.cli import main
from briefpress.read.brief import read_brief


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("water") / "build"
    assert main(["build", str(WATER), "--build-dir", str(out)]) == 0
    return out / "water-security"


def test_it_passes_check_strict() -> None:
    brief = read_brief(WATER)
    assert check_brief(brief) == []
    assert brief.doctype is not None and brief.doctype.name == "issue-brief"
    assert [s.id for s in brief.sections] == [
        "key-takeaways", "withdrawals", "agreements", "policy-recommendations",
        "about-the-author"]
    assert brief.meta.date_iso() == "2025-06" and brief.meta.date_precision == "month"
    assert [a.organization for a in brief.meta.authors] == [True, True, False]


def test_the_web_page_shows_the_authors_and_the_month(built: Path) -> None:
    page = lxml.html.parse(str(built / "index.html")).getroot()
    byline = page.xpath("//p[@class='byline']")[0]
    assert [a.text_content() for a in byline.xpath(".//span[@class='author']")] == [
        "Water Security Programme", "Task Force on Basin Governance", "Mariam Haddad"]
    assert byline.xpath(".//a[@class='orcid']/@href") == [
        "https://orcid.org/0000-0002-1825-0097"]
    assert byline.xpath(".//a[@class='email']/@href") == [
        "mailto:m.haddad@water-security.example.org"]
    assert "(Lead author)" in byline.text_content()
    time = page.xpath("//p[@class='date']/time")[0]
    assert (time.get("datetime"), time.text_content()) == ("2025-06", "June 2025")
    data = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["datePublished"] == "2025-06"
    assert [a["@type"] for a in data["author"]] == ["Organization", "Organization", "Person"]
    assert data["author"][2]["sameAs"] == "https://orcid.org/0000-0002-1825-0097"
    assert data["publisher"]["name"] == "Institute for Water and Security Studies"
    headings = [h.text_content() for h in page.xpath("//main//h2")]
    assert headings.index("What Makes Agreements Hold") < headings.index("Recommendations")
    assert page.xpath("//main//table") and page.xpath("//main//figure//img")


def test_the_pdf_and_the_word_file_name_the_authors_and_the_date(built: Path) -> None:
    reader = pypdf.PdfReader(built / "water-security.pdf")
    cover = reader.pages[0].extract_text()
    assert "ISSUE BRIEF" in cover and "June 2025" in cover
    assert "Task Force on Basin Governance" in cover
    assert reader.metadata is not None
    assert reader.metadata["/Author"] == \
        "Water Security Programme, Task Force on Basin Governance, Mariam Haddad"
    document = docx.Document(str(built / "water-security.docx"))
    assert document.core_properties.author == \
        "Water Security Programme; Task Force on Basin Governance; Mariam Haddad"
    assert document.core_properties.created.date().isoformat() == "2025-06-01"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Issue Brief" in text and "12 Riverside Walk" in text  # the label and colophon


def test_the_project_config_gives_the_publisher_and_rebuilds_when_edited(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = Path(shutil.copytree(WATER, tmp_path / "content" / "water-security"))
    text = (folder / "brief.md").read_text(encoding="utf-8")
    start, end = text.index("publisher:"), text.index("keywords:")
    (folder / "brief.md").write_text(text[:start] + text[end:], encoding="utf-8")
    config = tmp_path / "briefpress.yaml"
    config.write_text("publisher:\n  name: Basin Observatory\n", encoding="utf-8")
    out = tmp_path / "build"
    argv = ["build", str(folder), "--format", "html", "--build-dir", str(out)]
    assert main(argv) == 0
    page = (out / "water-security" / "index.html").read_text(encoding="utf-8")
    assert "Basin Observatory" in page
    capsys.readouterr()
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("up to date")
    edit(config, "Basin Observatory", "Delta Observatory")
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("built")
    assert "Delta Observatory" in (out / "water-security" / "index.html").read_text(
        encoding="utf-8")
